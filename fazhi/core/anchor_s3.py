"""The audit chain's anchor in S3-compatible object storage, for several nodes.

The file anchor (fazhi.core.audit) serves one machine. With several application
nodes and workers, each commit's head must reach one place every node reads, and no
node — nor whoever administers the database — may roll it back. Here each head is
its own object, written once and never overwritten:

    <prefix>/heads/<epoch>/<inverted seq>-<random>.json

S3 lists keys in ascending order, so with the sequence inverted (10**20 − seq) the
first key of a listing is the newest head: reading is one LIST and one GET however
many heads were written, and nodes appending in any order give the right answer.
When the bucket was created with object lock, each head is written with COMPLIANCE
retention (settings.AUDIT_ANCHOR_RETAIN_DAYS), so it cannot be deleted before then,
even with the node's own credentials; with versioning on, a delete leaves the old
version behind for an investigator.

A verified restore (``force``) starts a new *epoch*: a marker under
``<prefix>/epochs/<inverted time>`` holding the restored head, after which heads go
under that epoch. The newest epoch wins, so older heads are discarded without being
deleted (which object lock would refuse anyway).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from urllib.parse import urlparse

from django.conf import settings

_INVERT = 10**20
_CLIENTS: dict[tuple, object] = {}


def _inv(n: int) -> str:
    return f"{_INVERT - n:020d}"


class S3Anchor:
    """Anchor heads as write-once objects under ``s3://bucket/prefix``."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        self.url = url

    def __str__(self) -> str:
        return self.url

    # -- the client ------------------------------------------------------------
    @property
    def client(self):
        import boto3

        s3 = settings.S3
        key = (s3["endpoint_url"], s3["access_key"], s3["region_name"])
        if key not in _CLIENTS:
            _CLIENTS[key] = boto3.client(
                "s3", endpoint_url=s3["endpoint_url"],
                aws_access_key_id=s3["access_key"],
                aws_secret_access_key=s3["secret_key"],
                region_name=s3["region_name"] or "us-east-1")
        return _CLIENTS[key]

    def _first(self, prefix: str) -> str | None:
        found = self.client.list_objects_v2(
            Bucket=self.bucket, Prefix=prefix, MaxKeys=1).get("Contents") or []
        return found[0]["Key"] if found else None

    def _get(self, key: str) -> dict:
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return json.loads(body)

    def _put(self, key: str, data: dict) -> None:
        extra = {}
        days = settings.AUDIT_ANCHOR_RETAIN_DAYS
        if days:
            extra = {"ObjectLockMode": "COMPLIANCE",
                     "ObjectLockRetainUntilDate":
                         dt.datetime.now(dt.UTC) + dt.timedelta(days=days)}
        self.client.put_object(
            Bucket=self.bucket, Key=key, ContentType="application/json",
            Body=json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            **extra)

    # -- the anchor --------------------------------------------------------------
    def _epoch(self) -> tuple[str, dict | None]:
        key = self._first(f"{self.prefix}/epochs/")
        if key is None:
            return "0", None
        return key.rsplit("/", 1)[1], self._get(key)

    def exists(self) -> bool:
        return self._first(f"{self.prefix}/") is not None

    def read(self) -> dict | None:
        """The newest head of the newest epoch, as the file anchor's line holds it."""
        epoch, marker = self._epoch()
        key = self._first(f"{self.prefix}/heads/{epoch}/")
        return self._get(key) if key is not None else marker

    def write(self, line: dict, *, force: bool) -> None:
        if force:
            self._put(f"{self.prefix}/epochs/{_inv(time.time_ns())}", line)
            return
        epoch, _ = self._epoch()
        self._put(f"{self.prefix}/heads/{epoch}/{_inv(int(line['seq']))}-"
                  f"{uuid.uuid4().hex[:8]}.json", line)

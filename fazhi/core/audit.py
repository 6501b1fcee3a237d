"""Append to and verify the audit chain.

``record`` is called by every service in the same transaction as the change it
describes. The chain head is also anchored in a file outside the database so that
deleting the newest events — which a chain alone cannot reveal — is detected.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from fazhi.core.hashing import GENESIS, chain_hash
from fazhi.core.models import AuditEvent, AuditHead

SYSTEM_ACTOR = "系统"


def canonical_json(value: Any) -> str:
    """Serialise ``value`` deterministically (sorted keys, no spaces, UTF-8 text)."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


def event_fields(
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    org_code: str,
    object_type: str,
    object_id: str,
    action: str,
    payload: str,
    evidence: str,
    prev_hash: str,
) -> tuple[str, ...]:
    """Return the tuple of strings an event's hash covers, in chain order."""
    stamp = at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return (
        str(seq), stamp, "" if actor_id is None else str(actor_id), actor_name,
        org_code, object_type, object_id, action, payload, evidence, prev_hash,
    )


def _object_org(obj: models.Model | None):
    if obj is None:
        return None
    if obj._meta.label == "core.OrgUnit":
        return obj
    return getattr(obj, "org_unit", None)


def record(
    *,
    actor,
    obj: models.Model | None,
    action: str,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    evidence: Iterable[str] = (),
    org_unit=None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction."""
    org = org_unit or _object_org(obj)
    payload = canonical_json({"summary": summary, "before": before, "after": after})
    hashes = ",".join(sorted(set(evidence)))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=str(actor) if actor is not None else SYSTEM_ACTOR,
            org_unit=org,
            org_code=org.division_code if org is not None else "",
            object_type=object_type or (obj._meta.label if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            object_repr=str(obj)[:200] if obj is not None else "",
            action=action,
            payload=payload,
            evidence=hashes,
            prev_hash=head.hash,
            algorithm=settings.AUDIT_HASH,
        )
        event.hash = chain_hash(event.algorithm, event_fields(
            event.seq, event.at, event.actor_id, event.actor_name, event.org_code,
            event.object_type, event.object_id, event.action, event.payload,
            event.evidence, event.prev_hash,
        ))
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
        transaction.on_commit(lambda: anchor_write(event.seq, event.hash))
    return event


# --- anchor -------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    written_at: str
    note: str = ""


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def anchor_read(path: Path | None = None) -> Anchor | None:
    """Return the last anchor written, or None when there is none yet."""
    path = path or anchor_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Anchor(int(data["seq"]), str(data["hash"]), data.get("written_at", ""),
                  data.get("note", ""))


def anchor_write(seq: int, hash_: str, *, note: str = "", force: bool = False) -> None:
    """Record the chain head outside the database; never move it backwards.

    ``force`` replaces a newer anchor (only a verified restore may do that).
    """
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = anchor_read(path)
        if current is not None and current.seq >= seq and not force:
            return
        data = {"seq": seq, "hash": hash_, "note": note,
                "written_at": timezone.now().isoformat()}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(canonical_json(data), encoding="utf-8")
        os.replace(tmp, path)


# --- verification --------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""


_FIELDS = ("seq", "at", "actor_id", "actor_name", "org_code", "object_type",
           "object_id", "action", "payload", "evidence", "prev_hash", "hash",
           "algorithm")


def _rows(chunk: int = 20000) -> Iterator[tuple]:
    return AuditEvent.objects.order_by("seq").values_list(*_FIELDS).iterator(chunk)


def verify(anchor: Anchor | None = None, *, progress=None) -> VerifyResult:
    """Recompute the whole chain and compare its head with the last anchor."""
    prev, expected_seq, checked = GENESIS, 1, 0
    hash_at_anchor = None
    anchor = anchor if anchor is not None else anchor_read()
    for row in _rows():
        seq, stored_prev, stored_hash, algorithm = row[0], row[10], row[11], row[12]
        if seq != expected_seq:
            return VerifyResult(False, checked, expected_seq,
                                f"事件 #{expected_seq} 缺失（下一条为 #{seq}）")
        if stored_prev != prev:
            return VerifyResult(False, checked, seq, f"事件 #{seq} 的前序哈希与上一条不符")
        if chain_hash(algorithm, event_fields(*row[:11])) != stored_hash:
            return VerifyResult(False, checked, seq, f"事件 #{seq} 的内容与其哈希不符")
        if anchor is not None and seq == anchor.seq:
            hash_at_anchor = stored_hash
        prev, expected_seq, checked = stored_hash, seq + 1, checked + 1
        if progress is not None and checked % 100000 == 0:
            progress(checked)
    if anchor is not None and anchor.seq > 0:
        if checked < anchor.seq:
            return VerifyResult(
                False, checked, checked + 1,
                f"事件 #{checked + 1} 至 #{anchor.seq} 缺失：锚点记录链头为 #{anchor.seq}",
            )
        if hash_at_anchor != anchor.hash:
            return VerifyResult(False, checked, anchor.seq,
                                f"事件 #{anchor.seq} 的哈希与锚点记录不符")
    return VerifyResult(True, checked)

"""Checking stored files against their records: one on every read, or all at once.

``evidence_open`` hands out a file's bytes only after they hashed to the SHA-256
its ``Evidence`` row records; ``evidence_verify_all`` rehashes every blob a row
names (``fazhi evidence verify``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files import File

from fazhi.core.evidence.blobs import (
    EvidenceCorrupted,
    EvidenceMissing,
    blob_hash,
    blob_open,
)
from fazhi.core.evidence.streams import SPOOL_IN_MEMORY, hash_stream
from fazhi.core.models import Evidence


def evidence_open(evidence: Evidence) -> File:
    """Return the evidence's bytes, checked against its SHA-256 before any is given.

    The blob is copied into a temporary file while it is hashed, and that copy is
    returned. So the caller gets exactly the bytes that were checked (a blob changed
    between a check and a second read cannot slip through), the storage is read once
    (one GET on S3), and a download never starts sending bytes that then turn out to
    be corrupt — an HTTP response cannot be taken back once it has begun. The price
    is a temporary copy, at most EVIDENCE_MAX_BYTES on local disk.
    """
    # Not a with-block: the caller receives (and closes) this file.
    tmp = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        with blob_open(evidence.sha256) as src:
            actual, _ = hash_stream(src, tmp)
        if actual != evidence.sha256:
            raise EvidenceCorrupted(evidence.original_name, evidence.sha256, actual)
    except EvidenceMissing:
        tmp.close()
        raise EvidenceMissing(evidence.original_name, evidence.sha256) from None
    except BaseException:
        tmp.close()
        raise
    tmp.seek(0)
    return File(tmp, name=evidence.original_name)


@dataclass(frozen=True)
class BlobProblem:
    sha256: str
    names: tuple[str, ...]  # original names of the rows that use the blob
    actual: str | None  # the hash found, or None when the blob is missing

    def __str__(self) -> str:
        names = "、".join(f"“{n}”" for n in self.names)
        if self.actual is None:
            return f"缺失：{self.sha256} {names}"
        return f"不符：{self.sha256} {names}，实际哈希 {self.actual}"


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    problems: list[BlobProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def evidence_verify_all(
    *, progress: Callable[[int, int], None] | None = None, every: int = 100
) -> VerifyReport:
    """Rehash every distinct blob that an Evidence row names; report what fails."""
    shas = (Evidence.objects.order_by("sha256")
            .values_list("sha256", flat=True).distinct())
    total = shas.count() if progress else 0
    bad: dict[str, str | None] = {}
    checked = 0
    for sha in shas.iterator(chunk_size=2000):
        actual = blob_hash(sha)
        if actual != sha:
            bad[sha] = actual
        checked += 1
        if progress is not None and checked % every == 0:
            progress(checked, total)
    return VerifyReport(checked, [_problem(sha, actual) for sha, actual in bad.items()])


def _problem(sha256: str, actual: str | None) -> BlobProblem:
    names = (Evidence.objects.filter(sha256=sha256).order_by("pk")
             .values_list("original_name", flat=True).distinct())
    return BlobProblem(sha256, tuple(dict.fromkeys(names)), actual)

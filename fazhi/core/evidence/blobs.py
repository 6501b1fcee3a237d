"""Blobs: the evidence files themselves, named by their SHA-256 and written once.

Kept in ``storages["evidence"]`` under ``ab/cd/<sha256>``; nothing here knows about
``Evidence`` rows beyond the blob's name.
"""

from __future__ import annotations

from typing import IO

from django.core.files import File
from django.core.files.storage import Storage, storages

from fazhi.core.evidence.streams import hash_stream
from fazhi.core.models.evidence import blob_name


class EvidenceCorrupted(Exception):
    """A stored file no longer has the SHA-256 it was stored under."""

    def __init__(self, name: str, expected: str, actual: str | None):
        self.name, self.expected, self.actual = name, expected, actual
        super().__init__(
            f"证据文件“{name}”已损坏：应为 {expected}，实为 {actual}" if actual
            else f"证据文件“{name}”缺失：证据库中没有 {expected}"
        )


class EvidenceMissing(EvidenceCorrupted):
    """A stored file is gone from the evidence storage."""

    def __init__(self, name: str, expected: str):
        super().__init__(name, expected, None)


def evidence_storage() -> Storage:
    return storages["evidence"]


def blob_open(sha256: str) -> IO[bytes]:
    """Open a stored blob for reading; raise EvidenceMissing when it is not there."""
    storage, name = evidence_storage(), blob_name(sha256)
    try:
        return storage.open(name, "rb")
    except OSError:
        # S3 backends report a missing key in several ways; ask plainly.
        if storage.exists(name):
            raise
        raise EvidenceMissing(sha256, sha256) from None


def blob_hash(sha256: str) -> str | None:
    """Return the SHA-256 of the stored blob, or None when it is missing."""
    try:
        with blob_open(sha256) as src:
            return hash_stream(src)[0]
    except EvidenceMissing:
        return None


def blob_put(sha256: str, content: IO[bytes]) -> bool:
    """Write ``content`` as the blob ``sha256`` unless it exists; tell if it wrote.

    Written once: an existing blob is never overwritten, whatever it holds.
    """
    storage, name = evidence_storage(), blob_name(sha256)
    if storage.exists(name):
        return False
    content.seek(0)
    saved = storage.save(name, File(content, name=name))
    if saved != name:
        # Another upload of the same bytes won the race; the storage gave ours a
        # new name instead of overwriting. Keep the first, drop the duplicate.
        storage.delete(saved)
        return False
    return True

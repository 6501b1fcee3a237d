"""The evidence store: files kept by SHA-256, written once, checked on every read.

Blobs live in ``storages["evidence"]`` (local disk, or S3-compatible storage when
FAZHI_EVIDENCE_S3_BUCKET is set) under ``ab/cd/<sha256>``; an ``Evidence`` row says
who brought which file, of what kind, for which organisation and matter. What may
enter is decided from the content (magic bytes, ZIP and OLE directories), never
from the file name alone.
"""

from fazhi.core.evidence.sniff import (
    FILE_TYPES,
    BlobProblem,
    EvidenceCorrupted,
    EvidenceMissing,
    FileType,
    Refused,
    VerifyReport,
    blob_hash,
    blob_open,
    blob_put,
    evidence_get,
    evidence_open,
    evidence_storage,
    evidence_store,
    evidence_verify_all,
    hash_stream,
    original_name,
    sniff,
)

__all__ = [
    "FILE_TYPES", "BlobProblem", "EvidenceCorrupted", "EvidenceMissing", "FileType",
    "Refused", "VerifyReport", "blob_hash", "blob_open", "blob_put", "evidence_get",
    "evidence_open", "evidence_storage", "evidence_store", "evidence_verify_all",
    "hash_stream", "original_name", "sniff",
]

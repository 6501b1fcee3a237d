"""The evidence store: files kept by SHA-256, written once, checked on every read.

Blobs live in ``storages["evidence"]`` (local disk, or S3-compatible storage when
FAZHI_EVIDENCE_S3_BUCKET is set) under ``ab/cd/<sha256>``; an ``Evidence`` row says
who brought which file, of what kind, for which organisation and matter. What may
enter is decided from the content (magic bytes, ZIP and OLE directories), never
from the file name alone.

    filetypes  what the store accepts (FILE_TYPES) and the names it never accepts
    sniff      what a file is, by its bytes; ``Refused`` when it may not enter
    streams    reading in chunks and hashing a stream (no Django, like the two above)
    blobs      the files in storage by SHA-256, written once; missing or corrupt
    store      ``evidence_store`` (checked, written, audited) and ``evidence_get``
    verify     ``evidence_open`` (checked on every read), ``evidence_verify_all``

The names below are the package's public API, what the apps import from here;
code that works on one layer only (the backup, on blobs) may name its module.
"""

from fazhi.core.evidence.blobs import (
    EvidenceCorrupted,
    EvidenceMissing,
    blob_hash,
    blob_open,
    blob_put,
    evidence_storage,
)
from fazhi.core.evidence.filetypes import FILE_TYPES, FileType
from fazhi.core.evidence.sniff import Refused, sniff
from fazhi.core.evidence.store import (
    evidence_get,
    evidence_store,
    evidence_store_files,
    original_name,
)
from fazhi.core.evidence.streams import hash_stream
from fazhi.core.evidence.verify import (
    BlobProblem,
    VerifyReport,
    evidence_open,
    evidence_verify_all,
)

__all__ = [
    "FILE_TYPES", "BlobProblem", "EvidenceCorrupted", "EvidenceMissing", "FileType",
    "Refused", "VerifyReport", "blob_hash", "blob_open", "blob_put", "evidence_get",
    "evidence_open", "evidence_storage", "evidence_store", "evidence_store_files",
    "evidence_verify_all",
    "hash_stream", "original_name", "sniff",
]

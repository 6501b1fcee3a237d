"""Reading files in chunks: how much at a time, how much in memory, and hashing.

No Django here, so the sniffer (which uses none either) reads with it too.
"""

from __future__ import annotations

import hashlib
from typing import IO

CHUNK = 1024 * 1024
# Small files stay in memory while they are hashed and sniffed; bigger ones spill
# to a temporary file, so a 500 MB video never sits in memory.
SPOOL_IN_MEMORY = 4 * 1024 * 1024


def hash_stream(src: IO[bytes], out: IO[bytes] | None = None) -> tuple[str, int]:
    """Read ``src`` to its end (copying into ``out``); return (sha256 hex, bytes)."""
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest(), size

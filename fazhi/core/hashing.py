"""Hash functions the audit chain may use: SHA-256, or SM3 (GB/T 32905) by setting."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

GENESIS = "0" * 64


def _sm3(data: bytes) -> str:
    from gmssl import func, sm3

    return sm3.sm3_hash(func.bytes_to_list(data))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


HASHERS: dict[str, Callable[[bytes], str]] = {"sha256": _sha256, "sm3": _sm3}


def chain_hash(algorithm: str, fields: tuple[str, ...]) -> str:
    """Hash one event's fields (joined by the unit separator) with ``algorithm``."""
    return HASHERS[algorithm]("\x1f".join(fields).encode("utf-8"))

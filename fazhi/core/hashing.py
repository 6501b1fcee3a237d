"""Hash functions the audit chain may use: SHA-256, or SM3 (GB/T 32905) by setting.

``chain_hash`` is the unkeyed digest of events written before the chain had a key;
``keyed_hash`` is HMAC (RFC 2104) over the same hash function, so that only a holder
of the key, which is kept outside the database, can write an event that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

GENESIS = "0" * 64
_BLOCK = 64  # bytes; the input block of both SHA-256 and SM3


def _sm3(data: bytes) -> str:
    from gmssl import func, sm3

    return sm3.sm3_hash(func.bytes_to_list(data))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


HASHERS: dict[str, Callable[[bytes], str]] = {"sha256": _sha256, "sm3": _sm3}


def _join(fields: tuple[str, ...]) -> bytes:
    return "\x1f".join(fields).encode("utf-8")


def chain_hash(algorithm: str, fields: tuple[str, ...]) -> str:
    """Hash one event's fields (joined by the unit separator) with ``algorithm``."""
    return HASHERS[algorithm](_join(fields))


def keyed_hash(algorithm: str, key: bytes, fields: tuple[str, ...]) -> str:
    """Return the HMAC of one event's fields under ``key`` with ``algorithm``."""
    message = _join(fields)
    if algorithm == "sha256":
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    return hmac_generic(HASHERS[algorithm], key, message)


def hmac_generic(hasher: Callable[[bytes], str], key: bytes, message: bytes) -> str:
    """Compute HMAC (RFC 2104, 64-byte block) with a hash that returns hex digests.

    gmssl offers SM3 but no HMAC over it; this is the textbook construction.
    """
    if len(key) > _BLOCK:
        key = bytes.fromhex(hasher(key))
    key = key.ljust(_BLOCK, b"\0")
    inner = bytes.fromhex(hasher(bytes(b ^ 0x36 for b in key) + message))
    return hasher(bytes(b ^ 0x5C for b in key) + inner)

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
from django.db import connection, models, transaction
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
    return (
        str(seq),
        _stamp(at),
        "" if actor_id is None else str(actor_id),
        actor_name,
        org_code,
        object_type,
        object_id,
        action,
        payload,
        evidence,
        prev_hash,
    )


def _stamp(at: dt.datetime | str) -> str:
    """Format a UTC instant as the chain hashes it, from a datetime or SQLite text."""
    if isinstance(at, str):  # SQLite text: "YYYY-MM-DD HH:MM:SS[.ffffff][+00:00]"
        head, rest, frac = at[:19], at[19:], ""
        if rest.startswith("."):
            frac = rest[1:7]
            rest = rest[1:].lstrip("0123456789")
        if rest not in ("", "+00:00", "Z"):
            return _stamp(dt.datetime.fromisoformat(at))
        return f"{head[:10]}T{head[11:]}.{frac.ljust(6, '0')}Z"
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


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
    # No savepoint: the event lives or dies with the caller's change.
    with transaction.atomic(savepoint=False):
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
        event.hash = chain_hash(
            event.algorithm,
            event_fields(
                event.seq,
                event.at,
                event.actor_id,
                event.actor_name,
                event.org_code,
                event.object_type,
                event.object_id,
                event.action,
                event.payload,
                event.evidence,
                event.prev_hash,
            ),
        )
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
    """Return the newest anchor recorded, or None when there is none yet.

    The file is a log of heads, one JSON object a line; the highest sequence wins,
    so lines appended by several processes in any order give the right answer.
    A line marked ``reset`` (written by a verified restore) discards older lines.
    """
    path = path or anchor_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    best: Anchor | None = None
    for line in text.splitlines():
        try:
            data = json.loads(line)
            anchor = Anchor(
                int(data["seq"]),
                str(data["hash"]),
                data.get("written_at", ""),
                data.get("note", ""),
            )
        except (ValueError, KeyError, TypeError):
            continue  # a torn last line after a crash: the earlier heads still stand
        if data.get("reset") or best is None or anchor.seq > best.seq:
            best = anchor
    return best


_COMPACT_BYTES = 256 * 1024


def anchor_write(seq: int, hash_: str, *, note: str = "", force: bool = False) -> None:
    """Record the chain head outside the database (called after every commit).

    Appending one short line under a shared lock is cheap and atomic; the log is
    compacted to its newest head, under an exclusive lock, when it grows. ``force``
    (a verified restore only) makes this head replace all earlier ones.
    """
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (
        canonical_json(
            {
                "seq": seq,
                "hash": hash_,
                "note": note,
                "reset": force,
                "written_at": timezone.now().isoformat(),
            }
        )
        + "\n"
    )
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        if force:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _replace(path, line)
            return
        fcntl.flock(lock, fcntl.LOCK_SH)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > _COMPACT_BYTES:
            fcntl.flock(lock, fcntl.LOCK_EX)
            newest = anchor_read(path)
            if newest is not None:
                _replace(
                    path,
                    canonical_json(
                        {
                            "seq": newest.seq,
                            "hash": newest.hash,
                            "note": newest.note,
                            "reset": True,
                            "written_at": newest.written_at,
                        }
                    )
                    + "\n",
                )


def _replace(path: Path, content: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)


# --- verification --------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""


_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "org_code",
    "object_type",
    "object_id",
    "action",
    "payload",
    "evidence",
    "prev_hash",
    "hash",
    "algorithm",
)


def _rows(chunk: int = 20000) -> Iterator[tuple]:
    """Yield raw rows in chain order, in chunks (a server-side cursor on PostgreSQL).

    Raw rows skip the ORM's per-value conversion, which costs more than the hashing.
    """
    table = AuditEvent._meta.db_table
    # Reading the instant as text skips the driver's datetime conversion, the
    # costliest part of a row: SQLite keeps text already, PostgreSQL formats it.
    at = {
        "sqlite": "CAST(at AS TEXT)",
        "postgresql": "to_char(at AT TIME ZONE 'UTC', "
        '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')',
    }.get(connection.vendor, "at")
    columns = ", ".join(at if f == "at" else f for f in _FIELDS)
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY seq")
        while rows := cursor.fetchmany(chunk):
            yield from rows


def verify(anchor: Anchor | None = None, *, progress=None) -> VerifyResult:
    """Recompute the whole chain and compare its head with the last anchor."""
    prev, expected_seq, checked = GENESIS, 1, 0
    hash_at_anchor = None
    anchor = anchor if anchor is not None else anchor_read()
    for row in _rows():
        seq, stored_prev, stored_hash, algorithm = row[0], row[10], row[11], row[12]
        if seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                expected_seq,
                f"事件 #{expected_seq} 缺失（下一条为 #{seq}）",
            )
        if stored_prev != prev:
            return VerifyResult(
                False, checked, seq, f"事件 #{seq} 的前序哈希与上一条不符"
            )
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
                False,
                checked,
                checked + 1,
                f"事件 #{checked + 1} 至 #{anchor.seq} 缺失：锚点记录链头为 #{anchor.seq}",
            )
        if hash_at_anchor != anchor.hash:
            return VerifyResult(
                False, checked, anchor.seq, f"事件 #{anchor.seq} 的哈希与锚点记录不符"
            )
    return VerifyResult(True, checked)

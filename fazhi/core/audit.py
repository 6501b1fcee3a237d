"""Append to and verify the audit chain.

``record`` is called by every service in the same transaction as the change it
describes. Each event's digest is keyed (HMAC) with a key kept outside the database,
so whoever can write the database still cannot append or rewrite an event that
verifies. The chain head is also anchored in a file outside the database so that
deleting the newest events — which a chain alone cannot reveal — is detected; every
event records whether an anchor existed when it was written, so that deleting the
anchor file itself is detected too.

Events written before the chain had a key (scheme 1) verify with their unkeyed
digest; migration 0003 appended one keyed "seal" event after them, whose content is
a digest of the fields the old digest left out (object name, organisation).
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

from fazhi.core.hashing import GENESIS, chain_hash, keyed_hash
from fazhi.core.models import AuditEvent, AuditHead

SYSTEM_ACTOR = "系统"
LEGACY_SCHEME = 1  # unkeyed digest of event_fields: events from before the key
SCHEME = 2  # keyed digest of every field: see keyed_fields
SEAL_ACTION = "audit.seal"


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


def keyed_fields(
    legacy: tuple[str, ...],
    org_unit_id: int | None,
    object_repr: str,
    algorithm: str,
    anchored: bool,
) -> tuple[str, ...]:
    """Return every field a keyed (scheme 2) digest covers, given ``event_fields``.

    The old fields (time, actor, organisation code, object, action, summary with
    before/after, evidence, previous hash) plus what they left out: the
    organisation the event is filed under, the object's name, the hash function
    and whether an anchor already existed.
    """
    return (
        str(SCHEME),
        *legacy,
        "" if org_unit_id is None else str(org_unit_id),
        object_repr,
        algorithm,
        "1" if anchored else "0",
    )


def event_digest(event) -> str:
    """Return the keyed digest of an unsaved event (this model or a migration's)."""
    legacy = event_fields(
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
    )
    fields = keyed_fields(
        legacy, event.org_unit_id, event.object_repr, event.algorithm, event.anchored
    )
    return keyed_hash(event.algorithm, _key(), fields)


def _key() -> bytes:
    return settings.AUDIT_KEY.encode("utf-8")


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
    """Append one event to the chain inside the caller's transaction.

    An action a stand-in took for someone on leave (the check that allowed it
    noted whom: ``User.note_acting``) says so: the summary ends （代<name>） and
    ``after`` holds ``acting_for`` (the absent person's pk).
    """
    # No savepoint: the event lives or dies with the caller's change.
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = _event(head.seq + 1, head.hash, anchor_exists(), actor=actor, obj=obj,
                       action=action, summary=summary, before=before, after=after,
                       evidence=evidence, org_unit=org_unit,
                       object_type=object_type, object_id=object_id)
        return _chain_append(event, AuditHead)


def _event(seq: int, prev_hash: str, anchored: bool, *, actor, obj, action: str,
           summary: str = "", before: dict | None = None, after: dict | None = None,
           evidence: Iterable[str] = (), org_unit=None, object_type: str | None = None,
           object_id: str | None = None, at: dt.datetime | None = None) -> AuditEvent:
    """The unsealed event ``seq`` after ``prev_hash``, as ``record`` describes it."""
    org = org_unit or _object_org(obj)
    acting = getattr(actor, "acting_now", None)
    if acting:
        summary = f"{summary}（代{acting[1]}）"
        after = {**(after or {}), "acting_for": acting[0]}
    return AuditEvent(
        seq=seq,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else SYSTEM_ACTOR,
        org_unit=org,
        org_code=org.division_code if org is not None else "",
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=str(obj)[:200] if obj is not None else "",
        action=action,
        payload=canonical_json({"summary": summary, "before": before, "after": after}),
        evidence=",".join(sorted(set(evidence))),
        prev_hash=prev_hash,
        algorithm=settings.AUDIT_HASH,
        scheme=SCHEME,
        anchored=anchored,
    )


def append_many(entries: Iterable[dict], *, batch: int = 5000) -> tuple[int, str]:
    """Append many events in one pass, inside the caller's transaction.

    Each entry holds ``record``'s keywords (``actor``, ``obj``, ``action``,
    ``summary``, ``before``, ``after``, ``evidence``, ``org_unit``, ``object_type``,
    ``object_id``) and may give ``at``, the instant the event describes (a record
    written after the fact, e.g. generated data); without it, now. The events are
    chained and digested exactly as ``record`` would have appended them one by one,
    under the same head lock, and inserted ``batch`` at a time (COPY on
    PostgreSQL); the head moves once and is anchored on commit. Return the new
    head (seq, hash).
    """
    from fazhi.core.bulk import insert

    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev, anchored = head.seq, head.hash, anchor_exists()
        pending: list[AuditEvent] = []
        for entry in entries:
            seq += 1
            event = _event(seq, prev, anchored, **entry)
            event.hash = prev = event_digest(event)
            pending.append(event)
            if len(pending) >= batch:
                insert(AuditEvent, pending)
                pending = []
        insert(AuditEvent, pending)
        if seq != head.seq:
            AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)
            transaction.on_commit(lambda: anchor_write(seq, prev))
    return seq, prev


# --- anchor -------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    written_at: str
    note: str = ""


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def anchor_store():
    """The object-storage anchor of several nodes (settings.AUDIT_ANCHOR_URL), or
    None for the file beside the data folder (one machine)."""
    url = getattr(settings, "AUDIT_ANCHOR_URL", "")
    if not url:
        return None
    from fazhi.core.anchor_s3 import S3Anchor

    return S3Anchor(url)


def anchor_where() -> str:
    """Where the anchor is kept, as the operator configured it (for messages)."""
    store = anchor_store()
    return str(store) if store is not None else str(anchor_path())


_ANCHOR_SEEN: set[str] = set()


def anchor_exists() -> bool:
    """Whether an anchor has been written; once seen, remembered by the process.

    Remembering is safe: an event records "an anchor existed", which stays true if
    the anchor is later deleted — and that deletion is what verification must catch.
    """
    where = anchor_where()
    if where in _ANCHOR_SEEN:
        return True
    store = anchor_store()
    found = store.exists() if store is not None else anchor_path().exists()
    if found:
        _ANCHOR_SEEN.add(where)
    return found


def _anchor_of(data: dict) -> Anchor:
    return Anchor(int(data["seq"]), str(data["hash"]), data.get("written_at", ""),
                  data.get("note", ""))


def anchor_read(path: Path | None = None) -> Anchor | None:
    """Return the newest anchor recorded, or None when there is none yet.

    The file is a log of heads, one JSON object a line; the highest sequence wins,
    so lines appended by several processes in any order give the right answer.
    A line marked ``reset`` (written by a verified restore) discards older lines.
    In object storage (fazhi.core.anchor_s3) the newest head is one listing away.
    """
    store = anchor_store() if path is None else None
    if store is not None:
        data = store.read()
        return _anchor_of(data) if data else None
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
    head = {"seq": seq, "hash": hash_, "note": note, "reset": force,
            "written_at": timezone.now().isoformat()}
    store = anchor_store()
    if store is not None:
        store.write(head, force=force)
        _ANCHOR_SEEN.add(anchor_where())
        return
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = canonical_json(head) + "\n"
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


# --- the seal over events from before the key -----------------------------------------


def _legacy_link(digest: str, algorithm: str, seq, org_unit_id, object_repr) -> str:
    """Extend the running digest of old events by the fields their hash left out."""
    org = "" if org_unit_id is None else str(org_unit_id)
    return chain_hash(algorithm, (digest, str(seq), org, object_repr))


def legacy_seal(event_model, head_model) -> AuditEvent | None:
    """Append the keyed event that seals the events written before the chain's key.

    Called once, by the migration that introduced the key, with its own models. The
    seal's payload holds a digest of the old events' organisation and object name,
    which their own (unkeyed) digest did not cover.
    """
    count, digest = 0, GENESIS
    rows = event_model.objects.order_by("seq").values_list(
        "seq", "algorithm", "org_unit_id", "object_repr"
    )
    for seq, algorithm, org_unit_id, object_repr in rows.iterator(chunk_size=20000):
        count, digest = count + 1, _legacy_link(
            digest, algorithm, seq, org_unit_id, object_repr
        )
    if count == 0:
        return None
    head = head_model.objects.select_for_update().get(pk=1)
    event = event_model(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=None,
        actor_name=SYSTEM_ACTOR,
        org_unit=None,
        org_code="",
        object_type="core.AuditEvent",
        object_id=str(head.seq),
        object_repr="审计链",
        action=SEAL_ACTION,
        payload=canonical_json(_seal_payload(count, digest)),
        evidence="",
        prev_hash=head.hash,
        algorithm=settings.AUDIT_HASH,
        scheme=SCHEME,
        anchored=anchor_exists(),
    )
    return _chain_append(event, head_model)


def _chain_append(event, head_model):
    """Seal ``event`` with its digest, store it, move the head, anchor on commit
    (``head_model`` is the historical model when a migration appends)."""
    event.hash = event_digest(event)
    event.save(force_insert=True)
    head_model.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    transaction.on_commit(lambda: anchor_write(event.seq, event.hash))
    return event


def _seal_payload(count: int, digest: str) -> dict:
    summary = (f"审计链启用密钥：此前的 {count} 条事件一并封存"
               "（含所属机关与对象名称）")
    return {"summary": summary, "before": None,
            "after": {"events": count, "digest": digest}}


# --- verification --------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""
    anchor_missing: bool = False  # the only fault: the anchor file is gone


_FIELDS = (
    # event_fields, in its order: the unkeyed digest covers these
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
    # then the stored digest and what only the keyed digest adds
    "hash",
    "algorithm",
    "scheme",
    "org_unit_id",
    "object_repr",
    "anchored",
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


@dataclass
class _Walk:
    """What verification has learnt so far, walking the chain from its start."""

    anchor: Anchor | None
    key: bytes
    prev: str = GENESIS
    expected: int = 1
    checked: int = 0
    legacy: int = 0  # events under the unkeyed digest, all before the first keyed one
    legacy_digest: str = GENESIS
    keyed: bool = False
    anchored_from: int | None = None  # first event written when an anchor existed
    hash_at_anchor: str | None = None


Broken = tuple[int | None, str]


def verify(anchor: Anchor | None = None, *, progress=None) -> VerifyResult:
    """Recompute the whole chain and compare its head with the last anchor.

    Without ``anchor`` the anchor file is read, and its absence is a break once the
    chain records that one existed; an explicit ``Anchor(0, "", "")`` checks the
    chain alone.
    """
    walk = _Walk(anchor if anchor is not None else anchor_read(), _key())
    for row in _rows():
        broken = _step(walk, row)
        if broken is not None:
            return VerifyResult(False, walk.checked, *broken)
        if progress is not None and walk.checked % 100000 == 0:
            progress(walk.checked)
    broken = _finish(walk, anchor_given=anchor is not None)
    if broken is not None:
        missing = broken[0] is None  # the one break that names no event
        return VerifyResult(False, walk.checked, *broken, anchor_missing=missing)
    return VerifyResult(True, walk.checked)


def _step(walk: _Walk, row: tuple) -> Broken | None:
    seq, stored_prev, stored_hash, scheme = row[0], row[10], row[11], row[13]
    if seq != walk.expected:
        return walk.expected, f"事件 #{walk.expected} 缺失（下一条为 #{seq}）"
    if stored_prev != walk.prev:
        return seq, f"事件 #{seq} 的前序哈希与上一条不符"
    if scheme == SCHEME:
        broken = _keyed_step(walk, row)
    elif scheme == LEGACY_SCHEME:
        broken = _legacy_step(walk, row)
    else:
        broken = seq, f"事件 #{seq} 的摘要版本无法识别"
    if broken is not None:
        return broken
    if walk.anchor is not None and seq == walk.anchor.seq:
        walk.hash_at_anchor = stored_hash
    walk.prev, walk.expected, walk.checked = stored_hash, seq + 1, walk.checked + 1
    return None


def _keyed_step(walk: _Walk, row: tuple) -> Broken | None:
    seq, algorithm = row[0], row[12]
    fields = keyed_fields(event_fields(*row[:11]), row[14], row[15], algorithm, row[16])
    if keyed_hash(algorithm, walk.key, fields) != row[11]:
        return seq, f"事件 #{seq} 的内容与其哈希不符（内容被改动，或并非由本系统写入）"
    if walk.legacy and not walk.keyed and not _seals(walk, row):
        return seq, (f"启用密钥前的 {walk.legacy} 条事件与事件 #{seq} 的封存记录不符："
                     "其中有事件的所属机关或对象名称被改动")
    walk.keyed = True
    if row[16] and walk.anchored_from is None:
        walk.anchored_from = seq
    return None


def _seals(walk: _Walk, row: tuple) -> bool:
    """Whether ``row`` is the seal over exactly the old events walked so far."""
    try:
        after = json.loads(row[8])["after"]
    except (ValueError, KeyError, TypeError):
        return False
    expected = _seal_payload(walk.legacy, walk.legacy_digest)["after"]
    return row[7] == SEAL_ACTION and after == expected


def _legacy_step(walk: _Walk, row: tuple) -> Broken | None:
    seq, algorithm = row[0], row[12]
    if walk.keyed:
        return seq, (f"事件 #{seq} 按启用密钥前的旧方式记录，却排在启用密钥之后："
                     "系事后伪造")
    if chain_hash(algorithm, event_fields(*row[:11])) != row[11]:
        return seq, f"事件 #{seq} 的内容与其哈希不符"
    walk.legacy += 1
    walk.legacy_digest = _legacy_link(walk.legacy_digest, algorithm, seq, row[14],
                                      row[15])
    return None


def _finish(walk: _Walk, *, anchor_given: bool) -> Broken | None:
    """Check what only the whole chain shows: the seal, and the anchor."""
    if walk.legacy and not walk.keyed:
        return walk.expected, (f"启用密钥前的 {walk.legacy} 条事件之后缺少封存记录："
                               "链尾被删去，或有人按旧方式追加了事件")
    anchor = walk.anchor
    if anchor is None or anchor.seq == 0:
        if anchor_given or walk.anchored_from is None:
            return None
        where = ("锚点文件 " if anchor_store() is None else "对象存储中的锚点 ") + anchor_where()
        return None, (f"{where} 不存在或已清空，而审计链记载自事件 "
                      f"#{walk.anchored_from} 起已有锚点：锚点被删除后，链尾被删去的"
                      "事件无从发现。请从备份找回锚点文件后重新核验")
    if walk.checked < anchor.seq:
        return walk.checked + 1, (f"事件 #{walk.checked + 1} 至 #{anchor.seq} 缺失："
                                  f"锚点记录链头为 #{anchor.seq}")
    if walk.hash_at_anchor != anchor.hash:
        return anchor.seq, f"事件 #{anchor.seq} 的哈希与锚点记录不符"
    return None

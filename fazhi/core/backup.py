"""Backup and restore: one consistent snapshot of the database and the evidence store.

A backup directory holds::

    database.sqlite3 | database.pgdump   the database, taken as one snapshot
    evidence/ab/cd/<sha256>               every blob the snapshot's Evidence rows name
    manifest.json                         hashes of all of the above, the audit-chain
                                          head, and a hash of the manifest itself

The manifest is written last: a directory without one is an unfinished backup, and
restore refuses it. Restore checks every file against the manifest before it
replaces anything.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.evidence.blobs import (
    EvidenceMissing,
    blob_hash,
    blob_open,
    blob_put,
    evidence_storage,
)
from fazhi.core.evidence.streams import hash_stream
from fazhi.core.hashing import GENESIS
from fazhi.core.models import AuditHead, Evidence
from fazhi.core.models.evidence import blob_name

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_SHA256 = re.compile(r"[0-9a-f]{64}")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore cannot go on; the message is one line of Chinese."""


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True)
class Snapshot:
    """What the dumped database refers to, read in the dump's own snapshot."""

    blobs: list[str]
    head: tuple[int, str]


# --- backup ------------------------------------------------------------------------


def backup_create(target: Path, *, progress: Progress = _quiet) -> dict:
    """Write a complete backup into the empty (or new) directory ``target``."""
    engine = current_engine()
    if connection.in_atomic_block:
        raise BackupError("不能在事务内备份：事务中未提交的改动不会进入备份")
    _prepare_target(target)
    # Work in a hidden folder; only a finished backup moves out and gets a manifest.
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=target))
    try:
        manifest = _fill(staging, engine, progress)
        for item in staging.iterdir():
            os.replace(item, target / item.name)
        staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _write_manifest(target / MANIFEST, manifest)
    return manifest


def current_engine() -> str:
    """Return "sqlite" or "postgresql" for the default database, or refuse."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（只支持 SQLite 与 "
                          "PostgreSQL）")
    return connection.vendor


def _prepare_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target} 不是目录，请指定一个新的或空的目录")
    if target.is_dir() and any(target.iterdir()):
        raise BackupError(
            f"目标目录 {target} 不是空目录，拒绝写入；请指定新的或空的目录")
    # A backup holds password hashes and every piece of evidence: owner only.
    target.mkdir(mode=0o700, parents=True, exist_ok=True)


def _fill(staging: Path, engine: str, progress: Progress) -> dict:
    database = staging / DATABASE_FILES[engine]
    progress("正在导出数据库…")
    snapshot = _dump_sqlite(database) if engine == "sqlite" else _dump_pg(database)
    with database.open("rb+") as f:
        _sync(f)
    db_entry = {"file": database.name, **_file_digest(database)}
    progress(f"数据库已导出（{db_entry['size'] / 2**20:.1f} MB）")
    blobs = _copy_blobs_out(snapshot.blobs, staging / "evidence", progress)
    return _manifest(engine, db_entry, blobs, snapshot.head)


def _dump_sqlite(dest: Path) -> Snapshot:
    # A fresh connection sees everything committed (the WAL included); the online
    # backup API copies one consistent state while others go on reading and writing.
    source = sqlite3.connect(_sqlite_path(), timeout=30)
    copy = sqlite3.connect(dest)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()
    with _sqlite_readonly(dest) as db:
        blobs = [row[0] for row in db.execute(
            f"SELECT DISTINCT sha256 FROM {Evidence._meta.db_table} ORDER BY 1")]
        head = db.execute(
            f"SELECT seq, hash FROM {AuditHead._meta.db_table} WHERE id = 1").fetchone()
    return Snapshot(blobs, tuple(head) if head else (0, GENESIS))


@contextlib.contextmanager
def _sqlite_readonly(path: Path) -> Iterator[sqlite3.Connection]:
    """Open a database file read-only, creating no -wal or -shm file beside it."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        yield db
    finally:
        db.close()


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("内存数据库无法备份")
    return Path(name)


def _dump_pg(dest: Path) -> Snapshot:
    pg_dump = pg_tool("pg_dump")
    args, env = _pg_connection()
    # pg_dump imports our exported snapshot, so the dump, the blob list and the audit
    # head below all come from one instant, however long the dump takes.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot_id}",
              f"--file={dest}", *args], env)
        blobs = list(Evidence.objects.order_by("sha256")
                     .values_list("sha256", flat=True).distinct())
        head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return Snapshot(blobs, tuple(head) if head else (0, GENESIS))


def pg_tool(name: str) -> str:
    """Find pg_dump or pg_restore, preferring the server's own major version."""
    major = _pg_major()
    found = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)]
    found += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                    key=_version_of, reverse=True)
    for candidate in found:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL {major} 或更新版本的客户端"
                      f"（Debian：apt install postgresql-client-{major}）")


def _pg_major() -> int:
    connection.ensure_connection()
    version = connection.pg_version  # e.g. 150020
    return version // 10000 if version >= 100000 else version // 100


def _version_of(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def _pg_connection() -> tuple[list[str], dict[str, str]]:
    """Return the command-line arguments and environment reaching the database."""
    s = connection.settings_dict
    args = ["--no-password", f"--dbname={s['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args.append(f"{option}={s[key]}")
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])  # never on the command line
    if (s.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(s["OPTIONS"]["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        detail = lines[-1] if lines else f"退出码 {done.returncode}"
        raise BackupError(f"{Path(command[0]).name} 失败：{detail}")


def _copy_blobs_out(blobs: list[str], root: Path, progress: Progress) -> list[dict]:
    entries, ticker = [], _Ticker(progress, "证据文件已复制", len(blobs))
    for sha in blobs:
        dest = root / blob_name(sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with blob_open(sha) as src, dest.open("wb") as out:
                actual, size = hash_stream(src, out)
                _sync(out)
        except EvidenceMissing:
            raise BackupError(f"证据文件 {sha} 缺失，无法备份；请先运行 "
                              "fazhi evidence verify 查明") from None
        if actual != sha:
            raise BackupError(f"证据文件 {sha} 已损坏（实为 {actual}），无法备份；"
                              "请先运行 fazhi evidence verify 查明")
        entries.append({"sha256": sha, "size": size})
        ticker.tick(size)
    return entries


class _Ticker:
    """Report progress every 100 files, every 256 MB, and at the end."""

    def __init__(self, progress: Progress, label: str, total: int):
        self.progress, self.label, self.total = progress, label, total
        self.count = self.bytes = self.reported_bytes = 0

    def tick(self, size: int) -> None:
        self.count += 1
        self.bytes += size
        if (self.count % 100 == 0 or self.count == self.total
                or self.bytes - self.reported_bytes >= 256 * 2**20):
            self.reported_bytes = self.bytes
            self.progress(f"{self.label} {self.count}/{self.total}"
                          f"（{self.bytes / 2**20:.1f} MB）")


def _sync(f) -> None:
    """Push a file to disk: the manifest, written last, must not outlive its data."""
    f.flush()
    os.fsync(f.fileno())


def _file_digest(path: Path) -> dict:
    with path.open("rb") as f:
        sha, size = hash_stream(f)
    return {"sha256": sha, "size": size}


# --- the manifest ------------------------------------------------------------------


def _manifest(engine: str, database: dict, blobs: list[dict], head: tuple) -> dict:
    body = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "fazhi_version": fazhi_version(),
        "engine": engine,
        "database": database,
        "evidence": blobs,
        "audit_head": {"seq": int(head[0]), "hash": str(head[1])},
    }
    return {**body, "manifest_sha256": manifest_hash(body)}


def manifest_hash(manifest: dict) -> str:
    """Hash the manifest's content, leaving out its own hash field."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(audit.canonical_json(body).encode("utf-8")).hexdigest()


def fazhi_version() -> str:
    """Return the installed fazhi version (recorded in every manifest)."""
    try:
        return metadata.version("fazhi")
    except metadata.PackageNotFoundError:
        return "unknown"


def _write_manifest(path: Path, manifest: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text + "\n")
        _sync(f)
    os.replace(tmp, path)  # atomic: the manifest is there whole, or not at all


# --- checking a backup -------------------------------------------------------------


def backup_check(source: Path, *, progress: Progress = _quiet) -> dict:
    """Check a backup completely (manifest, engine, every file); return the manifest."""
    manifest = _read_manifest(source)
    engine = current_engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"备份来自 {ENGINE_NAMES[manifest['engine']]} 数据库，当前实例使用 "
            f"{ENGINE_NAMES[engine]}，不能恢复；请在同类数据库的实例上恢复"
        )
    database = manifest["database"]
    _check_file(source / database["file"], database, "数据库文件")
    ticker = _Ticker(progress, "证据文件已核验", len(manifest["evidence"]))
    for entry in manifest["evidence"]:
        path = source / "evidence" / blob_name(entry["sha256"])
        _check_file(path, entry, "证据文件")
        ticker.tick(entry["size"])
    return manifest


def _read_manifest(source: Path) -> dict:
    if not source.is_dir():
        raise BackupError(f"备份目录 {source} 不存在")
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{source} 中没有 {MANIFEST}：备份不完整（可能被中断），拒绝恢复")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{MANIFEST} 已损坏（无法解析），拒绝恢复") from None
    if not isinstance(manifest, dict) or "manifest_sha256" not in manifest:
        raise BackupError(f"{MANIFEST} 已损坏（缺少自校验哈希），拒绝恢复")
    if manifest["manifest_sha256"] != manifest_hash(manifest):
        raise BackupError(f"{MANIFEST} 的自校验哈希不符：清单被截断或改动过，拒绝恢复")
    _check_shape(manifest)
    return manifest


def _check_shape(manifest: dict) -> None:
    """Refuse a manifest that hashes right but does not say what a backup says."""
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持"
                          f"（本程序读取版本 {FORMAT_VERSION}），拒绝恢复")
    try:
        engine, database = manifest["engine"], manifest["database"]
        ok = (database["file"] == DATABASE_FILES[engine]
              and isinstance(manifest["created_at"], str)
              and isinstance(manifest["fazhi_version"], str)
              and all(_is_entry(e) for e in [database, *manifest["evidence"]])
              and isinstance(manifest["audit_head"]["seq"], int)
              and _SHA256.fullmatch(manifest["audit_head"]["hash"]))
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise BackupError(f"{MANIFEST} 内容不完整或格式不对，拒绝恢复")


def _is_entry(entry: dict) -> bool:
    return (isinstance(entry.get("size"), int)
            and _SHA256.fullmatch(str(entry.get("sha256", ""))) is not None)


def _check_file(path: Path, entry: dict, label: str) -> None:
    shown = path.name if label == "数据库文件" else entry["sha256"]
    if not path.is_file():
        raise BackupError(f"备份中的{label} {shown} 缺失，拒绝恢复")
    size = path.stat().st_size
    if size != entry["size"]:
        raise BackupError(f"备份中的{label} {shown} 大小不符（应为 {entry['size']} "
                          f"字节，实为 {size} 字节），拒绝恢复")
    actual = _file_digest(path)["sha256"]
    if actual != entry["sha256"]:
        raise BackupError(f"备份中的{label} {shown} 哈希不符（应为 {entry['sha256']}，"
                          f"实为 {actual}），拒绝恢复")


# --- restore -----------------------------------------------------------------------


def backup_restore(
    source: Path, *, manifest: dict | None = None, progress: Progress = _quiet
) -> dict:
    """Replace the database and fill the evidence store from a checked backup.

    ``manifest`` is what ``backup_check`` returned for ``source``; without it the
    backup is checked here first. Nothing is replaced before the check has passed.
    """
    if connection.in_atomic_block:
        raise BackupError("不能在事务内恢复")
    manifest = manifest or backup_check(source, progress=progress)
    # Evidence first: adding blobs is harmless if the database step then fails, and
    # the restored rows never point at a file that is not there.
    _restore_blobs(source, manifest["evidence"], progress)
    progress("正在恢复数据库…")
    database = source / manifest["database"]["file"]
    if manifest["engine"] == "sqlite":
        _restore_sqlite(database)
    else:
        _restore_pg(database)
    ContentType.objects.clear_cache()  # ids may differ from the replaced database's
    head = manifest["audit_head"]
    audit.anchor_write(head["seq"], head["hash"], force=True,
                       note=f"restored from {source} ({manifest['created_at']})")
    progress(f"已恢复：数据库与 {len(manifest['evidence'])} 个证据文件，"
             f"审计链头 #{head['seq']}")
    return manifest


def _restore_blobs(source: Path, entries: list[dict], progress: Progress) -> None:
    # Blobs stored after the backup are left alone: content-addressed, they harm
    # nothing, and a mistaken restore then destroys no newer evidence.
    storage = evidence_storage()
    ticker = _Ticker(progress, "证据文件已恢复", len(entries))
    for entry in entries:
        sha = entry["sha256"]
        if blob_hash(sha) not in (sha, None):
            # Damaged in place: only a checked restore may replace a written blob.
            storage.delete(blob_name(sha))
        with (source / "evidence" / blob_name(sha)).open("rb") as f:
            blob_put(sha, f)
        ticker.tick(entry["size"])


def _restore_sqlite(database: Path) -> None:
    live = _sqlite_path()
    connections.close_all()
    with _sqlite_readonly(database) as backup:
        target = sqlite3.connect(live, timeout=30)
        try:
            # Rollback-journal mode during the copy: a WAL target refuses a source of
            # another page size. Django's init_command turns WAL back on.
            target.execute("PRAGMA journal_mode=DELETE")
            backup.backup(target)
        except sqlite3.Error as exc:
            raise BackupError(f"恢复 SQLite 数据库失败：{exc}") from None
        finally:
            target.close()


def _restore_pg(database: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    args, env = _pg_connection()
    connections.close_all()
    # One transaction: should any statement fail, the database stays as it was.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", *args, str(database)], env)

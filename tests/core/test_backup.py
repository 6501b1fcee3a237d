"""Backup and restore round-trip a populated instance and refuse damaged backups.

These tests replace the database, so they run outside a test transaction; they run
on whichever engine the suite uses (SQLite file, or PostgreSQL via DATABASE_URL).
"""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from fazhi.core import audit
from fazhi.core.backup import DATABASE_FILES, MANIFEST, manifest_hash
from fazhi.core.evidence import blob_hash, evidence_store
from fazhi.core.models import AuditHead, Evidence, EvidenceKind
from fazhi.core.models.evidence import blob_name

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg(tag: bytes) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + tag + b"\xff\xd9"


def store(actor, content: bytes, name: str, kind=EvidenceKind.PHOTO) -> Evidence:
    return evidence_store(file=SimpleUploadedFile(name, content), actor=actor,
                          org_unit=actor.org_unit, kind=kind, description=name)


def populate(people) -> None:
    """Users and roles (from the fixture), evidence with real files, audit events."""
    store(people.xt_officer, jpeg(b"site"), "现场1.jpg")
    store(people.xt_clerk, jpeg(b"site"), "现场1副本.jpg")  # one blob, two rows
    store(people.xt_officer, b"%PDF-1.7\n" + bytes(5000), "询问笔录.pdf",
          EvidenceKind.SCAN)
    store(people.xx_officer, "湘乡市现场说明".encode("gbk"), "说明.txt",
          EvidenceKind.DOCUMENT)
    audit.record(actor=people.xt_principal, obj=people.xt_principal.org_unit,
                 action="test.note", summary="备份前的最后一件事")


def everything() -> dict[str, str]:
    """Every row of every model, serialised and ordered by primary key."""
    return {
        model._meta.label: serializers.serialize(
            "json", model._base_manager.order_by("pk"))
        for model in apps.get_models(include_auto_created=True)
    }


def blobs() -> dict[str, str | None]:
    """Map each blob an Evidence row names to the hash of what the store holds."""
    shas = Evidence.objects.values_list("sha256", flat=True).distinct()
    return {sha: blob_hash(sha) for sha in shas}


def blob_file(settings, sha256: str) -> Path:
    root = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return root / blob_name(sha256)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def backup(target: Path) -> dict:
    code, out, err = run("backup", str(target))
    assert code == 0, err
    assert "备份完成" in out
    return json.loads((target / MANIFEST).read_text(encoding="utf-8"))


def change_after_backup(people, settings) -> None:
    """What happens after a backup: new evidence, new events, lost files."""
    store(people.xt_officer, jpeg(b"later"), "备份后.jpg")
    audit.record(actor=people.xt_officer, obj=people.xt_officer.org_unit,
                 action="test.note", summary="备份之后")
    blob_file(settings, hashlib.sha256(jpeg(b"site")).hexdigest()).unlink()


# --- the round trip ----------------------------------------------------------------


def test_restore_brings_back_every_record_and_file(people, settings, tmp_path):
    populate(people)
    before_rows, before_blobs = everything(), blobs()
    assert all(sha == actual for sha, actual in before_blobs.items())
    manifest = backup(tmp_path / "backup")

    change_after_backup(people, settings)
    assert everything() != before_rows
    anchor_after_change = audit.anchor_read()
    assert anchor_after_change.seq > manifest["audit_head"]["seq"]

    code, out, err = run("restore", str(tmp_path / "backup"), "--yes")
    assert code == 0, err
    assert "恢复完成" in out
    assert everything() == before_rows
    assert blobs() == before_blobs
    # The chain verifies against the rewritten anchor, and would not against the old.
    assert audit.verify().ok
    assert not audit.verify(anchor_after_change).ok
    anchor = audit.anchor_read()
    assert (anchor.seq, anchor.hash) == (manifest["audit_head"]["seq"],
                                         manifest["audit_head"]["hash"])
    assert "restored from" in anchor.note


def test_manifest_lists_the_database_the_files_and_the_audit_head(people, tmp_path):
    populate(people)
    manifest = backup(tmp_path / "backup")
    head = AuditHead.objects.get(pk=1)
    database = tmp_path / "backup" / DATABASE_FILES[connection.vendor]
    assert manifest["engine"] == connection.vendor
    assert manifest["database"]["file"] == database.name
    assert manifest["database"]["sha256"] == hashlib.sha256(
        database.read_bytes()).hexdigest()
    assert manifest["database"]["size"] == database.stat().st_size
    assert {e["sha256"] for e in manifest["evidence"]} == set(blobs())
    assert manifest["audit_head"] == {"seq": head.seq, "hash": head.hash}
    assert manifest["manifest_sha256"] == manifest_hash(manifest)
    assert manifest["format"] == 1 and manifest["fazhi_version"]
    leftovers = {p.name for p in (tmp_path / "backup").iterdir()}
    assert leftovers == {database.name, "evidence", MANIFEST}


# --- damaged backups are refused before anything is replaced -----------------------


def _flip_blob(target: Path, manifest: dict) -> None:
    path = target / "evidence" / blob_name(manifest["evidence"][0]["sha256"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _grow_blob(target: Path, manifest: dict) -> None:
    path = target / "evidence" / blob_name(manifest["evidence"][-1]["sha256"])
    path.write_bytes(path.read_bytes() + b"\x00")


def _drop_blob(target: Path, manifest: dict) -> None:
    (target / "evidence" / blob_name(manifest["evidence"][0]["sha256"])).unlink()


def _drop_database(target: Path, manifest: dict) -> None:
    (target / manifest["database"]["file"]).unlink()


def _edit_manifest(target: Path, manifest: dict) -> None:
    edited = {**manifest, "audit_head": {**manifest["audit_head"], "seq": 1}}
    (target / MANIFEST).write_text(json.dumps(edited), encoding="utf-8")


def _truncate_manifest(target: Path, manifest: dict) -> None:
    path = target / MANIFEST
    path.write_bytes(path.read_bytes()[:200])


def _drop_manifest(target: Path, manifest: dict) -> None:
    (target / MANIFEST).unlink()


def _other_engine(target: Path, manifest: dict) -> None:
    other = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    edited = {**manifest, "engine": other,
              "database": {**manifest["database"], "file": DATABASE_FILES[other]}}
    edited["manifest_sha256"] = manifest_hash(edited)
    (target / MANIFEST).write_text(json.dumps(edited), encoding="utf-8")


DAMAGE: list[tuple[Callable[[Path, dict], None], str]] = [
    (_flip_blob, r"备份中的证据文件 [0-9a-f]{64} 哈希不符"),
    (_grow_blob, r"证据文件 [0-9a-f]{64} 大小不符"),
    (_drop_blob, r"备份中的证据文件 [0-9a-f]{64} 缺失"),
    (_drop_database, r"数据库文件 database\.\w+ 缺失"),
    (_edit_manifest, r"自校验哈希不符"),
    (_truncate_manifest, r"manifest\.json 已损坏"),
    (_drop_manifest, r"没有 manifest\.json：备份不完整"),
    (_other_engine, r"备份来自 \w+ 数据库，当前实例使用 \w+，不能恢复"),
]


@pytest.mark.parametrize(("damage", "message"), DAMAGE,
                         ids=[d.__name__.strip("_") for d, _ in DAMAGE])
def test_damaged_backup_is_refused_and_nothing_replaced(
    people, settings, tmp_path, damage, message
):
    populate(people)
    target = tmp_path / "backup"
    manifest = backup(target)
    change_after_backup(people, settings)
    rows, files, anchor = everything(), blobs(), audit.anchor_read()
    damage(target, manifest)

    code, _, err = run("restore", str(target), "--yes")
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("恢复失败：")
    assert re.search(message, err)
    assert everything() == rows
    assert blobs() == files  # the lost blob is still lost: nothing was written
    assert audit.anchor_read() == anchor


def test_restore_asks_first_and_does_nothing_without_yes(
    people, settings, tmp_path, monkeypatch
):
    populate(people)
    backup(tmp_path / "backup")
    change_after_backup(people, settings)
    rows, files = everything(), blobs()
    prompts = []
    monkeypatch.setattr(builtins, "input", lambda prompt: prompts.append(prompt) or "n")
    code, _, err = run("restore", str(tmp_path / "backup"))
    assert code == 1 and "已取消" in err
    assert prompts == ["将覆盖当前数据库和证据库，输入 yes 继续："]
    assert everything() == rows and blobs() == files


# --- backups that must not be made -------------------------------------------------


def test_backup_refuses_a_non_empty_directory(people, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    (target / "旧文件.txt").write_text("别覆盖我", encoding="utf-8")
    code, _, err = run("backup", str(target))
    assert code == 1 and "不是空目录" in err
    assert [p.name for p in target.iterdir()] == ["旧文件.txt"]


def test_failed_backup_leaves_nothing_that_looks_complete(people, settings, tmp_path):
    populate(people)
    sha = hashlib.sha256(jpeg(b"site")).hexdigest()
    blob_file(settings, sha).write_bytes(b"damaged")
    target = tmp_path / "backup"
    code, _, err = run("backup", str(target))
    assert code == 1
    assert f"证据文件 {sha} 已损坏" in err and "fazhi evidence verify" in err
    assert list(target.iterdir()) == []

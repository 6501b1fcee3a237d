"""The evidence store: content-addressed, written once, checked on read, sniffed."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404

from fazhi.core.evidence import (
    EvidenceCorrupted,
    EvidenceMissing,
    Refused,
    evidence_get,
    evidence_open,
    evidence_store,
    evidence_verify_all,
    sniff,
)
from fazhi.core.models import AuditEvent, Evidence, EvidenceKind
from fazhi.core.models.evidence import blob_name

# --- small builders of real-looking files ------------------------------------------


def jpeg(tag: bytes = b"") -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(64) + tag + b"\xff\xd9"


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands + bytes(64)


def riff(form: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 68) + form + bytes(64)


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
    return buffer.getvalue()


def ole(*streams: str, clsid: bytes = bytes(16)) -> bytes:
    """Build a minimal compound file: header, one FAT sector, one directory sector."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)  # FAT sectors, first dir sector
    struct.pack_into("<IIIII", header, 0x38, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *[0xFFFFFFFF] * 108)
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)
    entries = [("Root Entry", 5, clsid)] + [(s, 2, bytes(16)) for s in streams]
    directory = b"".join(_ole_entry(*e) for e in entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


def _ole_entry(name: str, kind: int, clsid: bytes) -> bytes:
    entry = bytearray(128)
    raw = name.encode("utf-16-le") + b"\0\0"
    entry[:len(raw)] = raw
    struct.pack_into("<HB", entry, 64, len(raw), kind)
    entry[80:96] = clsid
    return bytes(entry)


MSI_CLSID = bytes.fromhex("8410 0c00 0000 0000 c000 000000000046".replace(" ", ""))
OOXML = "application/vnd.openxmlformats-officedocument."


def sniffed(content: bytes, name: str) -> str:
    return sniff(io.BytesIO(content), name)


# --- sniffing (pure: no database) --------------------------------------------------

ACCEPTED = [
    ("现场.jpg", jpeg(), "image/jpeg"),
    ("现场.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
    ("现场.gif", b"GIF89a" + bytes(64), "image/gif"),
    ("现场.webp", riff(b"WEBPVP8 "), "image/webp"),
    ("IMG_0001.HEIC", ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
    ("现场.heif", ftyp(b"mif1", b"mif1"), "image/heif"),
    ("扫描.tif", b"II*\x00\x08\x00\x00\x00" + bytes(64), "image/tiff"),
    ("笔录.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(64), "application/pdf"),
    ("决定书.ofd", zipped("OFD.xml", "Doc_0/Document.xml"), "application/ofd"),
    ("执法记录.mp4", ftyp(b"isom", b"isom", b"mp41"), "video/mp4"),
    ("执法记录.mov", ftyp(b"qt  ", b"qt  "), "video/quicktime"),
    ("执法记录.3gp", ftyp(b"3gp4", b"3gp4"), "video/3gpp"),
    ("询问.m4a", ftyp(b"M4A ", b"M4A ", b"mp42"), "audio/mp4"),
    ("录音.m4a", ftyp(b"mp42", b"isom"), "audio/mp4"),  # brand says video: ext decides
    ("执法记录.avi", riff(b"AVI LIST"), "video/x-msvideo"),
    ("询问.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(64), "audio/mpeg"),
    ("询问2.mp3", b"\xff\xfb\x90\x00" + bytes(64), "audio/mpeg"),
    ("询问.wav", riff(b"WAVEfmt "), "audio/wav"),
    ("询问.amr", b"#!AMR\n" + bytes(64), "audio/amr"),
    ("报告.docx", zipped("[Content_Types].xml", "word/document.xml"),
     OOXML + "wordprocessingml.document"),
    ("台账.xlsx", zipped("[Content_Types].xml", "xl/workbook.xml"),
     OOXML + "spreadsheetml.sheet"),
    ("汇报.pptx", zipped("[Content_Types].xml", "ppt/presentation.xml"),
     OOXML + "presentationml.presentation"),
    ("笔录.doc", ole("WordDocument", "1Table"), "application/msword"),
    ("笔录.wps", ole("WordDocument"), "application/msword"),
    ("台账.xls", ole("Workbook"), "application/vnd.ms-excel"),
    ("材料.zip", zipped("现场1.jpg", "说明.txt"), "application/zip"),
    ("说明.txt", "现场勘验记录：占用耕地 3.2 亩。\n".encode(),
     "text/plain; charset=utf-8"),
    ("说明2.txt", "现场勘验记录".encode("gbk"), "text/plain; charset=gb18030"),
    ("坐标.csv", "点号,X,Y\n1,3070000.1,38500000.2\n".encode(),
     "text/csv; charset=utf-8"),
    ("照片.jpg", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),  # same family
    ("无扩展名", jpeg(), "image/jpeg"),
]


@pytest.mark.parametrize(("name", "content", "media_type"), ACCEPTED,
                         ids=[a[0] for a in ACCEPTED])
def test_accepted_types_are_recognised_from_content(name, content, media_type):
    assert sniffed(content, name) == media_type


PROGRAMS = [
    ("照片.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(64), "Windows"),
    ("照片.jpg", b"\x7fELF\x02\x01\x01" + bytes(64), "Linux"),
    ("录像.mp4", b"\xcf\xfa\xed\xfe" + bytes(64), "macOS"),
    ("说明.txt", b"#!/bin/sh\nrm -rf /\n", "脚本"),
    ("说明.txt", b"@ECHO OFF\r\ndel *.*\r\n", "批处理"),
    ("材料.zip", zipped("META-INF/MANIFEST.MF", "a/Main.class"), "Java"),
    ("材料.zip", zipped("AndroidManifest.xml", "classes.dex"), "Android"),
    ("笔录.doc", ole("SummaryInformation", clsid=MSI_CLSID), "安装包"),
]


@pytest.mark.parametrize(("name", "content", "what"), PROGRAMS)
def test_programs_are_refused_whatever_their_name(name, content, what):
    with pytest.raises(Refused, match=f"“{name}”实为(可执行|脚本)程序.*{what}"):
        sniffed(content, name)


def test_archive_holding_a_program_is_refused_naming_it():
    with pytest.raises(Refused, match=r"内含可执行程序或脚本“工具/run\.exe”"):
        sniffed(zipped("现场1.jpg", "工具/run.exe"), "材料.zip")


def test_office_document_with_macros_is_refused():
    content = zipped("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
    with pytest.raises(Refused, match="宏"):
        sniffed(content, "报告.docx")


@pytest.mark.parametrize("name", ["照片.exe", "现场.html", "图.svg", "run.bat"])
def test_names_that_would_run_when_opened_are_refused(name):
    with pytest.raises(Refused, match="可执行程序、脚本或网页"):
        sniffed(jpeg(), name)


@pytest.mark.parametrize(("name", "content", "claimed", "actual"), [
    ("照片.jpg", b"%PDF-1.4\n" + bytes(64), "JPEG 图片", "PDF 文档"),
    ("笔录.pdf", jpeg(), "PDF 文档", "JPEG 图片"),
    ("台账.xls", ole("WordDocument"), "Excel 表格", "Word 文档"),
    ("报告.docx", zipped("a.txt"), "Word 文档", "ZIP 压缩包"),
    ("照片.jpg", "只是文字".encode(), "JPEG 图片", "文本"),
])
def test_extension_claiming_another_type_is_refused_naming_both(
    name, content, claimed, actual
):
    with pytest.raises(Refused, match=f"扩展名表明是{claimed}.*内容实为{actual}"):
        sniffed(content, name)


@pytest.mark.parametrize(("name", "content"), [
    ("数据.bin", bytes(range(256)) * 4),
    ("图.avif", ftyp(b"avif", b"avif", b"mif1")),
    ("未知.doc", ole("Contents")),
])
def test_unknown_types_are_refused(name, content):
    with pytest.raises(Refused, match="无法识别"):
        sniffed(content, name)


def test_text_with_an_unlisted_extension_is_refused():
    with pytest.raises(Refused, match=r"扩展名 \.md 不在允许之列"):
        sniffed("# 标题\n".encode(), "说明.md")


def test_damaged_containers_are_refused():
    with pytest.raises(Refused, match="损坏的 ZIP"):
        sniffed(b"PK\x03\x04" + bytes(40), "材料.zip")
    with pytest.raises(Refused, match="损坏的 OLE"):
        sniffed(ole("WordDocument")[:600], "笔录.doc")


# --- storing and reading -----------------------------------------------------------


def store(people, content: bytes, name: str = "现场.jpg", who: str = "xt_officer",
          **extra) -> Evidence:
    actor = people[who]
    return evidence_store(
        file=SimpleUploadedFile(name, content), actor=actor,
        org_unit=extra.pop("org_unit", actor.org_unit),
        kind=extra.pop("kind", EvidenceKind.PHOTO), **extra,
    )


def blob_path(settings, sha256: str) -> Path:
    root = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return root / blob_name(sha256)


def test_store_keeps_the_file_under_its_hash_and_reads_it_back(people, settings):
    content = jpeg(b"site-1")
    evidence = store(people, content, description="东侧围墙")
    sha = hashlib.sha256(content).hexdigest()
    assert (evidence.sha256, evidence.size) == (sha, len(content))
    assert evidence.media_type == "image/jpeg"
    assert evidence.original_name == "现场.jpg"
    assert evidence.uploaded_by == people.xt_officer
    assert blob_path(settings, sha).read_bytes() == content
    with evidence_open(evidence) as f:
        assert f.read() == content


def test_same_file_twice_makes_two_records_and_one_blob(people, settings):
    content = jpeg(b"same")
    first = store(people, content, "a.jpg")
    path = blob_path(settings, first.sha256)
    written = path.stat().st_mtime_ns
    second = store(people, content, "b.jpg", kind=EvidenceKind.SCAN)
    assert first.pk != second.pk and first.sha256 == second.sha256
    assert path.stat().st_mtime_ns == written
    assert len(list(path.parent.iterdir())) == 1


def test_an_existing_blob_is_never_overwritten(people, settings):
    content = jpeg(b"first")
    sha = hashlib.sha256(content).hexdigest()
    path = blob_path(settings, sha)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"already here")
    evidence = store(people, content)
    assert path.read_bytes() == b"already here"
    with pytest.raises(EvidenceCorrupted):
        evidence_open(evidence)


def test_plain_file_objects_are_accepted(people, tmp_path):
    source = tmp_path / "扫描件.pdf"
    source.write_bytes(b"%PDF-1.7\n" + bytes(100))
    with source.open("rb") as f:
        evidence = evidence_store(file=f, actor=people.xt_officer,
                                  org_unit=people.xt_officer.org_unit, kind="scan")
    assert (evidence.original_name, evidence.media_type) == ("扫描件.pdf",
                                                             "application/pdf")


def test_the_audit_event_carries_the_hash(people):
    evidence = store(people, jpeg(b"audited"))
    event = AuditEvent.objects.get(action="evidence.store")
    assert event.evidence == evidence.sha256
    assert event.object_id == str(evidence.pk)
    assert evidence.sha256 in event.payload and "现场.jpg" in event.payload


def test_evidence_can_be_attached_to_a_matter(people):
    matter = people.xt_officer.department  # any saved model with an org_unit
    evidence = store(people, jpeg(b"matter"), matter=matter)
    assert Evidence.objects.get(pk=evidence.pk).matter == matter


def test_a_tampered_blob_is_refused_on_read_naming_both_hashes(people, settings):
    evidence = store(people, jpeg(b"tamper"))
    path = blob_path(settings, evidence.sha256)
    path.write_bytes(path.read_bytes() + b"x")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(EvidenceCorrupted) as caught:
        evidence_open(evidence)
    assert caught.value.actual == actual
    for part in ("“现场.jpg”", evidence.sha256, actual):
        assert part in str(caught.value)


def test_a_missing_blob_is_reported_as_missing(people, settings):
    evidence = store(people, jpeg(b"gone"))
    blob_path(settings, evidence.sha256).unlink()
    with pytest.raises(EvidenceMissing, match=r"“现场\.jpg”缺失"):
        evidence_open(evidence)


# --- refusals at the service -------------------------------------------------------


def refusal(people, content: bytes, name: str, **extra) -> str:
    with pytest.raises(ValidationError) as caught:
        store(people, content, name, **extra)
    return caught.value.message_dict["file"][0]


def test_renamed_executable_is_refused_and_nothing_is_kept(people, settings):
    message = refusal(people, b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "照片.jpg")
    assert message.startswith("“照片.jpg”实为可执行程序")
    assert "拒绝存入证据库" in message
    assert not Evidence.objects.exists()
    location = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    assert not location.exists() or not any(location.rglob("*"))


def test_elf_binary_is_refused(people):
    message = refusal(people, b"\x7fELF\x02\x01\x01\x00" + bytes(200), "记录.mp4")
    assert "实为可执行程序" in message


def test_extension_content_mismatch_is_refused_at_the_service(people):
    message = refusal(people, b"%PDF-1.5\n" + bytes(100), "现场.jpg")
    assert "JPEG 图片" in message and "PDF 文档" in message


@pytest.mark.parametrize("as_upload", [True, False])
def test_files_over_the_size_limit_are_refused(people, settings, as_upload):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    content = jpeg(bytes(1024 * 1024))
    file = ContentFile(content, name="大.jpg") if as_upload else io.BytesIO(content)
    file.name = "大.jpg"
    with pytest.raises(ValidationError) as caught:
        evidence_store(file=file, actor=people.xt_officer,
                       org_unit=people.xt_officer.org_unit, kind="photo")
    assert "超过证据文件大小上限 1 MB" in caught.value.message_dict["file"][0]


def test_empty_file_and_unknown_kind_are_refused(people):
    assert "空文件" in refusal(people, b"", "空.jpg")
    with pytest.raises(ValidationError) as caught:
        store(people, jpeg(), kind="selfie")
    assert "证据类别" in caught.value.message_dict["kind"][0]


# --- scope -------------------------------------------------------------------------


def test_outsider_cannot_store_into_another_county(people, orgs):
    with pytest.raises(PermissionDenied):
        store(people, jpeg(), who="xx_officer", org_unit=orgs["xt"])
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_attached_to_another_countys_matter(people):
    with pytest.raises(PermissionDenied):
        store(people, jpeg(), who="xx_officer", matter=people.xt_officer.department)


def test_inactive_user_cannot_store(people):
    people.xt_officer.is_active = False
    with pytest.raises(PermissionDenied):
        store(people, jpeg())


def test_evidence_of_another_county_does_not_exist_for_the_caller(people):
    evidence = store(people, jpeg(b"scoped"))
    assert evidence_get(actor=people.xt_clerk, pk=evidence.pk) == evidence
    assert evidence_get(actor=people.city_principal, pk=evidence.pk) == evidence
    with pytest.raises(Http404):
        evidence_get(actor=people.xx_officer, pk=evidence.pk)
    with pytest.raises(Http404):
        evidence_get(actor=people.xt_officer, pk="not-a-number")


# --- fazhi evidence verify ---------------------------------------------------------


def run_verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("evidence", "verify", "--every", "1", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_verify_passes_when_every_file_matches(people):
    store(people, jpeg(b"1"), "一.jpg")
    store(people, jpeg(b"1"), "一副本.jpg")
    store(people, jpeg(b"2"), "二.jpg")
    code, out, err = run_verify()
    assert code == 0
    assert "已核验 2 个文件" in out
    assert "已核验 1/2 个文件" in err


def test_verify_names_every_file_that_no_longer_matches(people, settings):
    good = store(people, jpeg(b"good"), "好.jpg")
    bad = store(people, jpeg(b"bad"), "坏.jpg")
    store(people, jpeg(b"bad"), "坏的副本.jpg")
    gone = store(people, jpeg(b"gone"), "丢.jpg")
    path = blob_path(settings, bad.sha256)
    path.write_bytes(b"\x00" + path.read_bytes()[1:])
    blob_path(settings, gone.sha256).unlink()
    code, _, err = run_verify()
    assert code == 1
    assert f"不符：{bad.sha256} “坏.jpg”、“坏的副本.jpg”" in err
    assert f"缺失：{gone.sha256} “丢.jpg”" in err
    assert good.sha256 not in err
    assert "已核验 3 个文件，其中 2 个不符或缺失" in err
    report = evidence_verify_all()
    assert {p.sha256 for p in report.problems} == {bad.sha256, gone.sha256}

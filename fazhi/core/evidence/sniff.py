"""The evidence store: files kept by SHA-256, written once, checked on every read.

Blobs live in ``storages["evidence"]`` (local disk, or S3-compatible storage when
FAZHI_EVIDENCE_S3_BUCKET is set) under ``ab/cd/<sha256>``; an ``Evidence`` row says
who brought which file, of what kind, for which organisation and matter. What may
enter is decided from the content (magic bytes, ZIP and OLE directories), never
from the file name alone.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import re
import struct
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import models, transaction

from fazhi.core import audit
from fazhi.core.models import Evidence, EvidenceKind, OrgUnit
from fazhi.core.models.evidence import blob_name
from fazhi.core.scope import get_scoped_or_404

CHUNK = 1024 * 1024
# Small files stay in memory while they are hashed and sniffed; bigger ones spill
# to a temporary file, so a 500 MB video never sits in memory.
SPOOL_IN_MEMORY = 4 * 1024 * 1024


class EvidenceCorrupted(Exception):
    """A stored file no longer has the SHA-256 it was stored under."""

    def __init__(self, name: str, expected: str, actual: str | None):
        self.name, self.expected, self.actual = name, expected, actual
        super().__init__(
            f"证据文件“{name}”已损坏：应为 {expected}，实为 {actual}" if actual
            else f"证据文件“{name}”缺失：证据库中没有 {expected}"
        )


class EvidenceMissing(EvidenceCorrupted):
    """A stored file is gone from the evidence storage."""

    def __init__(self, name: str, expected: str):
        super().__init__(name, expected, None)


# --- type sniffing -----------------------------------------------------------------
# Pure: bytes and a file name in, a media type or a refusal out. No libmagic: the
# table below is all the store accepts, and anything it cannot name is refused.


class Refused(ValueError):
    """The file must not enter the evidence store; the message says why, in Chinese."""


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str
    exts: tuple[str, ...]
    # Types of one family may wear each other's extensions: a PNG saved as .jpg is
    # still a photo, and phones label MP4/MOV/M4A brands loosely.
    family: str = ""


_T = FileType
_OOXML = "application/vnd.openxmlformats-officedocument."
FILE_TYPES = {t.media_type: t for t in [
    _T("image/jpeg", "JPEG 图片", (".jpg", ".jpeg", ".jpe", ".jfif"), "image"),
    _T("image/png", "PNG 图片", (".png",), "image"),
    _T("image/gif", "GIF 图片", (".gif",), "image"),
    _T("image/webp", "WebP 图片", (".webp",), "image"),
    _T("image/heic", "HEIC 图片", (".heic",), "image"),
    _T("image/heif", "HEIF 图片", (".heif",), "image"),
    _T("image/tiff", "TIFF 图片", (".tif", ".tiff"), "image"),
    _T("application/pdf", "PDF 文档", (".pdf",)),
    _T("application/ofd", "OFD 版式文档", (".ofd",)),
    _T("video/mp4", "MP4 视频", (".mp4", ".m4v"), "isomedia"),
    _T("video/quicktime", "MOV 视频", (".mov", ".qt"), "isomedia"),
    _T("video/3gpp", "3GP 视频", (".3gp", ".3g2"), "isomedia"),
    _T("audio/mp4", "M4A 音频", (".m4a",), "isomedia"),
    _T("video/x-msvideo", "AVI 视频", (".avi",)),
    _T("audio/mpeg", "MP3 音频", (".mp3",)),
    _T("audio/wav", "WAV 音频", (".wav",)),
    _T("audio/amr", "AMR 音频", (".amr",), "amr"),
    _T("audio/amr-wb", "AMR-WB 音频", (".awb",), "amr"),
    _T(_OOXML + "wordprocessingml.document", "Word 文档（.docx）", (".docx",)),
    _T(_OOXML + "spreadsheetml.sheet", "Excel 表格（.xlsx）", (".xlsx",)),
    _T(_OOXML + "presentationml.presentation", "PowerPoint 演示文稿（.pptx）",
       (".pptx",)),
    _T("application/msword", "Word 文档（.doc）", (".doc", ".wps")),
    _T("application/vnd.ms-excel", "Excel 表格（.xls）", (".xls", ".et")),
    _T("application/vnd.ms-powerpoint", "PowerPoint 演示文稿（.ppt）",
       (".ppt", ".dps")),
    _T("application/zip", "ZIP 压缩包", (".zip",)),
    _T("text/plain", "文本", (".txt",), "text"),
    _T("text/csv", "CSV 表格", (".csv",), "text"),
]}
EXT_TYPES = {ext: t for t in FILE_TYPES.values() for ext in t.exts}
# Families whose extension says more than the content: MP4 brands are used loosely,
# and only the extension tells CSV from plain text.
_EXT_DECIDES = {"isomedia", "text"}
# Names that run or render when opened: refused whatever the content, so that a
# download cannot turn into a program (or a web page) on the recipient's machine.
ACTIVE_EXTS = frozenset({
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".msm", ".sys",
    ".drv", ".ocx", ".lnk", ".bat", ".cmd", ".ps1", ".psm1", ".vbs", ".vbe", ".js",
    ".jse", ".mjs", ".wsf", ".wsh", ".hta", ".jar", ".class", ".apk", ".app", ".dmg",
    ".pkg", ".deb", ".rpm", ".elf", ".so", ".dylib", ".sh", ".bash", ".zsh", ".py",
    ".pyc", ".pl", ".rb", ".php", ".html", ".htm", ".xhtml", ".shtml", ".svg", ".mht",
    ".mhtml", ".reg", ".docm", ".xlsm", ".pptm", ".dotm", ".xltm",
})
TEXT_EXTS = frozenset({"", ".txt", ".csv"})

_EXECUTABLES = [  # (leading bytes, what it is)
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xfe\xed\xfa\xce", "macOS 可执行程序"),
    (b"\xfe\xed\xfa\xcf", "macOS 可执行程序"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "Java 类文件或 macOS 通用程序"),
    (b"\x00asm", "WebAssembly 程序"),
    (b"dex\n", "Android 程序"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "Windows 快捷方式"),
]
_SCRIPT_OPENERS = [  # compared lower-cased, after a BOM and leading blanks
    (b"#!", "脚本"), (b"@echo off", "批处理脚本"), (b"<?php", "PHP 脚本"),
    (b"<script", "网页脚本"), (b"<html", "网页"), (b"<!doctype html", "网页"),
    (b"<svg", "SVG 图形（可含脚本）"),
]
_MAGIC = [  # (offset, bytes, media type or container to open)
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"#!AMR-WB\n", "audio/amr-wb"),  # before the "#!" of scripts
    (0, b"#!AMR\n", "audio/amr"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),  # an empty archive
    (8, b"WEBP", "riff"),
    (8, b"AVI ", "riff"),
    (8, b"WAVE", "riff"),
    (4, b"ftyp", "ftyp"),
]
_RIFF = {b"WEBP": "image/webp", b"AVI ": "video/x-msvideo", b"WAVE": "audio/wav"}
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"pnot"}  # QuickTime files older than ftyp
_HEAD = 4096


def sniff(fileobj: IO[bytes], name: str) -> str:
    """Return the media type of ``fileobj``'s content, or raise Refused.

    Refuses executables and scripts, types outside FILE_TYPES, and names whose
    extension claims a type the content is not.
    """
    fileobj.seek(0)
    head = fileobj.read(_HEAD)
    media_type = _content_type(fileobj, head, name)
    fileobj.seek(0)
    return _check_name(name, media_type)


def _content_type(fileobj: IO[bytes], head: bytes, name: str) -> str:
    if not head:
        raise Refused(f"“{name}”是空文件，请重新选择")
    if not head.startswith(b"#!AMR"):  # the one accepted format opening like a script
        _refuse_programs(head, name)
    media_type = _magic(head) or _weak_magic(head) or _text_type(fileobj)
    if media_type == "zip":
        return _zip_type(fileobj, name)
    if media_type == "ole":
        return _ole_type(fileobj, name)
    if media_type is None:
        raise Refused(
            f"“{name}”的文件类型无法识别，拒绝存入证据库；证据库只收图片、音像、"
            "PDF/OFD、Word/Excel/PowerPoint、ZIP 和文本文件"
        )
    return media_type


def _magic(head: bytes) -> str | None:
    for offset, magic, media_type in _MAGIC:
        if head[offset:offset + len(magic)] != magic:
            continue
        if media_type == "riff":
            if head[:4] == b"RIFF":
                return _RIFF[magic]
            continue
        if media_type == "ftyp":
            return _ftyp_type(head)
        return media_type
    return None


def _refuse_programs(head: bytes, name: str) -> None:
    for magic, what in _EXECUTABLES:
        if head.startswith(magic):
            raise Refused(f"“{name}”实为可执行程序（{what}），拒绝存入证据库")
    opening = head.removeprefix(codecs.BOM_UTF8).lstrip()[:32].lower()
    for magic, what in _SCRIPT_OPENERS:
        if opening.startswith(magic):
            raise Refused(f"“{name}”实为脚本程序（{what}），拒绝存入证据库")


def _weak_magic(head: bytes) -> str | None:
    """Recognise formats with short or movable signatures."""
    if head[4:8] in _QT_ATOMS:
        return "video/quicktime"
    if len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        version, layer = head[1] >> 3 & 3, head[1] >> 1 & 3
        if version != 1 and layer != 0:  # an MPEG audio frame (not AAC's layer 0)
            return "audio/mpeg"
    if b"%PDF-" in head[:1024]:  # PDF readers accept junk before the header
        return "application/pdf"
    return None


def _ftyp_type(head: bytes) -> str | None:
    box = int.from_bytes(head[:4], "big")
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(box, 64), 4)}
    if b"avif" in brands or b"avis" in brands:
        return None  # AVIF: not among the accepted types
    if brands & _HEIC_BRANDS:
        return "image/heic"
    if brands & {b"mif1", b"msf1"}:
        return "image/heif"
    major = head[8:12]
    if major == b"qt  ":
        return "video/quicktime"
    if major.startswith((b"3gp", b"3g2")):
        return "video/3gpp"
    if major in {b"M4A ", b"M4B "}:
        return "audio/mp4"
    return "video/mp4"


def _text_type(fileobj: IO[bytes]) -> str | None:
    """Return text/plain with its charset when the whole file is UTF-8 or GBK text."""
    for encoding, charset in (("utf-8-sig", "utf-8"), ("gb18030", "gb18030")):
        if _decodes_as_text(fileobj, encoding):
            return f"text/plain; charset={charset}"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def _decodes_as_text(fileobj: IO[bytes], encoding: str) -> bool:
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := fileobj.read(CHUNK):
            if _CONTROL.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _zip_type(fileobj: IO[bytes], name: str) -> str:
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise Refused(f"“{name}”是损坏的 ZIP 文件，拒绝存入证据库") from None
    _refuse_zipped_programs(names, name)
    parts = set(names)
    if "OFD.xml" in parts:
        return "application/ofd"
    if "[Content_Types].xml" in parts:
        for folder, kind in (("word/", "wordprocessingml.document"),
                             ("xl/", "spreadsheetml.sheet"),
                             ("ppt/", "presentationml.presentation")):
            if any(n.startswith(folder) for n in names):
                return _OOXML + kind
    return "application/zip"


def _refuse_zipped_programs(names: list[str], name: str) -> None:
    parts = set(names)
    if {"classes.dex", "AndroidManifest.xml"} & parts:
        raise Refused(f"“{name}”实为可执行程序（Android 安装包），拒绝存入证据库")
    if "META-INF/MANIFEST.MF" in parts and any(n.endswith(".class") for n in names):
        raise Refused(f"“{name}”实为可执行程序（Java 程序包），拒绝存入证据库")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused(f"“{name}”含宏代码（VBA 脚本），拒绝存入证据库；"
                      "请另存为不含宏的文档")
    for member in names:
        if os.path.splitext(member)[1].lower() in ACTIVE_EXTS:
            raise Refused(f"“{name}”内含可执行程序或脚本“{member}”，拒绝存入证据库")


# OLE compound files (.doc, .xls, .ppt, but also .msi installers): read the directory
# and decide from the stream names and the root's class id.
_MSI_CLSIDS = {uuid.UUID(u).bytes_le for u in (
    "000c1084-0000-0000-c000-000000000046",  # installer package (.msi)
    "000c1086-0000-0000-c000-000000000046",  # patch (.msp)
    "000c1082-0000-0000-c000-000000000046",  # transform (.mst)
)}
_OLE_STREAMS = [
    ({"WordDocument"}, "application/msword"),
    ({"Workbook", "Book"}, "application/vnd.ms-excel"),
    ({"PowerPoint Document"}, "application/vnd.ms-powerpoint"),
]


def _ole_type(fileobj: IO[bytes], name: str) -> str:
    try:
        entries = _ole_directory(fileobj)
    except (struct.error, IndexError, ValueError):
        raise Refused(f"“{name}”是损坏的 OLE 复合文档，拒绝存入证据库") from None
    if any(kind == 5 and clsid in _MSI_CLSIDS for _, kind, clsid in entries):
        raise Refused(f"“{name}”实为可执行程序（Windows 安装包），拒绝存入证据库")
    streams = {entry_name for entry_name, kind, _ in entries if kind == 2}
    for wanted, media_type in _OLE_STREAMS:
        if streams & wanted:
            return media_type
    raise Refused(f"“{name}”是无法识别的 OLE 复合文档（不是 Word/Excel/PowerPoint），"
                  "拒绝存入证据库")


def _ole_directory(f: IO[bytes]) -> list[tuple[str, int, bytes]]:
    """Return (name, entry type, class id) of every directory entry of a CFB file."""
    size, difat, current = _ole_header(f)
    per, entries, seen = size // 4, [], set()
    while current < 0xFFFFFFFA and current not in seen and len(seen) < 10000:
        seen.add(current)
        data = _ole_sector(f, size, current)
        for off in range(0, size, 128):
            length, kind = struct.unpack_from("<HB", data, off + 64)
            if kind and 2 <= length <= 64:
                entry_name = data[off:off + length - 2].decode("utf-16-le", "replace")
                entries.append((entry_name, kind, data[off + 80:off + 96]))
        fat = _ole_sector(f, size, difat[current // per])
        current = struct.unpack_from("<I", fat, current % per * 4)[0]
    return entries


def _ole_header(f: IO[bytes]) -> tuple[int, list[int], int]:
    """Return the sector size, the FAT sector list and the first directory sector."""
    f.seek(0)
    header = f.read(512)
    size = 1 << struct.unpack_from("<H", header, 0x1E)[0]
    if size not in (512, 4096):
        raise ValueError("sector size")
    difat = list(struct.unpack_from("<109I", header, 0x4C))
    nxt, count = struct.unpack_from("<II", header, 0x44)
    for _ in range(min(count, 10000)):  # big files list more FAT sectors in a chain
        data = struct.unpack(f"<{size // 4}I", _ole_sector(f, size, nxt))
        difat, nxt = difat + list(data[:-1]), data[-1]
    return size, difat, struct.unpack_from("<I", header, 0x30)[0]


def _ole_sector(f: IO[bytes], size: int, index: int) -> bytes:
    f.seek((index + 1) * size)
    data = f.read(size)
    if len(data) != size:
        raise ValueError("short sector")
    return data


def _check_name(name: str, media_type: str) -> str:
    """Refuse a name that claims another type; return the media type to record."""
    ext = os.path.splitext(name)[1].lower()
    if ext in ACTIVE_EXTS:
        raise Refused(f"“{name}”的扩展名 {ext} 属于可执行程序、脚本或网页，"
                      "拒绝存入证据库")
    base, _, params = media_type.partition(";")
    actual = FILE_TYPES[base]
    claimed = EXT_TYPES.get(ext)
    if claimed is None:
        if actual.family == "text" and ext not in TEXT_EXTS:
            raise Refused(f"“{name}”是文本文件，但扩展名 {ext} 不在允许之列"
                          "（文本只收 .txt、.csv）")
        return media_type  # no or unknown extension: the content alone decides
    if claimed is actual:
        return media_type
    if claimed.family and claimed.family == actual.family:
        chosen = claimed if actual.family in _EXT_DECIDES else actual
        return chosen.media_type + (f";{params}" if params else "")
    raise Refused(f"“{name}”的扩展名表明是{claimed.label}，内容实为{actual.label}，"
                  "拒绝存入证据库；请核对文件或改正扩展名")


# --- blobs -------------------------------------------------------------------------


def evidence_storage() -> Storage:
    return storages["evidence"]


def hash_stream(src: IO[bytes], out: IO[bytes] | None = None) -> tuple[str, int]:
    """Read ``src`` to its end (copying into ``out``); return (sha256 hex, bytes)."""
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest(), size


def blob_open(sha256: str) -> IO[bytes]:
    """Open a stored blob for reading; raise EvidenceMissing when it is not there."""
    storage, name = evidence_storage(), blob_name(sha256)
    try:
        return storage.open(name, "rb")
    except OSError:
        # S3 backends report a missing key in several ways; ask plainly.
        if storage.exists(name):
            raise
        raise EvidenceMissing(sha256, sha256) from None


def blob_hash(sha256: str) -> str | None:
    """Return the SHA-256 of the stored blob, or None when it is missing."""
    try:
        with blob_open(sha256) as src:
            return hash_stream(src)[0]
    except EvidenceMissing:
        return None


def blob_put(sha256: str, content: IO[bytes]) -> bool:
    """Write ``content`` as the blob ``sha256`` unless it exists; tell if it wrote.

    Written once: an existing blob is never overwritten, whatever it holds.
    """
    storage, name = evidence_storage(), blob_name(sha256)
    if storage.exists(name):
        return False
    content.seek(0)
    saved = storage.save(name, File(content, name=name))
    if saved != name:
        # Another upload of the same bytes won the race; the storage gave ours a
        # new name instead of overwriting. Keep the first, drop the duplicate.
        storage.delete(saved)
        return False
    return True


# --- storing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Spooled:
    file: IO[bytes]
    sha256: str
    size: int


def evidence_store(
    *, file: Any, actor, org_unit: OrgUnit, kind: str, description: str = "",
    matter: models.Model | None = None,
) -> Evidence:
    """Store one file as evidence of ``org_unit`` (and of ``matter`` when given)."""
    _check_may_store(actor, org_unit, matter)
    kind = _kind(kind)
    name = original_name(file)
    with _spool(file, name, settings.EVIDENCE_MAX_BYTES) as blob:
        try:
            media_type = sniff(blob.file, name)
        except Refused as exc:
            raise ValidationError({"file": str(exc)}) from None
        blob_put(blob.sha256, blob.file)
    # The blob is written before the transaction: if the transaction fails, the blob
    # stays without a row. That is harmless — it is named by its own hash and the next
    # upload of the same bytes reuses it — and far better than a row without a file.
    with transaction.atomic():
        evidence = Evidence.objects.create(
            org_unit=org_unit, sha256=blob.sha256, size=blob.size,
            media_type=media_type, kind=kind, original_name=name,
            description=description, uploaded_by=actor, **_matter_fields(matter),
        )
        audit.record(
            actor=actor, obj=evidence, action="evidence.store", evidence=[blob.sha256],
            summary=f"存入证据“{name}”（{kind.label}，{blob.size} 字节）",
            after=_audit_after(evidence),
        )
    return evidence


def original_name(file: Any) -> str:
    """Return the file's own name without folders (what the person uploaded)."""
    name = os.path.basename(str(getattr(file, "name", "") or "").replace("\\", "/"))
    return name[:255] or "未命名文件"


def _check_may_store(actor, org_unit: OrgUnit, matter: models.Model | None) -> None:
    own = getattr(actor, "org_unit", None)
    if not getattr(actor, "is_active", False) or own is None:
        raise PermissionDenied("只有在职且属于某一机关的工作人员才能存入证据")
    if not own.contains(org_unit):
        raise PermissionDenied("只能向本机关及下级机关存入证据")
    matter_org = getattr(matter, "org_unit", None)
    if matter_org is not None and not own.contains(matter_org):
        raise PermissionDenied("不能向其他机关的事项附加证据")


def _kind(kind: str) -> EvidenceKind:
    try:
        return EvidenceKind(kind)
    except ValueError:
        labels = "、".join(EvidenceKind.labels)
        raise ValidationError({"kind": f"证据类别应为：{labels}"}) from None


def _matter_fields(matter: models.Model | None) -> dict:
    if matter is None:
        return {}
    if matter.pk is None:
        raise ValidationError({"matter": "事项尚未保存，不能附加证据"})
    return {"content_type": ContentType.objects.get_for_model(matter),
            "object_id": str(matter.pk)}


def _audit_after(evidence: Evidence) -> dict:
    return {
        "sha256": evidence.sha256, "size": evidence.size,
        "media_type": evidence.media_type, "kind": evidence.kind,
        "original_name": evidence.original_name,
        "matter": (f"{evidence.content_type.app_label}.{evidence.content_type.model}"
                   f"#{evidence.object_id}" if evidence.content_type_id else None),
    }


@contextlib.contextmanager
def _spool(file: Any, name: str, limit: int) -> Iterator[Spooled]:
    """Copy ``file`` into a temporary file, hashing it and enforcing ``limit`` bytes."""
    if (getattr(file, "size", None) or 0) > limit:
        raise _too_big(name, limit)  # known in advance: refuse before reading
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as tmp:
        for chunk in _chunks(file):
            size += len(chunk)
            if size > limit:
                raise _too_big(name, limit)
            digest.update(chunk)
            tmp.write(chunk)
        if size == 0:
            raise ValidationError({"file": f"“{name}”是空文件，请重新选择"})
        tmp.seek(0)
        yield Spooled(tmp, digest.hexdigest(), size)


def _chunks(file: Any) -> Iterator[bytes]:
    if hasattr(file, "chunks"):  # a Django File: it rewinds itself
        yield from file.chunks(CHUNK)
        return
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    while chunk := file.read(CHUNK):
        yield chunk


def _too_big(name: str, limit: int) -> ValidationError:
    return ValidationError(
        {"file": f"“{name}”超过证据文件大小上限 {limit / 2**20:.4g} MB，"
                 "请压缩或分段后再上传"}
    )


# --- reading -----------------------------------------------------------------------


def evidence_open(evidence: Evidence) -> File:
    """Return the evidence's bytes, checked against its SHA-256 before any is given.

    The blob is copied into a temporary file while it is hashed, and that copy is
    returned. So the caller gets exactly the bytes that were checked (a blob changed
    between a check and a second read cannot slip through), the storage is read once
    (one GET on S3), and a download never starts sending bytes that then turn out to
    be corrupt — an HTTP response cannot be taken back once it has begun. The price
    is a temporary copy, at most EVIDENCE_MAX_BYTES on local disk.
    """
    # Not a with-block: the caller receives (and closes) this file.
    tmp = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        with blob_open(evidence.sha256) as src:
            actual, _ = hash_stream(src, tmp)
        if actual != evidence.sha256:
            raise EvidenceCorrupted(evidence.original_name, evidence.sha256, actual)
    except EvidenceMissing:
        tmp.close()
        raise EvidenceMissing(evidence.original_name, evidence.sha256) from None
    except BaseException:
        tmp.close()
        raise
    tmp.seek(0)
    return File(tmp, name=evidence.original_name)


def evidence_get(*, actor, pk) -> Evidence:
    """Return one evidence row of the caller's subtree, or raise Http404."""
    qs = Evidence.objects.select_related("org_unit", "uploaded_by")
    return get_scoped_or_404(qs, actor, pk=pk)


# --- verifying the whole store -----------------------------------------------------


@dataclass(frozen=True)
class BlobProblem:
    sha256: str
    names: tuple[str, ...]  # original names of the rows that use the blob
    actual: str | None  # the hash found, or None when the blob is missing

    def __str__(self) -> str:
        names = "、".join(f"“{n}”" for n in self.names)
        if self.actual is None:
            return f"缺失：{self.sha256} {names}"
        return f"不符：{self.sha256} {names}，实际哈希 {self.actual}"


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    problems: list[BlobProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def evidence_verify_all(
    *, progress: Callable[[int, int], None] | None = None, every: int = 100
) -> VerifyReport:
    """Rehash every distinct blob that an Evidence row names; report what fails."""
    shas = (Evidence.objects.order_by("sha256")
            .values_list("sha256", flat=True).distinct())
    total = shas.count() if progress else 0
    bad: dict[str, str | None] = {}
    checked = 0
    for sha in shas.iterator(chunk_size=2000):
        actual = blob_hash(sha)
        if actual != sha:
            bad[sha] = actual
        checked += 1
        if progress is not None and checked % every == 0:
            progress(checked, total)
    return VerifyReport(checked, [_problem(sha, actual) for sha, actual in bad.items()])


def _problem(sha256: str, actual: str | None) -> BlobProblem:
    names = (Evidence.objects.filter(sha256=sha256).order_by("pk")
             .values_list("original_name", flat=True).distinct())
    return BlobProblem(sha256, tuple(dict.fromkeys(names)), actual)

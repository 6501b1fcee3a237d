"""Type sniffing: what a file is, by its bytes, and whether its name agrees.

Pure: bytes and a file name in, a media type or a refusal out. The media types are
those of ``filetypes.FILE_TYPES``; executables and scripts are refused, whether they
come bare, zipped, or as an installer in an OLE compound file.
"""

from __future__ import annotations

import codecs
import os
import re
import struct
import uuid
import zipfile
from typing import IO

from fazhi.core.evidence.filetypes import (
    ACTIVE_EXTS,
    EXT_DECIDES,
    EXT_TYPES,
    FILE_TYPES,
    OOXML,
    TEXT_EXTS,
)
from fazhi.core.evidence.streams import CHUNK


class Refused(ValueError):
    """The file must not enter the evidence store; the message says why, in Chinese."""


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
                return OOXML + kind
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
        chosen = claimed if actual.family in EXT_DECIDES else actual
        return chosen.media_type + (f";{params}" if params else "")
    raise Refused(f"“{name}”的扩展名表明是{claimed.label}，内容实为{actual.label}，"
                  "拒绝存入证据库；请核对文件或改正扩展名")

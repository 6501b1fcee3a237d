"""What the evidence store accepts: its file types, and the names it never accepts.

No Django, no libmagic: FILE_TYPES is all the store accepts, and anything the sniffer
cannot name as one of them is refused.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str
    exts: tuple[str, ...]
    # Types of one family may wear each other's extensions: a PNG saved as .jpg is
    # still a photo, and phones label MP4/MOV/M4A brands loosely.
    family: str = ""


_T = FileType
OOXML = "application/vnd.openxmlformats-officedocument."
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
    _T(OOXML + "wordprocessingml.document", "Word 文档（.docx）", (".docx",)),
    _T(OOXML + "spreadsheetml.sheet", "Excel 表格（.xlsx）", (".xlsx",)),
    _T(OOXML + "presentationml.presentation", "PowerPoint 演示文稿（.pptx）",
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
EXT_DECIDES = {"isomedia", "text"}
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

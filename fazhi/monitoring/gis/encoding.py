"""Text encoding of shapefile attributes: honour the ``.cpg``, else detect, else ask.

GDAL decodes a ``.dbf`` without a ``.cpg`` as Latin-1 and says nothing, which turns
GBK Chinese into 'Ë®Ìï'. Here shapefiles are always read as Latin-1 (a lossless view of
the bytes) and decoded strictly in the chosen codec; garbled text is never returned.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fazhi.monitoring.gis.archive import siblings
from fazhi.monitoring.gis.errors import GisError

RAW = "latin1"  # pyogrio reads shapefile text with this, then we recover the bytes
UTF8, GB = "utf-8", "gb18030"  # GB18030 decodes every GBK and GB2312 byte string
CPG_ALIASES = {
    "UTF-8": UTF8,
    "UTF8": UTF8,
    "65001": UTF8,
    "GBK": GB,
    "CP936": GB,
    "936": GB,
    "ANSI 936": GB,
    "GB2312": GB,
    "GB18030": GB,
    "54936": GB,
    "CP54936": GB,
}


def normalise(
    name: str, *, path: str | Path | None = None, source: str = "指定"
) -> str:
    """Return the Python codec for an encoding name a user or a ``.cpg`` gave."""
    key = name.strip().upper()
    if key in CPG_ALIASES:
        return CPG_ALIASES[key]
    if key.isdigit():
        key = f"CP{key}"
    elif key.startswith("ANSI "):
        key = f"CP{key[5:]}"
    try:
        return codecs.lookup(key).name
    except LookupError:
        raise GisError(
            f"{source}的编码“{name.strip()}”无法识别，请使用 GBK 或 UTF-8", path=path
        ) from None


def read_cpg(shp: Path) -> str | None:
    """Return the codec named by the shapefile's ``.cpg``, None when there is none."""
    cpg = next((p for p in siblings(shp) if p.suffix.lower() == ".cpg"), None)
    if cpg is None:
        return None
    text = cpg.read_bytes().decode("ascii", errors="replace")
    if not text.strip():
        return None
    return normalise(text, path=cpg, source=f"{cpg.name} 声明")


def display_name(codec: str) -> str:
    """Return the name users know for a codec (GBK rather than gb18030)."""
    return {GB: "GBK", UTF8: "UTF-8", "ascii": "UTF-8"}.get(codec, codec.upper())


@dataclass
class Detector:
    """Decide between UTF-8 and GB18030 over all text values, chunk after chunk."""

    utf8_ok: bool = True
    gb_ok: bool = True
    differ: bool = False
    samples: list[bytes] = field(default_factory=list)

    def feed(self, columns: Iterable[np.ndarray]) -> None:
        """Look at one chunk of Latin-1-decoded text columns."""
        for column in columns:
            raw = b"\n".join(v.encode(RAW) for v in column if isinstance(v, str))
            if not raw.isascii():
                self._feed_raw(raw)

    def _feed_raw(self, raw: bytes) -> None:
        # "\n" is no continuation byte in either codec, so the joined bytes decode iff
        # every value does, and one decode per column replaces one per value.
        as_utf8 = _try(raw, UTF8) if self.utf8_ok else None
        as_gb = _try(raw, GB) if self.gb_ok else None
        self.utf8_ok &= as_utf8 is not None
        self.gb_ok &= as_gb is not None
        if as_utf8 is not None and as_gb is not None and as_utf8 != as_gb:
            self.differ = True
        if len(self.samples) < 3:
            self.samples.append(next(v for v in raw.split(b"\n") if not v.isascii()))

    def result(self, path: Path) -> str:
        """Return the codec, or refuse when the bytes fit neither or both."""
        if not self.samples:
            return UTF8  # only ASCII: every codec agrees
        if self.utf8_ok and self.gb_ok and self.differ:
            raise GisError(self._ambiguous(), path=path)
        if self.utf8_ok:
            return UTF8
        if self.gb_ok:
            return GB
        raise GisError(
            "属性文字既不是 GBK 也不是 UTF-8 编码，无法确定；请补上 .cpg 文件或在导入时指定编码",
            path=path,
        )

    def _ambiguous(self) -> str:
        """Show a sample in both readings so the user can say which is right."""
        sample = self.samples[0]
        return (
            f"缺少 .cpg，属性文字按 GBK 读作“{sample.decode(GB)}”，按 UTF-8 读作"
            f"“{sample.decode(UTF8)}”，无法自动判断；请在导入时指定编码（GBK 或 UTF-8），"
            "或补上写有编码的 .cpg 文件"
        )


def _try(raw: bytes, codec: str) -> str | None:
    """Decode strictly, None when the bytes are not valid in ``codec``."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_column(
    column: np.ndarray, codec: str, *, path: Path, name: str
) -> np.ndarray:
    """Return a Latin-1-read text column decoded strictly in ``codec``."""
    out = np.empty(len(column), dtype=object)
    try:
        out[:] = [
            v.encode(RAW).decode(codec) if isinstance(v, str) else v for v in column
        ]
    except UnicodeDecodeError:
        raise GisError(
            f"字段 {name} 的文字不是 {display_name(codec)} 编码，请确认编码（GBK 或 UTF-8）后重试",
            path=path,
        ) from None
    return out

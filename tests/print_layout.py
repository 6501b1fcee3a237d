"""Convert a .docx with LibreOffice and read back where its lines fall on the page.

Used by the ``layout`` tests and by bench/instrument_layout.py. ``pdftotext
-bbox-layout`` (poppler-utils) gives every line with its box in points; a line is
full when it runs from the left to the right edge of the 156 mm type area.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
MISSING = ("LibreOffice 或 pdftotext 未安装（apt install libreoffice-writer-nogui "
           "poppler-utils fonts-arphic-uming）")

PT_PER_MM = 72 / 25.4
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                   r'yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)


@dataclass(frozen=True)
class Line:
    text: str  # without spaces
    left_mm: float
    top_mm: float
    right_mm: float
    bottom_mm: float

    @property
    def width(self) -> float:
        """Width in characters: CJK and full-width punctuation 1, ASCII half."""
        return sum(0.5 if ord(c) < 0x2E80 else 1 for c in self.text)


@dataclass(frozen=True)
class Page:
    width_mm: float
    height_mm: float
    lines: tuple[Line, ...]


def convert(docx: bytes, folder: Path, name: str = "doc") -> Path:
    """Write the .docx into ``folder`` and return the PDF LibreOffice makes of it."""
    return convert_all({name: docx}, folder)[name]


def convert_all(docs: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Convert several .docx in one LibreOffice run (it starts once, not per file)."""
    sources = []
    for name, data in docs.items():
        sources.append(folder / f"{name}.docx")
        sources[-1].write_bytes(data)
    # A profile of its own: two conversions at once must not share one.
    profile = (folder / "lo-profile").resolve().as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *map(str, sources)],
                   check=True, timeout=60 + 30 * len(sources), capture_output=True)
    return {name: folder / f"{name}.pdf" for name in docs}


def pages(pdf: Path) -> list[Page]:
    """Return each page's size and lines (mm from the top left corner)."""
    xml = subprocess.run([PDFTOTEXT, "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    out = []
    for w, h, body in _PAGE.findall(xml):
        lines = []
        for x0, y0, x1, y1, words in _LINE.findall(body):
            text = "".join(unescape(t) for t in _WORD.findall(words)).replace(" ", "")
            lines.append(Line(text, *(float(v) / PT_PER_MM for v in (x0, y0, x1, y1))))
        out.append(Page(float(w) / PT_PER_MM, float(h) / PT_PER_MM, tuple(lines)))
    return out


def full_lines(doc_pages: list[Page], left_mm: float = 28, right_mm: float = 26,
               slack_mm: float = 1.5) -> list[Line]:
    """Lines that fill the type area from margin to margin (justified body lines)."""
    return [ln for p in doc_pages for ln in p.lines
            if abs(ln.left_mm - left_mm) <= slack_mm
            and abs(p.width_mm - right_mm - ln.right_mm) <= slack_mm]


def slots(line: Line, left_mm: float = 28, advance_pt: float = 15.75) -> float:
    """Character places a line takes from the left margin: its indent and its text."""
    return round((line.left_mm - left_mm) * PT_PER_MM / advance_pt, 1) + line.width


def lines_to_the_right_margin(doc_pages: list[Page], right_mm: float = 26,
                              slack_mm: float = 1.5) -> list[Line]:
    """Lines that end at the right margin: every full line, indented or not."""
    return [ln for p in doc_pages for ln in p.lines
            if abs(p.width_mm - right_mm - ln.right_mm) <= slack_mm]

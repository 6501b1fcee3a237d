"""Spreadsheet download shared by every list page (.xlsx, built in ``core.sheets``).

Every export is built by ``sheets.xlsx_bytes``, which writes text that looks like a
formula as text; do not build a workbook anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse

from fazhi.core.sheets import xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = ["XLSX", "attachment", "ledger_response", "xlsx_bytes", "xlsx_response"]


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Mark ``response`` as a download named ``filename`` (Chinese allowed)."""
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(filename: str, title: str, headers, rows) -> HttpResponse:
    """Return the workbook as a download named ``filename`` (Chinese allowed)."""
    return attachment(HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX),
                      filename)


def ledger_response(filename: str, title: str, headers, qs: QuerySet,
                    row: Callable[[object], Iterable], *,
                    chunk_size: int = 2000) -> HttpResponse:
    """Return a register (台账) as a workbook, one ``row(record)`` per record of ``qs``,
    read ``chunk_size`` at a time: a county's ledger of years is tens of thousands."""
    return xlsx_response(filename, title, headers,
                         (row(r) for r in qs.iterator(chunk_size=chunk_size)))

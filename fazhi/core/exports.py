"""Spreadsheet download shared by every list page (.xlsx, built in ``core.sheets``).

Every export is built by ``sheets.xlsx_bytes``, which writes text that looks like a
formula as text; do not build a workbook anywhere else.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from fazhi.core.sheets import xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = ["XLSX", "xlsx_bytes", "xlsx_response"]


def xlsx_response(filename: str, title: str, headers, rows) -> HttpResponse:
    """Return the workbook as a download named ``filename`` (Chinese allowed)."""
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(filename)}")
    return response

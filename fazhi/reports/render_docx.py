"""Write a ``ReportDocument`` as a .docx in the GB/T 9704-2012 layout (pure: no Django).

The page — A4, the margins, 22 lines of 28 characters, the page numbers — is
fazhi.core.gbt9704's, shared with every instrument. Here: title 2号 方正小标宋简体,
body 3号 仿宋_GB2312, "一、" headings 黑体, "（一）" headings 楷体_GB2312. Each figure is an
inline content control tagged ``metric:<id>`` (its value) or ``change:<id>`` (its
year-on-year change), so the file itself says which metric every number shows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from fazhi.core.gbt9704 import (
    BODY_PT,
    FANGSONG,
    HEITI,
    KAITI,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_W,
    TITLE_PT,
    XIAOBIAOSONG,
    Upward,
    default_font,
    imprint,
    masthead,
    number_and_issuer,
    page_setup,
)
from fazhi.core.gbt9704 import font as _font
from fazhi.core.gbt9704 import indent_chars as _indent_chars
from fazhi.core.gbt9704 import no_grid as _no_grid
from fazhi.core.gbt9704 import width as _width
from fazhi.reports.annual import FigureRun, Para, ReportDocument, Table

TABLE_PT = 10.5

# style → (font, size pt, alignment, first-line indent in characters)
STYLES = {
    "doc_number": (FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "title": (XIAOBIAOSONG, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "addressee": (FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 0),
    "heading1": (HEITI, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "heading2": (KAITI, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "body": (FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "attachment_note": (FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "signature": (FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "date": (FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "attachment_label": (HEITI, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "attachment_title": (XIAOBIAOSONG, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
}
BLANK_BEFORE = {"title", "addressee", "attachment_note", "signature",
                "attachment_title"}


def render(doc: ReportDocument, *, author: str = "",
           upward: Upward | None = None) -> bytes:
    """Return the .docx bytes of the report and its attachments.

    ``upward``: the report goes to the level above, so it carries the red masthead
    and line, the doc number with 签发人 and, at its end, the 版记 (GB/T 9704)."""
    d = Document()
    page_setup(d)
    default_font(d)
    body = [p for p in doc.paragraphs if not p.style.startswith("attachment_")
            or p.style == "attachment_note"]
    for p in body:
        if upward is not None and p.style == "doc_number":
            masthead(d, upward)
            number_and_issuer(d, p.text, upward)
            continue
        if p.text or p.style in ("body",):
            _paragraph(d, p, signature=_text_of(doc, "signature"),
                       date=_text_of(doc, "date"))
    attachment = [p for p in doc.paragraphs
                  if p.style in ("attachment_label", "attachment_title")]
    if doc.tables and attachment:
        _attachment(d, attachment, doc.tables)
    if upward is not None:
        imprint(d, upward)  # at the foot of the last page, however short the body
    d.core_properties.title = doc.title
    d.core_properties.author = author
    d.core_properties.language = "zh-CN"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _text_of(doc: ReportDocument, pid: str) -> str:
    return next((p.text for p in doc.paragraphs if p.id == pid), "")


# --- body ---------------------------------------------------------------------------


def _hanging(p, *, left: float, hanging: float) -> None:
    """Wrapped lines align with the text after the label (附件说明, §7.3.4)."""
    _indent_chars(p, left=left)
    ind = p._p.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:hangingChars"), str(round(hanging * 100)))
    ind.set(qn("w:hanging"), str(round(hanging * BODY_PT * 20)))


def _blank(d) -> None:
    d.add_paragraph()


def _paragraph(d, para: Para, *, signature: str, date: str) -> None:
    font, size, align, indent = STYLES[para.style]
    if para.style in BLANK_BEFORE:
        _blank(d)
    p = d.add_paragraph()
    p.alignment = align
    if para.style == "attachment_note":
        _hanging(p, left=2 + _width("附件："), hanging=_width("附件："))
    elif indent:
        _indent_chars(p, first=indent)
    if para.style in ("signature", "date"):
        sig, day = _signature_indents(signature, date)
        _indent_chars(p, right=sig if para.style == "signature" else day)
    if para.style in ("title", "attachment_title"):
        _title(p, para, font, size)
        return
    for run in para.runs:
        if isinstance(run, FigureRun):
            _figure(p, run, font, size)
        else:
            _font(p.add_run(run.text), font, size)


def _title(p, para: Para, font: str, size: float) -> None:
    """Break a long title between its parts (organisation, subject), never in a word."""
    room = (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 12700 / size
    line = 0.0
    for run in para.runs:
        width = _width(run.text)
        if line and line + width > room:
            p.runs[-1].add_break()
            line = 0.0
        _font(p.add_run(run.text), font, size)
        line += width


def _signature_indents(signature: str, date: str) -> tuple[float, float]:
    """Right indents (characters) of the signature and the date (sealed layout).

    The date stands four characters from the right and the signature centred over
    it; a signature longer than the date stands two from the right, the date
    centred under it.
    """
    ws, wd = _width(signature), _width(date)
    if ws <= wd or not date:
        return 4 + (wd - ws) / 2 if date else 2, 4
    return 2, 2 + (ws - wd) / 2


def _figure(p, run: FigureRun, font: str, size: float) -> None:
    """Put the number in an inline content control tagged with its metric."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    tag = OxmlElement("w:tag")
    tag.set(qn("w:val"), f"{'change' if run.role == 'change' else 'metric'}:"
                         f"{run.metric_id}")
    pr.append(tag)
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    r = p.add_run(run.text)
    _font(r, font, size)
    content.append(r._r)  # moves the run from the paragraph into the control
    p._p.append(sdt)


# --- attachment ---------------------------------------------------------------------


def _attachment(d, paras: list[Para], tables: Iterable[Table]) -> None:
    label, title = paras[0], paras[1]
    p = d.add_paragraph()
    p.paragraph_format.page_break_before = True
    _font(p.add_run(label.text), HEITI, BODY_PT)
    _blank(d)
    _paragraph(d, title, signature="", date="")
    for table in tables:
        _table(d, table)


def _cell_text(cell, text: str, *, bold: bool = False, align=None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    _no_grid(p)
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    _font(run, FANGSONG, TABLE_PT)
    run.bold = bold


def _table(d, table: Table) -> None:
    caption = d.add_paragraph()
    _font(caption.add_run(table.title), HEITI, BODY_PT)
    n = len(table.columns)
    grid = d.add_table(rows=2, cols=n + 1)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_header(grid, table)
    for row in table.rows:
        cells = grid.add_row().cells
        _cell_text(cells[0], "　" * row.level + row.label)
        if row.cells is None:
            cells[1].merge(cells[n])
            continue
        for i, cell in enumerate(row.cells, start=1):
            _cell_text(cells[i], str(cell.value), align=WD_ALIGN_PARAGRAPH.CENTER)
    _widths(grid, n)
    if table.note or table.unit:
        note = d.add_paragraph()
        _font(note.add_run("　".join(x for x in (
            table.note, f"单位：{table.unit}" if table.unit else "") if x)),
            FANGSONG, TABLE_PT)


def _table_header(grid, table: Table) -> None:
    top, below = grid.rows[0].cells, grid.rows[1].cells
    top[0].merge(below[0])
    _cell_text(top[0], "项目", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    i = 0
    while i < len(table.columns):
        group, label = table.columns[i]
        if not group:
            top[i + 1].merge(below[i + 1])
            _cell_text(top[i + 1], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            i += 1
            continue
        j = i
        while j + 1 < len(table.columns) and table.columns[j + 1][0] == group:
            j += 1
        merged = top[i + 1].merge(top[j + 1]) if j > i else top[i + 1]
        _cell_text(merged, group, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for k in range(i, j + 1):
            _cell_text(below[k + 1], table.columns[k][1], bold=True,
                       align=WD_ALIGN_PARAGRAPH.CENTER)
        i = j + 1


def _widths(grid, n: int) -> None:
    """Label column 52 mm, the rest shared; every cell's width is its span's."""
    grid.autofit = False
    first = Mm(52)
    widths = [first] + [int((Mm(156) - first) / n)] * n
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for tr in grid._tbl.tr_lst:
        i = 0
        for tc in tr.tc_lst:
            tc.width = sum(widths[i:i + tc.grid_span])
            i += tc.grid_span

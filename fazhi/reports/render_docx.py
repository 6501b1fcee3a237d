"""Write a ``ReportDocument`` as a .docx in the GB/T 9704-2012 layout (pure: no Django).

A4; margins top 37 mm, bottom 35, left (binding) 28, right 26, so the type area is
156 × 225 mm; 22 lines (a line grid of 28.95 pt, exact line spacing) of 28
characters (3号 condensed by 0.25 pt: see ``_condense``); title 2号
方正小标宋简体, body 3号 仿宋_GB2312, "一、" headings 黑体, "（一）" headings
楷体_GB2312; page numbers "— 1 —" in 4号 宋体, odd pages right and even pages left,
one character in (§7.5), through different odd and even footers.

Chinese font names go into ``w:eastAsia`` (Word picks the East Asian font from it for
CJK text; ``w:ascii`` alone would leave Chinese in the theme font). Each figure is an
inline content control tagged ``metric:<id>`` (its value) or ``change:<id>`` (its
year-on-year change), so the file itself says which metric every number shows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.reports.annual import FigureRun, Para, ReportDocument, Table

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# The dashes of the page number stand 7 mm below the type area (§7.5): the footer's
# single 4号 line (about 6 mm) ends about 22 mm above the page's bottom edge.
FOOTER_DISTANCE = Mm(22)
LINES, CHARS = 22, 28
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fill the 225 mm type area
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 10.5
CONDENSE_TWIPS = -5  # 1/20 pt

FANGSONG, XIAOBIAOSONG = "仿宋_GB2312", "方正小标宋简体"
HEITI, KAITI, SONGTI = "黑体", "楷体_GB2312", "宋体"

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


def char_advance_pt() -> float:
    """A 3号 character's advance: 16 pt less the condensing, 15.75 pt."""
    return BODY_PT + CONDENSE_TWIPS / 20


def chars_per_line() -> int:
    """How many whole characters the 156 mm type area holds (28)."""
    width_pt = (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 12700
    return int(width_pt // char_advance_pt())


def render(doc: ReportDocument, *, author: str = "") -> bytes:
    """Return the .docx bytes of the report and its attachments."""
    d = Document()
    _page_setup(d)
    _default_font(d)
    body = [p for p in doc.paragraphs if not p.style.startswith("attachment_")
            or p.style == "attachment_note"]
    for p in body:
        if p.text or p.style in ("body",):
            _paragraph(d, p, signature=_text_of(doc, "signature"),
                       date=_text_of(doc, "date"))
    attachment = [p for p in doc.paragraphs
                  if p.style in ("attachment_label", "attachment_title")]
    if doc.tables and attachment:
        _attachment(d, attachment, doc.tables)
    d.core_properties.title = doc.title
    d.core_properties.author = author
    d.core_properties.language = "zh-CN"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _text_of(doc: ReportDocument, pid: str) -> str:
    return next((p.text for p in doc.paragraphs if p.id == pid), "")


# --- page ---------------------------------------------------------------------------


def _page_setup(d) -> None:
    s = d.sections[0]
    s.page_width, s.page_height = PAGE_W, PAGE_H
    s.top_margin, s.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    s.left_margin, s.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    s.footer_distance, s.header_distance = FOOTER_DISTANCE, Mm(15)
    s.start_type = WD_SECTION.NEW_PAGE
    sect = s._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect.append(grid)
    d.settings.odd_and_even_pages_header_footer = True
    _page_number(s.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(s.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(p, align) -> None:
    """Write "— N —" with N a PAGE field, one character (4号) in from the side."""
    p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing, fmt.first_line_indent = 1.0, Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    _no_grid(p)
    _font(p.add_run("— "), SONGTI, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None),
                       (None, "1"), ("end", None)):
        run = p.add_run()
        _font(run, SONGTI, PAGE_NUMBER_PT)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _font(p.add_run(" —"), SONGTI, PAGE_NUMBER_PT)


def _default_font(d) -> None:
    """Make 3号 仿宋_GB2312 on the line grid the default (Normal and docDefaults)."""
    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr(), FANGSONG)
    _condense(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    # Every page carries its 22 lines: no line moves on to avoid a widow.
    fmt.widow_control = False
    _exact_lines(normal.element.get_or_add_pPr())
    defaults = d.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, FANGSONG)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    # LibreOffice sizes the character grid's cells from the document default.
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH_TWIPS))
    spacing.set(qn("w:lineRule"), "exact")
    for name in ("Footer", "Header"):
        _fonts(d.styles[name].element.get_or_add_rPr(), SONGTI)


def _fonts(rpr, family: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _condense(rpr) -> None:
    """Narrow each character by 0.25 pt, so that 28 fit the 156 mm line (442 pt).

    Twenty-eight 16 pt characters need 448 pt; a character grid of 28 (15.79 pt
    cells) squeezes them in Word and WPS, but LibreOffice gives each 3号 character
    two such cells and halves the line. Condensed characters on a line grid give 28
    a line everywhere.
    """
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.append(spacing)
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS))


def _font(run, family: str, size: float) -> None:
    run.font.size = Pt(size)
    run.font.name = family
    _fonts(run._r.get_or_add_rPr(), family)


def _exact_lines(ppr) -> None:
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        ppr.append(spacing)
    spacing.set(qn("w:line"), str(LINE_PITCH_TWIPS))
    spacing.set(qn("w:lineRule"), "exact")


def _no_grid(p) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(snap)


# --- body ---------------------------------------------------------------------------


def _indent_chars(p, *, first: float = 0, right: float = 0, left: float = 0) -> None:
    """Indent in characters (w:*Chars, hundredths) with the twips Word falls back on."""
    ppr = p._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for name, chars in (("firstLine", first), ("right", right), ("left", left)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * BODY_PT * 20)))


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


def _width(text: str) -> float:
    """Width in characters: CJK and full-width punctuation 1, ASCII half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


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

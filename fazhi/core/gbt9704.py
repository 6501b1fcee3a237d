"""The GB/T 9704-2012 page, set the way LibreOffice, WPS and Word all keep it (pure).

One home for the layout every document fazhi prints shares — the annual report
(fazhi.reports.render_docx) and every instrument template
(scripts/make_instrument_templates.py):

A4; margins top 37 mm, bottom 35, left (binding) 28, right 26, so the type area is
156 × 225 mm; 22 lines on a line grid of 28.95 pt with exact line spacing; 28
characters a line of 3号 仿宋 condensed by 0.25 pt (see ``condense``); page numbers
"— 1 —" in 4号 宋体, odd pages right and even pages left, one character in (§7.5),
through different odd and even footers.

Chinese font names go into ``w:eastAsia`` (Word picks the East Asian font from it for
CJK text; ``w:ascii`` alone would leave Chinese in the theme font).
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# The dashes of the page number stand 7 mm below the type area (§7.5): the footer's
# single 4号 line (about 6 mm) ends about 22 mm above the page's bottom edge.
FOOTER_DISTANCE = Mm(22)
LINES, CHARS = 22, 28
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fill the 225 mm type area
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 3号, 2号, 4号
CONDENSE_TWIPS = -5  # 1/20 pt

FANGSONG, XIAOBIAOSONG = "仿宋_GB2312", "方正小标宋简体"
HEITI, KAITI, SONGTI = "黑体", "楷体_GB2312", "宋体"
RED = "FF0000"  # the masthead and the line under it (§7.2.7, §7.2.8)


def char_advance_pt() -> float:
    """A 3号 character's advance: 16 pt less the condensing, 15.75 pt."""
    return BODY_PT + CONDENSE_TWIPS / 20


def chars_per_line() -> int:
    """How many whole characters the 156 mm type area holds (28)."""
    return int(type_width_pt() // char_advance_pt())


def type_width_pt() -> float:
    """The type area's width in points (156 mm)."""
    return (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 12700


def width(text: str) -> float:
    """Width in characters: CJK and full-width punctuation 1, ASCII half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


# --- the page -------------------------------------------------------------------------


def page_setup(d) -> None:
    """Set A4, the margins, the line grid and the "— N —" footers of ``d``."""
    s = d.sections[0]
    s.page_width, s.page_height = PAGE_W, PAGE_H
    s.top_margin, s.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    s.left_margin, s.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    s.footer_distance, s.header_distance = FOOTER_DISTANCE, Mm(15)
    s.start_type = WD_SECTION.NEW_PAGE
    sect = s._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    # A line grid only: a character grid ("linesAndChars") makes LibreOffice give
    # each 3号 character two cells and set 14 a line (see ``condense``).
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect.append(grid)
    d.settings.odd_and_even_pages_header_footer = True
    page_number(s.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    page_number(s.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def page_number(p, align) -> None:
    """Write "— N —" with N a PAGE field, one character (4号) in from the side."""
    p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing, fmt.first_line_indent = 1.0, Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    no_grid(p)
    font(p.add_run("— "), SONGTI, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None),
                       (None, "1"), ("end", None)):
        run = p.add_run()
        font(run, SONGTI, PAGE_NUMBER_PT)
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
    font(p.add_run(" —"), SONGTI, PAGE_NUMBER_PT)


def default_font(d) -> None:
    """Make 3号 仿宋_GB2312 on the line grid the default (Normal and docDefaults)."""
    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    fonts(normal.element.get_or_add_rPr(), FANGSONG)
    condense(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    # Every page carries its 22 lines: no line moves on to avoid a widow.
    fmt.widow_control = False
    exact_lines(normal.element.get_or_add_pPr())
    defaults = d.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts(rpr, FANGSONG)
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
        fonts(d.styles[name].element.get_or_add_rPr(), SONGTI)


def fonts(rpr, family: str, latin: str | None = None) -> None:
    """Name the fonts of a w:rPr explicitly (no theme fonts), East Asian included."""
    element = rpr.find(qn("w:rFonts"))
    if element is None:
        element = OxmlElement("w:rFonts")
        rpr.insert(0, element)
    for attr in list(element.attrib):
        del element.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        element.set(qn(slot), latin or family)
    element.set(qn("w:eastAsia"), family)


def condense(rpr) -> None:
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


def font(run, family: str, size: float) -> None:
    """Set a run's font and size (East Asian too)."""
    run.font.size = Pt(size)
    run.font.name = family
    fonts(run._r.get_or_add_rPr(), family)


def exact_lines(ppr, twips: int = LINE_PITCH_TWIPS) -> None:
    """Give a paragraph (or style) exact line spacing, by default the grid's pitch."""
    spacing = ppr.get_or_add_spacing()
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")


def no_grid(p) -> None:
    """Take a paragraph off the line grid (footers, table cells)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _put(p._p.get_or_add_pPr(), snap)


# w:pPr's children in the order the schema (ECMA-376 CT_PPrBase) requires.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _put(ppr, element) -> None:
    """Insert ``element`` where the schema orders it (Word refuses other orders)."""
    seq = _PPR_ORDER
    tag = next(t for t in seq if qn(t) == element.tag)
    for old in ppr.findall(element.tag):
        ppr.remove(old)
    ppr.insert_element_before(element, *seq[seq.index(tag) + 1:])


def indent_chars(p, *, first: float = 0, right: float = 0, left: float = 0) -> None:
    """Indent in characters (w:*Chars, hundredths) with the twips Word falls back on.

    ``p`` is a paragraph or a paragraph style."""
    ppr = p._p.get_or_add_pPr() if hasattr(p, "_p") else p.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    for name, chars in (("firstLine", first), ("right", right), ("left", left)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * BODY_PT * 20)))


def red_rule(p, *, eighths: int = 12) -> None:
    """Draw the red separator line (版头中的分隔线, §7.2.8) under paragraph ``p``.

    ``eighths`` is the line's width in eighths of a point (``w:sz``): 12 is 1.5 pt.
    """
    _border(p, "w:bottom", RED, eighths, space=11)  # 4 mm under the number


def rules_around(p, *, top: int = 0, bottom: int = 0) -> None:
    """Draw black lines above and below paragraph ``p`` (the 版记's, §7.4.1), in
    eighths of a point (0: none)."""
    if top:
        _border(p, "w:top", "000000", top)
    if bottom:
        _border(p, "w:bottom", "000000", bottom)


def _border(p, side: str, color: str, eighths: int, space: int = 1) -> None:
    ppr = p._p.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is None:
        border = OxmlElement("w:pBdr")
        _put(ppr, border)
    line = OxmlElement(side)
    for key, value in (("w:val", "single"), ("w:sz", str(eighths)),
                       ("w:space", str(space)), ("w:color", color)):
        line.set(qn(key), value)
    # top, left, bottom, right: the schema's order
    if side == "w:top":
        border.insert(0, line)
    else:
        border.append(line)


# --- upward documents (上行文): masthead, 签发人, 版记 ----------------------------------

MASTHEAD_PT = 36  # 小初: ten characters fill two thirds of the line
MASTHEAD_LINE_TWIPS = 1000  # 50 pt
IMPRINT_PT = 14  # 4号
THICK, THIN = 8, 6  # the 版记's lines, eighths of a point: about 0.35 and 0.25 mm


@dataclass(frozen=True)
class Upward:
    """What a document reported to the level above carries beside its body.

    ``masthead`` is the 发文机关标志 (e.g. 湘潭县自然资源局文件, red, §7.2.4);
    ``issuer`` the 签发人 the bureau fills (§7.2.6); ``copy_to``, ``printing_org`` and
    ``printed_on`` (written, e.g. 2026年1月15日) the 版记 (§7.4).
    ``print_masthead`` False leaves the masthead's room and the red line blank, for a
    bureau that prints on paper with the letterhead already on it."""

    masthead: str
    issuer: str = ""
    copy_to: str = ""
    printing_org: str = ""
    printed_on: str = ""
    print_masthead: bool = True


def masthead(d, upward: Upward):
    """Add the red 发文机关标志 (or its blank room) and a blank line under it."""
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_grid(p)
    exact_lines(p._p.get_or_add_pPr(), MASTHEAD_LINE_TWIPS)
    if upward.print_masthead:
        run = p.add_run(upward.masthead)
        font(run, XIAOBIAOSONG, MASTHEAD_PT)
        run.font.color.rgb = RGBColor.from_string(RED)
    d.add_paragraph()
    return p


def number_and_issuer(d, number: str, upward: Upward):
    """Add the doc number one character in from the left and 签发人 one in from the
    right on one line (§7.2.6), the red line under them (§7.2.8)."""
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.tab_stops.add_tab_stop(Pt(type_width_pt()),
                                              WD_TAB_ALIGNMENT.RIGHT)
    font(p.add_run(f"　{number}\t签发人："), FANGSONG, BODY_PT)
    font(p.add_run(f"{upward.issuer or '　' * 3}　"), KAITI, BODY_PT)
    if upward.print_masthead:
        red_rule(p)
    return p


def imprint(d, upward: Upward) -> None:
    """Add the 版记 at the foot of the last page (§7.4.1): 抄送 and 印发机关 with
    印发日期, one line of the grid each, between the standard's lines, the last of
    them on the type area's last line however short the body."""
    rows = ([(f"抄送：{upward.copy_to.rstrip('。')}。", "")] if upward.copy_to else [])
    rows.append((upward.printing_org,
                 f"{upward.printed_on}印发" if upward.printed_on else ""))
    paras = [_imprint_row(d, left, right, len(rows) - i)
             for i, (left, right) in enumerate(rows)]
    rules_around(paras[0], top=THICK)
    for row in paras[:-1]:
        rules_around(row, bottom=THIN)
    rules_around(paras[-1], bottom=THICK)
    # The frames' anchor: LibreOffice makes a frame only when a paragraph outside
    # it follows (an empty one, off the grid and one point high, takes no room).
    anchor = d.add_paragraph()
    no_grid(anchor)
    exact_lines(anchor._p.get_or_add_pPr(), 20)


def type_height_twips() -> int:
    """The type area's height in twips (225 mm)."""
    return round((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) / 635)


def at_foot(p, lines_up: int = 1, line_twips: int = LINE_PITCH_TWIPS) -> None:
    """Set paragraph ``p`` in a frame as wide as the type area on the ``lines_up``-th
    line from its foot (1: the last line), each line ``line_twips`` high.

    One frame a paragraph, placed from the top margin: LibreOffice makes no frame of
    consecutive framed paragraphs whose borders differ, and the 版记's rows each
    carry their own lines."""
    frame = OxmlElement("w:framePr")
    top = type_height_twips() - lines_up * line_twips
    for key, value in (("w:w", str(round(type_width_pt() * 20))),
                       ("w:h", str(line_twips)), ("w:hRule", "exact"),
                       ("w:wrap", "notBeside"), ("w:hAnchor", "margin"),
                       ("w:vAnchor", "margin"), ("w:xAlign", "center"),
                       ("w:y", str(top))):
        frame.set(qn(key), value)
    _put(p._p.get_or_add_pPr(), frame)
    exact_lines(p._p.get_or_add_pPr(), line_twips)


def _imprint_row(d, left: str, right: str, lines_up: int):
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    no_grid(p)
    at_foot(p, lines_up)
    p.paragraph_format.tab_stops.add_tab_stop(Pt(type_width_pt()),
                                              WD_TAB_ALIGNMENT.RIGHT)
    font(p.add_run(f"　{left}" + (f"\t{right}　" if right else "")), FANGSONG,
         IMPRINT_PT)
    return p

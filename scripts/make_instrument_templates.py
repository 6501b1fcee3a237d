"""Build the shipped instrument templates in the GB/T 9704-2012 layout.

Run from the repository root, after changing a text or the layout below:

    .venv/bin/python scripts/make_instrument_templates.py

It writes fazhi/disclosure/instruments/*.docx. A bureau that wants other wording
copies a file into its FAZHI_TEMPLATE_DIRS and edits it in Word or WPS; the
``{{name}}`` placeholders are filled by fazhi.core.docx_render.

Layout facts (GB/T 9704-2012): A4 210 mm × 297 mm; top margin 37 mm, left (binding)
28 mm, type area 156 mm × 225 mm, hence bottom 35 mm and right 26 mm; elements in
3号 (16 pt) 仿宋 unless stated; 22 lines of 28 characters filling the type area;
title in 2号 (22 pt) 小标宋; paragraphs indented two characters; page numbers in
4号 (14 pt) half-width 宋体 Arabic numerals between em dashes, the dashes 7 mm
below the type area, odd pages at the right and even pages at the left, one
character in from the edge of the type area.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "fazhi" / "disclosure" / "instruments"

PAGE_W, PAGE_H = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_W_TWIPS = round(156 / 25.4 * 1440)  # the type area's width
LINES, CHARS = 22, 28
BODY_PT, TITLE_PT, PAGE_NO_PT = 16, 22, 14  # 3号, 2号, 4号
# 225 mm / 22 lines = 28.99 pt; 28.95 pt (579 twips) keeps all 22 lines inside.
LINE_PT = 28.95
FANGSONG, XIAOBIAOSONG, SONG = "仿宋_GB2312", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"
# The page-number line is 18 pt high; its middle, where the dashes sit, lies
# 7 mm below the type area, i.e. 35 - 7 = 28 mm above the page's lower edge.
PAGE_NO_LINE_PT = 18
FOOTER_DISTANCE = Mm(28) - Pt(PAGE_NO_LINE_PT / 2)

INTRO = ("本机关于{{received_date}}收到您提出的政府信息公开申请（申请编号："
         "{{request_number}}），申请公开的内容为：“{{request_content}}”。")
CONTACT = "联系人及电话：{{contact}}。"
OGI = "《中华人民共和国政府信息公开条例》"

TEMPLATES: dict[str, tuple[str, str, list[str]]] = {
    # file: (title, addressee placeholder, body paragraphs)
    "correction_notice.docx": ("政府信息公开申请补正告知书", "{{requester_name}}", [
        INTRO,
        "经审查，您的申请内容不明确，本机关无法据此确定您所需要的政府信息。根据"
        f"{OGI}第三十条的规定，现一次性告知您对下列事项作出补正：",
        "{{items}}",
        "请您于{{correction_deadline}}前（含当日）向本机关提交补正后的申请。"
        "答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。",
        CONTACT,
        "特此告知。",
    ]),
    "extension_notice.docx": ("政府信息公开申请延期答复告知书", "{{requester_name}}", [
        INTRO,
        "经审查，本机关不能在法定期限内作出答复，理由是：{{extension_reason}}",
        f"根据{OGI}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{{extension_days}}个工作日，本机关将于{{new_due_date}}前"
        "（含当日）作出答复。",
        CONTACT,
        "特此告知。",
    ]),
    "third_party_consultation.docx": ("政府信息公开第三方意见征询函",
                                      "{{third_party_name}}", [
        "本机关于{{received_date}}收到一份政府信息公开申请（申请编号："
        "{{request_number}}），申请公开的政府信息为：“{{request_content}}”。",
        "经审查，公开该政府信息可能损害您（单位）的合法权益，或者该政府信息由"
        f"您单位与本机关共同制作。根据{OGI}第三十二条、第三十四条的规定，"
        "现书面征求您（单位）的意见。",
        "请您（单位）自收到本函之日起15个工作日内（截止日期：{{consultation_due}}）"
        "以书面形式提出是否同意公开的意见；不同意公开的，请说明理由并提供相关材料。",
        "第三方逾期未提出意见的，由本机关依照该条例的规定决定是否公开；第三方不同意"
        "公开且有合理理由的，本机关不予公开，但本机关认为不公开可能对公共利益造成"
        "重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知"
        "第三方。被征求意见的行政机关逾期未提出意见的，视为同意公开。",
        CONTACT,
        "请予函复。",
    ]),
    "reply.docx": ("政府信息公开申请答复书", "{{requester_name}}", [
        INTRO,
        f"本机关依照{OGI}第三十六条、第三十七条的规定，答复如下：",
        "答复类型：{{reply_type_label}}。",
        "{{reply_body}}",
        "不予公开的内容及理由：",
        "{{withheld_reasons}}",
        "如您对本答复不服，可以自收到本答复书之日起60日内向{{reconsideration_body}}"
        "申请行政复议，也可以自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
        "其中，对本机关不予公开政府信息不服的，依照《中华人民共和国行政复议法》"
        "第二十三条的规定，应当先申请行政复议，对行政复议决定不服的，可以再依法"
        "向人民法院提起行政诉讼。",
        CONTACT,
        "特此答复。",
    ]),
}


# --- the page --------------------------------------------------------------------


def setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    # charSpace: 1/4096 pt added to each character so that 28 fill the line.
    pitch_pt = TYPE_W_TWIPS / CHARS / 20
    grid.set(qn("w:charSpace"), str(round((pitch_pt - BODY_PT) * 4096)))


def setup_settings(doc) -> None:
    settings = doc.settings.element
    settings.find(qn("w:characterSpacingControl")).set(
        qn("w:val"), "compressPunctuation")
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    doc.settings.odd_and_even_pages_header_footer = True


# --- styles ----------------------------------------------------------------------


def set_fonts(rpr, east_asia: str, latin: str) -> None:
    """Name the fonts of a w:rPr explicitly (no theme fonts), East-Asian included."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia),
                       ("cs", latin)):
        fonts.set(qn(f"w:{slot}"), name)


def set_indent_chars(style, first_line_chars: int) -> None:
    """Indent the first line by whole characters (Word's firstLineChars)."""
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(first_line_chars * BODY_PT * 20))


def setup_defaults(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, FANGSONG, LATIN)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def setup_normal(doc):
    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), FANGSONG, LATIN)
    normal.font.size = Pt(BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False  # a strict 22-line grid beats widow control
    set_indent_chars(normal, 2)
    return normal


def add_style(doc, style_id: str, name: str, *, align, size=BODY_PT,
              east_asia=FANGSONG, latin=LATIN, indent=0, right_chars=0):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element.get_or_add_rPr(), east_asia, latin)
    style.font.size = Pt(size)
    style.paragraph_format.alignment = align
    set_indent_chars(style, indent)
    if right_chars:
        style.paragraph_format.right_indent = Pt(right_chars * BODY_PT)
    return style


def setup_styles(doc) -> dict:
    setup_defaults(doc)
    setup_normal(doc)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    styles = {
        "title": add_style(doc, "GwTitle", "公文标题", align=center, size=TITLE_PT,
                           east_asia=XIAOBIAOSONG, latin=XIAOBIAOSONG),
        "number": add_style(doc, "GwDocNumber", "发文字号", align=center),
        "addressee": add_style(doc, "GwAddressee", "主送",
                               align=WD_ALIGN_PARAGRAPH.LEFT),
        # GB/T 9704 7.3.5.1: the date four characters in from the right, the
        # bureau's name above it.
        "signature": add_style(doc, "GwSignature", "落款", align=right, right_chars=4),
        "page_no": add_style(doc, "GwPageNumber", "页码", align=right,
                             size=PAGE_NO_PT, east_asia=SONG, latin=SONG),
    }
    page_no = styles["page_no"].paragraph_format
    page_no.line_spacing = Pt(PAGE_NO_LINE_PT)
    return styles


# --- footer: — 1 — ---------------------------------------------------------------


def add_page_field(paragraph) -> None:
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for tag, attrs, text in (("w:fldChar", {"w:fldCharType": "begin"}, None),
                             ("w:instrText", {"xml:space": "preserve"}, " PAGE "),
                             ("w:fldChar", {"w:fldCharType": "separate"}, None)):
        run._r.append(_element(tag, attrs, text))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(_element("w:fldChar", {"w:fldCharType": "end"}))
    paragraph.add_run(" —")


def _element(tag: str, attrs: dict, text: str | None = None):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    if text is not None:
        element.text = text
    return element


def setup_footers(doc, style) -> None:
    section = doc.sections[0]
    one_char = Pt(PAGE_NO_PT)  # 空一字
    odd = section.footer.paragraphs[0]
    odd.style = style
    odd.paragraph_format.right_indent = one_char
    add_page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = style
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = one_char
    add_page_field(even)


# --- the instrument ----------------------------------------------------------------


def build(title: str, addressee: str, body: list[str]):
    doc = Document()
    setup_page(doc)
    setup_settings(doc)
    styles = setup_styles(doc)
    setup_footers(doc, styles["page_no"])
    doc.add_paragraph("{{org_name}}", style=styles["title"])
    doc.add_paragraph(title, style=styles["title"])
    doc.add_paragraph("{{doc_number}}", style=styles["number"])
    doc.add_paragraph("", style=styles["addressee"])
    doc.add_paragraph(f"{addressee}：", style=styles["addressee"])
    for text in body:
        doc.add_paragraph(text)
    for _ in range(2):
        doc.add_paragraph("", style=styles["addressee"])
    doc.add_paragraph("{{org_name}}", style=styles["signature"])
    doc.add_paragraph("{{date_cn}}", style=styles["signature"])
    props = doc.core_properties
    props.title, props.author, props.comments = title, "", "fazhi 文书模板"
    props.last_modified_by, props.keywords = "", ""
    return doc


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (title, addressee, body) in TEMPLATES.items():
        build(title, addressee, body).save(out / name)
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

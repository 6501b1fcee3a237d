"""The annual report goes to the level above: red masthead and line, the doc number
left with 签发人 right, the 版记 at the end (GB/T 9704 §7.2.4–7.2.8, §7.4); and a
bureau on letterhead paper prints without the masthead."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from fazhi.core import gbt9704
from fazhi.reports import render_docx
from fazhi.reports.annual import assemble, upward_of
from tests.print_layout import MISSING, PDFTOTEXT, SOFFICE, convert, pages
from tests.reports.test_annual_document import facts

UPWARD = dict(issuer="王五", copy_to="湘潭市自然资源和规划局",
              printing_org="湘潭县自然资源局办公室", printed_on=dt.date(2026, 1, 16))


def rendered(**over) -> Document:
    f = facts(**{**UPWARD, **over})
    data = render_docx.render(assemble(f), upward=upward_of(f))
    return Document(io.BytesIO(data))


def text_of(p) -> str:
    return p.text  # tabs as \t


def border(p, side: str):
    ppr = p._p.pPr
    bdr = None if ppr is None else ppr.find(qn("w:pBdr"))
    return None if bdr is None else bdr.find(qn(f"w:{side}"))


def test_the_masthead_is_red_and_the_number_sits_left_with_the_issuer_right():
    paras = rendered().paragraphs
    head = paras[0]
    assert text_of(head) == "湘潭县自然资源局文件"
    run = head.runs[0]
    assert str(run.font.color.rgb) == gbt9704.RED
    assert run.font.size.pt == gbt9704.MASTHEAD_PT
    number = next(p for p in paras if "签发人" in text_of(p))
    assert text_of(number) == "　潭县自然资字〔2026〕3号\t签发人：王五　"
    assert number.runs[-1].font.name == gbt9704.KAITI  # the name in 楷体
    stop = number.paragraph_format.tab_stops[0]
    assert abs(stop.position.pt - gbt9704.type_width_pt()) < 0.1
    line = border(number, "bottom")
    assert line.get(qn("w:color")) == gbt9704.RED


def test_the_imprint_closes_the_document_between_its_rules():
    paras = [p for p in rendered().paragraphs if text_of(p)]
    copy_to, printed = paras[-2], paras[-1]
    assert text_of(copy_to) == "　抄送：湘潭市自然资源和规划局。"
    assert text_of(printed) == "　湘潭县自然资源局办公室\t2026年1月16日印发　"
    assert border(copy_to, "top").get(qn("w:sz")) == str(gbt9704.THICK)
    assert border(copy_to, "bottom").get(qn("w:sz")) == str(gbt9704.THIN)
    assert border(printed, "bottom").get(qn("w:sz")) == str(gbt9704.THICK)
    assert {r.font.size.pt for r in printed.runs} == {gbt9704.IMPRINT_PT}


def test_without_a_copy_the_printing_line_carries_both_rules():
    printed = [p for p in rendered(copy_to="").paragraphs if text_of(p)][-1]
    assert "印发" in text_of(printed)
    assert border(printed, "top") is not None and border(printed, "bottom") is not None


def test_letterhead_paper_leaves_the_masthead_and_the_red_line_blank():
    paras = rendered(print_masthead=False).paragraphs
    assert text_of(paras[0]) == ""  # the room stays: the text starts where it would
    exact = paras[0]._p.pPr.find(qn("w:spacing"))
    assert exact.get(qn("w:line")) == str(gbt9704.MASTHEAD_LINE_TWIPS)
    number = next(p for p in paras if "签发人" in text_of(p))
    assert border(number, "bottom") is None
    assert "印发" in text_of([p for p in paras if text_of(p)][-1])


def test_the_printing_defaults_to_the_signing_bureau_and_date():
    up = upward_of(dataclasses.replace(facts(), printing_org=""))
    assert (up.printing_org, up.printed_on) == ("湘潭县自然资源局", "2026年1月15日")


@pytest.mark.layout
@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason=MISSING)
def test_libreoffice_prints_masthead_number_and_imprint_in_place(tmp_path):
    f = facts(**UPWARD)
    pdf = convert(render_docx.render(assemble(f), upward=upward_of(f)), tmp_path)
    doc = pages(pdf)
    first = doc[0].lines
    assert first[0].text == "湘潭县自然资源局文件"
    assert abs((first[0].left_mm + first[0].right_mm) / 2 - (28 + 184) / 2) < 2
    number = next(ln for ln in first if ln.text == "潭县自然资字〔2026〕3号")
    issuer = next(ln for ln in first if ln.text == "签发人：王五")
    assert abs(number.top_mm - issuer.top_mm) < 0.5  # on one line
    assert 32 < number.left_mm < 35  # one 3号 character in from the left margin
    assert 177 < issuer.right_mm < 180  # and one in from the right
    last = [ln.text for ln in doc[-1].lines]
    assert "抄送：湘潭市自然资源和规划局。" in last
    assert "湘潭县自然资源局办公室" in last and "2026年1月16日印发" in last
    body = [t for t in last if "—" not in t]  # the page number apart
    assert body[-1] in ("湘潭县自然资源局办公室", "2026年1月16日印发")  # the end
    # At the foot of the last page (§7.4.1), not after the body: its last line is
    # the type area's last (35 mm above the bottom edge), the body ends well above.
    lines = {ln.text: ln for ln in doc[-1].lines}
    assert 297 - 35 - 1.5 <= lines["2026年1月16日印发"].bottom_mm <= 297 - 35 + 0.3
    assert lines["湘潭县自然资源局办公室"].bottom_mm == lines["2026年1月16日印发"].bottom_mm
    copy = lines["抄送：湘潭市自然资源和规划局。"]
    assert 0 < lines["湘潭县自然资源局办公室"].top_mm - copy.top_mm < 11  # next line
    assert copy.top_mm - lines["2026年1月15日"].bottom_mm > 30  # the body ended above


def _lines_then_imprint(n: int) -> bytes:
    d = Document()
    gbt9704.page_setup(d)
    gbt9704.default_font(d)
    for i in range(n):
        d.add_paragraph(f"第{i + 1:02d}行" + "正" * 20)
    gbt9704.imprint(d, gbt9704.Upward(masthead="", copy_to="湘潭市自然资源和规划局",
                                      printing_org="湘潭县自然资源局办公室",
                                      printed_on="2026年1月16日"))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.layout
@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason=MISSING)
def test_the_imprint_takes_the_last_lines_or_goes_to_a_page_of_its_own(tmp_path):
    """Twenty body lines leave the last two of the 22 to the 版记; twenty-one do not,
    and the 版记 goes to the foot of the next page, never over the body."""
    from tests.print_layout import convert_all

    pdfs = convert_all({f"n{n}": _lines_then_imprint(n) for n in (20, 21)}, tmp_path)
    for n, pdf in ((20, pdfs["n20"]), (21, pdfs["n21"])):
        doc = pages(pdf)
        assert len(doc) == (1 if n == 20 else 2)
        body = [ln for p in doc for ln in p.lines if ln.text.startswith("第")]
        assert len(body) == n
        foot = [ln for ln in doc[-1].lines if "抄送" in ln.text or "印发" in ln.text
                or ln.text == "湘潭县自然资源局办公室"]
        assert len(foot) == 3
        assert all(ln.bottom_mm <= 297 - 35 + 0.3 for ln in foot)
        assert max(ln.bottom_mm for ln in foot) >= 297 - 35 - 1.5
        last_body = max(ln.bottom_mm for ln in doc[-1].lines if ln in body) if (
            n == 20) else None
        top_of_foot = min(ln.top_mm for ln in foot)
        assert last_body is None or last_body < top_of_foot

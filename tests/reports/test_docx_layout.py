"""The annual report's .docx in the GB/T 9704 layout, read back with python-docx; and,
where LibreOffice is installed, converted to PDF: 22 lines a page, 28 characters a
line, page numbers alternating sides."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.core import gbt9704
from fazhi.reports import render_docx
from fazhi.reports.annual import Table, TableCell, TableRow, assemble
from tests.reports.test_annual_document import facts

EDITS = {"s1.study.narrative": "坚持党组理论学习中心组学法制度，" * 12}


@pytest.fixture
def table():
    return Table("ogi.table3", "三、收到和处理政府信息公开申请情况",
                 (("", "自然人"), ("法人或其他组织", "商业企业"),
                  ("法人或其他组织", "科研机构"), ("", "总计")),
                 (TableRow("一、本年新收政府信息公开申请数量", 0,
                           (TableCell(1), TableCell(2), TableCell(0), TableCell(3))),
                  TableRow("三、本年度办理结果", 0, None)),
                 note="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                 unit="件")


@pytest.fixture
def docx_bytes(table):
    return render_docx.render(assemble(facts(tables=[table]), EDITS),
                              author="湘潭县自然资源局")


def east_asia(run, para) -> str:
    for rpr in (run._r.rPr, para.style.element.rPr):
        fonts = None if rpr is None else rpr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    return ""


def runs_in(paragraph):
    """Every run, those inside the figures' content controls too."""
    from docx.text.run import Run

    return [Run(r, paragraph) for r in paragraph._p.iter(qn("w:r"))]


def text_of(paragraph) -> str:
    return "".join(t.text for t in paragraph._p.iter(qn("w:t")))


def test_page_is_a4_with_the_standard_margins(docx_bytes):
    s = Document(io.BytesIO(docx_bytes)).sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1)  # stored in twips: 11906 × 16838
    assert abs(s.page_height - Mm(297)) < Mm(0.1)
    assert abs(s.top_margin - Mm(37)) < Mm(0.1)
    assert abs(s.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(s.left_margin - Mm(28)) < Mm(0.1)
    assert abs(s.right_margin - Mm(26)) < Mm(0.1)


def test_line_grid_gives_22_lines_and_condensed_characters_28_a_line(docx_bytes):
    d = Document(io.BytesIO(docx_bytes))
    grid = d.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt
    assert int(225 / 25.4 * 72 * 20 // 579) == 22
    normal = d.styles["Normal"].element
    spacing = normal.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == "579"
    assert spacing.get(qn("w:lineRule")) == "exact"
    assert normal.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert gbt9704.chars_per_line() == 28
    assert 156 / 25.4 * 72 < 29 * gbt9704.char_advance_pt()


def test_fonts_and_sizes_by_paragraph_kind(docx_bytes):
    d = Document(io.BytesIO(docx_bytes))
    paras = {text_of(p): p for p in d.paragraphs if text_of(p)}
    expect = {
        "湘潭县自然资源局2025年法治政府建设年度报告": ("方正小标宋简体", 22),
        "一、工作开展情况": ("黑体", 16),
        "（一）坚持学法用法，提升依法行政能力": ("楷体_GB2312", 16),
        "中共湘潭县委、湘潭县人民政府：": ("仿宋_GB2312", 16),
    }
    for text, (font, size) in expect.items():
        p = paras[text]
        for run in runs_in(p):
            assert east_asia(run, p) == font, text
            assert run.font.size == Pt(size), text
    body = next(p for t, p in paras.items() if t.startswith("全年组织干部职工集中学法"))
    assert {east_asia(r, body) for r in runs_in(body)} == {"仿宋_GB2312"}
    assert body.paragraph_format.first_line_indent == Pt(32)
    defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == \
        "仿宋_GB2312"


def test_odd_pages_number_right_and_even_pages_left_with_dashes(docx_bytes):
    d = Document(io.BytesIO(docx_bytes))
    assert d.settings.odd_and_even_pages_header_footer
    s = d.sections[0]
    for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1
        assert text_of(p) == "— 1 —"
        assert {east_asia(r, p) for r in runs_in(p)} == {"宋体"}
        assert {r.font.size for r in runs_in(p)} == {Pt(14)}


def test_each_figure_is_tagged_with_its_metric(docx_bytes):
    d = Document(io.BytesIO(docx_bytes))
    tags = [sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val"))
            for sdt in d.element.body.iter(qn("w:sdt"))]
    assert "metric:reconsideration.correction_rate" in tags
    assert "metric:permits.accepted" in tags
    assert all(t.split(":", 1)[0] in ("metric", "change") for t in tags)


def test_signature_stands_over_the_date_at_the_right(docx_bytes):
    d = Document(io.BytesIO(docx_bytes))
    sig = next(p for p in d.paragraphs if text_of(p) == "湘潭县自然资源局")
    date = next(p for p in d.paragraphs if text_of(p) == "2026年1月15日")
    ind = lambda p: int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))  # noqa: E731
    assert sig.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert (ind(sig), ind(date)) == (200, 275)  # 8 characters over 6.5


def test_attachment_starts_a_page_with_the_ogi_table(docx_bytes):
    d = Document(io.BytesIO(docx_bytes))
    label = next(p for p in d.paragraphs if text_of(p) == "附件")
    assert label.paragraph_format.page_break_before
    table = d.tables[0]
    assert table.cell(0, 0).text == "项目"
    assert table.cell(0, 2).text == "法人或其他组织"
    assert [c.text for c in table.rows[2].cells] == [
        "一、本年新收政府信息公开申请数量", "1", "2", "0", "3"]


SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.layout
@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                    reason="LibreOffice 或 pdftotext 未安装（apt install "
                           "libreoffice-writer-nogui poppler-utils）")
def test_libreoffice_lays_it_out_22_lines_of_28_characters(docx_bytes, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, timeout=180,
                   capture_output=True)
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    lines = [ln.strip() for ln in pages[1].splitlines() if ln.strip()]
    assert lines[-1] == "—2—"  # an even page: number at the left
    assert pages[1].splitlines()[-1].startswith(" —") or \
        pages[1].rstrip().splitlines()[-1].lstrip() == "—2—"
    body = lines[:-1]
    assert len(body) == 22
    study = [ln for ln in text.splitlines() if "坚持党组理论学习中心组学法制度" in ln]
    widths = [sum(0.5 if ord(c) < 0x2E80 else 1 for c in ln.replace(" ", ""))
              for ln in study]
    assert max(widths) == 28

"""Every instrument kind, converted by LibreOffice, sets as GB/T 9704 asks: A4, the
type area 28 mm from the left and 26 mm from the right edge and 37 mm from the top,
22 lines of 28 characters of 3号 (fazhi.core.gbt9704, the annual report's layout).

Each template is filled with the same plain sentence in every placeholder, and a
long body paragraph (the probe) is added at its end in the template's own body
style, so that every kind — forms whose notes are short too — has full pages of
body text to measure."""

from __future__ import annotations

import io

import pytest
from docx import Document

from fazhi.core.docx_render import placeholders_in, render_docx
from fazhi.core.instruments import instrument_kinds, instrument_template_path
from tests.print_layout import (
    MISSING,
    PDFTOTEXT,
    SOFFICE,
    convert_all,
    lines_to_the_right_margin,
    pages,
    slots,
)

pytestmark = [
    pytest.mark.layout,
    pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason=MISSING),
]

KINDS = sorted(code for code, kind in instrument_kinds([]).items() if kind.template)
FILLER = "经现场核查该宗土地位于村民小组集体土地范围内，现状为耕地，" * 2
PROBE = "本机关坚持依法行政严格规范公正文明执法" * 80  # no punctuation: no line
# may end short to keep a comma off the next line's head


def filled(code: str) -> bytes:
    path = instrument_template_path(instrument_kinds([])[code], [])
    data = render_docx(path, {n: FILLER for n in placeholders_in(path)})
    doc = Document(io.BytesIO(data))
    doc.add_paragraph(PROBE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("instrument-layout")
    pdfs = convert_all({code.replace(".", "_"): filled(code) for code in KINDS},
                       folder)
    return {code: pages(pdfs[code.replace(".", "_")]) for code in KINDS}


def test_every_kind_with_a_template_is_measured():
    assert "enforcement.decision" in KINDS and "permits.certificate" in KINDS
    assert len(KINDS) >= 20


@pytest.mark.parametrize("code", KINDS)
def test_kind_sets_22_lines_of_28_characters_on_a4(laid_out, code):
    doc = laid_out[code]
    for page in doc:
        assert abs(page.width_mm - 210) < 0.5 and abs(page.height_mm - 297) < 0.5
    probe = [ln for page in doc for ln in page.lines
             if len(ln.text) > 4 and ln.text in PROBE * 2]
    full = [ln for ln in probe if ln in lines_to_the_right_margin(doc)]
    assert len(full) > 22
    assert {slots(ln) for ln in full} == {28}
    assert round(full[0].left_mm) == 39  # indented two characters
    assert {round(ln.left_mm) for ln in full[1:]} == {28}  # the left margin
    assert all(abs(ln.right_mm - 184) < 1 for ln in full)  # 26 mm from the right
    # A page of the probe alone: 22 lines, the first 37 mm from the top edge.
    whole = next(p for p in doc if all(ln.text in PROBE * 2 or "—" in ln.text
                                       for ln in p.lines))
    body = [ln for ln in whole.lines if "—" not in ln.text]
    assert len(body) == 22
    assert 37 <= body[0].top_mm <= 40  # the glyphs sit 2 mm down in the line
    assert body[-1].bottom_mm <= 297 - 35
    # The kind's own text: no 3号 line holds more than 28.
    own = [ln for ln in lines_to_the_right_margin(doc)
           if ln not in probe and ln.bottom_mm - ln.top_mm < 9]
    assert all(slots(ln) <= 28 for ln in own), [ln.text for ln in own]

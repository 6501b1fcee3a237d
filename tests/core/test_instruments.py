"""Instruments: numbering, rendering .docx templates, issuing them as evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.core.docx_render import InstrumentError, placeholders_in, render_docx
from fazhi.core.evidence import EvidenceCorrupted, evidence_open, evidence_storage
from fazhi.core.instruments import (
    instrument_issue,
    instrument_kind,
    instrument_kinds,
    instrument_list_for,
    instrument_number_next,
    instrument_template_path,
)
from fazhi.core.models import AuditEvent, Instrument, InstrumentSequence
from fazhi.core.models.evidence import blob_name
from fazhi.core.remedies import load_remedy_periods, period_words

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "fazhi" / "disclosure" / "instruments"
ISSUE_DAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CORRECTION = "disclosure.correction_notice"

# Everything the disclosure module passes, for every shipped template at once.
FULL_CONTEXT = {
    "requester_name": "张三", "request_number": "潭县自然资公开申〔2026〕12号",
    "received_date": "2026年11月20日", "request_content": "某村土地征收批复文件",
    "items": ["1. 请写明所需信息的名称或文号", "2. 请写明所涉地块的位置"],
    "correction_deadline": "2026年12月10日", "extension_days": "20",
    "extension_reason": "申请公开的信息需调取历史档案并逐件核查",
    "new_due_date": "2027年1月15日", "third_party_name": "湘潭某某置业有限公司",
    "consultation_due": "2026年12月19日", "reply_type_label": "予以公开",
    "reply_body": ["经检索，您申请的信息属于可以公开的政府信息。", "现随函提供。"],
    "withheld_reasons": ["无"], "contact": "李四 0731-57800000",
}


def emu_mm(value: int) -> float:
    return value / 36000


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def next_serial(org, year: int) -> int:
    return instrument_number_next(org_unit=org, kind=CORRECTION, year=year)[0]


def make_template(path: Path, *runs: tuple[str, bool], table: str = "",
                  footer: str = "") -> Path:
    """Write a small .docx whose first paragraph is ``runs`` (text, bold)."""
    doc = Document()
    paragraph = doc.add_paragraph()
    for text, bold in runs:
        paragraph.add_run(text).bold = bold
    if table:
        doc.add_table(rows=1, cols=2).cell(0, 1).paragraphs[0].add_run(table)
    if footer:
        doc.sections[0].footer.paragraphs[0].add_run(footer)
    doc.save(path)
    return path


# --- numbering -----------------------------------------------------------------------


def test_numbers_follow_the_bureau_pattern_in_sequence(orgs):
    numbers = [instrument_number_next(org_unit=orgs["xt"], kind=CORRECTION, year=2026)
               for _ in range(3)]
    assert numbers == [(1, "潭县自然资公开补〔2026〕1号"),
                       (2, "潭县自然资公开补〔2026〕2号"),
                       (3, "潭县自然资公开补〔2026〕3号")]


def test_numbering_restarts_each_year(orgs):
    for _ in range(2):
        instrument_number_next(org_unit=orgs["xt"], kind=CORRECTION, year=2026)
    assert instrument_number_next(org_unit=orgs["xt"], kind=CORRECTION, year=2027) == (
        1, "潭县自然资公开补〔2027〕1号")
    assert next_serial(orgs["xt"], 2026) == 3


def test_each_bureau_and_each_kind_has_its_own_series(orgs):
    instrument_number_next(org_unit=orgs["xt"], kind=CORRECTION, year=2026)
    assert instrument_number_next(org_unit=orgs["xx"], kind=CORRECTION, year=2026) == (
        1, "湘乡自然资公开补〔2026〕1号")
    assert instrument_number_next(
        org_unit=orgs["xt"], kind="disclosure.reply", year=2026) == (
        1, "潭县自然资公开复〔2026〕1号")


def test_a_rolled_back_number_is_given_again(orgs):
    with pytest.raises(RuntimeError), transaction.atomic():
        instrument_number_next(org_unit=orgs["xt"], kind=CORRECTION, year=2026)
        raise RuntimeError("the instrument failed after numbering")
    assert next_serial(orgs["xt"], 2026) == 1


def test_a_bureau_without_short_name_cannot_number(orgs):
    orgs["xt"].short_name = ""
    with pytest.raises(InstrumentError, match="文号机关代字"):
        instrument_number_next(org_unit=orgs["xt"], kind=CORRECTION, year=2026)


def test_an_unknown_kind_is_named(orgs):
    with pytest.raises(InstrumentError, match=r"disclosure\.nonsense"):
        instrument_number_next(org_unit=orgs["xt"], kind="disclosure.nonsense",
                               year=2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_leaves_no_gap_and_no_duplicate():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only contended on PostgreSQL")
    from fazhi.core.demo import org_tree_ensure

    org = org_tree_ensure()["430321"]
    barrier = threading.Barrier(4)

    def take(count: int) -> list[int]:
        try:
            barrier.wait()
            serials = []
            for _ in range(count):
                with transaction.atomic():
                    serials.append(next_serial(org, 2031))
            return serials
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [f.result() for f in [pool.submit(take, 10) for _ in range(4)]]
    serials = [serial for result in results for serial in result]
    assert sorted(serials) == list(range(1, 41))
    assert InstrumentSequence.objects.get(org_unit=org, year=2031).last == 40


# --- kinds and templates -------------------------------------------------------------


def test_shipped_kinds_have_templates_that_exist():
    for kind in instrument_kinds().values():
        if kind.template:
            assert instrument_template_path(kind).is_file()


def test_a_bureau_overrides_a_kind_and_its_template(settings, tmp_path):
    (tmp_path / "instrument_kinds.toml").write_text(
        '[kinds."disclosure.reply"]\nword = "依申复"\n', encoding="utf-8")
    (tmp_path / "disclosure").mkdir()
    own = make_template(tmp_path / "disclosure" / "reply.docx", ("本局答复", False))
    settings.INSTRUMENT_TEMPLATE_DIRS = [tmp_path]
    kind = instrument_kind("disclosure.reply")
    assert (kind.word, kind.title) == ("依申复", "政府信息公开申请答复书")
    assert instrument_template_path(kind) == own


def test_two_kinds_sharing_a_word_are_refused(settings, tmp_path):
    (tmp_path / "instrument_kinds.toml").write_text(
        '[kinds."disclosure.reply"]\nword = "公开补"\n', encoding="utf-8")
    settings.INSTRUMENT_TEMPLATE_DIRS = [tmp_path]
    with pytest.raises(InstrumentError, match="公开补"):
        instrument_kinds()


def test_a_misspelt_field_in_a_kinds_file_is_named(settings, tmp_path):
    (tmp_path / "instrument_kinds.toml").write_text(
        '[kinds."disclosure.reply"]\nwrod = "依申复"\n', encoding="utf-8")
    settings.INSTRUMENT_TEMPLATE_DIRS = [tmp_path]
    with pytest.raises(InstrumentError, match="wrod"):
        instrument_kinds()


@pytest.mark.parametrize("name", sorted(p.name for p in SHIPPED.glob("*.docx")))
def test_shipped_templates_render_with_the_disclosure_context(name):
    # what every instrument is given (core.instruments._context): the remedies'
    # periods from the rule data, besides the bureau's name, number and date
    context = {**FULL_CONTEXT, "doc_number": "潭县自然资公开补〔2026〕3号",
               "org_name": "湘潭县自然资源局", "date_cn": "2026年11月28日",
               "reconsideration_body": "湘潭县人民政府",
               **period_words(load_remedy_periods())}
    text = docx_text(render_docx(SHIPPED / name, context))
    assert "{{" not in text and "}}" not in text
    assert "湘潭县自然资源局" in text and "潭县自然资公开补〔2026〕3号" in text


def test_templates_never_ask_for_an_identity_number():
    for path in SHIPPED.glob("*.docx"):
        assert not {n for n in placeholders_in(path) if "id" in n.split("_")}


# --- rendering -----------------------------------------------------------------------


def test_render_fills_a_placeholder_split_across_runs(tmp_path):
    template = make_template(
        tmp_path / "t.docx",
        ("申请人：", False), ("{{req", True), ("uester_", False), ("name}}", False),
        ("（编号{{request_number}}）", False),
    )
    doc = Document(io.BytesIO(render_docx(template, {
        "requester_name": "张三", "request_number": "12"})))
    paragraph = doc.paragraphs[0]
    assert paragraph.text == "申请人：张三（编号12）"
    # The value takes the formatting of the run where its placeholder began.
    assert [(r.text, r.bold) for r in paragraph.runs if r.text][:3] == [
        ("申请人：", False), ("张三", True), ("（编号12）", False)]


def test_render_fills_table_cells_and_footers(tmp_path):
    template = make_template(tmp_path / "t.docx", ("正文", False),
                             table="{{org_name}}", footer="{{doc_number}}")
    doc = Document(io.BytesIO(render_docx(template, {
        "org_name": "湘潭县自然资源局", "doc_number": "潭县自然资公开补〔2026〕1号"})))
    assert doc.tables[0].cell(0, 1).text == "湘潭县自然资源局"
    assert doc.sections[0].footer.paragraphs[0].text == "潭县自然资公开补〔2026〕1号"


def test_a_list_renders_one_paragraph_per_item(tmp_path):
    template = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("请补正：")
    doc.add_paragraph("{{items}}")
    doc.add_paragraph("特此告知。")
    doc.save(template)
    out = Document(io.BytesIO(render_docx(template, {"items": ["一", "二", "三"]})))
    assert [p.text for p in out.paragraphs] == [
        "请补正：", "一", "二", "三", "特此告知。"]
    empty = Document(io.BytesIO(render_docx(template, {"items": []})))
    assert [p.text for p in empty.paragraphs] == ["请补正：", "特此告知。"]


def test_an_unknown_placeholder_is_an_error_naming_it(tmp_path):
    template = make_template(tmp_path / "t.docx", ("{{requester_", False),
                             ("nme}}：", False))
    with pytest.raises(InstrumentError, match=r"\{\{requester_nme\}\}"):
        render_docx(template, {"requester_name": "张三"})


def test_a_placeholder_missing_a_brace_is_an_error(tmp_path):
    template = make_template(tmp_path / "t.docx", ("{{requester_name}：", False))
    with pytest.raises(InstrumentError, match="不完整"):
        render_docx(template, {"requester_name": "张三"})


def test_values_are_not_read_as_placeholders(tmp_path):
    template = make_template(tmp_path / "t.docx", ("{{request_content}}", False))
    text = docx_text(render_docx(template, {"request_content": "请公开{{secret}}"}))
    assert text == "请公开{{secret}}"


def test_the_renderer_does_not_load_django():
    code = ("import sys, fazhi.core.docx_render; "
            "sys.exit('django' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert result.returncode == 0


# --- issuing -------------------------------------------------------------------------


@pytest.fixture
def issued(people, orgs):
    """A correction notice issued by 湘潭县's disclosure officer on 2026-11-28."""
    with time_machine.travel(ISSUE_DAY, tick=False):
        return instrument_issue(
            kind=CORRECTION, org_unit=orgs["xt"], matter=people["xt_disclosure"],
            context=FULL_CONTEXT, actor=people["xt_disclosure"],
        )


def test_an_issued_instrument_is_numbered_and_stored_as_evidence(issued, people):
    assert issued.doc_number == "潭县自然资公开补〔2026〕1号"
    assert (issued.year, issued.serial) == (2026, 1)
    assert issued.title == "政府信息公开申请补正告知书"
    assert issued.matter == people["xt_disclosure"]
    evidence = issued.evidence
    assert evidence.original_name == "潭县自然资公开补〔2026〕1号.docx"
    assert evidence.kind == "document"
    assert evidence.media_type.endswith("wordprocessingml.document")
    with evidence_open(evidence) as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == evidence.sha256
    text = docx_text(data)
    assert "潭县自然资公开补〔2026〕1号" in text
    assert "湘潭县自然资源局" in text and "2026年11月28日" in text
    assert "张三：" in text and "2. 请写明所涉地块的位置" in text
    assert "第三十条" in text


def test_an_issued_instrument_has_its_audit_event_with_the_hash(issued):
    event = AuditEvent.objects.get(action="instrument.issue")
    assert event.evidence == issued.evidence.sha256
    assert event.object_type == "core.User"
    assert "制发政府信息公开申请补正告知书 潭县自然资公开补〔2026〕1号" in event.payload


def test_a_tampered_instrument_is_refused_on_read(issued):
    storage = evidence_storage()
    with open(storage.path(blob_name(issued.evidence.sha256)), "ab") as blob:
        blob.write(b"tampered")
    with pytest.raises(EvidenceCorrupted):
        evidence_open(issued.evidence)


def test_an_issued_instrument_has_the_gbt9704_layout(issued):
    with evidence_open(issued.evidence) as f:
        doc = Document(f)
    section = doc.sections[0]
    assert round(emu_mm(section.page_width)) == 210
    assert round(emu_mm(section.page_height)) == 297
    for margin, mm in ((section.top_margin, 37), (section.bottom_margin, 35),
                       (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(emu_mm(margin) - mm) <= 0.5
    title = next(p for p in doc.paragraphs if p.text == "政府信息公开申请补正告知书")
    assert title.style.font.size == Pt(22)
    body = next(p for p in doc.paragraphs if p.text.startswith("本机关于"))
    assert body.style.font.size == Pt(16)
    fonts = body.style.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent is None  # inherited: 2 characters
    assert body.style.paragraph_format.first_line_indent == Pt(32)
    spacing = body.style.paragraph_format.line_spacing
    assert 28.5 <= spacing.pt <= 29.0  # 22 lines in the 225 mm type area


def test_an_outsider_cannot_issue_for_another_bureau(people, orgs):
    with pytest.raises(PermissionDenied):
        instrument_issue(kind=CORRECTION, org_unit=orgs["xt"],
                         matter=people["xt_disclosure"], context=FULL_CONTEXT,
                         actor=people["xx_disclosure"])
    assert not Instrument.objects.exists()
    assert not InstrumentSequence.objects.exists()


def test_an_inactive_user_cannot_issue(people, orgs):
    actor = people["xt_disclosure"]
    actor.is_active = False
    with pytest.raises(PermissionDenied):
        instrument_issue(kind=CORRECTION, org_unit=orgs["xt"], matter=actor,
                         context=FULL_CONTEXT, actor=actor)


def test_a_failed_render_uses_no_number(people, orgs):
    context = {k: v for k, v in FULL_CONTEXT.items() if k != "correction_deadline"}
    with time_machine.travel(ISSUE_DAY, tick=False):
        with pytest.raises(InstrumentError, match="correction_deadline"):
            instrument_issue(kind=CORRECTION, org_unit=orgs["xt"],
                             matter=people["xt_disclosure"], context=context,
                             actor=people["xt_disclosure"])
    assert not Instrument.objects.exists()
    assert next_serial(orgs["xt"], 2026) == 1


def test_instruments_of_a_matter_are_listed_within_scope(issued, people):
    matter = people["xt_disclosure"]
    assert list(instrument_list_for(actor=people["xt_principal"], matter=matter)) == [
        issued]
    assert list(instrument_list_for(actor=people["city_principal"], matter=matter)) == [
        issued]
    assert not instrument_list_for(actor=people["xx_principal"], matter=matter).exists()


@pytest.mark.layout
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_an_issued_instrument(issued, tmp_path):
    source = tmp_path / "instrument.docx"
    with evidence_open(issued.evidence) as f:
        source.write_bytes(f.read())
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, timeout=120,
                   capture_output=True)
    assert (tmp_path / "instrument.pdf").read_bytes().startswith(b"%PDF")

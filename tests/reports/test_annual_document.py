"""The annual report's document model, written from figures built here (no database):
sentences a bureau writes, figures naming their metrics, staff edits, the check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.reports.annual import (
    EDITABLE,
    REPORT_METRICS,
    Figure,
    FigureRun,
    ReportFacts,
    assemble,
    default_addressee,
    written_date,
)
from fazhi.reports.check import confirmation_key, report_check
from tests.purity import assert_runs_without_django

RATES = {"tips.answered_on_time_rate", "permits.on_time_rate",
         "reconsideration.correction_rate", "litigation.loss_rate",
         "litigation.appearance_rate"}
UNITS = {"permits.fees_yuan": "元", "cases.fines_imposed_yuan": "元",
         "cases.fines_collected_yuan": "元", "study.attendances": "人次"}


def fig(mid, value, **kw):
    kind = "rate" if mid in RATES else "sum" if mid in UNITS else "count"
    unit = "%" if kind == "rate" else UNITS.get(mid, "件")
    return Figure(mid, kw.pop("name", mid), unit, kind, value, **kw)


def facts(**over) -> ReportFacts:
    figures = {m: fig(m, Decimal("50.0") if m in RATES else 2) for m in REPORT_METRICS}
    figures.update(over.pop("figures", {}))
    base = dict(org_name="湘潭县自然资源局", division_name="湘潭县", year=2025,
                figures=figures, document_number="潭县自然资字〔2026〕3号",
                addressee="中共湘潭县委、湘潭县人民政府：",
                signing_org="湘潭县自然资源局",
                signed_on=dt.date(2026, 1, 15), issuer="王五")
    return ReportFacts(**{**base, **over})


def text(doc, pid) -> str:
    return doc.paragraph(pid).text


def test_reconsideration_sentence_reads_as_a_bureau_writes_it():
    doc = assemble(facts(figures={
        "reconsideration.received": fig("reconsideration.received", 3,
                                        change_text="下降40.0%（减少2件）",
                                        previous_source="records"),
        "reconsideration.corrected": fig("reconsideration.corrected", 1),
        "reconsideration.correction_rate": fig(
            "reconsideration.correction_rate", Decimal("33.3333"),
            change_text="上升5.0个百分点", previous_source="baseline")}))
    assert text(doc, "s1.disputes.reconsideration") == (
        "全年共收到行政复议申请3件，同比下降40.0%（减少2件），审结2件；被纠错1件，"
        "纠错率33.3%，同比上升5.0个百分点。")


def test_every_number_is_a_figure_naming_its_metric():
    doc = assemble(facts())
    named = {r.metric_id.split("/")[0] for r in doc.figure_runs()}
    assert named == set(REPORT_METRICS) - {"permits.by_kind", "cases.by_type"}
    for run in doc.figure_runs():
        assert run.text in ("2件", "50.0%") or run.text.endswith(("元", "人次"))


def test_a_rate_without_a_denominator_is_left_out_of_its_sentence():
    doc = assemble(facts(figures={"litigation.loss_rate": fig("litigation.loss_rate",
                                                              None)}))
    assert "败诉率" not in text(doc, "s1.disputes.litigation")
    assert "出庭应诉率50.0%" in text(doc, "s1.disputes.litigation")


def test_breakdown_names_the_five_largest_then_etc():
    kinds = {f"许可{i}": fig(f"permits.by_kind/许可{i}", i) for i in range(1, 8)}
    doc = assemble(facts(figures={"permits.by_kind": fig("permits.by_kind", 28,
                                                         breakdown=kinds)}))
    assert "其中许可77件、许可66件、许可55件、许可44件、许可33件等" in text(
        doc, "s1.window.permits")
    ids = [r.metric_id for r in doc.paragraph("s1.window.permits").figures]
    assert "permits.by_kind/许可7" in ids and "permits.by_kind/许可2" not in ids


def test_shortcomings_are_drafted_from_the_class_review_and_the_late_work():
    doc = assemble(facts(causes=[("违反法定程序", 2), ("证据不足、事实不清", 1)],
                         figures={"disclosure.late": fig("disclosure.late", 1)}))
    p = doc.paragraph("s2.shortcomings")
    assert p.drafted and p.editable and not p.placeholder
    assert p.text.startswith("一是依法行政水平有待提高")
    assert "“违反法定程序”（2件）、“证据不足、事实不清”（1件）" in p.text
    assert "二是部分事项未在法定期限内办结，截至统计日仍有超过法定期限的在办事项2件" in p.text
    assert ("三是审批服务效率仍有差距，全年超期办件（超过法定期限作出决定或发证）2件"
            in p.text)
    assert "四是政务公开工作仍有短板，政府信息公开申请逾期答复1件" in p.text


def test_nothing_to_draft_leaves_a_placeholder():
    zero = {m: fig(m, 0) for m in ("permits.overdue", "disclosure.late",
                                    "patches.illegal", "clocks.overdue")}
    doc = assemble(facts(figures=zero))
    assert doc.paragraph("s2.shortcomings").placeholder


def test_staff_edits_replace_editable_paragraphs_and_an_empty_edit_removes_one():
    doc = assemble(facts(), {"s1.study.narrative": "坚持党组会前学法制度。",
                             "opening": "", "s1.study.figures": "改不了"})
    assert text(doc, "s1.study.narrative") == "坚持党组会前学法制度。"
    assert doc.paragraph("s1.study.narrative").edited
    assert "opening" not in {p.id for p in doc.paragraphs}
    assert text(doc, "s1.study.figures").startswith("全年组织干部职工集中学法2件")


def test_only_the_declared_paragraphs_are_editable():
    doc = assemble(facts(measures=["修订法制审核清单"]))
    assert {p.id for p in doc.editable} <= EDITABLE
    assert {p.id for p in doc.editable} >= {"opening", "s3.measures", "s3.plans"}


def test_header_lines_title_addressee_signature_and_date():
    doc = assemble(facts(addressee=""))
    assert doc.title == "湘潭县自然资源局2025年法治政府建设年度报告"
    assert text(doc, "title") == doc.title
    addressee = "中共湘潭县委、湘潭县人民政府："
    assert text(doc, "addressee") == default_addressee("湘潭县") == addressee
    assert text(doc, "date") == "2026年1月15日"
    assert written_date(dt.date(2026, 10, 5)) == "2026年10月5日"


def test_check_lists_what_a_report_lacks():
    doc_facts = facts(document_number="潭县自然资字〔2026〕第03号", signed_on=None,
                      issuer="",
                      figures={"patches.received": fig("patches.received", 0,
                                                       has_data=False,
                                                       name="下发图斑数")})
    doc = assemble(doc_facts)
    keys = {p.key for p in report_check(doc, doc_facts, {})}
    assert {"document_number", "signed_on", "issuer", "nodata:patches.received",
            "placeholder:s1.study.narrative", "baseline:permits.accepted"} <= keys


def test_confirmations_settle_the_confirmable_problems_only():
    f = facts(figures={"patches.received": fig("patches.received", 0, has_data=False)})
    edits = {confirmation_key("nodata:patches.received"): "本年度未下发图斑",
             confirmation_key("placeholder:s3.plans"): "不作说明"}
    keys = {p.key for p in report_check(assemble(f, edits), f, edits)}
    assert "nodata:patches.received" not in keys
    assert "placeholder:s3.plans" in keys


def test_a_complete_report_passes_the_check():
    figures = {m: fig(m, Decimal(50) if m in RATES else 1, change_text="持平",
                      previous_source="records") for m in REPORT_METRICS}
    f = facts(figures=figures)
    edits = {pid: "已写明。" for pid in EDITABLE}
    assert report_check(assemble(f, edits), f, edits) == []


def test_document_model_check_and_docx_renderer_run_without_django():
    assert_runs_without_django(
        "import fazhi.reports.annual, fazhi.reports.check, fazhi.reports.render_docx")


def test_a_figure_run_says_which_role_it_plays():
    doc = assemble(facts(figures={"cases.filed": fig(
        "cases.filed", 5, change_text="增长25.0%（增加1件）",
        previous_source="records")}))
    runs = [r for r in doc.paragraph("s1.law.enforcement").figures
            if r.metric_id == "cases.filed"]
    assert runs == [FigureRun("cases.filed", "5件"),
                    FigureRun("cases.filed", "增长25.0%（增加1件）", "change")]

"""Enforcement instruments: each of the twelve renders, refusals issue nothing,
and no tipster ever appears in an instrument."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from fazhi.core.evidence import evidence_open
from fazhi.core.models import AuditEvent, Evidence, Instrument, InstrumentSequence
from fazhi.enforcement.cases import execution, services
from fazhi.enforcement.cases.documents import (
    SPECS,
    case_document_issue,
    lead_transfer_letter_issue,
)
from fazhi.enforcement.models import Case, Lead, LeadSource, LeadState
from tests.enforcement.conftest import DECIDED_ON, MON, area_for, noticed, on

TUE = MON + dt.timedelta(days=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")
TIPSTER, TIPSTER_PHONE = "王举报", "13800138000"


def proposed(filed, officer, fine: str) -> Case:
    """A case noticed on Tuesday with ``fine`` yuan, inside the benchmark's range."""
    return noticed(filed(area_m2=area_for(fine)), officer, fine)


def text_of(instrument: Instrument) -> str:
    """Every paragraph of the stored .docx, table cells included."""
    with evidence_open(instrument.evidence) as f:
        doc = Document(f)
    return "\n".join(Paragraph(p, None).text for p in doc.element.body.iter(qn("w:p")))


def stored() -> tuple:
    return (Instrument.objects.count(), Evidence.objects.count(),
            AuditEvent.objects.count(),
            sorted(InstrumentSequence.objects.values_list("kind", "year", "last")))


@pytest.fixture
def paid(people, decided):
    """A decided, served case whose 1000-yuan fine was paid: ready to close."""

    def _paid(**details):
        case = decided(fine="1000", served=True, **details)
        with on(DECIDED_ON):
            execution.case_record_payment(case=case, actor=people.xt_officer,
                                         paid_on=DECIDED_ON)
        return Case.objects.get(pk=case.pk)

    return _paid


@pytest.fixture
def tip(people, orgs):
    """A tip of 湘潭县 whose tipster is named in its own description."""
    return Lead.objects.create(
        org_unit=orgs["xt"], number="潭县自然资线索〔2025〕1号", source=LeadSource.TIP,
        received_on=MON, location="湘潭县某镇某村三组",
        suspect="李四", violation_type="illegal_occupation",
        description=f"举报人{TIPSTER}（电话{TIPSTER_PHONE}）反映，李四在耕地上挖塘",
        tipster_name=TIPSTER, tipster_phone=TIPSTER_PHONE,
        tipster_contact="wangjubao@example.com",
        assignee=people.xt_officer, created_by=people.xt_officer,
    )


def _filing(people, filed, decided, paid):
    return filed(), people.xt_officer, MON, {}


def _stop(people, filed, decided, paid):
    return filed(), people.xt_officer, MON, {}


def _notice(people, filed, decided, paid):
    return proposed(filed, people.xt_officer, "5000"), people.xt_officer, TUE, {}


def _hearing(people, filed, decided, paid):
    case = proposed(filed, people.xt_officer, "5000")
    at = dt.datetime(2025, 9, 15, 9, 30, tzinfo=SHANGHAI)
    extra = {"hearing_at": at, "hearing_place": "本局三楼听证室"}
    return case, people.xt_officer, TUE, extra


def _review(people, filed, decided, paid):
    return decided(fine="1000"), people.xt_reviewer, DECIDED_ON, {}


def _decision(people, filed, decided, paid):
    return decided(fine="1000"), people.xt_principal, DECIDED_ON, {}


def _receipt(people, filed, decided, paid):
    extra = {"document_title": "行政处罚决定书 潭县自然资罚决〔2025〕1号",
             "served_on": DECIDED_ON, "method": "直接送达", "recipient": "李四"}
    return decided(fine="1000", served=True), people.xt_officer, DECIDED_ON, extra


def _closure(people, filed, decided, paid):
    return paid(), people.xt_principal, DECIDED_ON, {}


def _termination(people, filed, decided, paid):
    case = filed()
    with on(MON):
        services.case_propose_termination(case=case, actor=people.xt_officer,
                                          reason="当事人已取得用地批准")
        services.case_terminate(case=Case.objects.get(pk=case.pk),
                                actor=people.xt_principal, reasons="同意")
    return Case.objects.get(pk=case.pk), people.xt_officer, MON, {}


def _discussion(people, filed, decided, paid):
    case = noticed(filed(), people.xt_officer, "20000")
    with on(DECIDED_ON):
        services.case_submit_review(case=case, actor=people.xt_officer)
        services.case_review(case=case, actor=people.xt_reviewer, passed=True,
                             opinion="事实清楚，证据确凿")
        services.case_submit_discussion(case=case, actor=people.xt_officer,
                                        reason="重大执法决定")
        services.case_hold_collective_discussion(
            case=case, actor=people.xt_principal, minutes="局务会讨论，一致同意拟处罚意见")
    return Case.objects.get(pk=case.pk), people.xt_principal, DECIDED_ON, {}


def _executing(people, decided, served_demand: bool):
    case = decided(fine="1000", served=True)
    with on(dt.date(2025, 10, 20)):
        execution.case_start_execution(case=case, actor=people.xt_officer)
    if served_demand:
        with on(dt.date(2026, 3, 17)):  # the six months to sue ended 03-16
            execution.case_serve_demand(case=case, actor=people.xt_officer,
                                        served_on=dt.date(2026, 3, 17))
    return Case.objects.get(pk=case.pk)


def _demand(people, filed, decided, paid):
    return (_executing(people, decided, False), people.xt_officer,
            dt.date(2025, 10, 20), {})


def _court(people, filed, decided, paid):
    return (_executing(people, decided, True), people.xt_principal,
            dt.date(2026, 4, 2), {})


# kind: (builder, word of the doc number, words the instrument must carry)
CASES = {
    "filing_approval": (_filing, "罚立", ["同意立案", "66.67平方米（合0.10亩）",
                                         "第五十四条", "执法证号：湘430321"]),
    "stop_order": (_stop, "责停", ["立即停止", "第二十八条第一款", "第六十八条第四项",
                                   "第四十四条第一款"]),
    "penalty_notice": (_notice, "罚告", [
        "罚款人民币伍仟元整（¥5,000.00）", "第四十四条、第四十五条", "第三十三条", "五个工作日",
        "第六十三条、第六十四条", "要求举行听证", "第七十七条"]),
    "hearing_notice": (_hearing, "罚听", [
        "2025年9月15日9时30分", "本局三楼听证室", "七个工作日", "申请回避",
        "一至二人代理", "视为放弃听证权利"]),
    "review_opinion": (_review, "法审", [
        "事实清楚，证据确凿", "湘潭县法审", "第五十八条", "通过",
        "罚款人民币壹仟元整（¥1,000.00）"]),
    "decision": (_decision, "罚决", [
        "当事人：李四（公民）", "罚款人民币壹仟元整（¥1,000.00）", "十五日内", "第六十七条",
        "六十日内向湘潭县人民政府申请行政复议", "六个月内", "2025年9月15日",
        "本案已经本机关法制审核", "违反了《中华人民共和国土地管理法》"]),
    "service_receipt": (_receipt, "送达", [
        "行政处罚决定书 潭县自然资罚决〔2025〕1号", "直接送达", "第六十一条"]),
    "closure_approval": (_closure, "罚结", [
        "缴纳罚款人民币壹仟元整（¥1,000.00）", "行政处罚决定已执行完毕", "第四十六条"]),
    "termination_approval": (_termination, "罚终", [
        "建议终止调查。当事人已取得用地批准。", "同意终止调查。同意。", "第二十八条",
        "呈批日期：2025年9月1日"]),
    "discussion_record": (_discussion, "罚讨", [
        "提请负责人集体讨论。重大执法决定。", "局务会讨论，一致同意拟处罚意见",
        "同意拟处理意见。", "通过：事实清楚，证据确凿",
        "罚款人民币贰万元整（¥20,000.00）", "第五十七条第二款"]),
    "demand_notice": (_demand, "催告", [
        "十个工作日内履行", "第三十五条", "加处罚款人民币陆佰元整（¥600.00）"]),
    "court_application": (_court, "强执", [
        "第五十五条", "湘潭县人民法院", "2026年6月16日前"]),
}


def test_the_table_covers_every_kind():
    assert set(SPECS) == set(CASES)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_instrument_renders_with_its_number_and_no_placeholder_left(
    kind, people, filed, decided, paid
):
    build, word, expected = CASES[kind]
    case, actor, day, extra = build(people, filed, decided, paid)
    with on(day):
        instrument = case_document_issue(case=case, kind=kind, actor=actor, **extra)
    text = text_of(instrument)
    assert instrument.doc_number == f"潭县自然资{word}〔{day.year}〕1号"
    assert instrument.doc_number in text and "湘潭县自然资源局" in text
    assert "{{" not in text and "}}" not in text
    assert case.number in text and "李四" in text
    for words in expected:
        assert words in text, words
    assert instrument.matter == case


def test_a_notice_without_a_hearing_right_leaves_the_hearing_paragraph_out(
    people, filed
):
    case = proposed(filed, people.xt_officer, "500")
    with on(TUE):
        text = text_of(case_document_issue(case=case, kind="penalty_notice",
                                           actor=people.xt_officer))
    assert "罚款人民币伍佰元整（¥500.00）" in text and "陈述和申辩" in text
    assert "要求举行听证" not in text


def test_the_decision_of_a_major_case_says_it_was_discussed(people, decided):
    case = decided(fine="20000")
    with on(DECIDED_ON):
        text = text_of(case_document_issue(case=case, kind="decision",
                                           actor=people.xt_officer))
    assert "罚款人民币贰万元整（¥20,000.00）" in text and "负责人集体讨论决定" in text


# --- refusals issue nothing -----------------------------------------------------------


def test_a_major_case_without_a_passed_review_gets_no_decision(people, filed):
    case = proposed(filed, people.xt_officer, "20000")
    assert case.is_major
    before = stored()
    with on(DECIDED_ON), pytest.raises(ValidationError, match="法制审核"):
        case_document_issue(case=case, kind="decision", actor=people.xt_principal)
    assert stored() == before


def test_a_decision_recorded_around_the_review_still_gets_no_instrument(
    people, filed
):
    case = proposed(filed, people.xt_officer, "20000")
    # A decision written into the table by hand, not through case_decide.
    Case.objects.filter(pk=case.pk).update(state="decided", decided_on=DECIDED_ON,
                                           fine_decided=Decimal(20000))
    case.refresh_from_db()
    before = stored()
    with on(DECIDED_ON), pytest.raises(ValidationError, match="第五十八条"):
        case_document_issue(case=case, kind="decision", actor=people.xt_principal)
    assert stored() == before


def test_no_decision_instrument_before_the_decision(people, filed):
    case = proposed(filed, people.xt_officer, "500")
    with on(TUE), pytest.raises(ValidationError, match="尚未作出行政处罚决定"):
        case_document_issue(case=case, kind="decision", actor=people.xt_principal)


def test_another_county_is_refused_and_nothing_is_stored(people, decided):
    case = decided(fine="1000")
    before = stored()
    for kind in ("decision", "stop_order"):
        with on(DECIDED_ON), pytest.raises(PermissionDenied):
            case_document_issue(case=case, kind=kind, actor=people.xx_officer)
    assert stored() == before


@pytest.mark.parametrize(("kind", "who"), [
    ("stop_order", "xt_reviewer"), ("review_opinion", "xt_officer"),
    ("decision", "xt_reviewer"), ("filing_approval", "xt_principal"),
])
def test_the_wrong_role_is_refused(kind, who, people, decided):
    case = decided(fine="1000")
    before = stored()
    with on(DECIDED_ON), pytest.raises(PermissionDenied):
        case_document_issue(case=case, kind=kind, actor=people[who])
    assert stored() == before


def test_an_inactive_officer_is_refused(people, filed):
    case = filed()
    people.xt_officer.is_active = False
    with on(MON), pytest.raises(PermissionDenied):
        case_document_issue(case=case, kind="stop_order", actor=people.xt_officer)


def test_a_notice_needs_a_proposal(people, filed):
    case = filed()
    with on(MON), pytest.raises(ValidationError, match="拟处罚内容"):
        case_document_issue(case=case, kind="penalty_notice", actor=people.xt_officer)


def test_a_hearing_notice_needs_a_hearing_right(people, filed):
    case = proposed(filed, people.xt_officer, "500")
    with on(TUE), pytest.raises(ValidationError, match="第六十三条"):
        case_document_issue(case=case, kind="hearing_notice", actor=people.xt_officer,
                            hearing_at=dt.date(2025, 9, 30), hearing_place="听证室")


def test_a_hearing_notice_comes_seven_working_days_ahead(people, filed):
    case = proposed(filed, people.xt_officer, "5000")
    before = stored()
    with on(TUE), pytest.raises(ValidationError, match="须在举行听证的7个工作日前"):
        case_document_issue(case=case, kind="hearing_notice", actor=people.xt_officer,
                            hearing_at=dt.date(2025, 9, 10), hearing_place="听证室")
    with on(TUE), pytest.raises(ValidationError, match="听证地点"):
        case_document_issue(case=case, kind="hearing_notice", actor=people.xt_officer,
                            hearing_at=dt.date(2025, 9, 30))
    assert stored() == before


def test_a_case_officer_cannot_chair_the_hearing(people, filed, officer2):
    case = proposed(filed, people.xt_officer, "5000")
    with on(TUE), pytest.raises(ValidationError, match="非本案调查人员"):
        case_document_issue(case=case, kind="hearing_notice", actor=people.xt_officer,
                            hearing_at=dt.date(2025, 9, 30), hearing_place="听证室",
                            hearing_chair=officer2)


def test_a_review_opinion_needs_a_review(people, filed):
    case = proposed(filed, people.xt_officer, "500")
    with on(TUE), pytest.raises(ValidationError, match="法制审核记录"):
        case_document_issue(case=case, kind="review_opinion", actor=people.xt_reviewer)


def test_a_service_receipt_names_what_is_missing(people, decided):
    case = decided(fine="1000", served=True)
    with on(DECIDED_ON), pytest.raises(ValidationError, match="送达方式、受送达人"):
        case_document_issue(case=case, kind="service_receipt", actor=people.xt_officer,
                            document_title="行政处罚决定书", served_on=DECIDED_ON)


def test_an_unpaid_case_is_not_ready_for_the_closure_form(people, decided):
    case = decided(fine="1000", served=True)
    with on(DECIDED_ON), pytest.raises(ValidationError, match="执行完毕"):
        case_document_issue(case=case, kind="closure_approval",
                            actor=people.xt_principal)
    with on(DECIDED_ON), pytest.raises(ValidationError, match="结案条件"):
        case_document_issue(case=decided(fine="1000"), kind="closure_approval",
                            actor=people.xt_principal)


def test_an_unknown_kind_is_named(people, filed):
    with pytest.raises(ValidationError, match="payment_demand"):
        case_document_issue(case=filed(), kind="payment_demand",
                            actor=people.xt_officer)


# --- the tipster ----------------------------------------------------------------------


def test_no_case_instrument_names_the_tipster(people, filed, decided, paid, tip):
    details = {"lead": tip,
               "facts_summary": f"经{TIPSTER}举报，李四未经批准占用集体土地建房"}
    texts = []
    with on(MON):
        case = filed(**details)
        for kind in ("filing_approval", "stop_order"):
            texts.append(text_of(case_document_issue(case=case, kind=kind,
                                                     actor=people.xt_officer)))
    case = paid(**details)
    with on(DECIDED_ON):
        for kind, actor in (("review_opinion", people.xt_reviewer),
                            ("decision", people.xt_principal),
                            ("closure_approval", people.xt_principal)):
            texts.append(text_of(case_document_issue(case=case, kind=kind,
                                                     actor=actor)))
    for text in texts:
        assert "李四" in text
        assert TIPSTER not in text and TIPSTER_PHONE not in text
        assert "wangjubao" not in text


def test_the_transfer_letter_describes_the_clue_not_the_tipster(people, tip):
    with on(TUE):
        letter = lead_transfer_letter_issue(
            lead=tip, actor=people.xt_officer, to_agency="湘潭县农业农村局",
            reason="反映的问题属于农村宅基地管理事项。")
    text = text_of(letter)
    assert letter.doc_number == "潭县自然资移送〔2025〕1号"
    assert letter.matter == tip
    assert "湘潭县农业农村局：" in text and "农村宅基地管理事项。该线索" in text
    assert "在耕地上挖塘" in text and tip.number in text and "{{" not in text
    assert TIPSTER not in text and TIPSTER_PHONE not in text
    assert "wangjubao" not in text


def test_a_transfer_letter_is_refused_outside_the_bureau_or_after_filing(people, tip):
    before = stored()
    with on(TUE), pytest.raises(PermissionDenied):
        lead_transfer_letter_issue(lead=tip, actor=people.xx_officer,
                                   to_agency="湘潭县农业农村局", reason="不属本局管辖")
    with on(TUE), pytest.raises(PermissionDenied):
        lead_transfer_letter_issue(lead=tip, actor=people.xt_reviewer,
                                   to_agency="湘潭县农业农村局", reason="不属本局管辖")
    Lead.objects.filter(pk=tip.pk).update(state=LeadState.FILED)
    tip.refresh_from_db()
    with on(TUE), pytest.raises(ValidationError, match="已立案"):
        lead_transfer_letter_issue(lead=tip, actor=people.xt_officer,
                                   to_agency="湘潭县农业农村局", reason="不属本局管辖")
    assert stored() == before


def test_a_transfer_letter_goes_to_the_agency_recorded(people, tip):
    Lead.objects.filter(pk=tip.pk).update(state=LeadState.TRANSFERRED,
                                          transferred_to="湘潭县公安局")
    tip.refresh_from_db()
    with on(TUE), pytest.raises(ValidationError, match="湘潭县公安局"):
        lead_transfer_letter_issue(lead=tip, actor=people.xt_officer,
                                   to_agency="湘潭县农业农村局", reason="涉嫌犯罪")


# --- the periods to sue the decision names (土地管理法第八十三条) ----------------------


def test_a_decision_with_a_fine_tells_six_months_to_sue(people, decided):
    case = decided(fine="1000")
    with on(DECIDED_ON):
        text = text_of(case_document_issue(case=case, kind="decision",
                                           actor=people.xt_officer))
    assert "也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼" in text
    assert "十五日内" not in text.split("申请行政复议")[1].split("本决定不停止")[0]


def test_a_demolition_order_beside_a_fine_tells_each_its_own_period(people, decided):
    # A demolition order may be sued within 15 days of receipt (土地管理法第八十三条,
    # a special law that the six months of 行政诉讼法第四十六条 yield to); the fine
    # keeps its six months. The decision says both, each with what it governs.
    case = decided(fine="1000")
    Case.objects.filter(pk=case.pk).update(measures_decided={"demolition_area_m2": "120"})
    case.refresh_from_db()
    with on(DECIDED_ON):
        text = text_of(case_document_issue(case=case, kind="decision",
                                           actor=people.xt_officer))
    assert ("对责令限期拆除决定不服的，自接到本决定之日起十五日内"
            "（《中华人民共和国土地管理法》第八十三条）") in text
    assert "对其他处罚内容不服的，自收到本决定书之日起六个月内" in text


def test_a_decision_of_demolition_alone_tells_fifteen_days_only(people, decided):
    case = decided(fine="1000")
    Case.objects.filter(pk=case.pk).update(
        fine_decided=None, measures_decided={"demolition_area_m2": "120"})
    case.refresh_from_db()
    with on(DECIDED_ON):
        text = text_of(case_document_issue(case=case, kind="decision",
                                           actor=people.xt_officer))
    assert "也可以自接到本决定之日起十五日内（《中华人民共和国土地管理法》第八十三条）" in text
    assert "六个月" not in text

"""Leads and tips: registration, clocks, outcomes, the answer and tipster privacy."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIRequestFactory, force_authenticate

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.deadlines.models import ClockState
from fazhi.enforcement.leads import api as lead_api
from fazhi.enforcement.leads import services as leads
from fazhi.enforcement.models import CaseState, Lead, LeadState
from tests.enforcement.conftest import MON, on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
NAME, PHONE = "王举报", "13900001111"
LATER = MON + dt.timedelta(days=7)  # Mon 2025-09-08, while the check clock runs


@pytest.fixture
def tip(people):
    """Register a named tip of 湘潭县 on Mon 2025-09-01."""

    def _tip(**extra):
        fields = dict(
            source="tip",
            channel="phone",
            received_on=MON,
            location="湘潭县某镇某村三组",
            description="有人在耕地上挖塘建房",
            assignee=people.xt_officer,
            tipster_name=NAME,
            tipster_phone=PHONE,
        )
        fields.update(extra)
        with on(MON):
            return leads.lead_register(actor=people.xt_officer, **fields)

    return _tip


def checked(lead, officer, day=LATER):
    with on(day):
        return leads.lead_check(
            lead=lead,
            actor=officer,
            checked_on=day,
            findings="现场查明挖塘约300平方米，未见用地批准文件",
        )


def _audit_text() -> str:
    return " ".join(f"{e.payload} {e.object_repr}" for e in AuditEvent.objects.all())


# --- registration and clocks ----------------------------------------------------------


def test_a_tip_starts_the_check_and_the_reply_clock(people, tip):
    lead = tip()
    assert lead.state == LeadState.RECEIVED and "线索〔2025〕1号" in lead.number
    assert lead.check_clock.rule_id == "enforcement.lead_check"
    assert lead.check_clock.due_date == dt.date(2025, 9, 22)  # 15 working days
    assert lead.reply_clock.rule_id == "enforcement.tip_reply"
    assert lead.reply_clock.due_date == dt.date(2025, 10, 31)  # 60 calendar days
    assert lead.check_clock.assignee == people.xt_officer
    assert AuditEvent.objects.filter(action="enforcement.lead_register").count() == 1
    assert audit.verify().ok


def test_a_patrol_lead_has_a_check_clock_only(people):
    with on(MON):
        lead = leads.lead_register(
            actor=people.xt_officer,
            source="patrol",
            received_on=MON,
            location="某村",
            description="巡查发现新建房屋",
            assignee=people.xt_officer,
        )
    assert lead.check_clock is not None and lead.reply_clock is None


def test_an_anonymous_tip_has_no_reply_clock_and_cannot_be_answered(people, tip):
    lead = checked(
        tip(tipster_name="", tipster_phone="", tipster_anonymous=True),
        people.xt_officer,
    )
    assert lead.reply_clock is None and lead.check_clock is not None
    with on(LATER):
        leads.lead_close(lead=lead, actor=people.xt_officer, reason="未发现违法事实")
        with pytest.raises(ValidationError) as error:
            leads.lead_answer(
                lead=lead,
                actor=people.xt_officer,
                answered_on=LATER,
                answer="经核查未发现违法",
                method="phone",
            )
    assert "匿名" in str(error.value)
    assert leads.lead_actions_open(lead) == []


def test_a_named_tip_needs_a_way_to_answer_the_tipster(people, tip):
    with pytest.raises(ValidationError) as error:
        tip(tipster_phone="")
    assert "tipster_phone" in error.value.message_dict
    assert not Lead.objects.exists()


def test_a_patch_opens_one_lead_however_often_it_is_sent(people):
    with on(MON):
        first = leads.lead_open_from_patch(
            actor=people.xt_officer,
            patch_ref="430321-2025-0042",
            location="某村",
            description="卫片图斑：新增建设用地",
        )
        again = leads.lead_open_from_patch(
            actor=people.xt_officer,
            patch_ref="430321-2025-0042",
            location="某村",
            description="卫片图斑：新增建设用地",
        )
    assert first.pk == again.pk and first.source == "patch"
    assert (
        first.external_ref == "430321-2025-0042" and first.assignee == people.xt_officer
    )
    with pytest.raises(PermissionDenied):
        leads.lead_open_from_patch(
            actor=people.xt_reviewer, patch_ref="x", location="某村", description="图斑"
        )


# --- outcomes -----------------------------------------------------------------------


def test_a_checked_lead_is_filed_as_a_case(people, officer2, tip):
    lead = checked(tip(violation_type="illegal_occupation"), people.xt_officer)
    with on(LATER):
        case = leads.lead_file_case(
            lead=lead,
            actor=people.xt_officer,
            officers=[people.xt_officer, officer2],
            party_name="李四",
            party_kind="person",
            facts_summary="未经批准占用耕地挖塘建房",
        )
    lead.refresh_from_db()
    assert case.lead == lead and case.state == CaseState.FILING_PENDING
    assert case.location == lead.location
    assert lead.state == LeadState.FILED
    assert lead.check_clock.state == ClockState.STOPPED
    assert lead.check_clock.stopped_on == LATER
    assert lead.reply_clock.state == ClockState.RUNNING  # the tipster is still owed
    assert audit.verify().ok


def test_an_unchecked_lead_cannot_be_filed_or_closed(people, tip):
    lead = tip(violation_type="illegal_occupation")
    with on(LATER), pytest.raises(ValidationError) as error:
        leads.lead_close(lead=lead, actor=people.xt_officer, reason="无违法事实")
    assert "核查" in str(error.value)
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED and not lead.cases.exists()


def test_closing_needs_reasons(people, tip):
    lead = checked(tip(), people.xt_officer)
    events = AuditEvent.objects.count()
    with on(LATER), pytest.raises(ValidationError) as error:
        leads.lead_close(lead=lead, actor=people.xt_officer, reason="  ")
    assert "reason" in error.value.message_dict
    assert AuditEvent.objects.count() == events
    with on(LATER):
        leads.lead_close(
            lead=lead,
            actor=people.xt_officer,
            reason="经核查，该地块已办理设施农用地备案",
        )
    lead.refresh_from_db()
    assert lead.state == LeadState.CLOSED and lead.outcome_reason
    assert lead.check_clock.state == ClockState.STOPPED
    with on(LATER), pytest.raises(ValidationError):
        leads.lead_close(lead=lead, actor=people.xt_officer, reason="再次")


def test_a_lead_is_transferred_with_the_transfer_letter(people, tip):
    try:
        from fazhi.enforcement.cases.documents import lead_transfer_letter_issue  # noqa: F401
    except ImportError:
        pytest.skip("fazhi.enforcement.cases.documents.lead_transfer_letter_issue 尚未提供")
    lead = checked(tip(), people.xt_officer)
    with on(LATER):
        leads.lead_transfer(
            lead=lead,
            actor=people.xt_officer,
            to_agency="湘潭县林业局",
            reason="涉嫌毁坏林地，属林业部门管辖",
        )
    lead.refresh_from_db()
    assert lead.state == LeadState.TRANSFERRED and lead.transferred_to == "湘潭县林业局"
    assert lead.check_clock.state == ClockState.STOPPED
    assert leads.lead_instruments(lead).exists()
    assert NAME not in _audit_text() and audit.verify().ok


def test_transfer_names_the_agency_and_the_reason(people, tip):
    lead = checked(tip(), people.xt_officer)
    with on(LATER), pytest.raises(ValidationError) as error:
        leads.lead_transfer(
            lead=lead, actor=people.xt_officer, to_agency="", reason="属林业部门管辖"
        )
    assert "to_agency" in error.value.message_dict


def test_the_answer_stops_the_reply_clock(people, tip):
    lead = checked(tip(), people.xt_officer)
    with on(LATER):
        with pytest.raises(ValidationError):  # not before the outcome
            leads.lead_answer(
                lead=tip(),
                actor=people.xt_officer,
                answered_on=LATER,
                answer="正在核查",
                method="phone",
            )
        leads.lead_close(lead=lead, actor=people.xt_officer, reason="已办理用地手续")
        leads.lead_answer(
            lead=lead,
            actor=people.xt_officer,
            answered_on=LATER,
            answer="经核查，该地块已依法办理用地手续",
            method="phone",
        )
    lead.refresh_from_db()
    assert lead.answered_on == LATER and not lead.awaiting_answer
    assert lead.reply_clock.state == ClockState.STOPPED
    assert lead.reply_clock.stopped_on == LATER
    with on(LATER), pytest.raises(ValidationError):
        leads.lead_answer(
            lead=lead,
            actor=people.xt_officer,
            answered_on=LATER,
            answer="再答一次",
            method="letter",
        )
    assert audit.verify().ok


# --- roles and scope --------------------------------------------------------------


def test_other_roles_cannot_register_or_act(people, tip):
    with on(MON), pytest.raises(PermissionDenied):
        leads.lead_register(
            actor=people.xt_reviewer,
            source="patrol",
            received_on=MON,
            location="某村",
            description="巡查",
            assignee=people.xt_officer,
        )
    lead = tip()
    for actor in (people.xt_reviewer, people.xt_principal, people.xt_supervisor):
        with on(LATER), pytest.raises(PermissionDenied):
            leads.lead_check(lead=lead, actor=actor, checked_on=LATER, findings="x")


def test_another_county_cannot_act_or_see(people, tip, client):
    lead = tip()
    with on(LATER), pytest.raises(PermissionDenied):
        leads.lead_check(
            lead=lead, actor=people.xx_officer, checked_on=LATER, findings="越权核查"
        )
    with on(LATER), pytest.raises(PermissionDenied):
        leads.lead_close(lead=lead, actor=people.xx_officer, reason="越权")
    client.force_login(people.xx_officer)
    assert client.get(lead.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("enforcement:lead_check", args=[lead.pk])).status_code == 404
    )
    assert (
        lead.number not in client.get(reverse("enforcement:lead_list")).content.decode()
    )
    lead.refresh_from_db()
    assert lead.checked_on is None and lead.state == LeadState.RECEIVED


def test_the_assignee_must_be_an_officer_of_the_bureau(people):
    with on(MON), pytest.raises(ValidationError) as error:
        leads.lead_register(
            actor=people.xt_officer,
            source="patrol",
            received_on=MON,
            location="某村",
            description="巡查",
            assignee=people.xx_officer,
        )
    assert "assignee" in error.value.message_dict


# --- tipster privacy --------------------------------------------------------------


def test_only_the_own_bureau_sees_the_tipster(people, tip):
    lead = tip()
    for who in ("xt_officer", "xt_principal"):
        assert leads.may_see_tipster(people[who], lead), who
        assert leads.tipster_shown(people[who], lead)["phone"] == PHONE
    for who in ("xt_reviewer", "xt_supervisor", "xx_officer", "city_principal"):
        assert not leads.may_see_tipster(people[who], lead), who
        shown = leads.tipster_shown(people[who], lead)
        assert shown["name"] == leads.TIPSTER_MASK and not shown["phone"]


def test_the_detail_page_shows_the_tipster_only_when_allowed(people, tip, login):
    lead = tip(attachments=[ContentFile(PDF, name=f"{NAME}的举报信.pdf")])
    html = login(people.xt_officer).get(lead.get_absolute_url()).content.decode()
    assert NAME in html and PHONE in html and "举报材料1.pdf" in html
    # the check period is fazhi's preset: said in words, never as a placeholder marker
    assert "（系统预置，待本局确认）" in html
    assert "UNCONFIRMED" not in html and "fazhi 默认" not in html
    for who in ("xt_reviewer", "city_principal"):
        html = login(people[who]).get(lead.get_absolute_url()).content.decode()
        assert NAME not in html and PHONE not in html, who
        assert leads.TIPSTER_MASK in html and "举报材料1.pdf" not in html
    evidence = leads.lead_attachments(lead).get()
    url = reverse("enforcement:lead_attachment", args=[lead.pk, evidence.pk])
    assert login(people.xt_reviewer).get(url).status_code == 404
    assert login(people.xt_officer).get(url).status_code == 200


def test_no_audit_event_carries_the_tipster(people, tip):
    lead = checked(
        tip(attachments=[ContentFile(PDF, name=f"{NAME}.pdf")]), people.xt_officer
    )
    with on(LATER):
        leads.lead_close(lead=lead, actor=people.xt_officer, reason="无违法事实")
        leads.lead_answer(
            lead=lead,
            actor=people.xt_officer,
            answered_on=LATER,
            answer="经核查未发现违法",
            method="phone",
        )
    text = _audit_text()
    assert NAME not in text and PHONE not in text
    assert audit.verify().ok


def test_the_export_never_carries_the_tipster(people, tip, login):
    lead = tip()
    response = login(people.xt_officer).get(reverse("enforcement:lead_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    cells = [str(c) for row in rows for c in row]
    assert lead.number in cells and leads.TIPSTER_MASK in cells
    assert NAME not in cells and PHONE not in cells


def test_a_search_by_the_tipsters_name_finds_nothing(people, tip):
    tip()
    assert not leads.lead_list(actor=people.xt_reviewer, q=NAME).exists()
    assert leads.lead_list(actor=people.xt_reviewer, q="挖塘").count() == 1


def test_the_api_masks_the_tipster_for_others(people, tip):
    lead = tip()
    factory = APIRequestFactory()

    def get(user, view, **kwargs):
        request = factory.get("/")
        force_authenticate(request, user=user)
        return view.as_view()(request, **kwargs).data

    mine = get(people.xt_officer, lead_api.LeadDetail, pk=lead.pk)
    assert mine["tipster_name"] == NAME and mine["tipster_phone"] == PHONE
    theirs = get(people.xt_reviewer, lead_api.LeadDetail, pk=lead.pk)
    assert theirs["tipster_name"] == leads.TIPSTER_MASK and not theirs["tipster_phone"]
    listed = get(people.city_principal, lead_api.LeadList)["results"]
    assert [r["number"] for r in listed] == [lead.number]
    assert listed[0]["tipster_name"] == leads.TIPSTER_MASK
    assert listed[0]["check_due"] == "2025-09-22"


# --- pages ------------------------------------------------------------------------


def test_an_officer_runs_a_tip_through_the_pages(people, officer2, login):
    client = login(people.xt_officer)
    with on(MON):
        form = client.get(reverse("enforcement:lead_register")).content.decode()
        assert 'enctype="multipart/form-data"' in form and "举报人姓名" in form
        response = client.post(
            reverse("enforcement:lead_register"),
            {
                "source": "tip",
                "channel": "hotline_12345",
                "received_on": "2025-09-01",
                "external_ref": "12345-0901-77",
                "location": "湘潭县某镇",
                "violation_type": "illegal_occupation",
                "description": "占用耕地建房",
                "tipster_name": NAME,
                "tipster_phone": PHONE,
                "assignee": people.xt_officer.pk,
                "attachments": ContentFile(PDF, name="工单.pdf"),
            },
        )
    lead = Lead.objects.get()
    assert response.status_code == 302 and response.url == lead.get_absolute_url()
    assert lead.reply_clock and lead.check_clock
    with on(LATER):
        client = login(people.xt_officer)  # a week later: a new session
        html = client.get(lead.get_absolute_url()).content.decode()
        assert reverse("enforcement:lead_check", args=[lead.pk]) in html
        client.post(
            reverse("enforcement:lead_check", args=[lead.pk]),
            {"checked_on": "2025-09-08", "findings": "属实"},
        )
        page = client.get(reverse("enforcement:lead_file_case", args=[lead.pk]))
        assert page.status_code == 200 and "承办执法人员" in page.content.decode()
        response = client.post(
            reverse("enforcement:lead_file_case", args=[lead.pk]),
            {
                "violation_type": "illegal_occupation",
                "party_name": "李四",
                "party_kind": "person",
                "location": "湘潭县某镇",
                "facts_summary": "未经批准占用耕地建房",
                "officers": [people.xt_officer.pk, officer2.pk],
            },
        )
        assert response.status_code == 302
        client.post(
            reverse("enforcement:lead_answer", args=[lead.pk]),
            {"answered_on": "2025-09-08", "method": "phone", "answer": "已立案查处"},
        )
        list_html = client.get(reverse("enforcement:lead_list")).content.decode()
    lead.refresh_from_db()
    assert lead.state == LeadState.FILED and lead.cases.get().party_name == "李四"
    assert lead.answered_on == LATER
    assert lead.number in list_html
    assert audit.verify().ok


def test_a_refused_step_names_the_field_on_the_page(people, tip, login):
    lead = checked(tip(), people.xt_officer)
    with on(LATER):
        response = login(people.xt_officer).post(
            reverse("enforcement:lead_close", args=[lead.pk]),
            {"reason": "", "confirm": "on"},
        )
    assert response.status_code == 200 and "不予立案理由" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED


def test_pages_refuse_the_wrong_role(people, tip, login):
    lead = tip()
    client = login(people.xt_reviewer)
    assert client.get(reverse("enforcement:lead_register")).status_code == 403
    assert (
        client.get(reverse("enforcement:lead_check", args=[lead.pk])).status_code == 403
    )
    assert client.get(lead.get_absolute_url()).status_code == 200
    assert (
        login(people.xt_disclosure).get(reverse("enforcement:lead_list")).status_code
        == 403
    )


def test_the_list_filters_overdue_leads(people, tip, login):
    late = tip()
    with on(dt.date(2025, 9, 30)):
        fresh = leads.lead_register(
            actor=people.xt_officer,
            source="patrol",
            received_on=dt.date(2025, 9, 30),
            location="某村",
            description="巡查",
            assignee=people.xt_officer,
        )
        html = (
            login(people.xt_officer)
            .get(reverse("enforcement:lead_list"), {"overdue": "on"})
            .content.decode()
        )
    assert late.number in html and fresh.number not in html
    assert 'class="row-red"' in html

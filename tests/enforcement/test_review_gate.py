"""The review gate, attacked the ways a red-team pass got round it (issue 13, 1–4).

"重大执法决定必须经法制机构审核，未经审核或审核不通过不得作出决定": each test
performs one attack through the page, the API or the command line, and checks that
the case did not move, nothing was published and no audit event was written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.enforcement.cases import services
from fazhi.enforcement.models import Case, CaseState
from tests.enforcement.conftest import (
    DECIDED_ON,
    MON,
    area_for,
    noticed,
    on,
    recorded,
)

OPINION = "事实清楚，证据确凿，适用法律正确，程序合法"


def _state(case) -> str:
    return Case.objects.get(pk=case.pk).state


@pytest.fixture
def big_org_case(filed):
    """An organisation's case of 3,000 m² of farmland, filing approved."""
    return filed(party_kind="organisation", party_name="某建材有限公司",
                 area_m2=Decimal("3000"))


def _unmoved(case, events: int) -> None:
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == CaseState.FILED and stored.decided_on is None
    assert stored.fine_decided is None
    assert AuditEvent.objects.count() == events


# --- 1. a major decision straight from 已立案 ----------------------------------------


def test_the_decide_page_cannot_fine_a_case_that_was_never_notified(
        client, login, people, big_org_case):
    login(people.xt_principal)
    events = AuditEvent.objects.count()
    with on(DECIDED_ON):
        response = client.post(
            reverse("enforcement:case_decide", args=[big_org_case.pk]),
            {"fine_decided": "300000", "departure_reason": "情节严重"})
    assert response.status_code == 200
    assert "不能作出行政处罚决定" in response.content.decode()
    _unmoved(big_org_case, events)
    public = client.get(reverse("publicity:list", args=["430321"]))
    assert big_org_case.number not in public.content.decode()


def test_the_api_and_the_command_line_cannot_either(
        client, login, people, big_org_case):
    login(people.xt_principal)
    events = AuditEvent.objects.count()
    url = reverse("api-enforcement-case-action", args=[big_org_case.pk, "decide"])
    with on(DECIDED_ON):
        response = client.post(url, {"fine_decided": "300000",
                                     "departure_reason": "情节严重"})
        assert response.status_code == 400
        with pytest.raises(CommandError, match="不能作出行政处罚决定"):
            call_command("case", "act", str(big_org_case.pk), "decide",
                         "--user", people.xt_principal.username,
                         "--field", "fine_decided=300000",
                         "--field", "departure_reason=情节严重", stdout=StringIO())
    _unmoved(big_org_case, events)


@pytest.mark.parametrize("measure", [
    {"illegal_gains_yuan": "200000"}, {"demolition_area_m2": "3000"},
    {"confiscate_buildings": "on"}, {"licence_revoked": "on"},
    {"other_measures": "责令退还非法占用的土地"},
])
def test_no_penalty_of_any_kind_is_decided_without_a_notice(
        client, login, people, big_org_case, measure):
    login(people.xt_principal)
    events = AuditEvent.objects.count()
    with on(DECIDED_ON):
        client.post(reverse("enforcement:case_decide", args=[big_org_case.pk]),
                    {"fine_decided": "0", **measure})
    _unmoved(big_org_case, events)


def test_a_decision_not_to_penalise_has_its_own_step_with_reasons(
        client, login, people, big_org_case):
    login(people.xt_principal)
    url = reverse("enforcement:case_decide_no_penalty", args=[big_org_case.pk])
    with on(DECIDED_ON):
        empty = client.post(url, {"confirm": "on"})
        assert "理由" in empty.content.decode()
        assert _state(big_org_case) == CaseState.FILED
        client.post(url, {"confirm": "on", "reason": "违法行为轻微并及时改正"})
    case = Case.objects.get(pk=big_org_case.pk)
    assert case.state == CaseState.DECIDED and case.fine_decided == 0
    assert case.steps.last().action == "decide_no_penalty"
    assert not services.case_facts(case).penalty


def test_a_fine_decided_is_judged_as_decided_not_as_proposed(people, filed):
    """A notice of 1,000 yuan (not major) cannot become a decision of 300,000."""
    case = noticed(filed(area_m2=area_for("1000")), people.xt_officer, "1000")
    assert not case.is_major
    with on(DECIDED_ON), pytest.raises(ValidationError, match="不得高于告知书"):
        services.case_decide(case=case, actor=people.xt_principal,
                             fine_decided=Decimal("300000"),
                             departure_reason="情节严重")
    assert _state(case) == CaseState.NOTICE_SERVED


# --- 2. every major-decision criterion, judged on the measures ------------------------


def _notice_with(client, case, officer, **fields):
    client.force_login(officer)
    with on(MON + dt.timedelta(days=1)):
        response = client.post(
            reverse("enforcement:case_serve_notice", args=[case.pk]),
            {"fine_proposed": "1000", "served_on": "2025-09-02", **fields})
    client.logout()
    return response


@pytest.mark.parametrize(("measure", "reason"), [
    ({"illegal_gains_yuan": "200000"}, "没收违法所得"),
    ({"demolition_area_m2": "120"}, "拆除"),
    ({"confiscate_buildings": "on"}, "没收违法用地上的新建建筑物"),
    ({"licence_revoked": "on"}, "吊销许可证件"),
    ({"complex_facts": "on"}, "疑难复杂"),
])
def test_each_measure_proposed_makes_the_decision_major(
        client, people, filed, measure, reason):
    case = filed(area_m2=area_for("1000"))
    _notice_with(client, case, people.xt_officer, **measure)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.NOTICE_SERVED
    assert case.is_major and reason in case.major_reasons
    client.force_login(people.xt_principal)
    events = AuditEvent.objects.count()
    with on(DECIDED_ON):
        page = client.post(reverse("enforcement:case_decide", args=[case.pk]),
                           {"fine_decided": "1000", **measure})
        api = client.post(
            reverse("api-enforcement-case-action", args=[case.pk, "decide"]),
            {"fine_decided": "1000"})  # the notice's measures stand when not given
    assert "法制审核" in page.content.decode()
    assert api.status_code == 400 and "法制审核" in api.content.decode()
    assert _state(case) == CaseState.NOTICE_SERVED
    assert AuditEvent.objects.count() == events


def test_a_measure_not_in_the_notice_cannot_be_added_at_decision(
        client, people, filed):
    case = filed(area_m2=area_for("1000"))
    _notice_with(client, case, people.xt_officer)
    client.force_login(people.xt_principal)
    with on(DECIDED_ON):
        response = client.post(reverse("enforcement:case_decide", args=[case.pk]),
                               {"fine_decided": "1000", "licence_revoked": "on"})
        api = client.post(
            reverse("api-enforcement-case-action", args=[case.pk, "decide"]),
            {"fine_decided": "1000", "illegal_gains_yuan": "5000"})
        with pytest.raises(CommandError, match="不得在决定时增加"):
            call_command("case", "act", str(case.pk), "decide",
                         "--user", people.xt_principal.username,
                         "--field", "fine_decided=1000",
                         "--field", "demolition_area_m2=50", stdout=StringIO())
    assert "不得在决定时增加" in response.content.decode()
    assert "吊销许可证件" in response.content.decode()
    assert api.status_code == 400 and "不得在决定时增加" in api.content.decode()
    assert _state(case) == CaseState.NOTICE_SERVED


def test_a_listed_measure_cannot_hide_in_the_free_text(client, people, filed):
    case = filed(area_m2=area_for("1000"))
    response = _notice_with(client, case, people.xt_officer,
                            other_measures="没收在非法占用的土地上新建的建筑物")
    assert "请在对应的处罚种类中勾选" in response.content.decode()
    assert _state(case) == CaseState.FILED


def test_a_lighter_decision_than_the_notice_goes_through_after_review(
        client, people, filed):
    """The lawful path still works: notified, reviewed, discussed, decided lighter."""
    case = filed(area_m2=area_for("1000"))
    _notice_with(client, case, people.xt_officer, demolition_area_m2="120",
                 other_measures="责令退还非法占用的土地")
    case = Case.objects.get(pk=case.pk)
    with on(DECIDED_ON):
        services.case_submit_review(case=case, actor=people.xt_officer)
        services.case_review(case=case, actor=people.xt_reviewer, passed=True,
                             opinion=OPINION)
        services.case_submit_discussion(case=case, actor=people.xt_officer)
        services.case_hold_collective_discussion(case=case, actor=people.xt_principal,
                                                 minutes="同意")
        client.force_login(people.xt_principal)
        client.post(reverse("enforcement:case_decide", args=[case.pk]),
                    {"fine_decided": "1000", "demolition_area_m2": "100"})
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.DECIDED and case.is_major
    assert case.measures_decided["demolition_area_m2"] == "100"
    assert "（100平方米）" in case.other_measures
    assert "责令退还非法占用的土地" in case.other_measures  # kept from the notice


# --- 3. backdated service ---------------------------------------------------------


def test_a_notice_cannot_be_served_before_the_case_was_filed(people, filed):
    case = filed()
    with on(MON + dt.timedelta(days=1)), pytest.raises(ValidationError,
                                                       match="不能早于立案日期"):
        services.case_serve_notice(case=case, actor=people.xt_officer,
                                   fine_proposed=Decimal(20000),
                                   served_on=MON - dt.timedelta(days=20),
                                   late_reason="补登")
    assert _state(case) == CaseState.FILED


def test_a_decision_cannot_be_served_before_it_was_made(people, decided):
    case = decided("1000")
    with on(DECIDED_ON + dt.timedelta(days=1)), pytest.raises(
            ValidationError, match="不能早于决定日期"):
        services.case_serve_decision(case=case, actor=people.xt_officer,
                                     served_on=DECIDED_ON - dt.timedelta(days=300),
                                     late_reason="补登")
    assert _state(case) == CaseState.DECIDED and case.payment_clock is None


@pytest.mark.parametrize("day", ["0001-01-01", "2000-01-03", "9999-12-31"])
def test_an_implausible_service_date_is_a_form_error_not_a_crash(
        client, login, people, decided, day):
    case = decided("1000")
    login(people.xt_officer)
    with on(DECIDED_ON + dt.timedelta(days=1)):
        response = client.post(
            reverse("enforcement:case_serve_decision", args=[case.pk]),
            {"on": day, "late_reason": "补登"})
    assert response.status_code == 200
    assert "决定书送达日期" in response.content.decode()
    assert _state(case) == CaseState.DECIDED


def test_a_late_entry_needs_a_reason_and_shows_in_the_file(
        client, login, people, decided):
    case = decided("1000")
    later = DECIDED_ON + dt.timedelta(days=10)
    login(people.xt_officer)
    url = reverse("enforcement:case_serve_decision", args=[case.pk])
    with on(later):
        refused = client.post(url, {"on": DECIDED_ON.isoformat()})
        assert "补登理由" in refused.content.decode()
        assert _state(case) == CaseState.DECIDED
        client.post(url, {"on": DECIDED_ON.isoformat(),
                          "late_reason": "送达回证由乡镇转回较晚"})
        detail = client.get(case.get_absolute_url()).content.decode()
    assert _state(case) == CaseState.SERVED
    assert "补登" in detail and "送达回证由乡镇转回较晚" in detail


# --- 4. reviewer independence ----------------------------------------------------


def test_a_reviewer_who_acted_on_the_case_cannot_pass_its_review(people, filed):
    """The security administrator makes the reviewer an officer too; that user
    serves the notice and submits for review, then tries to pass it."""
    from fazhi.core import services as core

    reviewer = people.xt_reviewer
    core.user_grant_role(user=reviewer, role="enforcement_officer",
                         actor=people.xt_secadmin, badge_number="43030099")
    reviewer.refresh_from_db()
    case = filed()
    with on(MON + dt.timedelta(days=1)):
        services.case_serve_notice(case=case, actor=reviewer,
                                   fine_proposed=Decimal(600000) / 30,
                                   served_on=MON + dt.timedelta(days=1))
    with on(DECIDED_ON):
        services.case_submit_review(case=case, actor=reviewer)
        with pytest.raises(ValidationError, match="经办"):
            services.case_review(case=case, actor=reviewer, passed=True,
                                 opinion=OPINION)
        with pytest.raises(ValidationError, match="法制审核"):
            services.case_decide(case=case, actor=people.xt_principal,
                                 fine_decided=case.fine_proposed)
    assert _state(case) == CaseState.LEGAL_REVIEW
    assert not case.reviews.exists()


def test_a_review_passed_before_the_reviewer_acted_does_not_count(people, filed):
    """A reviewer who passes first and then takes a step on the case is no longer
    independent: the decision is refused until another reviewer passes it."""
    from fazhi.core import services as core

    case = noticed(filed(), people.xt_officer, "20000")
    reviewer = people.xt_reviewer
    with on(DECIDED_ON):
        services.case_submit_review(case=case, actor=people.xt_officer)
        services.case_review(case=case, actor=reviewer, passed=True, opinion=OPINION)
        services.case_submit_discussion(case=case, actor=people.xt_officer)
        services.case_hold_collective_discussion(case=case, actor=people.xt_principal,
                                                 minutes="同意")
    core.user_grant_role(user=reviewer, role="enforcement_officer",
                         actor=people.xt_secadmin, badge_number="43030099")
    reviewer.refresh_from_db()
    with on(DECIDED_ON):
        recorded(case, reviewer)
        with pytest.raises(ValidationError, match="法制审核"):
            services.case_decide(case=case, actor=people.xt_principal,
                                 fine_decided=Decimal(20000))
    assert _state(case) == CaseState.COLLECTIVE_DISCUSSION


def test_the_file_review_shows_late_entries(client, login, people, decided):
    case = decided("1000")
    with on(DECIDED_ON + dt.timedelta(days=10)):
        services.case_serve_decision(case=case, actor=people.xt_officer,
                                     served_on=DECIDED_ON,
                                     late_reason="送达回证由乡镇转回较晚")
    login(people.xt_supervisor)
    page = client.get(reverse("enforcement:file_review_new", args=[case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "补登的环节" in text and "送达回证由乡镇转回较晚" in text


def test_a_backdated_hearing_request_or_notification_needs_a_reason(people, filed):
    """The request's date decides whether it came in time, the notification's
    whether the party had seven working days: neither may be backdated silently."""
    case = noticed(filed(), people.xt_officer, "20000")
    later = MON + dt.timedelta(days=20)
    with on(later):
        with pytest.raises(ValidationError, match="补登理由"):
            services.case_request_hearing(case=case, actor=people.xt_officer,
                                          requested_on=MON + dt.timedelta(days=3))
        with pytest.raises(ValidationError, match="不能早于告知书送达日期"):
            services.case_request_hearing(case=case, actor=people.xt_officer,
                                          requested_on=MON, late_reason="补登")
        services.case_request_hearing(case=case, actor=people.xt_officer,
                                      requested_on=MON + dt.timedelta(days=3),
                                      late_reason="申请书由乡镇转交")
        assert _state(case) == CaseState.HEARING_REQUESTED
        with pytest.raises(ValidationError, match="补登理由"):
            services.case_hold_hearing(case=case, actor=people.xt_principal,
                                       notified_on=MON + dt.timedelta(days=4),
                                       chair=people.xt_legal)
    assert _state(case) == CaseState.HEARING_REQUESTED


def test_a_backdated_demand_cannot_open_the_court_application(people, decided):
    from fazhi.enforcement.cases import execution

    case = decided("1000", served=True)
    later = DECIDED_ON + dt.timedelta(days=40)
    with on(later):
        with pytest.raises(ValidationError, match="不能早于决定书送达日期"):
            execution.case_serve_demand(case=case, actor=people.xt_officer,
                                        served_on=DECIDED_ON - dt.timedelta(days=1),
                                        late_reason="补登")
        with pytest.raises(ValidationError, match="补登理由"):
            execution.case_serve_demand(case=case, actor=people.xt_officer,
                                        served_on=DECIDED_ON + dt.timedelta(days=16))
    assert Case.objects.get(pk=case.pk).demand_served_on is None

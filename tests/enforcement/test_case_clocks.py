"""A case's clocks mean what the law means (deadlines.overdue): the party's windows
lapse, they are never the bureau's 超期; the decision ends the case period; a case
that ended runs no clock; its stage table and history read as it happened.

Issue 14, as seen on the demo: the principal's dashboard counted the parties'
statement and hearing windows, some of cases closed the year before, as the
bureau's overdue clocks; a closed case kept red 超期 badges, its stage table said
执行 未开始 / 结案 进行中, and its history left out the payment and execution steps.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.deadlines.models import Clock, ClockState
from fazhi.enforcement.cases import execution, services
from tests import overdue_figures as figures
from tests.enforcement.conftest import DECIDED_ON, MON, area_for, noticed, on
from tests.migrating import migrate, migrate_latest

D = dt.date


def test_the_partys_lapsed_windows_never_count_as_the_bureaus_overdue(
        client, people, filed):
    case = noticed(filed(area_m2=area_for("1000")), people.xt_officer, "1000")
    with on(D(2025, 10, 1)):  # windows lapsed; the 90-day period runs to 11-30
        client.force_login(people.xt_principal)
        assert figures.dashboard(client, "enforcement") == 0
        page = client.get(reverse("enforcement:case_detail", args=[case.pk]))
        html = page.content.decode()
        assert "已届满" in html and ">超期<" not in html
        assert figures.said(client, reverse("enforcement:case_list")) == 0
    with on(D(2025, 12, 2)):  # the case period itself is past: that is overdue
        client.force_login(people.xt_principal)  # a new day, a new session
        assert figures.dashboard(client, "enforcement") == 1
        assert figures.clock_list(client, "enforcement") == 1
        assert figures.said(client, reverse("enforcement:case_list")) == 1
        assert figures.listed(client, reverse("enforcement:case_list")) == 1


def test_the_decision_ends_the_case_period_and_the_windows_before_it(decided):
    case = decided(served=True)
    case.refresh_from_db()
    assert case.case_clock.state == ClockState.STOPPED
    assert case.case_clock.stopped_on == DECIDED_ON
    for clock in (case.statement_clock, case.hearing_clock):
        assert not clock.is_open
    assert case.payment_clock.is_open  # the party's 15 days to pay run on


def test_a_closed_case_reads_closed_with_its_payment_and_execution(
        client, people, decided):
    case = decided(served=True)
    with on(D(2025, 9, 20)):
        execution.case_record_payment(case=case, actor=people.xt_officer,
                                      paid_on=D(2025, 9, 20))
        services.case_propose_closure(case=case, actor=people.xt_officer)
        services.case_close(case=case, actor=people.xt_principal)
    assert not Clock.objects.filter(object_id=str(case.pk),
                                    state__in=("running", "paused")).exists()
    with on(D(2026, 3, 2)):  # long after every window of it
        client.force_login(people.xt_principal)
        html = client.get(reverse("enforcement:case_detail",
                                  args=[case.pk])).content.decode()
    stages = html[html.index('class="list stages"'):]
    stages = stages[:stages.index("</table>")]
    assert "<td>执行</td><td>已完成</td>" in stages
    assert "<td>结案</td><td>已完成</td>" in stages
    assert "进行中" not in stages and "未开始" not in stages
    assert ">超期<" not in html
    history = html[html.index('class="timeline"'):]
    assert "登记罚款缴纳" in history and "结案" in history


def test_execution_steps_are_written_to_the_case_log(people, decided):
    case = decided(fine="1000", served=True)
    with on(D(2025, 10, 20)):
        execution.case_record_remedy(case=case, actor=people.xt_officer,
                                     started_on=D(2025, 10, 10))
        execution.case_serve_demand(case=case, actor=people.xt_officer,
                                    served_on=D(2025, 10, 20))
    with on(D(2025, 11, 20)):
        execution.case_record_payment(case=case, actor=people.xt_officer,
                                      paid_on=D(2025, 11, 20))
        execution.case_complete_execution(case=case, actor=people.xt_officer,
                                          completed_on=D(2025, 11, 20),
                                          note="罚款已缴清")
    actions = list(case.steps.values_list("action", flat=True))
    assert actions[-4:] == ["remedy", "demand", "payment", "complete_execution"]


def test_a_terminated_case_stops_its_period_and_says_when(people, filed):
    case = filed()
    with on(MON + dt.timedelta(days=100)):  # past the 90 days
        services.case_propose_termination(case=case, actor=people.xt_officer,
                                          reason="违法事实不能成立")
        services.case_terminate(case=case, actor=people.xt_principal)
    case.case_clock.refresh_from_db()
    from fazhi.deadlines.overdue import clock_badge

    with on(D(2026, 3, 2)):
        badge = clock_badge(case.case_clock)
    assert case.case_clock.state == ClockState.STOPPED
    assert badge.label.startswith("逾期") and badge.label.endswith("个工作日办结")
    assert not badge.overdue


def test_an_officer_asks_and_the_principal_approves_a_longer_case_period(
        client, people, filed):
    case = filed()
    with on(D(2025, 11, 3)):
        client.force_login(people.xt_officer)
        client.post(reverse("enforcement:case_extend", args=[case.pk]),
                    {"days": "20", "reason": "涉案土地需测绘鉴定"})
        case.case_clock.refresh_from_db()
        due = case.case_clock.due_date
        client.force_login(people.xt_principal)
        response = client.post(reverse("enforcement:case_extension_decide",
                                       args=[case.pk]), {"approve": "1"})
    assert response.status_code == 302
    case.case_clock.refresh_from_db()
    ext = case.case_clock.extensions.get()
    assert (ext.requested_by, ext.decided_by) == (people.xt_officer,
                                                  people.xt_principal)
    # 110 days after 09-01 is Sat 12-20: the period ends on Mon 12-22.
    assert (due, case.case_clock.due_date) == (D(2025, 12, 1), D(2025, 12, 22))


@pytest.mark.django_db(transaction=True)
def test_the_migration_ends_the_clocks_of_cases_that_ended_and_logs_execution(
        people, decided):
    """Cases from before: a closed case's clocks still ran and its payment was only
    in the audit chain. The migration ends them and writes the step."""

    case = decided(served=True)
    with on(D(2025, 9, 20)):
        execution.case_record_payment(case=case, actor=people.xt_officer,
                                      paid_on=D(2025, 9, 20))
        services.case_propose_closure(case=case, actor=people.xt_officer)
        services.case_close(case=case, actor=people.xt_principal)
    clocks = Clock.objects.filter(object_id=str(case.pk),
                                  content_type__model="case")
    clocks.update(state="running", stopped_on=None, ended_as="")  # as before
    case.steps.filter(action="payment").delete()

    migrate([("enforcement", "0004_case_measures")])
    migrate_latest()

    ended = {c.rule_id: (c.state, c.ended_as, c.stopped_on) for c in clocks}
    # The decision ended the case period and the statement window, the closure the
    # rest: the case period of a case closed after its 90 days is not 逾期办结.
    assert ended["penalty.case"] == ("stopped", "closed", DECIDED_ON)
    assert ended["penalty.statement"] == ("cancelled", "closed", DECIDED_ON)
    assert ended["penalty.fine_payment"] == ("cancelled", "closed", D(2025, 9, 20))
    step = case.steps.get(action="payment")
    assert step.actor == people.xt_officer and "缴纳" in step.note


def test_nobody_decides_their_own_case_extension_through_the_api(client, people,
                                                                 filed):
    """An officer who is also a principal asks: neither the page nor the API lets
    them decide it; another principal does."""
    from fazhi.core import services as core
    from fazhi.core.roles import Role

    officer = people.xt_officer
    core.user_grant_role(user=officer, role=Role.PRINCIPAL, actor=None)
    case = filed()
    with on(D(2025, 11, 3)):
        services.case_extension_ask(case=case, actor=officer, days=20,
                                    reason="涉案土地需测绘鉴定")
        client.force_login(officer)
        url = reverse("api-enforcement-case-action", args=[case.pk, "extension_decide"])
        refused = client.post(url, {"approve": "1"})
        assert refused.status_code == 403
        assert "不能自己审批" in str(refused.json())
        client.force_login(people.xt_principal)
        assert client.post(url, {"approve": "1"}).status_code == 200
    ext = case.case_clock.extensions.get()
    assert (ext.requested_by, ext.decided_by) == (officer, people.xt_principal)

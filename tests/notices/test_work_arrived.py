"""A matter moved into a state that waits on someone tells exactly the people who
must act next — in the matter's own bureau, the one it is given to when it is —
once, with a link to where it is done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import NoticeKind, Notification
from tests.enforcement.conftest import DECIDED_ON, area_for, noticed, on, recorded


@pytest.fixture
def reviewable(people, filed):
    """A case whose pre-decision notice proposes a 1 000 yuan fine, ready to be
    submitted for legal review."""
    return noticed(filed(area_m2=area_for("1000")), people.xt_officer, "1000")


def test_a_case_submitted_for_review_tells_the_reviewer_of_its_bureau_only(
        people, reviewable, client, committed, notes):
    case = reviewable
    client.force_login(people.xt_officer)
    with on(DECIDED_ON), committed():
        answer = client.post(reverse("enforcement:case_submit_review", args=[case.pk]),
                             {"departure_reason": ""})
    assert answer.status_code == 302

    assert notes(people.xt_reviewer, NoticeKind.WORK) == [
        f"新待办：法制审核 {case.number}"]
    note = Notification.objects.get(user=people.xt_reviewer, kind=NoticeKind.WORK)
    assert note.link == reverse("enforcement:case_detail", args=[case.pk])
    # Never a reviewer of another county, nor the officer who made the move.
    assert notes(people.xx_reviewer) == []
    assert f"新待办：法制审核 {case.number}" not in notes(people.xt_officer)

    # The reviewer reads it under 通知 and goes from it to the case.
    client.force_login(people.xt_reviewer)
    page = client.get(reverse("web:notifications")).content.decode()
    assert f"新待办：法制审核 {case.number}" in page and "去办理" in page
    opened = client.post(reverse("web:notification_read", args=[note.pk]))
    assert opened.url == note.link
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_case_moving_on_tells_its_own_officers_not_every_officer(
        people, reviewable, committed, notes):
    from fazhi.core import services as core_services
    from fazhi.core.roles import Role
    from fazhi.enforcement.cases import services

    other = core_services.user_create(
        username="xt_officer3", full_name="湘潭县执法三", org_unit=people.xt_officer.org_unit,
        password="x" * 12, actor=None)
    core_services.user_grant_role(user=other, role=Role.ENFORCEMENT_OFFICER, actor=None,
                                  badge_number="湘430321-3")
    case = reviewable
    with on(DECIDED_ON), committed():
        services.case_submit_review(case=case, actor=people.xt_officer)
        services.case_review(case=case, actor=people.xt_reviewer, passed=False,
                             opinion="证据不足，请补充现场勘验笔录")
    # Returned for correction: the case's two officers act next, and only they.
    assert notes(people.xt_officer2, NoticeKind.WORK) == [
        f"新待办：补正后重新提请审核 {case.number}"]
    assert notes(people.xt_officer, NoticeKind.WORK) == [
        f"新待办：补正后重新提请审核 {case.number}"]
    assert notes(other) == []


def test_the_same_move_told_twice_is_one_notification(people, reviewable, committed):
    from fazhi.core.models import AuditEvent
    from fazhi.core.notices import work_arrived
    from fazhi.enforcement.cases import services

    case = reviewable
    with on(DECIDED_ON), committed():
        services.case_submit_review(case=case, actor=people.xt_officer)
    event = AuditEvent.objects.filter(action="enforcement.submit_review").last()
    # A retried worker runs the same notice again: nobody is told twice.
    assert work_arrived(type(case), case.pk, case.state,
                        event=f"work:{event.seq}") == []
    assert Notification.objects.filter(user=people.xt_reviewer).count() == 1


def test_a_move_that_never_commits_tells_nobody(people, reviewable, notes):
    from fazhi.enforcement.cases import services

    with on(DECIDED_ON):
        services.case_submit_review(case=reviewable, actor=people.xt_officer)
    # The test's transaction is never committed: the notice waits on the commit.
    assert notes(people.xt_reviewer) == []


def test_a_case_opened_for_filing_tells_the_principal_of_its_bureau(
        people, officer2, committed, notes):
    from decimal import Decimal

    from fazhi.enforcement.cases import services
    from tests.enforcement.conftest import MON

    with on(MON), committed():
        case = services.case_file(
            actor=people.xt_officer, officers=[people.xt_officer, officer2],
            violation_type="illegal_occupation", party_name="李四",
            party_kind="person", facts_summary="未经批准占用集体土地建房",
            location="湘潭县某镇某村", area_m2=Decimal("66.67"), land_class="farmland")
    assert notes(people.xt_principal) == [f"新待办：审批立案 {case.number}"]
    assert notes(people.xx_principal) == [] and notes(people.city_principal) == []
    assert notes(people.xt_officer) == [] and notes(officer2) == []


def test_a_request_registered_for_another_officer_tells_that_officer(
        people, committed, notes):
    from fazhi.core import services as core_services
    from fazhi.core.roles import Role
    from fazhi.disclosure import services

    colleague = core_services.user_create(
        username="xt_disclosure2", full_name="湘潭县公开二",
        org_unit=people.xt_disclosure.org_unit, password="x" * 12, actor=None)
    core_services.user_grant_role(user=colleague, role=Role.DISCLOSURE_OFFICER,
                                  actor=None)
    with on(DECIDED_ON), committed():
        req = services.request_register(
            actor=people.xt_disclosure, channel="in_person", submitted_on=DECIDED_ON,
            requester_category="natural_person", requester_name="张三",
            content="本县2025年建设用地批准文件", assignee=colleague)
    assert notes(colleague) == [f"新待办：办理答复 {req.number}"]
    assert notes(people.xt_disclosure) == []  # who registered it, not given it


def test_an_account_no_longer_active_is_not_told(people, reviewable, committed,
                                                 notes):
    from fazhi.core import services as core_services
    from fazhi.enforcement.cases import services

    core_services.user_set_active(user=people.xt_reviewer, active=False,
                                  actor=people.xt_sysadmin)
    with on(DECIDED_ON), committed():
        services.case_submit_review(case=reviewable, actor=people.xt_officer)
    assert notes(people.xt_reviewer) == []


def test_a_case_submitted_for_review_never_tells_a_reviewer_who_took_part(
        people, reviewable, third_officer, committed, notes):
    """xt_officer3 is a legal reviewer who holds a badge and recorded the case's
    evidence: the other reviewer is told, they are not (as 我的待办 shows it)."""
    from fazhi.core import services as core_services
    from fazhi.core.roles import Role
    from fazhi.enforcement.cases import services

    core_services.user_grant_role(user=third_officer, role=Role.LEGAL_REVIEWER,
                                  actor=None)
    with on(DECIDED_ON), committed():
        recorded(reviewable, third_officer)
        services.case_submit_review(case=reviewable, actor=people.xt_officer)
    assert notes(people.xt_reviewer) == [f"新待办：法制审核 {reviewable.number}"]
    assert notes(third_officer) == []


def test_a_batchs_patches_sent_back_tell_the_officer_who_took_it_in(
        people, patch, officer2, third_officer, committed, notes):
    from fazhi.monitoring import services

    with on(dt.date(2025, 11, 5)), committed():
        task = services.task_assign(patch=patch, assignee=officer2,
                                    actor=people.xt_officer)
        services.task_cancel(task=task, actor=officer2, reason="不在本人辖区")
    assert notes(people.xt_officer) == [f"新待办：派发外业核查 {patch.code}"]
    assert notes(third_officer) == []

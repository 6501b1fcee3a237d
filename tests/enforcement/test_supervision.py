"""Supervision: file review, rectification and inaction flags; services and pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.enforcement.cases import execution, services
from fazhi.enforcement.leads import services as leads
from fazhi.enforcement.models import CaseState, FileReview, Rectification
from fazhi.enforcement.supervision import services as supervision
from tests.enforcement.conftest import DECIDED_ON, MON, on

PAID_ON = dt.date(2025, 9, 20)  # the fine is paid and the case closed that day
REVIEW_DAY = dt.date(2025, 9, 25)
PAYMENT_DUE = dt.date(2025, 9, 30)  # 15 days from service on 2025-09-15


@pytest.fixture
def closed(people, decided):
    """A closed case of 湘潭县: decided and served 09-15, paid and closed 09-20."""

    def _closed(**details):
        case = decided(served=True, **details)
        with on(PAID_ON):
            execution.case_record_payment(
                case=case, actor=people.xt_officer, paid_on=PAID_ON
            )
            services.case_propose_closure(case=case, actor=people.xt_officer)
            services.case_close(case=case, actor=people.xt_principal)
        return case

    return _closed


@pytest.fixture
def city_supervisor(orgs):
    """A 督察人员 of the city bureau, above both counties."""
    from fazhi.core import services as core
    from fazhi.core.roles import Role

    user = core.user_create(
        username="city_supervisor",
        full_name="市局督察",
        org_unit=orgs["city"],
        password="x-Passw0rd!",
        actor=None,
    )
    core.user_grant_role(user=user, role=Role.SUPERVISOR, actor=None)
    return user


def reviewed(case, actor, deductions=(), day=REVIEW_DAY):
    with on(day):
        return supervision.file_review_record(
            case=case, actor=actor, deductions=list(deductions), opinion="基本规范"
        )


def issued(review, actor, responsible, deadline, day=REVIEW_DAY):
    with on(day):
        return supervision.rectification_issue(
            review=review,
            actor=actor,
            description="补齐送达回证",
            responsible=responsible,
            deadline=deadline,
        )


def kinds(flags) -> list[str]:
    return sorted(f.kind for f in flags)


# --- file review ---------------------------------------------------------------------


def test_a_review_scores_the_closed_file_and_is_audited(people, closed):
    case = closed()
    assert case.state == CaseState.CLOSED
    review = reviewed(
        case,
        people.xt_supervisor,
        [
            {"code": "procedure.service", "points": "3", "note": "无送达回证"},
            {"code": "record.archive", "points": "0"},
        ],
    )
    review.refresh_from_db()
    assert review.score == Decimal("97.0") and review.grade == "优秀"
    assert review.reviewer == people.xt_supervisor
    assert review.org_unit == case.org_unit and review.reviewed_on == REVIEW_DAY
    assert review.checklist == supervision.checklist().label
    assert review.deductions == [
        {"code": "procedure.service", "points": "3.0", "note": "无送达回证"}
    ]
    event = AuditEvent.objects.get(action="enforcement.file_review")
    assert event.actor == people.xt_supervisor and "97" in event.payload
    assert audit.verify().ok


def test_a_legal_affairs_officer_may_review_too(people, closed):
    review = reviewed(closed(), people.xt_legal)
    assert (review.score, review.grade) == (100, "优秀")


def test_a_veto_fails_the_review_whatever_the_score(people, closed):
    review = reviewed(
        closed(),
        people.xt_supervisor,
        [{"code": "veto.no_collective_discussion", "note": "未集体讨论"}],
    )
    assert review.score == 100 and review.grade == "不合格"
    lines = supervision.file_review_result(review).lines
    assert lines[0].veto and "第五十七条第二款" in lines[0].article


def test_a_deduction_above_the_items_maximum_is_refused(people, closed):
    case = closed()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="最多扣5分"):
        reviewed(
            case, people.xt_supervisor, [{"code": "procedure.service", "points": "6"}]
        )
    assert not FileReview.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_unclosed_case_cannot_be_reviewed(people, decided):
    case = decided(served=True)
    with pytest.raises(ValidationError, match="只能评查已结案的案卷"):
        reviewed(case, people.xt_supervisor)


def test_a_case_officer_cannot_review_their_own_case(people, closed, officer2):
    from fazhi.core import services as core
    from fazhi.core.roles import Role

    core.user_grant_role(user=officer2, role=Role.SUPERVISOR, actor=None)
    with pytest.raises(PermissionDenied, match="承办人员"):
        reviewed(closed(), officer2)


@pytest.mark.parametrize("who", ["xx_supervisor", "xt_officer", "xt_principal"])
def test_others_cannot_review(people, closed, who):
    with pytest.raises(PermissionDenied):
        reviewed(closed(), people[who])


def test_the_city_reviews_a_countys_case(people, closed, city_supervisor):
    review = reviewed(closed(), city_supervisor, [{"code": "law.basis", "points": 8}])
    assert review.org_unit.division_code == "430321" and review.score == 92
    assert list(supervision.file_review_list(actor=people.xt_supervisor)) == [review]
    assert not supervision.file_review_list(actor=people.xx_supervisor).exists()


# --- rectification -------------------------------------------------------------------


def test_only_the_responsible_completes_and_only_another_verifies(people, closed):
    review = reviewed(closed(), people.xt_supervisor)
    item = issued(
        review, people.xt_supervisor, people.xt_officer, dt.date(2025, 10, 10)
    )
    day = dt.date(2025, 10, 8)
    with on(day), pytest.raises(PermissionDenied, match="整改责任人"):
        supervision.rectification_complete(
            item=item, actor=people.xt_principal, completed_on=day, note="已补齐"
        )
    with on(day), pytest.raises(ValidationError, match="尚未报告完成"):
        supervision.rectification_verify(item=item, actor=people.xt_supervisor)
    with on(day):
        supervision.rectification_complete(
            item=item, actor=people.xt_officer, completed_on=day, note="已补齐送达回证"
        )
    with on(day), pytest.raises(ValidationError, match="已报告完成"):
        supervision.rectification_complete(
            item=item, actor=people.xt_officer, completed_on=day, note="再报"
        )
    with on(day), pytest.raises(PermissionDenied, match="不能验收本人"):
        supervision.rectification_verify(item=item, actor=people.xt_officer)
    with on(day), pytest.raises(PermissionDenied):
        supervision.rectification_verify(item=item, actor=people.xx_supervisor)
    with on(day):
        supervision.rectification_verify(item=item, actor=people.xt_supervisor)
    item.refresh_from_db()
    assert item.completed_on == day and item.verified_by == people.xt_supervisor
    assert [
        e.action
        for e in AuditEvent.objects.filter(
            action__startswith="enforcement.rectification"
        ).order_by("seq")
    ] == [
        "enforcement.rectification_issue",
        "enforcement.rectification_complete",
        "enforcement.rectification_verify",
    ]
    assert audit.verify().ok


def test_an_item_needs_a_responsible_person_of_the_reviewed_bureau(people, closed):
    review = reviewed(closed(), people.xt_supervisor)
    with pytest.raises(ValidationError) as error:
        issued(review, people.xt_supervisor, people.xx_officer, dt.date(2025, 10, 10))
    assert "responsible" in error.value.message_dict
    with pytest.raises(ValidationError, match="不能早于今天"):
        issued(review, people.xt_supervisor, people.xt_officer, dt.date(2025, 9, 1))
    with pytest.raises(PermissionDenied):
        issued(review, people.xt_officer, people.xt_principal, dt.date(2025, 10, 10))


def test_an_overdue_item_is_flagged_with_its_responsible_person(people, closed):
    review = reviewed(closed(), people.xt_supervisor)
    issued(review, people.xt_supervisor, people.xt_officer, dt.date(2025, 10, 10))
    assert not supervision.inaction_flags(
        actor=people.xt_supervisor, today=dt.date(2025, 10, 10)
    )
    flags = supervision.inaction_flags(
        actor=people.xt_supervisor, today=dt.date(2025, 10, 13)
    )
    assert kinds(flags) == ["rectification_overdue"]
    flag = flags[0]
    assert flag.responsible == (str(people.xt_officer),) and flag.days_overdue == 3
    assert (flag.target, flag.target_pk) == ("review", review.pk)
    overdue = supervision.rectification_list(
        actor=people.xt_supervisor, overdue=True, as_of=dt.date(2025, 10, 13)
    )
    assert overdue.count() == 1


# --- inaction flags ------------------------------------------------------------------


def test_an_unpaid_fine_past_its_period_is_flagged_with_the_court_deadline(
    people, decided
):
    case = decided(served=True)
    assert case.payment_clock.due_date == PAYMENT_DUE
    assert not supervision.inaction_flags(actor=people.xt_supervisor, today=PAYMENT_DUE)
    later = DECIDED_ON + dt.timedelta(days=20)
    flags = supervision.inaction_flags(actor=people.xt_supervisor, today=later)
    assert kinds(flags) == ["fine_unenforced"]
    flag = flags[0]
    assert flag.days_overdue == (later - PAYMENT_DUE).days == 5
    assert str(people.xt_officer) in flag.responsible
    assert flag.stage == "送达" and flag.responsible_role == "执法人员"
    # Six months for a suit run to 2026-03-15, a Sunday: the party may still sue on
    # Monday 03-16 (民法典 Art. 203); three more months to apply: 2026-06-16.
    assert flag.court_deadline == dt.date(2026, 6, 16)
    assert "行政强制法第五十三条" in flag.basis
    with on(later):
        execution.case_record_payment(case=case, actor=people.xt_officer, paid_on=later)
    assert not supervision.inaction_flags(actor=people.xt_supervisor, today=later)


def test_a_case_past_its_ninety_days_is_flagged_at_its_stage(people, filed):
    case = filed()
    due = case.case_clock.due_date
    assert not supervision.inaction_flags(actor=people.xt_supervisor, today=due)
    flags = supervision.inaction_flags(
        actor=people.xt_supervisor, today=due + dt.timedelta(days=2)
    )
    assert kinds(flags) == ["case_overdue"]
    assert flags[0].stage == "调查取证" and flags[0].days_overdue == 2
    assert "第六十条" in flags[0].basis


def test_an_unchecked_lead_and_an_unanswered_tip_are_flagged(people):
    with on(MON):
        lead = leads.lead_register(
            actor=people.xt_officer,
            source="tip",
            channel="phone",
            received_on=MON,
            location="湘潭县某镇",
            description="有人在耕地上建房",
            assignee=people.xt_officer,
            tipster_name="王某",
            tipster_phone="139",
        )
    late = max(lead.check_clock.due_date, lead.reply_clock.due_date)
    flags = supervision.inaction_flags(
        actor=people.xt_principal, today=late + dt.timedelta(days=1)
    )
    assert kinds(flags) == ["lead_unchecked", "tip_unanswered"]
    assert {f.responsible for f in flags} == {(str(people.xt_officer),)}
    assert {(f.target, f.target_pk) for f in flags} == {("lead", lead.pk)}


def test_the_city_sees_the_countys_flags_and_the_other_county_does_not(people, decided):
    decided(served=True)
    later = dt.date(2025, 10, 5)
    assert kinds(supervision.inaction_flags(actor=people.city_principal, today=later))
    assert supervision.inaction_flags(actor=people.xx_supervisor, today=later) == []


def _flag_queries(actor, today) -> int:
    with CaptureQueriesContext(connection) as ctx:
        supervision.inaction_flags(actor=actor, today=today)
    return len(ctx.captured_queries)


def test_flag_queries_do_not_grow_with_the_number_of_flags(people, decided, closed):
    later = dt.date(2025, 10, 20)

    def some_of_each():
        decided(served=True)
        review = reviewed(closed(), people.xt_supervisor)
        issued(review, people.xt_supervisor, people.xt_officer, dt.date(2025, 10, 1))

    some_of_each()
    one = _flag_queries(people.xt_supervisor, later)
    assert len(supervision.inaction_flags(actor=people.xt_supervisor, today=later)) == 2
    for _ in range(4):
        some_of_each()
    flags = supervision.inaction_flags(actor=people.xt_supervisor, today=later)
    assert len(flags) == 10
    # Four, and the holiday table's version read once (two) for the court deadline.
    assert _flag_queries(people.xt_supervisor, later) == one <= 6


# --- pages ---------------------------------------------------------------------------


def test_the_supervisor_works_through_the_pages(people, closed, login):
    case = closed()
    with on(REVIEW_DAY):  # the session's idle clock runs on the frozen day
        client = login(people.xt_supervisor)
        assert client.get(reverse("enforcement:inaction_list")).status_code == 200
        page = client.get(reverse("enforcement:file_review_list"))
        assert page.status_code == 200 and case.number in page.content.decode()
        url = reverse("enforcement:file_review_new", args=[case.pk])
        form = client.get(url)
        assert form.status_code == 200 and "一票否决" in form.content.decode()
        response = client.post(
            url,
            {
                "reviewed_on": "2025-09-25",
                "opinion": "案卷基本规范",
                "points_procedure__service": "2",
                "note_procedure__service": "迟送达",
            },
        )
        review = FileReview.objects.get()
        assert response.status_code == 302 and review.score == 98
        detail = client.get(reverse("enforcement:file_review_detail", args=[review.pk]))
        assert detail.status_code == 200 and "第六十一条" in detail.content.decode()
        new_item = reverse("enforcement:rectification_new", args=[review.pk])
        assert client.get(new_item).status_code == 200
        response = client.post(
            new_item,
            {
                "description": "补齐送达回证",
                "responsible": people.xt_officer.pk,
                "deadline": "2025-10-10",
            },
        )
        assert response.status_code == 302
        listing = client.get(reverse("enforcement:rectification_list"))
        assert listing.status_code == 200 and "补齐送达回证" in listing.content.decode()
    item = Rectification.objects.get()

    with on(dt.date(2025, 10, 8)):
        officer = login(people.xt_officer)
        mine = officer.get(reverse("enforcement:rectification_list"))
        assert mine.status_code == 200 and "报告完成" in mine.content.decode()
        complete = reverse("enforcement:rectification_complete", args=[item.pk])
        assert officer.get(complete).status_code == 200
        response = officer.post(
            complete, {"completed_on": "2025-10-08", "note": "已补齐"}
        )
        assert response.status_code == 302

        supervisor = login(people.xt_supervisor)
        verify = reverse("enforcement:rectification_verify", args=[item.pk])
        assert supervisor.get(verify).status_code == 200
        assert supervisor.post(verify, {"agree": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.verified_by == people.xt_supervisor
    assert audit.verify().ok


def test_the_review_form_shows_a_deduction_above_the_maximum(people, closed, login):
    case = closed()
    with on(REVIEW_DAY):
        client = login(people.xt_supervisor)
        response = client.post(
            reverse("enforcement:file_review_new", args=[case.pk]),
            {"reviewed_on": "2025-09-25", "points_record__archive": "3"},
        )
    assert response.status_code == 200 and not FileReview.objects.exists()
    assert "最多扣2分" in response.content.decode()


def test_the_inaction_page_names_the_responsible_officer(people, decided, login):
    decided(served=True)
    with on(dt.date(2025, 10, 5)):
        page = login(people.xt_supervisor).get(reverse("enforcement:inaction_list"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "罚款未缴纳且未申请强制执行" in text and str(people.xt_officer) in text


@pytest.mark.parametrize(
    "name", ["enforcement:inaction_list", "enforcement:file_review_list"]
)
def test_an_officer_without_the_role_is_refused(people, login, name):
    assert login(people.xt_officer).get(reverse(name)).status_code == 403


def test_another_countys_case_and_review_are_not_found(people, closed, login):
    case = closed()
    review = reviewed(case, people.xt_supervisor)
    new = reverse("enforcement:file_review_new", args=[case.pk])
    detail = reverse("enforcement:file_review_detail", args=[review.pk])
    with on(REVIEW_DAY):
        client = login(people.xx_supervisor)
        assert client.get(new).status_code == 404
        assert client.get(detail).status_code == 404
        assert login(people.xt_officer).get(new).status_code == 403

"""Case services: filing to closure, legal review, scoping and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.enforcement import selectors
from fazhi.enforcement.cases import execution, services
from fazhi.enforcement.models import CaseState, LegalReview
from tests.enforcement.conftest import MON, area_for, on


def _noticed(case, officer, fine):
    with on(MON + dt.timedelta(days=1)):
        return services.case_serve_notice(
            case=case,
            actor=officer,
            fine_proposed=Decimal(fine),
            served_on=MON + dt.timedelta(days=1),
        )


def test_a_non_major_case_runs_from_filing_to_closure(people, filed):
    case = filed(area_m2=area_for("1000"))
    assert case.state == CaseState.FILED and case.case_clock.rule_id == "penalty.case"
    case = _noticed(case, people.xt_officer, "1000")
    assert not case.is_major and case.statement_clock.rule_id == "penalty.statement"
    later = dt.date(2025, 9, 15)
    with on(later):
        services.case_submit_review(case=case, actor=people.xt_officer)
        review = services.case_review(
            case=case,
            actor=people.xt_reviewer,
            passed=True,
            opinion="事实清楚，适用法律正确",
        )
        services.case_decide(
            case=case, actor=people.xt_principal, fine_decided=Decimal("1000")
        )
        services.case_serve_decision(
            case=case, actor=people.xt_officer, served_on=later
        )
        assert case.payment_clock.rule_id == "penalty.fine_payment"
        execution.case_record_payment(case=case, actor=people.xt_officer, paid_on=later)
        services.case_propose_closure(case=case, actor=people.xt_officer)
        services.case_close(case=case, actor=people.xt_principal)
    assert review.result == "passed"
    assert case.state == CaseState.CLOSED
    assert [s.action for s in case.steps.all()] == [
        "approve_filing",
        "serve_notice",
        "submit_review",
        "pass_review",
        "decide",
        "serve_decision",
        "payment",
        "propose_closure",
        "close",
    ]
    assert case.steps.get(action="decide").approver == people.xt_principal


def test_a_major_case_cannot_be_decided_without_a_passed_review(people, filed):
    case = _noticed(filed(), people.xt_officer, "20000")
    assert case.is_major and case.major_reasons
    events = AuditEvent.objects.count()
    with on(dt.date(2025, 9, 15)), pytest.raises(ValidationError) as error:
        services.case_decide(
            case=case, actor=people.xt_principal, fine_decided=Decimal("20000")
        )
    assert "法制审核" in str(error.value)
    case.refresh_from_db()
    assert case.state == CaseState.NOTICE_SERVED and case.fine_decided is None
    assert AuditEvent.objects.count() == events


def test_a_reviewer_who_is_a_case_officer_is_refused(people, filed):
    from fazhi.core import services as core
    from fazhi.core.roles import Role

    case = _noticed(filed(area_m2=area_for("1000")), people.xt_officer, "1000")
    core.user_grant_role(user=people.xt_officer, role=Role.LEGAL_REVIEWER, actor=None)
    people.xt_officer.refresh_from_db()
    with on(dt.date(2025, 9, 15)):
        services.case_submit_review(case=case, actor=people.xt_officer)
        with pytest.raises(ValidationError, match="承办人员"):
            services.case_review(
                case=case, actor=people.xt_officer, passed=True, opinion="同意"
            )
    assert not LegalReview.objects.exists()


def test_the_wrong_role_is_refused(people, filed):
    with on(MON), pytest.raises(PermissionDenied):
        services.case_file(
            actor=people.xt_reviewer,
            officers=[],
            violation_type="illegal_occupation",
            party_name="王五",
            party_kind="person",
            facts_summary="占地",
        )
    case = filed()
    with on(MON), pytest.raises(PermissionDenied):
        services.case_close(case=case, actor=people.xt_officer)


def test_another_county_cannot_act_on_or_see_the_case(people, filed):
    case = filed()
    with on(MON), pytest.raises(PermissionDenied):
        services.case_serve_notice(
            case=case, actor=people.xx_officer, fine_proposed=Decimal(1), served_on=MON
        )
    with pytest.raises(Http404):
        selectors.case_get(actor=people.xx_officer, pk=case.pk)
    assert selectors.case_get(actor=people.xt_officer, pk=case.pk) == case


def test_a_hearing_request_after_the_window_is_refused(people, filed):
    case = _noticed(filed(), people.xt_officer, "20000")
    late = dt.date(2025, 9, 20)
    with on(late), pytest.raises(ValidationError, match="第六十四条"):
        services.case_request_hearing(
            case=case, actor=people.xt_officer, requested_on=late
        )
    with on(dt.date(2025, 9, 4)):
        services.case_request_hearing(
            case=case, actor=people.xt_officer, requested_on=dt.date(2025, 9, 4)
        )
    assert case.state == CaseState.HEARING_REQUESTED


def test_every_step_leaves_an_audit_event_and_the_chain_verifies(people, filed):
    case = filed(area_m2=area_for("1000"))
    case = _noticed(case, people.xt_officer, "1000")
    events = AuditEvent.objects.filter(
        object_id=str(case.pk), action__startswith="enforcement."
    )
    assert list(events.values_list("action", flat=True).order_by("seq")) == [
        "enforcement.file",
        "enforcement.approve_filing",
        "enforcement.serve_notice",
    ]
    assert audit.verify().ok


def test_a_departure_on_a_major_case_is_shown_to_the_reviewer(people, filed):
    case = _noticed(filed(), people.xt_officer, "20000")
    with on(dt.date(2025, 9, 15)):
        with pytest.raises(ValidationError, match="书面说明理由"):
            services.case_decide(
                case=case, actor=people.xt_principal, fine_decided=Decimal("15000")
            )
        services.case_submit_review(
            case=case, actor=people.xt_officer, departure_reason="主动拆除，从轻处罚"
        )
        review = services.case_review(
            case=case, actor=people.xt_reviewer, passed=True, opinion="同意从轻"
        )
        assert review.departure_seen
        services.case_submit_discussion(case=case, actor=people.xt_officer)
        services.case_hold_collective_discussion(
            case=case, actor=people.xt_principal, minutes="同意从轻处罚"
        )
        services.case_decide(
            case=case, actor=people.xt_principal, fine_decided=Decimal("15000")
        )
    assert case.state == CaseState.DECIDED
    assert case.departure_reason == "主动拆除，从轻处罚"

"""Every action on an enforcement case: one function each, one transaction each.

Each checks the actor's role in the case's own bureau, builds ``CaseFacts`` from the
database, asks the pure state table, moves the case with an optimistic update, writes
a ``CaseStep`` and the audit chain, and starts or stops clocks — all or nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.instruments import instrument_number_next
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.enforcement import majority, workflow
from fazhi.enforcement.models import (
    Case,
    CaseState,
    CaseStep,
    LegalReview,
    ReviewResult,
)

CASE_ROLES = (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.PRINCIPAL)


@cache
def _rules() -> majority.MajorityRules:
    """The majority rules, read once per set of override folders, not per call."""
    from fazhi.deadlines.selectors import module_rule_dirs

    return _load_rules(tuple(module_rule_dirs("enforcement")))


@lru_cache(maxsize=4)
def _load_rules(dirs: tuple) -> majority.MajorityRules:
    return majority.load_majority_rules(dirs)


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor, case_or_org, role: str = Role.ENFORCEMENT_OFFICER) -> None:
    org = getattr(case_or_org, "org_unit", case_or_org)
    if not (actor.is_active and actor.has_role(role) and actor.org_unit_id == org.pk):
        raise PermissionDenied(f"只有{org.name}的{Role(role).label}可以办理此事项")


def _outcome(case: Case, *, hearing_held: bool = False) -> majority.CaseOutcomeFacts:
    fine = case.fine_decided if case.fine_decided is not None else case.fine_proposed
    return majority.CaseOutcomeFacts(
        party_kind=case.party_kind, fine_yuan=fine, hearing_held=hearing_held
    )


def _closed(clock) -> bool:
    return clock is not None and clock.due_date < _today()


def case_facts(case: Case, **override) -> workflow.CaseFacts:
    """Compute what the workflow guards need from the stored case."""
    officer_ids = set(case.officers.values_list("pk", flat=True))
    review = case.reviews.order_by("-decided_at", "-pk").first()
    held = case.steps.filter(action="hold_hearing").exists()
    outcome = _outcome(case, hearing_held=held)
    facts = dict(
        officers_count=case.officers.exclude(badge_number="").count(),
        penalty=bool(case.fine_proposed) or bool(case.other_measures),
        is_major=majority.is_major(outcome, _rules()).applies,
        requires_collective_discussion=majority.collective_discussion_required(
            outcome, _rules()
        ).applies,
        hearing_right=majority.hearing_right(outcome, _rules()).applies,
        notice_served_on=case.notice_served_on,
        statement_window_closed=_closed(case.statement_clock),
        hearing_requested_in_time=(
            None
            if case.hearing_requested_on is None
            else case.hearing_requested_on <= case.hearing_clock.due_date
        ),
        hearing_held=held,
        collective_discussion_held=case.steps.filter(
            action="hold_collective_discussion"
        ).exists(),
        review_passed=bool(review and review.result == ReviewResult.PASSED),
        review_opinion_written=bool(review and review.opinion.strip()),
        reviewer_is_case_officer=bool(review and review.reviewer_id in officer_ids),
        execution_complete=bool(case.payment_clock and not case.payment_clock.is_open),
    )
    return workflow.CaseFacts(**{**facts, **override})


def _check(case: Case, action: str, actor, **override) -> str:
    facts = case_facts(case, **override)
    try:
        return workflow.check(action, case.state, actor.roles, facts)
    except workflow.RoleNotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except workflow.WorkflowError as error:
        raise ValidationError({"state": str(error)}) from error


def _advance(
    case: Case,
    action: str,
    actor,
    *,
    approver=None,
    note: str = "",
    facts: dict | None = None,
    **fields,
) -> Case:
    """Move the case through ``action`` inside the caller's transaction."""
    old = case.state
    new = _check(case, action, actor, **(facts or {}))
    fields = {**fields, "state": new}
    if not Case.objects.filter(pk=case.pk, state=old).update(**fields):
        raise ValidationError({"state": "该案件刚被他人处理，请刷新页面后重试"})
    for name, value in fields.items():
        setattr(case, name, value)
    CaseStep.objects.create(
        case=case,
        action=action,
        state_before=old,
        state_after=new,
        actor=actor,
        approver=approver,
        note=note,
    )
    audit.record(
        actor=actor,
        obj=case,
        action=f"enforcement.{action}",
        summary=f"{workflow.ACTION_LABELS[action]} {note}".strip(),
        before={"state": old},
        after={k: str(v) for k, v in fields.items()},
    )
    return case


def _number(org, year: int) -> str:
    """The case number, from the bureau's ``enforcement.case`` series (no gaps)."""
    return instrument_number_next(org_unit=org, kind="enforcement.case", year=year)[1]


# --- filing -----------------------------------------------------------------------


def case_file(
    *,
    actor,
    officers,
    violation_type: str,
    party_name: str,
    party_kind: str,
    facts_summary: str,
    **details,
) -> Case:
    """Open a case awaiting the principal's filing approval."""
    org = actor.org_unit
    _require(actor, org)
    for officer in officers:
        if not officer.has_role(Role.ENFORCEMENT_OFFICER) or (
            officer.org_unit_id != org.pk
        ):
            raise ValidationError({"officers": "承办人员须为本机关的执法人员"})
    if not facts_summary.strip():
        raise ValidationError({"facts_summary": "请填写案情摘要"})
    with transaction.atomic():
        case = Case.objects.create(
            org_unit=org,
            number=_number(org, _today().year),
            violation_type=violation_type,
            party_name=party_name,
            party_kind=party_kind,
            facts_summary=facts_summary,
            created_by=actor,
            **details,
        )
        case.officers.set(officers)
        audit.record(
            actor=actor,
            obj=case,
            action="enforcement.file",
            summary=f"立案呈批 {case.number}",
            after={"state": case.state},
        )
    return case


def case_approve_filing(*, case: Case, actor) -> Case:
    """Approve the filing; the 90-day case clock starts from the approval date."""
    _require(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, "approve_filing", actor, approver=actor, filed_on=_today())
        clock = clocks.clock_start(
            matter=case,
            rule_id="penalty.case",
            start=_today(),
            actor=actor,
            title=f"办案期限 {case.number}",
            org_unit=case.org_unit,
        )
        Case.objects.filter(pk=case.pk).update(case_clock=clock)
        case.case_clock = clock
    return case


# --- notice and hearing -----------------------------------------------------------


def case_serve_notice(
    *,
    case: Case,
    actor,
    fine_proposed: Decimal,
    other_measures: str = "",
    served_on: dt.date,
) -> Case:
    """Record the served pre-decision notice; statement and hearing windows start."""
    _require(actor, case)
    if served_on > _today():
        raise ValidationError({"served_on": "送达日期不能晚于今天"})
    with transaction.atomic():
        case.fine_proposed, case.other_measures = fine_proposed, other_measures
        judgement = majority.is_major(_outcome(case), _rules())
        _advance(
            case,
            "serve_notice",
            actor,
            fine_proposed=fine_proposed,
            other_measures=other_measures,
            notice_served_on=served_on,
            is_major=judgement.applies,
            major_reasons="\n".join(judgement.reasons),
        )
        title = case.number
        stmt = clocks.clock_start(
            matter=case,
            rule_id="penalty.statement",
            start=served_on,
            actor=actor,
            title=f"陈述申辩 {title}",
            org_unit=case.org_unit,
        )
        hear = clocks.clock_start(
            matter=case,
            rule_id="penalty.hearing_request",
            start=served_on,
            actor=actor,
            title=f"听证申请 {title}",
            org_unit=case.org_unit,
        )
        Case.objects.filter(pk=case.pk).update(statement_clock=stmt, hearing_clock=hear)
        case.statement_clock, case.hearing_clock = stmt, hear
    return case


def case_request_hearing(*, case: Case, actor, requested_on: dt.date) -> Case:
    """Register the party's hearing request; a late one is refused with the article."""
    _require(actor, case)
    in_time = requested_on <= case.hearing_clock.due_date
    with transaction.atomic():
        _advance(
            case,
            "request_hearing",
            actor,
            note=str(requested_on),
            facts={"hearing_requested_in_time": in_time},
            hearing_requested_on=requested_on,
        )
    return case


def case_hold_hearing(*, case: Case, actor, notified_on: dt.date, chair) -> Case:
    """Record the hearing held by a chair who did not investigate the case."""
    _require(actor, case, Role.PRINCIPAL)
    from fazhi.deadlines.selectors import calendar_from_db, rules_registry

    notice = rules_registry()["penalty.hearing_notice"]  # 行政处罚法 Art. 64(2)
    days = calendar_from_db(True).working_days_between(notified_on, _today())
    ahead = days >= notice.length
    chair_conflict = case.officers.filter(pk=chair.pk).exists()
    with transaction.atomic():
        _advance(
            case,
            "hold_hearing",
            actor,
            note=f"主持人 {chair}",
            facts={
                "hearing_notified_7_days_ahead": ahead,
                "hearing_chair_is_case_officer": chair_conflict,
            },
        )
    return case


# --- review and decision ----------------------------------------------------------


def case_submit_review(*, case: Case, actor, departure_reason: str = "") -> Case:
    """Submit the proposal for legal review, with any departure from the benchmark."""
    _require(actor, case)
    action = (
        "resubmit_review"
        if case.state == CaseState.REVIEW_RETURNED
        else "submit_review"
    )
    with transaction.atomic():
        _advance(case, action, actor, departure_reason=departure_reason.strip())
    return case


def case_review(*, case: Case, actor, passed: bool, opinion: str) -> LegalReview:
    """Pass or return the case with a written opinion; never by a case officer."""
    _require(actor, case, Role.LEGAL_REVIEWER)
    if not opinion.strip():
        raise ValidationError(
            {"opinion": "法制审核须出具书面审核意见（行政处罚法第五十八条）"}
        )
    conflict = case.officers.filter(pk=actor.pk).exists()
    submitted = (
        case.steps.filter(action__in=["submit_review", "resubmit_review"])
        .order_by("-pk")
        .first()
    )
    with transaction.atomic():
        _advance(
            case,
            "pass_review" if passed else "return_review",
            actor,
            approver=actor,
            note=opinion,
            facts={
                "reviewer_is_case_officer": conflict,
                "review_opinion_written": True,
            },
        )
        return LegalReview.objects.create(
            case=case,
            reviewer=actor,
            submitted_at=submitted.at,
            result=ReviewResult.PASSED if passed else ReviewResult.RETURNED,
            opinion=opinion,
            departure_seen=bool(case.departure_reason.strip()),
        )


def case_hold_collective_discussion(*, case: Case, actor, minutes: str) -> Case:
    """Record the heads' collective discussion (行政处罚法第五十七条第二款)."""
    _require(actor, case, Role.PRINCIPAL)
    if not minutes.strip():
        raise ValidationError({"minutes": "请填写集体讨论纪要"})
    with transaction.atomic():
        _advance(
            case, "hold_collective_discussion", actor, approver=actor, note=minutes
        )
    return case


def case_decide(
    *,
    case: Case,
    actor,
    fine_decided: Decimal,
    other_measures: str = "",
    departure_reason: str = "",
) -> Case:
    """Record the principal's decision; a major case needs a passed review first."""
    _require(actor, case, Role.PRINCIPAL)
    reason = departure_reason.strip() or case.departure_reason
    if fine_decided != case.fine_proposed and not reason:
        raise ValidationError(
            {"departure_reason": "决定罚款与拟处罚款不一致，须书面说明理由"}
        )
    if (
        case.is_major
        and reason
        and not case.reviews.filter(
            result=ReviewResult.PASSED, departure_seen=True
        ).exists()
    ):
        raise ValidationError(
            {"departure_reason": "偏离裁量基准的理由须随案提请法制审核"}
        )
    with transaction.atomic():
        _advance(
            case,
            "decide",
            actor,
            approver=actor,
            fine_decided=fine_decided,
            other_measures=other_measures or case.other_measures,
            departure_reason=reason,
            decided_on=_today(),
        )
    return case


def case_serve_decision(*, case: Case, actor, served_on: dt.date) -> Case:
    """Record the served decision; the 15-day payment period starts."""
    _require(actor, case)
    if served_on > _today():
        raise ValidationError({"served_on": "送达日期不能晚于今天"})
    with transaction.atomic():
        _advance(case, "serve_decision", actor, decision_served_on=served_on)
        if case.fine_decided:
            clock = clocks.clock_start(
                matter=case,
                rule_id="penalty.fine_payment",
                start=served_on,
                actor=actor,
                title=f"罚款缴纳 {case.number}",
                org_unit=case.org_unit,
            )
            Case.objects.filter(pk=case.pk).update(payment_clock=clock)
            case.payment_clock = clock
    return case


def case_record_payment(*, case: Case, actor, paid_on: dt.date) -> Case:
    """Record the fine as paid, which stops the payment clock."""
    _require(actor, case)
    with transaction.atomic():
        clocks.clock_stop(clock=case.payment_clock, on=paid_on, actor=actor)
        audit.record(
            actor=actor,
            obj=case,
            action="enforcement.payment",
            summary=f"罚款已缴纳 {paid_on}",
        )
    return case


def case_close(*, case: Case, actor) -> Case:
    """Close the case with the principal's approval; the case clock stops."""
    _require(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, "close", actor, approver=actor, closed_on=_today())
        if case.case_clock and case.case_clock.is_open:
            clocks.clock_stop(clock=case.case_clock, on=_today(), actor=actor)
    return case

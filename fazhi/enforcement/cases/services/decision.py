"""Legal review, the heads' collective discussion, the decision and its service
(the payment period starts)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import dates
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import ClockEnd
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import majority
from fazhi.enforcement.cases.services import signing
from fazhi.enforcement.cases.services.facts import (
    advance,
    case_facts,
    case_participants,
    check,
    clock_start,
    departure_of,
    form_measures,
    imposes,
    measures_text,
    outcome_of,
    step_day,
)
from fazhi.enforcement.models import (
    Case,
    CaseState,
    LegalReview,
    ReviewResult,
)


def case_submit_review(*, case: Case, actor, departure_reason: str = "") -> Case:
    """Submit the proposal for legal review, with any departure from the benchmark."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    action = (
        "resubmit_review"
        if case.state == CaseState.REVIEW_RETURNED
        else "submit_review"
    )
    with transaction.atomic():
        advance(case, action, actor,
                departure_reason=departure_reason.strip() or case.departure_reason)
    return case


def case_review(*, case: Case, actor, passed: bool, opinion: str) -> LegalReview:
    """Pass or return the case with a written opinion; never by a case officer."""
    require_role(actor, case, Role.LEGAL_REVIEWER)
    if not opinion.strip():
        raise ValidationError(
            {"opinion": "法制审核须出具书面审核意见（行政处罚法第五十八条）"}
        )
    conflict = actor.pk in case_participants(case)
    submitted = (
        case.steps.filter(action__in=["submit_review", "resubmit_review"])
        .order_by("-pk")
        .first()
    )
    with transaction.atomic():
        advance(
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


def case_submit_discussion(*, case: Case, actor, reason: str = "") -> Case:
    """An officer asks the heads to discuss the case collectively (提请集体讨论),
    with what is proposed and why."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    signing.propose(case, signing.DISCUSSION, actor, "submit_discussion",
                    proposal="discuss", label="提请负责人集体讨论", reasons=reason)
    return case


def case_hold_collective_discussion(*, case: Case, actor, minutes: str,
                                    agree: bool = True, reasons: str = "") -> Case:
    """Record the heads' collective discussion (行政处罚法第五十七条第二款) and the
    principal's sign-off on it: 同意 the proposal, or 不同意 with reasons (the case
    goes back to the officer)."""
    require_role(actor, case, Role.PRINCIPAL)
    if not minutes.strip():
        raise ValidationError({"minutes": "请填写集体讨论纪要"})
    signing.sign(case, signing.DISCUSSION, actor, agree=agree, reasons=reasons,
                 note=minutes)
    return case


def case_decide(
    *,
    case: Case,
    actor,
    fine_decided: Decimal,
    other_measures: str = "",
    departure_reason: str = "",
    measures: dict | None = None,
    reason: str = "",
    keep_other: bool = True,
) -> Case:
    """Record the principal's decision, judged on what is decided.

    A decision that imposes anything (a fine, a listed measure, another measure in
    words) is ``decide``: the party must have been notified and heard, and nothing
    may be heavier than, or added to, what the notice proposed (行政处罚法第四十四条、
    第四十五条第二款). One that imposes nothing is ``decide_no_penalty`` (第五十七条),
    open from investigation. Either way the major-decision criteria are judged on
    the fine, the measures and the circumstances decided, together with what the
    notice proposed, and a major decision needs an independent passed review.
    ``measures=None`` keeps the notice's measures; free text left blank keeps the
    notice's other measures.
    """
    require_role(actor, case, Role.PRINCIPAL)
    proposed = case.measures_proposed or {}
    decided = _decided_measures(case, measures, other_measures, keep_other)
    penalty = imposes(fine_decided, decided)
    action = "decide" if penalty else "decide_no_penalty"
    hearing = case.steps.filter(action__in=["hold_hearing", "waive_hearing"]).exists()
    judged = [j(outcome_of(case, fine=fine_decided, measures=decided,
                           hearing_held=hearing), rulesets.majority_rules())
              for j in (majority.is_major, majority.collective_discussion_required)]
    now = case_facts(case)
    facts = {"penalty": penalty, "is_major": judged[0].applies or now.is_major,
             "requires_collective_discussion": judged[1].applies
             or now.requires_collective_discussion}
    fields = {}
    if penalty and case.notice_served_on is not None:  # without one, check refuses
        fields = _decision_checks(case, fine_decided, proposed, decided,
                                  departure_reason, facts["is_major"])
    check(case, action, actor, **facts)
    if not penalty and not reason.strip():
        raise ValidationError(
            {"reason": "请写明不予行政处罚的理由（行政处罚法第五十七条）"})
    reasons = [*case.major_reasons.splitlines(),
               *(r for r in judged[0].reasons if r not in case.major_reasons)]
    with transaction.atomic():
        advance(
            case, action, actor, approver=actor, note=reason.strip(), facts=facts,
            fine_decided=fine_decided if penalty else Decimal(0),
            measures_decided=decided,
            other_measures=measures_text(decided),
            is_major=facts["is_major"],
            major_reasons="\n".join(r for r in reasons if r),
            decided_on=dates.today(),
            **fields,
        )
        _decided_clocks(case, actor)
    return case


def case_decide_no_penalty(*, case: Case, actor, reason: str) -> Case:
    """Decide not to penalise (行政处罚法第五十七条第一款第二项、第三项)."""
    circumstances = {k: v for k, v in (case.measures_proposed or {}).items()
                     if k in majority.CIRCUMSTANCES}
    return case_decide(case=case, actor=actor, fine_decided=Decimal(0),
                       measures=circumstances, other_measures="", reason=reason,
                       keep_other=False)


def _decided_measures(case: Case, measures: dict | None, other: str,
                      keep_other: bool = True) -> dict:
    proposed = case.measures_proposed or {}
    if measures is None:
        decided = {k: v for k, v in proposed.items() if k != "other"}
    else:
        decided = form_measures(measures, "")
    other = other.strip()
    if not other and keep_other:
        other = proposed.get("other", "")
    if other:
        decided = {**decided, **form_measures({}, other)}
    return decided


def _decision_checks(case: Case, fine: Decimal, proposed: dict, decided: dict,
                     departure_reason: str, major: bool) -> dict:
    """The checks of a penalty decision against its notice; return the fields to
    store. Nothing heavier than, or added to, what the notice proposed."""
    heavier = ("确需加重或增加的，应当补充调查并重新告知"
               "（行政处罚法第四十四条、第四十五条第二款）")
    if fine > case.fine_proposed:
        raise ValidationError(
            {"fine_decided": f"决定罚款不得高于告知书所列拟罚款；{heavier}"})
    added = majority.measures_added(proposed, decided)
    if added:
        raise ValidationError({"measures": (
            f"告知书未列明或数额较低的处罚不得在决定时增加：{'、'.join(added)}；"
            f"{heavier}")})
    other, told = decided.get("other", ""), proposed.get("other", "")
    if other and other != told and not set(_parts(other)) <= set(_parts(told)):
        raise ValidationError(
            {"other_measures": f"其他处理措施与告知书所列不一致；{heavier}"})
    reason = departure_reason.strip() or case.departure_reason
    if fine != case.fine_proposed and not reason:
        raise ValidationError(
            {"departure_reason": "决定罚款与拟处罚款不一致，须书面说明理由"})
    departure = departure_of(case, fine, reason, "fine_decided")
    if major and reason and not case.reviews.filter(
            result=ReviewResult.PASSED, departure_seen=True).exists():
        raise ValidationError(
            {"departure_reason": "偏离裁量基准的理由须随案提请法制审核"})
    return {"departure_reason": reason, "departure_summary": departure.summary}


def _parts(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[；;，,、\n]", text) if p.strip()]


def case_serve_decision(*, case: Case, actor, served_on: dt.date,
                        late_reason: str = "") -> Case:
    """Record the served decision; the 15-day payment period starts."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    late = step_day(case, served_on, field="on", label="决定书送达日期",
                    after=case.decided_on, after_label="决定日期",
                    late_reason=late_reason)
    with transaction.atomic():
        advance(case, "serve_decision", actor, note=late,
                decision_served_on=served_on)
        if case.fine_decided:
            clock = clock_start(case, "penalty.fine_payment", served_on, actor,
                                "罚款缴纳")
            Case.objects.filter(pk=case.pk).update(payment_clock=clock)
            case.payment_clock = clock
    return case


def _decided_clocks(case: Case, actor) -> None:
    """The decision ends the 90-day case period (行政处罚法第六十条) and the
    statement and hearing windows that came before it."""
    if case.case_clock and case.case_clock.is_open:
        clocks.clock_stop(clock=case.case_clock, on=dates.today(), actor=actor)
    for clock in (case.statement_clock, case.hearing_clock):
        if clock is not None and clock.is_open:
            clocks.clock_stop(clock=clock, on=dates.today(), actor=actor, cancelled=True,
                              ended_as=ClockEnd.CLOSED)


"""Every action on an enforcement case: one function each, one transaction each.

Each checks the actor's role in the case's own bureau, builds ``CaseFacts`` from the
database, asks the pure state table, moves the case with an optimistic update, writes
a ``CaseStep`` and the audit chain, and starts or stops clocks — all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import audit, dates, matters
from fazhi.core.dates import date_check, late_entry
from fazhi.core.instruments import instrument_number_next
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import ClockEnd
from fazhi.enforcement import discretion, rulesets
from fazhi.enforcement.cases import coercion, majority, workflow
from fazhi.enforcement.models import (
    AVRecord,
    Case,
    CaseState,
    CaseStep,
    LegalReview,
    ReviewResult,
)

CASE_ROLES = (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.PRINCIPAL)


# Rule data comes from the one cache (rulesets); these names stay for the callers.
_rules = rulesets.majority_rules
_benchmark = rulesets.benchmark


def discretion_facts(case: Case) -> discretion.Facts:
    """The discretion calculator's facts, from what the investigation recorded."""
    return discretion.Facts(
        violation=case.violation_type,
        area_m2=case.area_m2,
        land_class=case.land_class or None,
        ore_value_yuan=case.ore_value_yuan,
        illegal_gains_yuan=case.illegal_gains_yuan,
        factors=frozenset(case.factors or ()),
        conforms_to_plan=case.conforms_to_plan,
    )


def case_recommendation(case: Case) -> discretion.Recommendation:
    """The legal and recommended fine for the case, or a ValidationError saying
    which fact the investigation still has to record."""
    try:
        return discretion.recommend(discretion_facts(case), _benchmark())
    except discretion.DiscretionError as error:
        raise ValidationError({"fine_proposed": str(error)}) from error


def _departure(case: Case, fine, reason: str, field: str) -> discretion.Departure:
    rec = case_recommendation(case)
    try:
        return discretion.check_departure(rec, Decimal(fine), reason)
    except discretion.DepartureNeedsReason as error:
        raise ValidationError({"departure_reason": str(error)}) from error
    except discretion.DiscretionError as error:
        raise ValidationError({field: str(error)}) from error


def _rec_json(rec: discretion.Recommendation) -> dict:
    """The recommendation as shown when the notice was served, for the file."""
    return {
        "label": rec.label,
        "legal": [str(rec.legal_min), str(rec.legal_max)],
        "recommended": [str(rec.recommended_min), str(rec.recommended_max)],
        "area_mu": None if rec.area_mu is None else str(rec.area_mu),
        "band": rec.band,
        "factors": list(rec.factors),
        "other_measures": list(rec.other_measures),
        "steps": list(rec.steps),
        "citations": [str(c) for c in rec.citations],
        "benchmark": rec.benchmark,
        "default_benchmark": rec.default_benchmark,
    }


def _current(case: Case) -> tuple[Decimal, dict]:
    """The fine and measures that stand now: the decision's once made, else the
    notice's."""
    if case.decided_on is not None:
        return case.fine_decided or Decimal(0), case.measures_decided or {}
    return case.fine_proposed or Decimal(0), case.measures_proposed or {}


def _penalty(fine, measures: dict) -> bool:
    """A fine, a listed measure or another measure in words: something imposed."""
    return bool(fine) or majority.measures_imposed(measures) or bool(
        measures.get("other", "").strip())


def _outcome(case: Case, *, fine=None, measures: dict | None = None,
             hearing_held: bool = False) -> majority.CaseOutcomeFacts:
    """What the major-decision criteria judge: by default what stands now."""
    now_fine, now_measures = _current(case)
    return majority.outcome_facts(
        case.party_kind, now_fine if fine is None else fine,
        now_measures if measures is None else measures, hearing_held=hearing_held)


REVIEW_ACTIONS = ("pass_review", "return_review")


def case_participants(case: Case) -> set[int]:
    """Everyone who took part in the case, so none of them may review it: the
    officers, whoever proposed the filing, acted on or approved any step (other than
    the review itself) or recorded its evidence."""
    ids = set(case.officers.values_list("pk", flat=True)) | {case.created_by_id}
    for actor, approver in case.steps.exclude(action__in=REVIEW_ACTIONS).values_list(
            "actor_id", "approver_id"):
        ids |= {actor, approver}
    ids |= set(AVRecord.objects.filter(case=case).values_list("recorded_by_id",
                                                              flat=True))
    return ids - {None}


def _closed(clock) -> bool:
    return clock is not None and clock.due_date < dates.today()


def _since_reinvestigation(case: Case):
    """The steps that still count: a return to investigation voids what followed
    the notice (workflow.py), so hearings, reviews and discussions before it lapse."""
    last = case.steps.filter(action="reinvestigate").order_by("-pk").first()
    steps = case.steps.all()
    return (steps, None) if last is None else (steps.filter(pk__gt=last.pk), last.at)


_execution_rules = rulesets.execution_rules


def execution_windows(case: Case) -> coercion.Windows | None:
    """The challenge and court-application windows once the decision is served."""
    if case.decision_served_on is None:
        return None
    return coercion.windows(case.decision_served_on, _execution_rules())


def _demand_elapsed(case: Case) -> bool:
    from fazhi.deadlines.models import Clock

    clock = Clock.objects.filter(
        object_id=str(case.pk), rule_id="coercion.demand",
        content_type__model="case", content_type__app_label="enforcement",
    ).order_by("-pk").first()
    return clock is not None and clock.due_date < dates.today()


def case_facts(case: Case, **override) -> workflow.CaseFacts:
    """Compute what the workflow guards need from the stored case."""
    participants = case_participants(case)
    steps, since = _since_reinvestigation(case)
    reviews = case.reviews.all() if since is None else case.reviews.filter(
        decided_at__gt=since)
    review = reviews.order_by("-decided_at", "-pk").first()
    held = steps.filter(action__in=["hold_hearing", "waive_hearing"]).exists()
    outcome = _outcome(case, hearing_held=held)
    today = dates.today()
    win = execution_windows(case)
    fine = bool(case.fine_decided)
    now_fine, now_measures = _current(case)
    performance_passed = (
        case.payment_clock.due_date < today if fine and case.payment_clock
        else case.decision_served_on is not None
    )
    facts = dict(
        officers_count=case.officers.exclude(badge_number="").count(),
        penalty=_penalty(now_fine, now_measures),
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
        hearing_held=steps.filter(action="hold_hearing").exists(),
        hearing_waived=steps.filter(action="waive_hearing").exists(),
        collective_discussion_held=steps.filter(
            action="hold_collective_discussion"
        ).exists(),
        review_passed=bool(review and review.result == ReviewResult.PASSED),
        review_opinion_written=bool(review and review.opinion.strip()),
        reviewer_is_case_officer=bool(review and review.reviewer_id in participants),
        performance_deadline_passed=performance_passed,
        execution_complete=case.execution_completed_on is not None or (
            fine and case.paid_on is not None
            and not _penalty(0, case.measures_decided or {})),
        appeal_window_closed=bool(win and win.challenge_ends < today),
        remedy_pending=case.remedy_pending,
        demand_period_elapsed=_demand_elapsed(case),
        court_application_deadline_passed=bool(win and win.court_last_day < today),
    )
    return workflow.CaseFacts(**{**facts, **override})


# What an action's own form supplies, so that the case page offers the form instead
# of refusing for want of it: the notice proposes the penalty, the review form
# carries the written opinion. The service still checks each on submission.
FORM_FACTS = {
    "serve_notice": {"penalty": True},
    "decide_no_penalty": {"penalty": False},
    "pass_review": {"review_opinion_written": True},
    "return_review": {"review_opinion_written": True},
}


def case_actions(case: Case, roles) -> tuple[list[str], dict[str, str]]:
    """The actions ``roles`` may take on the case now, and those held back with why."""
    facts = case_facts(case)
    open_ = workflow.actions_open(case.state, roles, facts)
    blocked = workflow.actions_blocked(case.state, roles, facts)
    for action, supplied in FORM_FACTS.items():
        if action in blocked and action in workflow.actions_open(
                case.state, roles, replace(facts, **supplied)):
            del blocked[action]
            open_.append(action)
    order = list(workflow.TRANSITIONS)
    return sorted(open_, key=order.index), blocked


def _check(case: Case, action: str, actor, **override) -> str:
    """Refuse the action now (before any other work) as ``_advance`` would."""
    return matters.check(case, workflow.TABLE, action, actor,
                         case_facts(case, **override))


def _advance(case: Case, action: str, actor, *, approver=None, note: str = "",
             facts: dict | None = None, **fields) -> Case:
    """Move the case through ``action`` inside the caller's transaction and log the
    step (the case history and the participants of ``case_participants``)."""
    old = case.state
    matters.advance(case, workflow.TABLE, action, actor, note=note,
                    facts=case_facts(case, **(facts or {})), **fields)
    CaseStep.objects.create(case=case, action=action, state_before=old,
                            state_after=case.state, actor=actor, approver=approver,
                            note=note)
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
    require_role(actor, org, Role.ENFORCEMENT_OFFICER)
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
            number=_number(org, dates.today().year),
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
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, "approve_filing", actor, approver=actor, filed_on=dates.today())
        clock = clocks.clock_start(
            matter=case,
            rule_id="penalty.case",
            start=dates.today(),
            actor=actor,
            title=f"办案期限 {case.number}",
            org_unit=case.org_unit,
        )
        Case.objects.filter(pk=case.pk).update(case_clock=clock)
        case.case_clock = clock
    return case


# --- notice and hearing -----------------------------------------------------------


def _measures(raw: dict | None, other: str) -> dict:
    """The measures of a notice or decision from its form: the listed ones and any
    other measure in words, which may not name a listed one (it would escape the
    major-decision criteria)."""
    try:
        measures = majority.measures_clean(raw or {})
    except ValueError as error:
        raise ValidationError({"measures": str(error)}) from error
    other = other.strip()
    named = [w for w in majority.MEASURE_WORDS if w in other]
    if named:
        raise ValidationError({"other_measures": (
            f"“{named[0]}”属于列明的处罚种类，请在对应的处罚种类中勾选并填写数额，"
            "以便判定是否属于重大执法决定；此栏只填其他处理措施（如责令退还土地）")})
    return {**measures, "other": other} if other else measures


def _measures_text(measures: dict) -> str:
    """Everything imposed besides the fine, in an instrument's words."""
    items = majority.measure_items(measures)
    if measures.get("other"):
        items.append(measures["other"])
    return "；".join(items)


def _step_day(case: Case, value: dt.date, *, field: str, label: str, after,
              after_label: str, late_reason: str = "") -> str:
    """Check a step's date: within the plausible window, never before the step it
    follows, and a late entry only with a reason. Return the note for the file."""
    date_check(value, field=field, label=label, not_before=after,
               not_before_label=after_label)
    return late_entry(value, late_reason, field=field, label=label)


def case_serve_notice(
    *,
    case: Case,
    actor,
    fine_proposed: Decimal,
    other_measures: str = "",
    served_on: dt.date,
    departure_reason: str = "",
    measures: dict | None = None,
    late_reason: str = "",
) -> Case:
    """Record the served pre-decision notice; statement and hearing windows start.

    The proposed fine is checked against the discretion benchmark: outside the
    legal range it is refused; outside the recommended range it needs a written
    reason, which goes to the legal reviewer with the case. Whether the decision
    will be major is judged on everything proposed: the fine, each measure and the
    circumstances of the case.
    """
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    late = _step_day(case, served_on, field="served_on", label="告知书送达日期",
                     after=case.filed_on, after_label="立案日期",
                     late_reason=late_reason)
    proposed = _measures(measures, other_measures)
    if not _penalty(fine_proposed, proposed):
        raise ValidationError({"fine_proposed": (
            "告知书须列明拟作出的处罚（罚款或其他处罚种类）；拟不予处罚的无需告知")})
    departure = _departure(case, fine_proposed, departure_reason, "fine_proposed")
    with transaction.atomic():
        judgement = majority.is_major(
            _outcome(case, fine=fine_proposed, measures=proposed), _rules())
        _advance(
            case,
            "serve_notice",
            actor,
            note=late,
            facts={"penalty": True},
            fine_proposed=fine_proposed,
            measures_proposed=proposed,
            other_measures=_measures_text(proposed),
            recommendation=_rec_json(case_recommendation(case)),
            departure_summary=departure.summary,
            departure_reason=departure.reason,
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


def case_request_hearing(*, case: Case, actor, requested_on: dt.date,
                         late_reason: str = "") -> Case:
    """Register the party's hearing request; a late one is refused with the article.
    A request dated far back needs a reason: the date decides whether it was in time.
    """
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    late = _step_day(case, requested_on, field="on", label="听证申请日期",
                     after=case.notice_served_on, after_label="告知书送达日期",
                     late_reason=late_reason)
    if case.hearing_clock is None:
        raise ValidationError({"state": f"当前状态为“{case.get_state_display()}”，"
                                        "不能登记听证申请"})
    in_time = requested_on <= case.hearing_clock.due_date
    with transaction.atomic():
        _advance(
            case,
            "request_hearing",
            actor,
            note=late or str(requested_on),
            facts={"hearing_requested_in_time": in_time},
            hearing_requested_on=requested_on,
        )
    return case


def case_hold_hearing(*, case: Case, actor, notified_on: dt.date, chair,
                      late_reason: str = "") -> Case:
    """Record the hearing held by a chair who did not investigate the case.
    A notification dated far back needs a reason: it decides the 7-day notice."""
    require_role(actor, case, Role.PRINCIPAL)
    from fazhi.deadlines.calendars import calendar_from_db
    from fazhi.deadlines.registry import rules_registry

    late = _step_day(case, notified_on, field="notified_on", label="通知听证的日期",
                     after=case.hearing_requested_on, after_label="听证申请日期",
                     late_reason=late_reason)
    notice = rules_registry()["penalty.hearing_notice"]  # 行政处罚法 Art. 64(2)
    days = calendar_from_db(True).working_days_between(notified_on, dates.today())
    ahead = days >= notice.length
    chair_conflict = case.officers.filter(pk=chair.pk).exists()
    with transaction.atomic():
        _advance(
            case,
            "hold_hearing",
            actor,
            note=f"{late}；主持人 {chair}" if late else f"主持人 {chair}",
            facts={
                "hearing_notified_7_days_ahead": ahead,
                "hearing_chair_is_case_officer": chair_conflict,
            },
        )
    return case


# --- review and decision ----------------------------------------------------------


def case_submit_review(*, case: Case, actor, departure_reason: str = "") -> Case:
    """Submit the proposal for legal review, with any departure from the benchmark."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    action = (
        "resubmit_review"
        if case.state == CaseState.REVIEW_RETURNED
        else "submit_review"
    )
    with transaction.atomic():
        _advance(case, action, actor,
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
    require_role(actor, case, Role.PRINCIPAL)
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
    penalty = _penalty(fine_decided, decided)
    action = "decide" if penalty else "decide_no_penalty"
    hearing = case.steps.filter(action__in=["hold_hearing", "waive_hearing"]).exists()
    judged = [j(_outcome(case, fine=fine_decided, measures=decided,
                         hearing_held=hearing), _rules())
              for j in (majority.is_major, majority.collective_discussion_required)]
    now = case_facts(case)
    facts = {"penalty": penalty, "is_major": judged[0].applies or now.is_major,
             "requires_collective_discussion": judged[1].applies
             or now.requires_collective_discussion}
    fields = {}
    if penalty and case.notice_served_on is not None:  # without one, _check refuses
        fields = _decision_checks(case, fine_decided, proposed, decided,
                                  departure_reason, facts["is_major"])
    _check(case, action, actor, **facts)
    if not penalty and not reason.strip():
        raise ValidationError(
            {"reason": "请写明不予行政处罚的理由（行政处罚法第五十七条）"})
    reasons = [*case.major_reasons.splitlines(),
               *(r for r in judged[0].reasons if r not in case.major_reasons)]
    with transaction.atomic():
        _advance(
            case, action, actor, approver=actor, note=reason.strip(), facts=facts,
            fine_decided=fine_decided if penalty else Decimal(0),
            measures_decided=decided,
            other_measures=_measures_text(decided),
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
        decided = _measures(measures, "")
    other = other.strip()
    if not other and keep_other:
        other = proposed.get("other", "")
    if other:
        decided = {**decided, **_measures({}, other)}
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
    departure = _departure(case, fine, reason, "fine_decided")
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
    late = _step_day(case, served_on, field="on", label="决定书送达日期",
                     after=case.decided_on, after_label="决定日期",
                     late_reason=late_reason)
    with transaction.atomic():
        _advance(case, "serve_decision", actor, note=late,
                 decision_served_on=served_on)
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


def case_close(*, case: Case, actor) -> Case:
    """Close the case with the principal's approval; no clock of it runs on."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, "close", actor, approver=actor, closed_on=dates.today())
        _end_clocks(case, actor)
    return case


def _end_clocks(case: Case, actor) -> None:
    """The case ended (closed, not filed, terminated, transferred): the case period
    counts as done today (late if past due), the party's windows end."""
    clocks.matter_clocks_end(matter=case, on=dates.today(), actor=actor,
                             ended_as=ClockEnd.CLOSED)


def _decided_clocks(case: Case, actor) -> None:
    """The decision ends the 90-day case period (行政处罚法第六十条) and the
    statement and hearing windows that came before it."""
    if case.case_clock and case.case_clock.is_open:
        clocks.clock_stop(clock=case.case_clock, on=dates.today(), actor=actor)
    for clock in (case.statement_clock, case.hearing_clock):
        if clock is not None and clock.is_open:
            clocks.clock_stop(clock=clock, on=dates.today(), actor=actor, cancelled=True,
                              ended_as=ClockEnd.CLOSED)


# --- other endings and turns ------------------------------------------------------


def _reasoned(reason: str, field: str = "reason") -> str:
    if not reason.strip():
        raise ValidationError({field: "请写明理由"})
    return reason.strip()


def case_reject_filing(*, case: Case, actor, reason: str) -> Case:
    """Decide not to file (办法第十六条第二款), with the reasons on file."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, "reject_filing", actor, approver=actor,
                 note=_reasoned(reason), end_reason=reason.strip())
        _end_clocks(case, actor)
    return case


def case_waive_hearing(*, case: Case, actor, reason: str) -> Case:
    """The party stayed away or left without leave: the hearing ends (Art. 64(6))."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, "waive_hearing", actor, approver=actor, note=_reasoned(reason))
    return case


def case_reinvestigate(*, case: Case, actor, reason: str) -> Case:
    """Return to investigation: the notice lapses and must be served again."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    with transaction.atomic():
        for clock in (case.statement_clock, case.hearing_clock):
            if clock is not None and clock.is_open:
                clocks.clock_stop(clock=clock, on=dates.today(), actor=actor,
                                  cancelled=True)
        _advance(case, "reinvestigate", actor, note=_reasoned(reason),
                 notice_served_on=None, hearing_requested_on=None,
                 statement_clock=None, hearing_clock=None, is_major=False,
                 major_reasons="", fine_proposed=Decimal(0), other_measures="",
                 measures_proposed={k: v for k, v in (case.measures_proposed or {})
                                    .items() if k in majority.CIRCUMSTANCES})
    return case


def _end(case: Case, action: str, actor, reason: str, **fields) -> Case:
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        _advance(case, action, actor, approver=actor, note=_reasoned(reason),
                 end_reason=reason.strip(), **fields)
        _end_clocks(case, actor)
    return case


def case_terminate(*, case: Case, actor, reason: str) -> Case:
    """End the investigation with the principal's approval (办法第二十八条)."""
    return _end(case, "terminate", actor, reason)


def case_transfer(*, case: Case, actor, to_agency: str, reason: str) -> Case:
    """Send the case to the competent body (办法第十一条、第十三条)."""
    if not to_agency.strip():
        raise ValidationError({"to_agency": "请填写移送机关"})
    return _end(case, "transfer", actor, reason, transferred_to=to_agency.strip())


def case_extension_ask(*, case: Case, actor, days: int, reason: str):
    """An officer of the case asks the principal to extend the 90-day case period
    (办法第三十八条: complex cases, with the principal's approval)."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    if case.case_clock is None or not case.case_clock.is_open:
        raise ValidationError({"days": "案件未在办理期限内，不能延长"})
    return clocks.clock_extension_ask(clock=case.case_clock, actor=actor, days=days,
                                      reason=_reasoned(reason))


def case_extension_decide(*, case: Case, actor, approve: bool):
    """The principal approves or refuses the pending extension of the case period."""
    require_role(actor, case, Role.PRINCIPAL)
    ext = case_extension_pending(case)
    if ext is None:
        raise ValidationError({"approve": "没有待审批的延长办案期限申请"})
    return clocks.clock_extension_decide(extension=ext, actor=actor, approve=approve)


def case_extension_pending(case: Case):
    """The extension of the case period waiting for the principal, or None."""
    if case.case_clock is None:
        return None
    return case.case_clock.extensions.filter(state="pending").first()


def case_record_payment(**kwargs) -> Case:
    """Record the fine as paid: see ``execution.case_record_payment``."""
    from fazhi.enforcement.cases.execution import case_record_payment as record

    return record(**kwargs)

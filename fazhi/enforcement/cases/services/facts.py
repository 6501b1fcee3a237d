"""What the state table is told about a case, and the one step that moves it.

``case_facts`` builds the ``workflow.CaseFacts`` the guards read from the stored
case; ``check`` refuses an action before any other work; ``advance`` moves the case
(optimistic update, audit event, ``CaseStep``) inside the caller's transaction. The
helpers after them are shared by the stages (filing, notice, decision, closing) and
by ``cases/execution.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError

from fazhi.core import dates, matter_kinds, matters
from fazhi.core.dates import date_check, late_entry
from fazhi.core.remedies import numeral
from fazhi.core.roles import Role
from fazhi.deadlines import engine
from fazhi.deadlines import services as clocks
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import ClockEnd
from fazhi.deadlines.registry import rules_registry
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import coercion, discretion, majority, workflow
from fazhi.enforcement.models import (
    Case,
    CaseStep,
    ReviewResult,
)

CASE_ROLES = (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.PRINCIPAL)


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
        act_ended_on=case.violation_ended_on,
    )


def case_recommendation(case: Case) -> discretion.Recommendation:
    """The legal and recommended fine for the case, or a ValidationError saying
    which fact the investigation still has to record."""
    try:
        return discretion.recommend(discretion_facts(case), rulesets.benchmark())
    except discretion.DiscretionError as error:
        raise ValidationError({"fine_proposed": str(error)}) from error


def departure_of(case: Case, fine, reason: str, field: str) -> discretion.Departure:
    rec = case_recommendation(case)
    try:
        return discretion.check_departure(rec, Decimal(fine), reason)
    except discretion.DepartureNeedsReason as error:
        raise ValidationError({"departure_reason": str(error)}) from error
    except discretion.DiscretionError as error:
        raise ValidationError({field: str(error)}) from error


def _current(case: Case) -> tuple[Decimal, dict]:
    """The fine and measures that stand now: the decision's once made, else the
    notice's."""
    if case.decided_on is not None:
        return case.fine_decided or Decimal(0), case.measures_decided or {}
    return case.fine_proposed or Decimal(0), case.measures_proposed or {}


def imposes(fine, measures: dict) -> bool:
    """A fine, a listed measure or another measure in words: something imposed."""
    return bool(fine) or majority.measures_imposed(measures) or bool(
        measures.get("other", "").strip())


def outcome_of(case: Case, *, fine=None, measures: dict | None = None,
               hearing_held: bool = False) -> majority.CaseOutcomeFacts:
    """What the major-decision criteria judge: by default what stands now."""
    now_fine, now_measures = _current(case)
    return majority.outcome_facts(
        case.party_kind, now_fine if fine is None else fine,
        now_measures if measures is None else measures, hearing_held=hearing_held)


REVIEW_ACTIONS = workflow.REVIEW_ACTIONS


def case_participants(case: Case) -> set[int]:
    """Everyone who took part in the case, so none of them may review it: the
    officers, whoever proposed the filing, acted on or approved any step (other than
    the review itself) or recorded its evidence. The case's registration says so
    (``enforcement.apps.TOOK_PART``), and 我的待办 reads the same."""
    return matter_kinds.barred_from(case, Role.LEGAL_REVIEWER)


def party_last_day(clock) -> dt.date:
    """The last day the party's act on ``clock`` is not late: its due date, or the
    next working day when that is a weekend make-up working day (deadlines.engine)."""
    return engine.party_last_day(clock.due_date, calendar_from_db(True))


def _closed(clock) -> bool:
    return clock is not None and party_last_day(clock) < dates.today()


def _since_reinvestigation(case: Case):
    """The steps that still count: a return to investigation voids what followed
    the notice (workflow.py), so hearings, reviews and discussions before it lapse."""
    last = case.steps.filter(action="reinvestigate").order_by("-pk").first()
    steps = case.steps.all()
    return (steps, None) if last is None else (steps.filter(pk__gt=last.pk), last.at)


def decided_parts(case: Case) -> tuple[coercion.ExecutionRules, set[str], bool]:
    """The execution rules, the decided measures with a period to sue of their own
    (a demolition order), and whether anything else was decided (a fine, another
    measure) that the general period governs."""
    rules = rulesets.execution_rules()
    measures = case.measures_decided or {}
    own = {m for m in measures if m in rules.by_measure}
    general = bool(case.fine_decided) or bool(measures.get("other", "").strip()) or any(
        m in majority.MEASURES and m not in own for m in measures)
    return rules, own, general


def litigation_clause(case: Case) -> str:
    """What the decision tells the party about suing (coercion.litigation_clause)."""
    return coercion.litigation_clause(*decided_parts(case))


def execution_windows(case: Case) -> coercion.Windows | None:
    """The challenge and court-application windows once the decision is served:
    the party's ends moved off holidays by the working-day calendar, and a measure
    with a period to sue of its own (a demolition order) in a part of its own."""
    if case.decision_served_on is None:
        return None
    rules, own, general = decided_parts(case)
    return coercion.windows(case.decision_served_on, rules,
                            calendar_from_db(True).working_day_on_or_after,
                            measures=own, general=general)


def _demand_elapsed(case: Case) -> bool:
    from fazhi.deadlines.models import Clock

    clock = Clock.objects.filter(
        object_id=str(case.pk), rule_id=DEMAND,
        content_type__model="case", content_type__app_label="enforcement",
    ).order_by("-pk").first()
    return clock is not None and clock.due_date < dates.today()


# The deadline rules of the party's periods in execution (fazhi/deadlines/rules/).
FINE_PAYMENT, DEMAND = "penalty.fine_payment", "coercion.demand"


def payment_period(case: Case | None = None) -> str:
    """The days to pay the fine, in words (十五日: 行政处罚法第六十七条第三款), as
    the case's payment clock counts them (the rule's own before it starts)."""
    clock = case.payment_clock if case is not None else None
    return rules_registry()[FINE_PAYMENT].words(clock.length if clock else None)


def demand_period() -> str:
    """The days after the demand before the court may be asked, in words (十个工作日:
    行政强制法第五十四条、第六十九条)."""
    return rules_registry()[DEMAND].words()


def guard_words(case: Case) -> dict[str, str]:
    """The periods the guards name (workflow.CaseFacts.words), in words, from the
    rule files: the party's days to state a case and to ask for a hearing, the
    hearing notice's days ahead, the fine's days, a measure's own period to sue, the
    demand's days, the months to apply to the court."""
    rules, own, _ = decided_parts(case)
    registry = rules_registry()
    return {
        "statement_period": registry["penalty.statement"].words(),
        "hearing_request_period": registry["penalty.hearing_request"].words(),
        "hearing_notice_period": registry["penalty.hearing_notice"].words(),
        "payment_period": (f"（罚款为收到决定书之日起{payment_period(case)}）"
                           if case.fine_decided else ""),
        "measure_periods": "".join(
            f"，{p.label}的起诉期限为{numeral(p.days)}日"
            for m, p in rules.by_measure.items() if m in own),
        "demand_period": demand_period(),
        "court_period": f"{numeral(rules.court_months)}个月",
    }


def case_facts(case: Case, **override) -> workflow.CaseFacts:
    """Compute what the workflow guards need from the stored case."""
    participants = case_participants(case)
    steps, since = _since_reinvestigation(case)
    reviews = case.reviews.all() if since is None else case.reviews.filter(
        decided_at__gt=since)
    review = reviews.order_by("-decided_at", "-pk").first()
    held = steps.filter(action__in=["hold_hearing", "waive_hearing"]).exists()
    outcome = outcome_of(case, hearing_held=held)
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
        penalty=imposes(now_fine, now_measures),
        is_major=majority.is_major(outcome, rulesets.majority_rules()).applies,
        requires_collective_discussion=majority.collective_discussion_required(
            outcome, rulesets.majority_rules()
        ).applies,
        hearing_right=majority.hearing_right(outcome, rulesets.majority_rules()).applies,
        notice_served_on=case.notice_served_on,
        statement_window_closed=_closed(case.statement_clock),
        hearing_requested_in_time=(
            None
            if case.hearing_requested_on is None
            else case.hearing_requested_on <= party_last_day(case.hearing_clock)
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
            and not imposes(0, case.measures_decided or {})),
        appeal_window_closed=bool(win and win.challenge_ends < today),
        remedy_pending=case.remedy_pending,
        demand_period_elapsed=_demand_elapsed(case),
        court_application_deadline_passed=bool(win and win.court_last_day < today),
        words=guard_words(case),
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


def check(case: Case, action: str, actor, **override) -> str:
    """Refuse the action now (before any other work) as ``advance`` would."""
    return matters.check(case, workflow.TABLE, action, actor,
                         case_facts(case, **override))


def advance(case: Case, action: str, actor, *, approver=None, note: str = "",
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


def form_measures(raw: dict | None, other: str) -> dict:
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


def measures_text(measures: dict) -> str:
    """Everything imposed besides the fine, in an instrument's words."""
    items = majority.measure_items(measures)
    if measures.get("other"):
        items.append(measures["other"])
    return "；".join(items)


def step_day(case: Case, value: dt.date, *, field: str, label: str, after,
             after_label: str, late_reason: str = "") -> str:
    """Check a step's date: within the plausible window, never before the step it
    follows, and a late entry only with a reason. Return the note for the file."""
    date_check(value, field=field, label=label, not_before=after,
               not_before_label=after_label)
    return late_entry(value, late_reason, field=field, label=label)


def reasoned(reason: str, field: str = "reason") -> str:
    if not reason.strip():
        raise ValidationError({field: "请写明理由"})
    return reason.strip()


def clock_start(case: Case, rule_id: str, start, actor, label: str):
    """Start one of the case's clocks, titled ``label`` and the case number."""
    return clocks.clock_start(matter=case, rule_id=rule_id, start=start, actor=actor,
                              title=f"{label} {case.number}", org_unit=case.org_unit)


def end_clocks(case: Case, actor) -> None:
    """The case ended (closed, not filed, terminated, transferred): the case period
    counts as done today (late if past due), the party's windows end."""
    clocks.matter_clocks_end(matter=case, on=dates.today(), actor=actor,
                             ended_as=ClockEnd.CLOSED)


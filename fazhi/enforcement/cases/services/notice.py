"""The pre-decision notice and what follows it: the statement and hearing windows,
the party's hearing request, the hearing held or waived, a return to investigation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import dates
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import discretion, majority
from fazhi.enforcement.cases.services.facts import (
    advance,
    case_recommendation,
    clock_start,
    departure_of,
    form_measures,
    imposes,
    measures_text,
    outcome_of,
    reasoned,
    step_day,
)
from fazhi.enforcement.models import Case


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
        # the band's standing, shown with the one wording (``standing`` filter)
        "standing": rec.standing.standing.value if rec.standing else "preset",
        "document": rec.standing.document if rec.standing else "",
    }


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
    late = step_day(case, served_on, field="served_on", label="告知书送达日期",
                    after=case.filed_on, after_label="立案日期",
                    late_reason=late_reason)
    proposed = form_measures(measures, other_measures)
    if not imposes(fine_proposed, proposed):
        raise ValidationError({"fine_proposed": (
            "告知书须列明拟作出的处罚（罚款或其他处罚种类）；拟不予处罚的无需告知")})
    departure = departure_of(case, fine_proposed, departure_reason, "fine_proposed")
    with transaction.atomic():
        judgement = majority.is_major(
            outcome_of(case, fine=fine_proposed, measures=proposed), rulesets.majority_rules())
        advance(
            case,
            "serve_notice",
            actor,
            note=late,
            facts={"penalty": True},
            fine_proposed=fine_proposed,
            measures_proposed=proposed,
            other_measures=measures_text(proposed),
            recommendation=_rec_json(case_recommendation(case)),
            departure_summary=departure.summary,
            departure_reason=departure.reason,
            notice_served_on=served_on,
            is_major=judgement.applies,
            major_reasons="\n".join(judgement.reasons),
        )
        stmt = clock_start(case, "penalty.statement", served_on, actor, "陈述申辩")
        hear = clock_start(case, "penalty.hearing_request", served_on, actor, "听证申请")
        Case.objects.filter(pk=case.pk).update(statement_clock=stmt, hearing_clock=hear)
        case.statement_clock, case.hearing_clock = stmt, hear
    return case


def case_request_hearing(*, case: Case, actor, requested_on: dt.date,
                         late_reason: str = "") -> Case:
    """Register the party's hearing request; a late one is refused with the article.
    A request dated far back needs a reason: the date decides whether it was in time.
    """
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    late = step_day(case, requested_on, field="on", label="听证申请日期",
                    after=case.notice_served_on, after_label="告知书送达日期",
                    late_reason=late_reason)
    if case.hearing_clock is None:
        raise ValidationError({"state": f"当前状态为“{case.get_state_display()}”，"
                                        "不能登记听证申请"})
    in_time = requested_on <= case.hearing_clock.due_date
    with transaction.atomic():
        advance(
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

    late = step_day(case, notified_on, field="notified_on", label="通知听证的日期",
                    after=case.hearing_requested_on, after_label="听证申请日期",
                    late_reason=late_reason)
    notice = rules_registry()["penalty.hearing_notice"]  # 行政处罚法 Art. 64(2)
    days = calendar_from_db(True).working_days_between(notified_on, dates.today())
    ahead = days >= notice.length
    chair_conflict = case.officers.filter(pk=chair.pk).exists()
    with transaction.atomic():
        advance(
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


def case_waive_hearing(*, case: Case, actor, reason: str) -> Case:
    """The party stayed away or left without leave: the hearing ends (Art. 64(6))."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        advance(case, "waive_hearing", actor, approver=actor, note=reasoned(reason))
    return case


def case_reinvestigate(*, case: Case, actor, reason: str) -> Case:
    """Return to investigation: the notice lapses and must be served again."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    with transaction.atomic():
        for clock in (case.statement_clock, case.hearing_clock):
            if clock is not None and clock.is_open:
                clocks.clock_stop(clock=clock, on=dates.today(), actor=actor,
                                  cancelled=True)
        advance(case, "reinvestigate", actor, note=reasoned(reason),
                notice_served_on=None, hearing_requested_on=None,
                statement_clock=None, hearing_clock=None, is_major=False,
                major_reasons="", fine_proposed=Decimal(0), other_measures="",
                measures_proposed={k: v for k, v in (case.measures_proposed or {})
                                   .items() if k in majority.CIRCUMSTANCES})
    return case


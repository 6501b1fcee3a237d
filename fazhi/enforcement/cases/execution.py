"""Execution of a served decision: payment, remedies, demand, court, completion.

One function per action, one transaction each, audited; the guards are those of
``workflow.py`` (start_execution, apply_court_enforcement, close) and the facts come
from ``services.case_facts`` (``cases/services/facts.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import audit, dates
from fazhi.core.dates import date_check, late_entry
from fazhi.core.numbers import yuan
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import surcharge
from fazhi.enforcement.cases.services.facts import (
    advance,
    clock_start,
    party_last_day,
)
from fazhi.enforcement.models import Case, CaseStep


def _past(day: dt.date, field: str, after: dt.date | None = None,
          after_label: str = "决定书送达日期", label: str = "日期") -> dt.date:
    """A date of an execution step: not in the future, within the plausible window,
    never before the step it follows (by default the decision's service)."""
    return date_check(day, field=field, label=label, not_before=after,
                      not_before_label=after_label)


def _step(case: Case, action: str, actor, note: str) -> None:
    """Write an execution fact to the case's log, so its history and stage table
    show it (the state stays: these are not moves of the state table)."""
    CaseStep.objects.create(case=case, action=action, state_before=case.state,
                            state_after=case.state, actor=actor, note=note)


def payment_surcharge(case: Case, as_of: dt.date | None = None):
    """The late-payment surcharge owed on ``as_of`` (or at payment), or None."""
    if not case.fine_decided or case.payment_clock is None:
        return None
    remedy = []
    if case.remedy_started_on:
        # Art. 73(3): only the days of the proceedings; an ended remedy stops there
        remedy.append((case.remedy_started_on,
                       case.remedy_ended_on or as_of or dates.today()))
    return surcharge.late_surcharge(
        fine_yuan=case.fine_decided, due=party_last_day(case.payment_clock),
        paid_on=case.paid_on, as_of=as_of or dates.today(), suspended=remedy,
        rule=rulesets.surcharge_rule(),
    )


def case_record_payment(*, case: Case, actor, paid_on: dt.date,
                        amount: Decimal | None = None) -> Case:
    """Record the fine as paid (with any surcharge); the payment clock stops."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    _past(paid_on, "paid_on", case.decision_served_on, label="缴纳日期")
    if case.payment_clock is None or case.paid_on is not None:
        raise ValidationError({"paid_on": "该案件没有待缴纳的罚款"})
    owed = payment_surcharge(case, paid_on)
    total = case.fine_decided + (owed.amount_yuan if owed else 0)
    amount = total if amount is None else amount
    if amount < case.fine_decided:
        raise ValidationError({"amount": f"缴纳金额不足罚款{yuan(case.fine_decided)}元"})
    with transaction.atomic():
        clocks.clock_stop(clock=case.payment_clock, on=paid_on, actor=actor)
        Case.objects.filter(pk=case.pk).update(paid_on=paid_on, amount_paid=amount)
        case.paid_on, case.amount_paid = paid_on, amount
        extra = f"，含加处罚款{yuan(owed.amount_yuan)}元" if owed and owed.days else ""
        _step(case, "payment", actor, f"{paid_on} 缴纳{yuan(amount)}元{extra}")
        audit.record(actor=actor, obj=case, action="enforcement.payment",
                     summary=f"罚款已缴纳 {paid_on} {yuan(amount)}元{extra}",
                     after={"paid_on": paid_on, "amount": str(amount)})
    return case


def case_start_execution(*, case: Case, actor, note: str = "") -> Case:
    """Begin execution of the non-monetary measures or pursue the unpaid fine."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    with transaction.atomic():
        advance(case, "start_execution", actor, note=note.strip(),
                 execution_note=note.strip())
    return case


def case_record_remedy(*, case: Case, actor, started_on: dt.date,
                       ended_on: dt.date | None = None) -> Case:
    """The party applied for reconsideration or sued; the surcharge is not counted
    from ``started_on`` to ``ended_on`` (行政处罚法第七十三条第三款: the days of the
    proceedings only), and while it is pending the court may not be asked to
    enforce. Recording it again with its end closes the span."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    _past(started_on, "started_on", case.decision_served_on,
          label="申请复议或起诉日期")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "结束日期不能早于提起日期"})
    if ended_on is not None:
        _past(ended_on, "ended_on", started_on, "申请复议或起诉日期",
              label="复议或诉讼终结日期")
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            remedy_pending=ended_on is None, remedy_started_on=started_on,
            remedy_ended_on=ended_on)
        case.remedy_pending, case.remedy_started_on = ended_on is None, started_on
        case.remedy_ended_on = ended_on
        _step(case, "remedy", actor, f"{started_on} 至 {ended_on or '未结'}")
        audit.record(actor=actor, obj=case, action="enforcement.remedy",
                     summary=f"复议或诉讼：{started_on} 至 {ended_on or '未结'}",
                     after={"remedy_pending": case.remedy_pending,
                            "remedy_ended_on": ended_on})
    return case


def case_serve_demand(*, case: Case, actor, served_on: dt.date,
                      late_reason: str = "") -> Case:
    """Record the served demand (催告书); 10 working days run (行政强制法第五十四条).

    A demand dated far back would open the court application at once, so a late
    entry needs a reason, kept in the audit chain."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    _past(served_on, "on", case.decision_served_on, label="催告书送达日期")
    late = late_entry(served_on, late_reason, field="on", label="催告书送达日期")
    if case.state not in ("served", "executing"):
        raise ValidationError({"served_on": "决定书送达后方可催告"})
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(demand_served_on=served_on)
        case.demand_served_on = served_on
        clock_start(case, "coercion.demand", served_on, actor, "催告履行")
        _step(case, "demand", actor, f"{served_on} 送达{'；' + late if late else ''}")
        audit.record(actor=actor, obj=case, action="enforcement.demand",
                     summary=f"催告书送达 {served_on}{'；' + late if late else ''}")
    return case


def case_apply_court(*, case: Case, actor, applied_on: dt.date, court: str) -> Case:
    """Apply to the court for compulsory execution (行政强制法第五十三条)."""
    require_role(actor, case, Role.PRINCIPAL)
    _past(applied_on, "applied_on", case.demand_served_on, "催告书送达日期",
          label="申请日期")
    if not court.strip():
        raise ValidationError({"court": "请填写受理法院"})
    with transaction.atomic():
        advance(case, "apply_court_enforcement", actor, approver=actor,
                 note=court.strip(), court_applied_on=applied_on,
                 court_name=court.strip())
    return case


def case_complete_execution(*, case: Case, actor, completed_on: dt.date,
                            note: str) -> Case:
    """Record that every measure of the decision was carried out."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    _past(completed_on, "completed_on", case.decision_served_on,
          label="执行完毕日期")
    if not note.strip():
        raise ValidationError({"note": "请填写执行情况"})
    if case.fine_decided and case.paid_on is None and not case.court_applied_on:
        raise ValidationError({"completed_on": "罚款尚未缴纳，不能认定执行完毕"})
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            execution_completed_on=completed_on, execution_note=note.strip())
        case.execution_completed_on, case.execution_note = completed_on, note.strip()
        _step(case, "complete_execution", actor, f"{completed_on}：{note.strip()}")
        audit.record(actor=actor, obj=case, action="enforcement.execution_complete",
                     summary=f"执行完毕 {completed_on}：{note.strip()}")
    return case

"""The decision period: excluded time, its extension, and approval or refusal (the
decision clocks stop; approval starts the certificate clock) — issued only once the
kind's chain of sign-offs (``signing``) agreed to it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core import dates
from fazhi.core.instruments import date_cn
from fazhi.core.matters import advance, check, check_state
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import ClockExtension, ExtensionState
from fazhi.deadlines.registry import rules_registry
from fazhi.permits.models import Application
from fazhi.permits.services import signing
from fazhi.permits.services.common import (
    err,
    issue_instrument,
    reason_written,
)
from fazhi.permits.workflow import TABLE


def application_pause(*, application: Application, actor, kind: str, reason: str,
                      start: dt.date) -> Application:
    """Stop both clocks for a hearing, expert review, testing… (Art. 45)."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "pause", actor)
    dates.not_future(start, field="start", label="开始日期")
    reason_written("reason", "不计入期限的事由", reason)
    with transaction.atomic():
        for clock in (application.decision_clock, application.promised_clock):
            clocks.clock_pause(clock=clock, start=start, kind=kind, reason=reason,
                               actor=actor)
    return application


def application_resume(*, application: Application, actor,
                       end: dt.date) -> Application:
    """Restart both clocks after the excluded time ended on ``end``."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "resume", actor)
    with transaction.atomic():
        for clock in (application.decision_clock, application.promised_clock):
            clocks.clock_resume(clock=clock, end=end, actor=actor)
        application.promised_clock.refresh_from_db()
        Application.objects.filter(pk=application.pk).update(
            due_date=application.promised_clock.due_date)
    application.refresh_from_db()
    return application


def extension_request(*, application: Application, actor, days: int,
                      reason: str) -> ClockExtension:
    """Ask the principal for the one extension of the decision period."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "request_extension", actor)
    cap = rules_registry()[application.kind.decision_rule].extension_cap
    if not 1 <= days <= cap:
        raise err("days", f"延长期限为1至{cap}个工作日（行政许可法第四十二条第一款）")
    reason_written("reason", "延期理由", reason)
    if application.decision_clock.extensions.exists():
        raise err("days", "决定期限只能延长一次")
    return clocks.clock_extension_ask(clock=application.decision_clock, actor=actor,
                                      days=days, reason=reason)


def extension_decide(*, application: Application, actor, approve: bool,
                     reasons: str = "") -> ClockExtension:
    """The role the chain ``permit.extension`` of the rule data names (the
    principal as shipped) approves or refuses (with reasons) the extension, never
    the clerk who asked; approval moves the clock."""
    check_state(application, TABLE, "decide_extension")
    ext = application.decision_clock.extensions.filter(
        state=ExtensionState.PENDING).first()
    if ext is None:
        raise err("state", "没有待审批的延期申请；未经负责人批准不得延长期限")
    old_due = application.decision_clock.due_date
    with transaction.atomic():
        ext = clocks.clock_extension_decide(extension=ext, actor=actor,
                                            approve=approve, reasons=reasons)
        if approve:
            ext.instrument = _issue_extension_notice(application, ext, actor, old_due)
            ext.save(update_fields=["instrument"])
    return ext


def _issue_extension_notice(app: Application, ext: ClockExtension, actor,
                            old_due: dt.date):
    """Tell the applicant the reason and the new last day (行政许可法第四十二条)."""
    clock = app.decision_clock
    clock.refresh_from_db()
    rule = rules_registry()[clock.rule_id]
    return issue_instrument(
        app, actor, "permits.extension_notice",
        accepted_date=date_cn(app.accepted_on),
        decision_basis=f"《{rule.law}》{rule.article}",
        old_due=date_cn(old_due), extension_reason=ext.reason.strip().rstrip("。"),
        extension_period=rule.words(ext.days), new_due=date_cn(clock.due_date))


def _taken(app: Application, decided_on: dt.date) -> int:
    """Working days from acceptance to decision, excluded time not counted."""
    cal = calendar_from_db(provisional=True)
    days = cal.working_days_between(app.accepted_on, decided_on)
    for pause in app.decision_clock.pauses.all():
        end = min(pause.end or decided_on, decided_on)
        if end >= pause.start:
            days -= cal.working_days_between(pause.start - dt.timedelta(days=1), end)
    return max(days, 0)


def _stop_decision_clocks(app: Application, actor, on: dt.date) -> dict:
    # Stopping closes an open pause on ``on`` and recomputes the due dates, so the
    # flags are judged on the dates as they stand once the clocks stop.
    for clock in (app.decision_clock, app.promised_clock):
        if clock.is_open:
            clocks.clock_stop(clock=clock, on=on, actor=actor)
        clock.refresh_from_db()
    late = on > app.decision_clock.due_date
    over = on > app.promised_clock.due_date
    return dict(decided_on=on, working_days_taken=_taken(app, on),
                decided_late=late, over_promise=over)


def application_approve(*, application: Application, actor,
                        decided_on: dt.date) -> Application:
    """Issue the approval, once the kind's chain of sign-offs agreed to it;
    refused while a required material is neither in nor waived."""
    require_role(actor, application, Role.WINDOW_CLERK)
    facts = signing.decision_facts(application)
    check(application, TABLE, "approve", actor, facts)
    dates.not_future(decided_on, field="decided_on", label="决定日期")
    signing.require_materials(application, "decided_on")
    if application.accepted_on and decided_on < application.accepted_on:
        raise err("decided_on", "决定日期不能早于受理日期")
    with transaction.atomic():
        fields = _stop_decision_clocks(application, actor, decided_on)
        cert = clocks.clock_start(
            matter=application, rule_id="permit.certificate", start=decided_on,
            actor=actor, title=f"发证 {application.number}", assignee=application.clerk)
        app = advance(application, TABLE, "approve", actor, facts=facts,
                      summary=f"准予许可（{decided_on}）", certificate_clock=cert,
                      due_date=cert.due_date, **fields)
        signing.approval_form_issue(app, actor, "准予许可")
    return app


def application_refuse(*, application: Application, actor,
                       decided_on: dt.date) -> Application:
    """Issue the refusal the kind's chain agreed to, with the reasons it signed and
    the applicant's remedies, in writing."""
    require_role(actor, application, Role.WINDOW_CLERK)
    facts = signing.decision_facts(application)
    check(application, TABLE, "refuse", actor, facts)
    dates.not_future(decided_on, field="decided_on", label="决定日期")
    reasons = signing.signed_reasons(application)
    with transaction.atomic():
        fields = _stop_decision_clocks(application, actor, decided_on)
        app = advance(application, TABLE, "refuse", actor, facts=facts,
                      summary=f"不予许可：{reasons}", reasons=reasons,
                      ended_on=decided_on, due_date=None, **fields)
        issue_instrument(app, actor, "permits.refusal", reasons=reasons,
                         signers=signing.signers_printed(app))
        signing.approval_form_issue(app, actor, "不予许可")
    return app

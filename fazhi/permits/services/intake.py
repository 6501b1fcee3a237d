"""Intake: registration, materials, acceptance (the clocks start), the one request
to complete, refusal at intake, and withdrawal by the applicant."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from fazhi.core import audit, dates
from fazhi.core.evidence import evidence_store
from fazhi.core.instruments import date_cn, instrument_number_next
from fazhi.core.matters import advance, check, opened
from fazhi.core.models import EvidenceKind, PartyKind
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import ClockEnd
from fazhi.deadlines.registry import rules_registry
from fazhi.permits.models import (
    Application,
    Material,
    PermitKind,
)
from fazhi.permits.services import signing
from fazhi.permits.services.common import (
    err,
    issue_instrument,
)
from fazhi.permits.workflow import TABLE


def application_register(
    *, actor, kind: PermitKind, applicant_name: str, applicant_kind: str,
    project_name: str, location: str, received_on: dt.date, clerk,
    applicant_id_number: str = "", applicant_phone: str = "", polygon=None,
) -> Application:
    """Take an application in at the window, with the kind's materials checklist."""
    org = actor.org_unit
    require_role(actor, org, Role.WINDOW_CLERK)
    dates.not_future(received_on, field="received_on", label="收件日期")
    if kind.org_unit_id != org.pk:
        raise err("kind", "请选择本机关的许可事项")
    if not kind.is_active:
        raise err("kind", f"许可事项“{kind.name}”已停用")
    if applicant_kind not in PartyKind.values:
        raise err("applicant_kind", "请选择申请人类型（公民，或法人和其他组织）")
    if not (clerk.has_role(Role.WINDOW_CLERK) and clerk.org_unit_id == org.pk):
        raise err("clerk", "承办人须为本机关的审批窗口工作人员")
    for field, label, value in (("applicant_name", "申请人", applicant_name),
                                ("project_name", "项目名称", project_name),
                                ("location", "项目位置", location)):
        if not value.strip():
            raise err(field, f"请填写{label}")
    with transaction.atomic():
        _, number = instrument_number_next(org_unit=org, kind="permits.register",
                                           year=received_on.year)
        app = Application.objects.create(
            org_unit=org, number=number, kind=kind, applicant_name=applicant_name,
            applicant_kind=applicant_kind, applicant_id_number=applicant_id_number,
            applicant_phone=applicant_phone, project_name=project_name,
            location=location, polygon=polygon, clerk=clerk, received_on=received_on,
            rating_token=secrets.token_urlsafe(16), created_by=actor)
        Material.objects.bulk_create([
            Material(application=app, code=m["code"], label=m["label"],
                     required=m["required"]) for m in kind.materials])
        audit.record(actor=actor, obj=app, action="permits.register",
                     summary=f"收件：{kind.name}，申请人 {applicant_name}",
                     after={"number": number, "kind": kind.code,
                            "received_on": received_on})
        opened(app, actor)
    return app


def material_provide(*, application: Application, actor, code: str, file=None,
                     provided_on: dt.date) -> Material:
    """Record a material handed in, with its scan in the evidence store."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "material", actor)
    dates.not_future(provided_on, field="provided_on", label="提交日期")
    material = _material(application, code)
    with transaction.atomic():
        evidence = None
        if file is not None:
            evidence = evidence_store(file=file, actor=actor,
                                      org_unit=application.org_unit,
                                      kind=EvidenceKind.DOCUMENT,
                                      description=material.label, matter=application)
        Material.objects.filter(pk=material.pk).update(
            provided_on=provided_on, evidence=evidence, waived=False, waiver_reason="")
        audit.record(actor=actor, obj=application, action="permits.material",
                     summary=f"收到材料：{material.label}",
                     evidence=[evidence.sha256] if evidence else [],
                     after={"material": code, "provided_on": provided_on})
    material.refresh_from_db()
    return material


def material_waive(*, application: Application, actor, code: str,
                   reason: str) -> Material:
    """Record that a required material is not needed here, with the reason."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "material", actor)
    if not reason.strip():
        raise err("reason", "免于提交须写明理由（如：已通过部门共享获取）")
    material = _material(application, code)
    with transaction.atomic():
        Material.objects.filter(pk=material.pk).update(waived=True,
                                                       waiver_reason=reason)
        audit.record(actor=actor, obj=application, action="permits.material_waive",
                     summary=f"材料免于提交：{material.label}：{reason}",
                     after={"material": code})
    material.refresh_from_db()
    return material


def _material(app: Application, code: str) -> Material:
    material = app.materials.filter(code=code).first()
    if material is None:
        raise err("code", "该许可事项的材料清单中没有此项")
    return material


def _start_clocks(app: Application, actor, start: dt.date) -> dict:
    title = f"{app.kind.name} {app.number}"
    decision = clocks.clock_start(matter=app, rule_id=app.kind.decision_rule,
                                  start=start, actor=actor, title=f"许可决定 {title}",
                                  assignee=app.clerk)
    promised = clocks.clock_start(matter=app, rule_id="permit.promised", start=start,
                                  actor=actor, title=f"承诺时限 {title}",
                                  assignee=app.clerk, length=app.kind.promised_days)
    return dict(accepted_on=start, decision_clock=decision, promised_clock=promised,
                due_date=promised.due_date)


def application_accept(*, application: Application, actor,
                       accepted_on: dt.date) -> Application:
    """Accept the application; the statutory and promised clocks start."""
    require_role(actor, application, Role.WINDOW_CLERK)
    dates.not_future(accepted_on, field="accepted_on", label="受理日期")
    if accepted_on < application.received_on:
        raise err("accepted_on", "受理日期不能早于收件日期")
    with transaction.atomic():
        fields = _start_clocks(application, actor, accepted_on)
        app = advance(application, TABLE, "accept", actor,
                      summary=f"受理（{accepted_on}）", **fields)
        _issue_acceptance_notice(app, actor)
    return app


def _issue_acceptance_notice(app: Application, actor) -> None:
    """The written proof of acceptance, with the periods the clocks now run
    (行政许可法第三十二条第二款)."""
    rule = rules_registry()[app.kind.decision_rule]
    issue_instrument(
        app, actor, "permits.acceptance_notice",
        accepted_date=date_cn(app.accepted_on),
        decision_basis=f"《{rule.law}》{rule.article}",
        decision_period=rule.words(app.decision_clock.length),
        decision_due=date_cn(app.decision_clock.due_date),
        promised_due=date_cn(app.promised_clock.due_date))


def completion_deadline(app: Application) -> dt.date:
    """The last day to tell the applicant, once, what to complete (Art. 32)."""
    return clocks.due_date("permit.completeness_notice", app.received_on).due


def application_request_completion(*, application: Application, actor, items: str,
                                   notified_on: dt.date) -> Application:
    """Tell the applicant once, in writing, everything to complete; the clock waits."""
    require_role(actor, application, Role.WINDOW_CLERK)
    dates.not_future(notified_on, field="notified_on", label="告知日期")
    if not items.strip():
        raise err("items", "请一次性列明需要补正的全部内容")
    if notified_on < application.received_on:
        raise err("notified_on", "补正告知日期不能早于收件日期")
    last = completion_deadline(application)
    if notified_on > last:
        raise err("notified_on",
                  f"补正告知应在收件后五日内作出（最后一日 {last}）；逾期不告知的，"
                  "自收到申请材料之日起即为受理（行政许可法第三十二条第一款第四项），"
                  "请直接受理")
    with transaction.atomic():
        app = advance(application, TABLE, "request_completion", actor,
                      summary=f"一次性告知补正：{items}", completion_items=items,
                      completion_notified_on=notified_on)
        issue_instrument(app, actor, "permits.completion_notice", items=items,
                         notified_date=date_cn(notified_on))
    return app


def application_complete(*, application: Application, actor,
                         completed_on: dt.date) -> Application:
    """The completed materials came in: accepted that day, the clocks start."""
    require_role(actor, application, Role.WINDOW_CLERK)
    dates.not_future(completed_on, field="completed_on", label="收到补正日期")
    if completed_on < (application.completion_notified_on or application.received_on):
        raise err("completed_on", "收到补正日期不能早于补正告知日期")
    with transaction.atomic():
        fields = _start_clocks(application, actor, completed_on)
        app = advance(application, TABLE, "complete", actor,
                      summary=f"收到补正材料并受理（{completed_on}）", **fields)
        _issue_acceptance_notice(app, actor)
    return app


def application_refuse_intake(*, application: Application, actor, reasons: str,
                              refused_on: dt.date) -> Application:
    """Refuse to accept, with reasons; the decision is sent to the applicant."""
    require_role(actor, application, Role.WINDOW_CLERK)
    dates.not_future(refused_on, field="refused_on", label="决定日期")
    if not reasons.strip():
        raise err("reasons", "不予受理须说明理由")
    with transaction.atomic():
        app = advance(application, TABLE, "refuse_intake", actor,
                      summary=f"不予受理：{reasons}", reasons=reasons,
                      decided_on=refused_on, ended_on=refused_on, due_date=None)
        issue_instrument(app, actor, "permits.intake_refusal", reasons=reasons)
    return app


def application_withdraw(*, application: Application, actor, reason: str,
                         withdrawn_on: dt.date) -> Application:
    """The applicant withdrew the application; its clocks are cancelled."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "withdraw", actor)
    dates.not_future(withdrawn_on, field="withdrawn_on", label="撤回日期")
    if withdrawn_on < application.received_on:
        raise err("withdrawn_on", "撤回日期不能早于收件日期")
    if not reason.strip():
        raise err("reason", "请记录申请人撤回的方式和理由")
    with transaction.atomic():
        clocks.matter_clocks_end(matter=application, on=withdrawn_on, actor=actor,
                                 ended_as=ClockEnd.WITHDRAWN)
        signing.decision_end(application)
        return advance(application, TABLE, "withdraw", actor,
                       summary=f"申请人撤回：{reason}", reasons=reason,
                       ended_on=withdrawn_on, due_date=None)


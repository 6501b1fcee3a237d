"""Every action on a permit application: one function each, one transaction each.

Each checks the actor's role in the application's own bureau, asks the state table,
checks the law, changes the application with an optimistic update, moves its
clocks, and writes the audit chain — all or nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.core import audit, dates
from fazhi.core.evidence import evidence_store
from fazhi.core.instruments import (
    instrument_issue,
    instrument_kinds,
    instrument_number_next,
)
from fazhi.core.matters import advance, check
from fazhi.core.models import EvidenceKind, OrgLevel, OrgUnit
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.rule_folders import module_rules
from fazhi.deadlines import services as clocks
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import ClockEnd, ClockExtension, ClockPause, ExtensionState
from fazhi.deadlines.registry import rules_registry
from fazhi.permits import kinds as kind_rules
from fazhi.permits import workflow
from fazhi.permits.models import (
    ApplicantKind,
    Application,
    ApplicationState,
    Material,
    PermitKind,
    Rating,
    RatingChannel,
)
from fazhi.permits.workflow import TABLE

PUBLIC_RATER = "申请人（网上评价）"
# What a clock's pause or extension record holds.
REASON_MAX = ClockPause._meta.get_field("reason").max_length


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _not_future(field: str, label: str, day: dt.date) -> None:
    if day > dates.today():
        raise _err(field, f"{label}不能晚于今天（{dates.today()}）")


def _reason(field: str, label: str, text: str) -> None:
    if not text.strip():
        raise _err(field, f"请写明{label}")
    if len(text) > REASON_MAX:
        raise _err(field, f"{label}不超过{REASON_MAX}字（现为{len(text)}字），详细材料可作为附件")


# --- permit kinds ---------------------------------------------------------------------


def _statutory_days() -> dict[str, int]:
    return {rid: r.length for rid, r in rules_registry().items()
            if rid.startswith("permit.") and r.unit == "working_day"}


def _spec(kind: PermitKind) -> kind_rules.KindSpec:
    return kind_rules.KindSpec(
        code=kind.code, name=kind.name, basis=kind.basis,
        decision_rule=kind.decision_rule, promised_days=kind.promised_days,
        certificate_word=kind.certificate_word, fee=kind.fee, fee_basis=kind.fee_basis,
        materials=tuple(kind_rules.Material(m["code"], m["label"], m["required"])
                        for m in kind.materials))


def _check_kinds(kinds: list[PermitKind]) -> None:
    taken = {k.word: f"文书“{k.title}”" for k in instrument_kinds().values()}
    try:
        for kind in kinds:
            kind_rules.check_kind(_spec(kind), _statutory_days())
        kind_rules.check_words_unique([_spec(k) for k in kinds], taken)
    except kind_rules.KindError as exc:
        raise ValidationError(str(exc)) from exc


def kinds_sync(*, actor=None, org_units=None) -> int:
    """Give every county bureau (or each of ``org_units``) its own copy of each
    shipped kind it lacks; never touch a kind a bureau already has."""
    specs = kind_rules.load_kinds()
    units = (list(org_units) if org_units is not None
             else list(OrgUnit.objects.filter(level=OrgLevel.COUNTY)))
    return sum(_sync_bureau(org, specs, actor) for org in units)


def _sync_bureau(org: OrgUnit, specs: list[kind_rules.KindSpec], actor) -> int:
    have = set(PermitKind.objects.filter(org_unit=org).values_list("code", flat=True))
    new = [PermitKind(org_unit=org, code=s.code, name=s.name, basis=s.basis,
                      decision_rule=s.decision_rule, promised_days=s.promised_days,
                      certificate_word=s.certificate_word, fee=s.fee,
                      fee_basis=s.fee_basis,
                      materials=[m.__dict__ for m in s.materials])
           for s in specs if s.code not in have]
    if not new:
        return 0
    with transaction.atomic():
        try:
            _check_kinds([*PermitKind.objects.filter(org_unit=org), *new])
        except ValidationError as exc:
            raise ValidationError(f"{org.name}：{exc.messages[0]}") from exc
        PermitKind.objects.bulk_create(new)
        audit.record(actor=actor, obj=None, org_unit=org, action="permits.kinds_sync",
                     object_type="permits.PermitKind",
                     summary=f"载入许可事项 {len(new)} 项",
                     after={"codes": [k.code for k in new]})
    return len(new)


def kind_save(*, actor, kind: PermitKind | None = None, **fields) -> PermitKind:
    """Change one of the actor's bureau's kinds, or add one to it (its system
    administrator); another bureau's kinds and applications stay as they are."""
    if not (actor.is_active and actor.has_role(Role.SYSTEM_ADMIN)):
        raise PermissionDenied("只有系统管理员可以维护许可事项")
    org = actor.org_unit
    # A copy: a refused change must leave the caller's object as it was.
    target = (PermitKind.objects.get(pk=kind.pk) if kind is not None
              else PermitKind(org_unit=org, added_by_bureau=True))
    if org is None or target.org_unit_id != org.pk:
        raise PermissionDenied("只能维护本机关的许可事项")
    _check_materials(fields.get("materials", kind.materials if kind else None))
    before = {} if kind is None else {f: getattr(kind, f) for f in fields}
    for name, value in fields.items():
        setattr(target, name, value)
    if target.org_unit_id != org.pk:  # nor handed to another bureau
        raise PermissionDenied("只能维护本机关的许可事项")
    others = PermitKind.objects.filter(org_unit=org).exclude(pk=target.pk)
    if kind is None and others.filter(code=target.code).exists():
        raise _err("code", f"本机关已有编码为“{target.code}”的许可事项，请换一个编码")
    with transaction.atomic():
        _check_kinds([*others, target])
        target.save()
        audit.record(actor=actor, obj=target, action="permits.kind_save",
                     summary=f"{'修改' if kind else '新增'}许可事项“{target.name}”",
                     before=before, after=fields)
    if kind is not None:  # the caller's object now agrees with the database
        for name, value in fields.items():
            setattr(kind, name, value)
    return target


def _check_materials(items) -> None:
    ok = isinstance(items, list) and items and all(
        isinstance(m, dict) and isinstance(m.get("code"), str) and m["code"]
        and isinstance(m.get("label"), str) and m["label"]
        and isinstance(m.get("required"), bool) for m in items)
    if not ok:
        raise _err("materials", "申请材料清单每项须有编码、材料名称和是否必需")


# --- intake ---------------------------------------------------------------------------


def application_register(
    *, actor, kind: PermitKind, applicant_name: str, applicant_kind: str,
    project_name: str, location: str, received_on: dt.date, clerk,
    applicant_id_number: str = "", applicant_phone: str = "", polygon=None,
) -> Application:
    """Take an application in at the window, with the kind's materials checklist."""
    org = actor.org_unit
    require_role(actor, org, Role.WINDOW_CLERK)
    _not_future("received_on", "收件日期", received_on)
    if kind.org_unit_id != org.pk:
        raise _err("kind", "请选择本机关的许可事项")
    if not kind.is_active:
        raise _err("kind", f"许可事项“{kind.name}”已停用")
    if applicant_kind not in ApplicantKind.values:
        raise _err("applicant_kind", "请选择申请人类型（公民，或法人和其他组织）")
    if not (clerk.has_role(Role.WINDOW_CLERK) and clerk.org_unit_id == org.pk):
        raise _err("clerk", "承办人须为本机关的审批窗口工作人员")
    for field, label, value in (("applicant_name", "申请人", applicant_name),
                                ("project_name", "项目名称", project_name),
                                ("location", "项目位置", location)):
        if not value.strip():
            raise _err(field, f"请填写{label}")
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
    return app


def material_provide(*, application: Application, actor, code: str, file=None,
                     provided_on: dt.date) -> Material:
    """Record a material handed in, with its scan in the evidence store."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "material", actor)
    _not_future("provided_on", "提交日期", provided_on)
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
        raise _err("reason", "免于提交须写明理由（如：已通过部门共享获取）")
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
        raise _err("code", "该许可事项的材料清单中没有此项")
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
    _not_future("accepted_on", "受理日期", accepted_on)
    if accepted_on < application.received_on:
        raise _err("accepted_on", "受理日期不能早于收件日期")
    with transaction.atomic():
        fields = _start_clocks(application, actor, accepted_on)
        return advance(application, TABLE, "accept", actor,
                       summary=f"受理（{accepted_on}）", **fields)


def completion_deadline(app: Application) -> dt.date:
    """The last day to tell the applicant, once, what to complete (Art. 32)."""
    return clocks.due_date("permit.completeness_notice", app.received_on).due


def application_request_completion(*, application: Application, actor, items: str,
                                   notified_on: dt.date) -> Application:
    """Tell the applicant once, in writing, everything to complete; the clock waits."""
    require_role(actor, application, Role.WINDOW_CLERK)
    _not_future("notified_on", "告知日期", notified_on)
    if not items.strip():
        raise _err("items", "请一次性列明需要补正的全部内容")
    if notified_on < application.received_on:
        raise _err("notified_on", "补正告知日期不能早于收件日期")
    last = completion_deadline(application)
    if notified_on > last:
        raise _err("notified_on",
                   f"补正告知应在收件后五日内作出（最后一日 {last}）；逾期不告知的，"
                   "自收到申请材料之日起即为受理（行政许可法第三十二条第一款第四项），"
                   "请直接受理")
    with transaction.atomic():
        app = advance(application, TABLE, "request_completion", actor,
                      summary=f"一次性告知补正：{items}", completion_items=items,
                      completion_notified_on=notified_on)
        _issue(app, actor, "permits.completion_notice", items=items,
               notified_date=str(notified_on))
    return app


def application_complete(*, application: Application, actor,
                         completed_on: dt.date) -> Application:
    """The completed materials came in: accepted that day, the clocks start."""
    require_role(actor, application, Role.WINDOW_CLERK)
    _not_future("completed_on", "收到补正日期", completed_on)
    if completed_on < (application.completion_notified_on or application.received_on):
        raise _err("completed_on", "收到补正日期不能早于补正告知日期")
    with transaction.atomic():
        fields = _start_clocks(application, actor, completed_on)
        return advance(application, TABLE, "complete", actor,
                       summary=f"收到补正材料并受理（{completed_on}）", **fields)


def application_refuse_intake(*, application: Application, actor, reasons: str,
                              refused_on: dt.date) -> Application:
    """Refuse to accept, with reasons; the decision is sent to the applicant."""
    require_role(actor, application, Role.WINDOW_CLERK)
    _not_future("refused_on", "决定日期", refused_on)
    if not reasons.strip():
        raise _err("reasons", "不予受理须说明理由")
    with transaction.atomic():
        app = advance(application, TABLE, "refuse_intake", actor,
                      summary=f"不予受理：{reasons}", reasons=reasons,
                      decided_on=refused_on, ended_on=refused_on, due_date=None)
        _issue(app, actor, "permits.intake_refusal", reasons=reasons)
    return app


# --- excluded time and extension ------------------------------------------------------


def application_pause(*, application: Application, actor, kind: str, reason: str,
                      start: dt.date) -> Application:
    """Stop both clocks for a hearing, expert review, testing… (Art. 45)."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "pause", actor)
    _not_future("start", "开始日期", start)
    _reason("reason", "不计入期限的事由", reason)
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
        raise _err("days", f"延长期限为1至{cap}个工作日（行政许可法第四十二条第一款）")
    _reason("reason", "延期理由", reason)
    if application.decision_clock.extensions.exists():
        raise _err("days", "决定期限只能延长一次")
    return clocks.clock_extension_ask(clock=application.decision_clock, actor=actor,
                                      days=days, reason=reason)


def extension_decide(*, application: Application, actor,
                     approve: bool) -> ClockExtension:
    """The principal approves or refuses the extension; approval moves the clock."""
    require_role(actor, application, Role.PRINCIPAL)
    check(application, TABLE, "decide_extension", actor)
    ext = application.decision_clock.extensions.filter(
        state=ExtensionState.PENDING).first()
    if ext is None:
        raise _err("state", "没有待审批的延期申请；未经负责人批准不得延长期限")
    return clocks.clock_extension_decide(extension=ext, actor=actor, approve=approve)


# --- decision and certificate ---------------------------------------------------------


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
    """Grant the permit; refused while a required material is neither in nor waived."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "approve", actor)
    _not_future("decided_on", "决定日期", decided_on)
    missing = workflow.missing_materials([
        (m.label, m.required, m.provided, m.waived)
        for m in application.materials.all()])
    if missing:
        raise _err("decided_on", "以下必需材料尚未提交，也未登记免于提交，不能作出准予"
                   f"许可决定：{'、'.join(missing)}")
    if application.accepted_on and decided_on < application.accepted_on:
        raise _err("decided_on", "决定日期不能早于受理日期")
    with transaction.atomic():
        fields = _stop_decision_clocks(application, actor, decided_on)
        cert = clocks.clock_start(
            matter=application, rule_id="permit.certificate", start=decided_on,
            actor=actor, title=f"发证 {application.number}", assignee=application.clerk)
        return advance(application, TABLE, "approve", actor,
                       summary=f"准予许可（{decided_on}）", certificate_clock=cert,
                       due_date=cert.due_date, **fields)


def application_refuse(*, application: Application, actor, decided_on: dt.date,
                       reasons: str) -> Application:
    """Refuse the permit with reasons and the applicant's remedies, in writing."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "refuse", actor)
    _not_future("decided_on", "决定日期", decided_on)
    if not reasons.strip():
        raise _err("reasons", "不予许可须说明理由（行政许可法第三十八条第二款）")
    with transaction.atomic():
        fields = _stop_decision_clocks(application, actor, decided_on)
        app = advance(application, TABLE, "refuse", actor,
                      summary=f"不予许可：{reasons}", reasons=reasons,
                      ended_on=decided_on, due_date=None, **fields)
        _issue(app, actor, "permits.refusal", reasons=reasons)
    return app


def certificate_issue(*, application: Application, actor,
                      issued_on: dt.date) -> Application:
    """Number and generate the certificate; only after approval."""
    require_role(actor, application, Role.WINDOW_CLERK)
    _not_future("issued_on", "发证日期", issued_on)
    if application.state != ApplicationState.APPROVED:
        raise _err("state", "尚未作出准予许可决定，不能制发证书")
    if issued_on < application.decided_on:
        raise _err("issued_on", "发证日期不能早于许可决定日期")
    with transaction.atomic():
        kind = application.kind
        instrument = _issue(application, actor, "permits.certificate",
                            series=(f"permits.cert.{kind.code}", kind.certificate_word),
                            title=kind.name, decided_date=str(application.decided_on))
        clocks.clock_stop(clock=application.certificate_clock, on=issued_on,
                          actor=actor)
        return advance(application, TABLE, "issue_certificate", actor,
                       summary=f"制发{kind.name} {instrument.doc_number}",
                       evidence=[instrument.evidence.sha256],
                       certificate_number=instrument.doc_number,
                       certificate_issued_on=issued_on, ended_on=issued_on,
                       due_date=None)


def _issue(app: Application, actor, kind: str, series=None, title: str = "",
           **extra):
    context = dict(
        applicant_name=app.applicant_name, application_number=app.number,
        permit_kind=app.kind.name, project_name=app.project_name,
        location=app.location, received_date=str(app.received_on),
        basis=app.kind.basis, **extra)
    return instrument_issue(kind=kind, org_unit=app.org_unit, matter=app,
                            context=context, actor=actor, title=title,
                            series=series)


# --- fees, withdrawal, later changes -------------------------------------------------


def fee_record(*, application: Application, actor, amount: Decimal,
               receipt_number: str, paid_on: dt.date) -> Application:
    """Record the fee paid: amount, receipt number, date."""
    require_role(actor, application, Role.WINDOW_CLERK)
    _not_future("paid_on", "缴费日期", paid_on)
    if not application.kind.fee:
        raise _err("amount", f"“{application.kind.name}”不收费")
    if amount is None or amount <= 0:
        raise _err("amount", "收费金额须大于零")
    if not receipt_number.strip():
        raise _err("receipt_number", "请填写收费票据号")
    with transaction.atomic():
        return advance(application, TABLE, "fee", actor,
                       summary=f"收费 {amount} 元，票据 {receipt_number}",
                       fee_amount=amount, fee_receipt_number=receipt_number,
                       fee_paid_on=paid_on)


def application_withdraw(*, application: Application, actor, reason: str,
                         withdrawn_on: dt.date) -> Application:
    """The applicant withdrew the application; its clocks are cancelled."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "withdraw", actor)
    _not_future("withdrawn_on", "撤回日期", withdrawn_on)
    if withdrawn_on < application.received_on:
        raise _err("withdrawn_on", "撤回日期不能早于收件日期")
    if not reason.strip():
        raise _err("reason", "请记录申请人撤回的方式和理由")
    with transaction.atomic():
        clocks.matter_clocks_end(matter=application, on=withdrawn_on, actor=actor,
                                 ended_as=ClockEnd.WITHDRAWN)
        return advance(application, TABLE, "withdraw", actor,
                       summary=f"申请人撤回：{reason}", reasons=reason,
                       ended_on=withdrawn_on, due_date=None)


def permit_change(*, application: Application, actor, summary: str) -> Application:
    """Record a change of the issued permit (行政许可法第四十九条)."""
    require_role(actor, application, Role.WINDOW_CLERK)
    if not summary.strip():
        raise _err("summary", "请写明变更内容")
    with transaction.atomic():
        return advance(application, TABLE, "change", actor,
                       summary=f"许可变更：{summary}")


def permit_revoke(*, application: Application, actor, reason: str,
                  revoked_on: dt.date) -> Application:
    """Withdraw the issued permit (行政许可法第八条第二款、第六十九条)."""
    require_role(actor, application, Role.PRINCIPAL)
    _not_future("revoked_on", "撤回日期", revoked_on)
    if not reason.strip():
        raise _err("reason", "撤回许可须说明理由和法律依据")
    with transaction.atomic():
        return advance(application, TABLE, "revoke", actor,
                       summary=f"撤回许可（{revoked_on}）：{reason}", reasons=reason)


# --- ratings and complaints -----------------------------------------------------------


def rating_scale() -> tuple[dict[int, str], int]:
    """The rating levels and the highest score that counts as bad (rule data)."""
    return module_rules("permits", kind_rules.load_rating_scale)


def rating_record(*, application: Application, score: int, comment: str,
                  channel: str, actor=None) -> Rating:
    """Record the applicant's rating; a bad one opens a complaint on its clock.

    At the window the clerk records it (``actor``); online the applicant rates
    through the application's private link, with no account.
    """
    if actor is not None:
        require_role(actor, application, Role.WINDOW_CLERK)
    levels, bad = rating_scale()
    if channel not in RatingChannel.values:
        raise _err("channel", "评价渠道须为窗口评价器或网上评价")
    if score not in levels:
        raise _err("score", f"评分须为{min(levels)}至{max(levels)}")
    if Rating.objects.filter(application=application).exists():
        raise _err("score", "本次办理已评价，每件只能评价一次")
    today = dates.today()
    who = actor or PUBLIC_RATER
    with transaction.atomic():
        rating = Rating.objects.create(application=application, score=score,
                                       comment=comment, channel=channel, rated_on=today)
        if score <= bad:
            rating.complaint_clock = clocks.clock_start(
                matter=application, rule_id="permit.complaint_answer", start=today,
                actor=who, title=f"差评核实答复 {application.number}")
            rating.save(update_fields=["complaint_clock"])
        audit.record(actor=who, obj=application, action="permits.rating",
                     summary=f"评价：{levels[score]}（{score}分）",
                     after={"score": score, "channel": channel})
    return rating


def complaint_answer(*, rating: Rating, actor, answer: str,
                     answered_on: dt.date) -> Rating:
    """A supervisor answers the bad rating: what was checked, fixed and told."""
    require_role(actor, rating.application, Role.SUPERVISOR)
    _not_future("answered_on", "答复日期", answered_on)
    if rating.complaint_clock_id is None:
        raise _err("answer", "该评价不是差评，无需答复")
    if rating.answered_on:
        raise _err("answer", "该差评已答复")
    if not answer.strip():
        raise _err("answer", "请写明核实、整改和答复评价人的情况")
    with transaction.atomic():
        if not Rating.objects.filter(pk=rating.pk, answered_on__isnull=True).update(
                answered_on=answered_on, answer=answer, answered_by=actor):
            raise _err("answer", "该差评刚被他人答复，请刷新页面")
        clocks.clock_stop(clock=rating.complaint_clock, on=answered_on, actor=actor)
        audit.record(actor=actor, obj=rating.application,
                     action="permits.complaint_answer", summary=f"差评答复：{answer}")
    rating.refresh_from_db()
    return rating

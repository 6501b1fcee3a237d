"""Every action on a disclosure request: one function each, one transaction each.

Each checks the actor's role in the request's own bureau, asks the state table,
validates dates against the law, changes the request with an optimistic update,
moves the reply clock, and writes the audit chain — all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from fazhi.core import audit, dates
from fazhi.core.errors import field_error as _err
from fazhi.core.evidence import evidence_store_files
from fazhi.core.instruments import instrument_issue, instrument_number_next
from fazhi.core.matters import advance, check, check_state, opened
from fazhi.core.numbers import yuan
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import ClockEnd, ClockExtension, ExtensionState
from fazhi.deadlines.registry import rules_registry
from fazhi.disclosure import law
from fazhi.disclosure.models import (
    Consultation,
    ConsultationOpinion,
    CorrectionNotice,
    DisclosureRequest,
    RequestState,
)
from fazhi.disclosure.workflow import TABLE

# --- registration ---------------------------------------------------------------------


def request_register(
    *,
    actor,
    channel: str,
    requester_category: str,
    requester_name: str,
    content: str,
    assignee,
    submitted_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    requester_id_number: str = "",
    requester_contact_person: str = "",
    requester_phone: str = "",
    requester_address: str = "",
    requester_email: str = "",
    scans: Iterable = (),
) -> DisclosureRequest:
    """Register a request from any channel; the reply clock starts on receipt."""
    org = actor.org_unit
    require_role(actor, org, Role.DISCLOSURE_OFFICER)
    if not assignee.has_role(Role.DISCLOSURE_OFFICER) or assignee.org_unit_id != org.pk:
        raise _err("assignee", "承办人须为本机关的政务公开工作人员")
    for field, label, value in (
        ("submitted_on", "提交日期", submitted_on),
        ("signed_on", "签收日期", signed_on),
        ("confirmed_on", "确认日期", confirmed_on),
    ):
        dates.not_future(value, field=field, label=label)
    received = law.receipt_date(
        channel,
        submitted_on=submitted_on,
        signed_on=signed_on,
        confirmed_on=confirmed_on,
    )
    if not content.strip():
        raise _err("content", "请填写申请公开的政府信息内容")
    with transaction.atomic():
        _, number = instrument_number_next(
            org_unit=org, kind="disclosure.register", year=received.year
        )
        request = DisclosureRequest.objects.create(
            org_unit=org,
            number=number,
            channel=channel,
            submitted_on=submitted_on,
            signed_on=signed_on,
            confirmed_on=confirmed_on,
            received_on=received,
            requester_category=requester_category,
            requester_name=requester_name,
            requester_id_number=requester_id_number,
            requester_contact_person=requester_contact_person,
            requester_phone=requester_phone,
            requester_address=requester_address,
            requester_email=requester_email,
            content=content,
            assignee=assignee,
            created_by=actor,
        )
        hashes = evidence_store_files(
            scans, matter=request, actor=actor, kind="scan", description="申请书扫描件")
        audit.record(
            actor=actor,
            obj=request,
            action="disclosure.register",
            summary=f"登记依申请公开 {number}，收到日期 {received}",
            after={
                "channel": channel,
                "received_on": received,
                "assignee": assignee.pk,
            },
            evidence=hashes,
        )
        opened(request, actor)
        clock = clocks.clock_start(
            matter=request,
            rule_id="disclosure.reply",
            start=received,
            actor=actor,
            title=f"依申请公开答复 {number}",
            assignee=assignee,
        )
        DisclosureRequest.objects.filter(pk=request.pk).update(reply_clock=clock)
        request.reply_clock = clock
    return request


# --- correction (补正, Art. 30) -----------------------------------------------------


def correction_last_day(request: DisclosureRequest) -> dt.date:
    """The last day a correction notice may be sent: 7 working days after receipt."""
    return clocks.due_date("disclosure.correction_notice", request.received_on).due


def request_correction_issue(
    *, request, actor, issued_on: dt.date, items: list[str], deadline: dt.date
) -> CorrectionNotice:
    """Send the one correction notice; the reply period restarts on completion."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    if CorrectionNotice.objects.filter(request=request).exists():
        raise _err("issued_on", "补正告知只能发出一次（政府信息公开条例第三十条）")
    dates.not_future(issued_on, field="issued_on", label="告知日期")
    if issued_on < request.received_on:
        raise _err("issued_on", f"告知日期不能早于收到申请日期 {request.received_on}")
    last = correction_last_day(request)
    if issued_on > last:
        raise _err(
            "issued_on",
            "补正告知应在收到申请之日起7个工作日内发出（政府信息"
            f"公开条例第三十条），本申请最迟为 {last}",
        )
    items = [i.strip() for i in items if i.strip()]
    if not items:
        raise _err("items", "请逐项写明需要补正的事项")
    if deadline <= issued_on:
        raise _err("deadline", "补正期限应晚于告知日期")
    dates.date_check(deadline, field="deadline", label="补正期限",
                     future_days=dates.FUTURE_DAYS_SCHEDULED)
    with transaction.atomic():
        notice = CorrectionNotice.objects.create(
            request=request,
            issued_on=issued_on,
            items="\n".join(items),
            deadline=deadline,
        )
        advance(request, TABLE, "correction_issue", actor,
                summary=f"发出补正告知，补正期限 {deadline}")
        # Art. 30: the period counts again from the completed request, so every day
        # after receipt is excluded until the completion arrives.
        clocks.clock_pause(
            clock=request.reply_clock,
            start=request.received_on + dt.timedelta(days=1),
            kind="correction",
            reason="补正告知，待申请人补正",
            actor=actor,
        )
        notice.instrument = _issue(
            request,
            actor,
            "disclosure.correction_notice",
            {"items": items, "correction_deadline": _cn(deadline)},
        )
        notice.save(update_fields=["instrument"])
    return notice


def request_correction_complete(
    *, request, actor, completed_on: dt.date, scans: Iterable = ()
) -> DisclosureRequest:
    """Record the completed request; the reply period runs again from that day."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    notice = request.correction
    dates.not_future(completed_on, field="completed_on", label="收到补正日期")
    if completed_on < notice.issued_on:
        raise _err("completed_on", f"收到补正日期不能早于告知日期 {notice.issued_on}")
    with transaction.atomic():
        CorrectionNotice.objects.filter(pk=notice.pk).update(completed_on=completed_on)
        hashes = evidence_store_files(
            scans, matter=request, actor=actor, kind="scan", description="补正材料")
        advance(request, TABLE, "correction_complete", actor,
                summary=f"收到补正材料（{completed_on}），重新计算答复期限")
        clocks.clock_resume(clock=request.reply_clock, end=completed_on, actor=actor)
        if hashes:
            audit.record(
                actor=actor,
                obj=request,
                action="disclosure.evidence",
                summary="补正材料",
                evidence=hashes,
            )
    return request


def request_abandon(*, request, actor, on: dt.date) -> DisclosureRequest:
    """Close a request not completed by the notice's deadline (deemed abandoned)."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    return _abandon(request, actor, on)


def _abandon(request, actor, on: dt.date) -> DisclosureRequest:
    notice = request.correction
    if notice.completed_on is not None:
        raise _err("on", "申请人已补正，不能视为放弃")
    if on <= notice.deadline:
        raise _err("on", f"补正期限 {notice.deadline} 届满后才能视为放弃")
    dates.not_future(on, field="on", label="办结日期")
    with transaction.atomic():
        advance(request, TABLE, "abandon", actor,
                summary="申请人逾期未补正，视为放弃申请",
                outcome="other.no_correction", closed_on=on)
        _end_clocks(request, on, actor, ClockEnd.ABANDONED)
    return request


def requests_close_abandoned(*, as_of: dt.date) -> int:
    """Daily sweep hook: close every request whose correction deadline has passed.

    Art. 30: without a completed request by the notice's deadline the request is
    deemed abandoned. The system closes it the day after the deadline.
    """
    closed = 0
    waiting = DisclosureRequest.objects.filter(
        state=RequestState.CORRECTION, correction__completed_on__isnull=True,
        correction__deadline__lt=as_of).select_related("correction", "reply_clock")
    for request in waiting:
        _abandon(request, None, request.correction.deadline + dt.timedelta(days=1))
        closed += 1
    return closed


# --- consultation (征求意见, Arts. 32–34) -------------------------------------------


def request_consult_start(
    *, request, actor, party_kind: str, party_name: str, sent_on: dt.date
) -> Consultation:
    """Consult a third party or agency; the time until its answer is excluded."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    dates.not_future(sent_on, field="sent_on", label="发出日期")
    if sent_on < request.received_on:
        raise _err("sent_on", f"发出日期不能早于收到申请日期 {request.received_on}")
    if not party_name.strip():
        raise _err("party_name", "请填写被征求意见的第三方或机关名称")
    with transaction.atomic():
        first = request.state != RequestState.CONSULTING
        consultation = Consultation.objects.create(
            request=request,
            party_kind=party_kind,
            party_name=party_name,
            sent_on=sent_on,
        )
        advance(request, TABLE, "consult_start", actor, summary=f"征求{party_name}意见")
        if first:
            start = max(sent_on, request.received_on + dt.timedelta(days=1))
            clocks.clock_pause(
                clock=request.reply_clock,
                start=start,
                kind="consultation",
                reason=f"征求{party_name}意见",
                actor=actor,
            )
        consultation.clock = clocks.clock_start(
            matter=consultation,
            rule_id="disclosure.third_party",
            start=sent_on,
            actor=actor,
            title=f"征求意见 {request.number} {party_name}",
            assignee=request.assignee,
            org_unit=request.org_unit,
        )
        consultation.instrument = _issue(
            request,
            actor,
            "disclosure.third_party_consultation",
            {
                "third_party_name": party_name,
                "consultation_due": _cn(consultation.clock.due_date),
            },
        )
        consultation.save(update_fields=["clock", "instrument"])
    return consultation


def request_consult_answer(
    *, consultation, actor, answered_on: dt.date, opinion: str, summary: str = ""
) -> Consultation:
    """Record the answer (or the silence) and resume the reply clock when all are in."""
    request = consultation.request
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    check(request, TABLE, "consult_answer", actor)
    if consultation.answered_on is not None:
        raise _err("answered_on", "该征求意见已登记答复")
    dates.not_future(answered_on, field="answered_on", label="答复日期")
    if answered_on < consultation.sent_on:
        raise _err("answered_on", f"答复日期不能早于发出日期 {consultation.sent_on}")
    if (
        opinion == ConsultationOpinion.NONE
        and answered_on <= consultation.clock.due_date
    ):
        raise _err(
            "opinion",
            f"征求意见期限 {consultation.clock.due_date} 届满后才能登记为逾期未答复",
        )
    with transaction.atomic():
        won = Consultation.objects.filter(
            pk=consultation.pk, answered_on__isnull=True
        ).update(answered_on=answered_on, opinion=opinion, opinion_summary=summary)
        if not won:
            raise _err("answered_on", "该征求意见已登记答复")
        consultation.answered_on = answered_on
        clocks.clock_stop(clock=consultation.clock, on=answered_on, actor=actor)
        audit.record(
            actor=actor,
            obj=request,
            action="disclosure.consult_answer",
            summary=f"{consultation.party_name}：{ConsultationOpinion(opinion).label}",
            after={"consultation": consultation.pk, "opinion": opinion},
        )
        if not request.consultations.filter(answered_on__isnull=True).exists():
            last = max(c.answered_on for c in request.consultations.all())
            advance(request, TABLE, "consult_close", actor,
                    summary=f"征求意见全部答复（至 {last}），恢复计算答复期限")
            clocks.clock_resume(clock=request.reply_clock, end=last, actor=actor)
    return consultation


# --- extension (延期, Art. 33(2)) ----------------------------------------------------


def request_extension_ask(
    *, request, actor, days: int, reason: str
) -> ClockExtension:
    """Ask the head of the disclosure office for the one extension the law allows."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    check(request, TABLE, "extension_request", actor)
    cap = rules_registry()["disclosure.reply"].extension_cap
    clock = request.reply_clock
    if clock.extensions.exclude(state=ExtensionState.REFUSED).exists():
        raise _err("days", "答复期限只能延长一次（政府信息公开条例第三十三条）")
    if not 1 <= days <= cap:
        raise _err(
            "days", f"延长期限最长不得超过{cap}个工作日（政府信息公开条例第三十三条）"
        )
    if not reason.strip():
        raise _err("reason", "请写明延期理由")
    return clocks.clock_extension_ask(clock=clock, actor=actor, days=days,
                                      reason=reason)


def request_extension_decide(*, extension, actor, approve: bool,
                             reasons: str = "") -> ClockExtension:
    """Approve or refuse (不同意 with reasons): the role the chain
    ``disclosure.extension`` of the rule data names (the head of the disclosure
    office as shipped), never the one who asked; the sign-off is recorded with the
    decision."""
    request = DisclosureRequest.objects.get(reply_clock=extension.clock_id)
    if extension.state != ExtensionState.PENDING:
        raise _err("state", "该延期申请已审批")
    check_state(request, TABLE, "extension_decide")
    with transaction.atomic():
        clocks.clock_extension_decide(extension=extension, actor=actor,
                                      approve=approve, reasons=reasons)
        if approve:
            clock = extension.clock
            extension.instrument = _issue(
                request,
                actor,
                "disclosure.extension_notice",
                {
                    "extension_days": str(extension.days),
                    "extension_reason": extension.reason,
                    "new_due_date": _cn(clock.due_date),
                },
            )
            extension.save(update_fields=["instrument"])
    return extension


# --- reply and delivery (Arts. 36–37) ----------------------------------------------


def request_reply(
    *,
    request,
    actor,
    outcome: str,
    replied_on: dt.date,
    reply_summary: str,
    withheld_reasons: str = "",
    files: Iterable = (),
) -> DisclosureRequest:
    """Reply with a statutory reply type; a late reply is allowed and marked late."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    kind = law.outcome(outcome)
    dates.not_future(replied_on, field="replied_on", label="答复日期")
    if replied_on < request.received_on:
        raise _err("replied_on", f"答复日期不能早于收到申请日期 {request.received_on}")
    if kind.requires_reasons and not withheld_reasons.strip():
        raise _err("withheld_reasons", f"“{kind.label}”须写明不予公开的内容及理由")
    if not reply_summary.strip():
        raise _err("reply_summary", "请填写答复内容")
    due = request.reply_clock.due_date
    late = replied_on > due
    days_late = clocks.working_days_between(due, replied_on) if late else 0
    with transaction.atomic():
        hashes = evidence_store_files(
            files, matter=request, actor=actor, kind="document", description="答复材料")
        late_note = f"（逾期{days_late}个工作日）" if late else ""
        advance(
            request, TABLE, "reply", actor, summary=f"答复：{kind.label}{late_note}",
            outcome=outcome,
            replied_on=replied_on,
            reply_summary=reply_summary,
            withheld_reasons=withheld_reasons,
            replied_late=late,
            days_late=days_late,
            closed_on=replied_on,
        )
        clocks.clock_stop(clock=request.reply_clock, on=replied_on, actor=actor)
        _issue(
            request,
            actor,
            "disclosure.reply",
            {
                "reply_type_label": kind.label,
                "reply_body": [p for p in reply_summary.splitlines() if p.strip()],
                "withheld_reasons": [
                    p for p in withheld_reasons.splitlines() if p.strip()
                ]
                or ["无"],
            },
        )
        if hashes:
            audit.record(
                actor=actor,
                obj=request,
                action="disclosure.evidence",
                summary="答复材料",
                evidence=hashes,
            )
    return request


def request_deliver(
    *, request, actor, method: str, delivered_on: dt.date, proof: Iterable = ()
) -> DisclosureRequest:
    """Record how and when the reply reached the requester."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    dates.not_future(delivered_on, field="delivered_on", label="送达日期")
    if request.replied_on and delivered_on < request.replied_on:
        raise _err("delivered_on", f"送达日期不能早于答复日期 {request.replied_on}")
    with transaction.atomic():
        hashes = evidence_store_files(
            proof, matter=request, actor=actor, kind="document", description="送达回证")
        advance(
            request, TABLE, "deliver", actor, summary=f"送达：{method} {delivered_on}",
            delivery_method=method,
            delivered_on=delivered_on,
        )
        if hashes:
            audit.record(
                actor=actor,
                obj=request,
                action="disclosure.evidence",
                summary="送达回证",
                evidence=hashes,
            )
    return request


def request_withdraw(*, request, actor, on: dt.date, reason: str) -> DisclosureRequest:
    """Close the request because the requester withdrew it."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    dates.not_future(on, field="on", label="撤回日期")
    if on < request.received_on:
        raise _err("on", f"撤回日期不能早于收到申请日期 {request.received_on}")
    with transaction.atomic():
        advance(request, TABLE, "withdraw", actor, summary=f"申请人撤回：{reason}",
                outcome="other.withdrawn", closed_on=on)
        _end_clocks(request, on, actor, ClockEnd.WITHDRAWN)
    return request


def request_fee_set(*, request, actor, method: str, quantity: int) -> DisclosureRequest:
    """Compute the information-processing fee by the 2020 rules and record it."""
    require_role(actor, request, Role.DISCLOSURE_OFFICER)
    result = law.fee(method, quantity)
    with transaction.atomic():
        advance(
            request, TABLE, "fee_set", actor,
            summary=f"核定信息处理费 {yuan(result.amount_yuan)} 元",
            fee_method=method,
            fee_amount=result.amount_yuan,
            fee_basis="\n".join(result.steps),
        )
    return request


# --- helpers ---------------------------------------------------------------------------


def _end_clocks(request, on: dt.date, actor, how: str) -> None:
    """The request ended: its reply clock and its consultations' clocks end too."""
    clocks.matter_clocks_end(matter=request, on=on, actor=actor, ended_as=how)
    for consultation in request.consultations.all():
        clocks.matter_clocks_end(matter=consultation, on=on, actor=actor, ended_as=how)


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _issue(request, actor, kind: str, extra: dict):
    context = {
        "requester_name": request.requester_name,
        "request_number": request.number,
        "received_date": _cn(request.received_on),
        "request_content": request.content,
        "contact": f"{request.assignee.full_name} {request.assignee.phone}".strip(),
        **extra,
    }
    return instrument_issue(
        kind=kind,
        org_unit=request.org_unit,
        matter=request,
        context=context,
        actor=actor,
    )

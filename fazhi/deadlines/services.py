"""Write side of deadlines: start, pause, resume, extend, stop and recompute clocks.

Every function runs in one transaction and writes the audit chain; the due date is
computed by the pure engine and stored on the clock so lists sort and filter by it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import approvals, audit, matter_kinds, matters
from fazhi.core.models import ApprovalState
from fazhi.core.permissions import require_role
from fazhi.deadlines import duty, notices
from fazhi.deadlines.calendar import MissingHolidayData
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.engine import (
    DueResult,
    Pause,
    clock_status,
    compute_due,
    compute_due_dates,
)
from fazhi.deadlines.models import (
    Clock,
    ClockEnd,
    ClockExtension,
    ClockPause,
    ClockState,
    ClockStatus,
    ExtensionState,
)
from fazhi.deadlines.overdue import rule_duty
from fazhi.deadlines.registry import rules_registry
from fazhi.deadlines.rules import UNIT_WORDS as _UNITS

log = logging.getLogger(__name__)


def today() -> dt.date:
    """Today's date in the bureau's time zone (dates of legal effect are local)."""
    return timezone.localdate()


# --- computing ---------------------------------------------------------------------


def due_date(
    rule_id: str, start: dt.date, *, pauses: Sequence[Pause] = (),
    extension: int = 0, length: int | None = None,
) -> DueResult:
    """Compute ``rule_id``'s due date counted from ``start``, with its explanation.

    Counted on the holiday table; past the years it covers, on weekends and fixed-date holidays, and
    the result says it is an estimate (``provisional``). ``length`` counts a shorter
    period under the rule (in its unit), ``extension`` an approved one.
    """
    rule = rules_registry()[rule_id]
    if length:
        rule = replace(rule, length=length)
    args = dict(pauses=pauses, extension=extension)
    try:
        return compute_due(rule, start, calendar_from_db(), **args)
    except MissingHolidayData:
        return compute_due(rule, start, calendar_from_db(True), **args)


def due_dates(rule_id: str, starts: Sequence[dt.date]) -> list[dt.date]:
    """Return ``rule_id``'s due date for each start (no pauses), as ``due_date``."""
    rule = rules_registry()[rule_id]
    try:
        return compute_due_dates(rule, starts, calendar_from_db())
    except MissingHolidayData:
        return compute_due_dates(rule, starts, calendar_from_db(True))


def is_working_day(day: dt.date) -> bool:
    """Tell whether ``day`` is a working day; past the holiday data (and past what
    the provisional calendar estimates) a weekday is taken for one."""
    for cal in (calendar_from_db(), calendar_from_db(True)):
        try:
            return cal.is_working_day(day)
        except MissingHolidayData:
            continue
    return day.weekday() < 5


def working_days_between(first: dt.date, last: dt.date) -> int:
    """Working days in (first, last]; counted as ``due_date`` counts, estimated past
    the holiday data."""
    try:
        return calendar_from_db().working_days_between(first, last)
    except MissingHolidayData:
        return calendar_from_db(True).working_days_between(first, last)


def _pauses(clock: Clock, as_of: dt.date) -> list[Pause]:
    # An open pause counts up to today: the due date moves on each day it lasts.
    if clock.pk is None:
        return []
    return [Pause(p.start, p.end or max(as_of, p.start), p.reason)
            for p in clock.pauses.all()]


def clock_compute(clock: Clock, *, as_of: dt.date | None = None) -> DueResult:
    """Compute the clock's due date; fall back to a labelled estimate past the data."""
    return due_date(clock.rule_id, clock.start_date,
                    pauses=_pauses(clock, as_of or today()),
                    extension=clock.extension_days, length=clock.length)


def _status(clock: Clock, as_of: dt.date) -> str:
    if clock.state == ClockState.PAUSED:
        return ClockStatus.PAUSED
    if clock.state == ClockState.STOPPED:
        late = clock.stopped_on and clock.stopped_on > clock.due_date
        return ClockStatus.DONE_LATE if late else ClockStatus.DONE
    if clock.state == ClockState.CANCELLED:
        return clock.status
    cal = calendar_from_db(provisional=True)
    return clock_status(today=as_of, due=clock.due_date, yellow_days=clock.yellow_days,
                        calendar=cal)


def _apply(clock: Clock, result: DueResult, as_of: dt.date) -> None:
    clock.due_date = result.due
    clock.provisional = result.provisional
    clock.explanation = "\n".join(result.steps)
    clock.status = _status(clock, as_of)


# --- services ----------------------------------------------------------------------


def clock_start(
    *, matter, rule_id: str, start: dt.date, actor, title: str,
    assignee=None, org_unit=None, length: int | None = None,
) -> Clock:
    """Start a statutory clock on ``matter`` from the event dated ``start``.

    ``length`` (in the rule's unit) counts a shorter period under the rule, e.g. a
    bureau's promised limit; it may never be longer than the rule's own.
    """
    rules = rules_registry()
    if rule_id not in rules:
        raise ValidationError({"rule_id": f"未知的期限规则：{rule_id}"})
    rule = rules[rule_id]
    if length is not None and not 1 <= length <= rule.length:
        raise ValidationError({"length": f"期限长度须为1至{rule.length}（{rule.name}，"
                                         f"依{rule.law}{rule.article}）"})
    org = org_unit or matter.org_unit
    with transaction.atomic():
        clock = Clock(
            content_type=ContentType.objects.get_for_model(matter),
            object_id=str(matter.pk), org_unit=org, assignee=assignee,
            rule_id=rule_id, title=title, start_date=start,
            yellow_days=rule.yellow_days, due_date=start, length=length,
        )
        _apply(clock, clock_compute(clock), today())
        clock.save()
        clock_changed(clock)
        audit.record(actor=actor, obj=matter, action="clock.start", org_unit=org,
                     summary=f"{rule.name}起算：{start}，届满 {clock.due_date}",
                     after={"clock": clock.pk, "rule": rule_id, "start": start,
                            "due": clock.due_date, "provisional": clock.provisional})
    return clock


def clock_pause(*, clock: Clock, start: dt.date, kind: str, reason: str, actor) -> Clock:
    """Stop the count from ``start`` (inclusive) until the clock is resumed."""
    rule = rules_registry()[clock.rule_id]
    if kind not in rule.pauses:
        raise ValidationError({"kind": f"“{rule.name}”不因该事由暂停（依{rule.article}）"})
    if clock.state != ClockState.RUNNING:
        raise ValidationError({"state": "只有计时中的期限可以暂停"})
    if start < clock.start_date:
        raise ValidationError({"start": f"暂停日期不能早于起算日 {clock.start_date}"})
    # The start day itself is never counted: a pause from that day excludes from
    # the next one (a hearing arranged on the day the application was accepted).
    start = max(start, clock.start_date + dt.timedelta(days=1))
    return _change(clock, actor, "clock.pause", f"暂停计时：{reason}",
                   lambda: ClockPause.objects.create(
                       clock=clock, kind=kind, reason=reason, start=start,
                       created_by=_real(actor)),
                   new_state=ClockState.PAUSED)


def clock_resume(*, clock: Clock, end: dt.date, actor) -> Clock:
    """Close the open pause on ``end`` (the last excluded day) and count again."""
    pause = clock.pauses.filter(end__isnull=True).first()
    if clock.state != ClockState.PAUSED or pause is None:
        raise ValidationError({"state": "该期限没有进行中的暂停"})
    if end < pause.start - dt.timedelta(days=1):
        raise ValidationError({"end": f"恢复日期不得早于暂停开始日 {pause.start}"})
    if end < pause.start:
        # It ended the day before its first excluded day (a correction received on
        # the day the request came in): no day was excluded, so no pause remains.
        return _change(clock, actor, "clock.resume", f"恢复计时（{end}，未暂停计时）",
                       lambda: ClockPause.objects.filter(pk=pause.pk).delete(),
                       new_state=ClockState.RUNNING)

    def close():
        ClockPause.objects.filter(pk=pause.pk).update(end=end)

    return _change(clock, actor, "clock.resume", f"恢复计时（暂停至 {end}）", close,
                   new_state=ClockState.RUNNING)


def extension_rule_of(clock: Clock) -> approvals.ChainRule | None:
    """The chain of sign-offs the clock's extensions follow (its kind of matter's
    ``extension_chain`` in the rule data), or None when its kind names none."""
    model = clock.content_type.model_class()
    kind = matter_kinds.kind_of(model) if model is not None else None
    return approvals.extension_rule(kind) if kind is not None else None


def clock_extension_ask(*, clock: Clock, actor, days: int,
                        reason: str) -> ClockExtension:
    """Ask for ``days`` more (in the rule's unit) with the reason; another person
    decides, and is told so. The module's service checks first who may ask.

    When the clock's kind of matter names a chain of sign-offs for extensions, the
    request is that chain's proposal too (a new round on the matter, one per
    request), so the decision is signed and printed like every other approval.
    """
    rule = rules_registry()[clock.rule_id]
    unit = _UNITS[rule.unit]
    if not clock.is_open:
        raise ValidationError({"days": "该期限已结束，不能延长"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明延长期限的理由"})
    if clock.extensions.filter(state=ExtensionState.PENDING).exists():
        raise ValidationError({"days": "已有一项延期申请等待审批"})
    left = rule.extension_cap - clock.extension_days
    if not 1 <= days <= left:
        raise ValidationError({"days": (
            f"“{rule.name}”最多延长{rule.extension_cap}{unit}（{rule.law}"
            f"{rule.article}），已延长{clock.extension_days}{unit}")})
    chain = extension_rule_of(clock)
    if chain is not None:
        approvals.extension_chain(chain)  # a chain the rules got wrong stops here
    with transaction.atomic():
        ext = ClockExtension.objects.create(clock=clock, days=days,
                                            reason=reason.strip(), requested_by=actor)
        if chain is not None:
            approvals.approval_propose(
                matter=clock.matter, rule=chain, actor=actor, proposal="extend",
                proposal_label=f"拟延长{days}{unit}", reasons=reason)
        audit.record(actor=actor, obj=clock.matter or clock, org_unit=clock.org_unit,
                     action="clock.extension_ask",
                     summary=f"{clock.title}：申请延长{days}{unit}：{reason.strip()}",
                     after={"clock": clock.pk, "extension": ext.pk, "days": days})
        notices.extension_asked(ext)
    return ext


def clock_extension_decide(*, extension: ClockExtension, actor, approve: bool,
                           reasons: str = "") -> ClockExtension:
    """Approve or refuse: never the person who asked, only someone of the clock's own
    bureau or above. Approval moves the due date; the asker is told either way.
    The module's service checks first that the matter may be extended now.

    Under a chain of sign-offs (``extension_rule_of``) the decision is the chain's
    sign-off, in this transaction: only the role its deciding step names, never the
    asker (``chains.judge``); a refusal says why (不同意 with reasons) and goes back
    to the asker with the reasons. A request asked before its kind had a chain has
    no round: the chain's deciding role decides it, unsigned.
    """
    clock = extension.clock
    if actor.pk == extension.requested_by_id:
        raise PermissionDenied("延期申请人不能自己审批")
    if extension.requested_by_id in getattr(actor, "stands_in_for", ()):
        # A stand-in decides as the person they stand in for too (请假代理).
        raise PermissionDenied("代理人不能审批被代理人提出的延期申请")
    if actor.org_unit_id is None or not actor.org_unit.contains(clock.org_unit):
        raise PermissionDenied("审批人不属于本机关")
    chain = extension_rule_of(clock)
    matter = clock.matter
    signing = None
    if chain is not None:
        decider = approvals.extension_chain(chain).steps[-1]
        latest = approvals.approval_latest(matter, chain)
        if latest is not None and latest.state == ApprovalState.OPEN:
            signing = chain
        else:
            require_role(actor, matter, decider.role, what=f"{decider.label}延期申请")
    state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    rule = rules_registry()[clock.rule_id]
    unit = _UNITS[rule.unit]
    with transaction.atomic():
        if signing is not None:
            approvals.approval_sign(matter=matter, rule=signing, actor=actor,
                                    agree=approve, reasons=reasons,
                                    tell_proposer=False)  # told below, with the date
        if not ClockExtension.objects.filter(
                pk=extension.pk, state=ExtensionState.PENDING).update(
                state=state, decided_by=actor, decided_at=timezone.now()):
            raise ValidationError({"state": "该延期申请已审批"})
        extension.refresh_from_db()
        word = "批准" if approve else "不批准"
        note = f"：{reasons.strip()}" if reasons.strip() else ""
        audit.record(actor=actor, obj=matter or clock, org_unit=clock.org_unit,
                     action="clock.extension_decide",
                     summary=f"{clock.title}：{word}延长{extension.days}{unit}{note}",
                     after={"clock": clock.pk, "extension": extension.pk,
                            "state": state})
        if approve:
            _extend(Clock.objects.get(pk=clock.pk), extension, actor, rule)
            clock.refresh_from_db()
        notices.extension_decided(extension, unit=unit, reasons=reasons.strip())
    return extension


def _extend(clock: Clock, extension: ClockExtension, actor, rule) -> Clock:
    total = clock.extension_days + extension.days
    if total > rule.extension_cap:
        raise ValidationError({"days": (
            f"“{rule.name}”最多延长{rule.extension_cap}{_UNITS[rule.unit]}"
            f"（{rule.law}{rule.article}），已延长{clock.extension_days}")})

    def add():
        clock.extension_days = total

    return _change(clock, actor, "clock.extend",
                   f"延长{extension.days}{_UNITS[rule.unit]}，申请人 "
                   f"{extension.requested_by}，批准人 {actor}：{extension.reason}", add)



def clock_stop(*, clock: Clock, on: dt.date, actor, cancelled: bool = False,
               ended_as: str = "") -> Clock:
    """Close the clock: the duty was performed on ``on`` (or the matter ended).

    ``ended_as`` (ClockEnd) says how the matter ended when that ended the clock.
    """
    if not clock.is_open:
        raise ValidationError({"state": "该期限已结束"})
    state = ClockState.CANCELLED if cancelled else ClockState.STOPPED

    def stop():
        clock.stopped_on = on
        clock.ended_as = ended_as
        if clock.state == ClockState.PAUSED:
            ClockPause.objects.filter(clock=clock, end__isnull=True).update(end=on)

    if ended_as:
        label = f"事项{ClockEnd(ended_as).label}（{on}），期限终止"
    else:
        label = "撤销期限" if cancelled else f"办结（{on}）"
    return _change(clock, actor, "clock.stop", label, stop, new_state=state)


def matter_clocks_end(*, matter, on: dt.date, actor, ended_as: str) -> int:
    """End every open clock of ``matter``, which ended on ``on``; return how many.

    A matter that ends has no running clock. Closed (``ClockEnd.CLOSED``: decided,
    terminated, transferred, concluded): a duty of the bureau counts as done that
    day, so a late one reads 逾期N个工作日办结; a party's window is cancelled.
    Withdrawn or abandoned: every clock is cancelled and reads so.
    """
    ct = ContentType.objects.get_for_model(matter)
    open_ = Clock.objects.filter(content_type=ct, object_id=str(matter.pk),
                                 state__in=(ClockState.RUNNING, ClockState.PAUSED))
    ended = 0
    for clock in open_.order_by("pk"):
        cancel = ended_as != ClockEnd.CLOSED or rule_duty(clock.rule_id) == duty.PARTY
        clock_stop(clock=clock, on=on, actor=actor, cancelled=cancel,
                   ended_as=ended_as)
        ended += 1
    return ended


def _change(clock, actor, action, summary, mutate: Callable, new_state=None) -> Clock:
    with transaction.atomic():
        locked = Clock.objects.select_for_update().get(pk=clock.pk)
        if locked.state != clock.state:
            raise ValidationError({"state": "该期限刚被他人修改，请刷新后重试"})
        before = {"due": locked.due_date, "state": locked.state}
        mutate()
        if new_state:
            clock.state = new_state
        _apply(clock, clock_compute(clock), today())
        clock.save()
        clock_changed(clock)
        audit.record(actor=actor, obj=clock.matter or clock, action=action,
                     org_unit=clock.org_unit, summary=f"{clock.title}：{summary}",
                     before=before, after={"clock": clock.pk, "due": clock.due_date,
                                           "state": clock.state})
    return clock


def clock_changed(clock: Clock) -> None:
    """Refresh what is derived from the clock's matter (its due date on 我的待办),
    in the caller's transaction."""
    matters.changed(clock.content_type.model_class(), [clock.object_id])


def _real(actor):
    return actor if getattr(actor, "pk", None) else None

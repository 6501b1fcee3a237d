"""The daily sweep: recolour open clocks and tell their holders what changed."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from fazhi.core import audit
from fazhi.core.models import Notification
from fazhi.deadlines import duty
from fazhi.deadlines.calendars import calendar_memo
from fazhi.deadlines.models import Clock, ClockState, ClockStatus
from fazhi.deadlines.overdue import rule_duty
from fazhi.deadlines.services import _apply, clock_compute, today

log = logging.getLogger(__name__)

# By whose period it is (deadlines.duty): only the bureau's own duty is 超期.
_MESSAGES = {
    duty.BUREAU: {ClockStatus.YELLOW: "临期提醒：{title}将于 {due} 届满",
                  ClockStatus.RED: "超期警示：{title}已于 {due} 届满，仍未办结"},
    duty.PROMISE: {
        ClockStatus.YELLOW: "临期提醒：{title}将于 {due} 届满",
        ClockStatus.RED: "超出承诺时限：{title}已于 {due} 届满，仍未办结"},
    duty.PARTY: {
        ClockStatus.RED: "期间届满：{title}已于 {due} 届满，可依法办理下一环节"},
}


@dataclass(frozen=True)
class SweepResult:
    checked: int
    recoloured: int
    notified: int
    errors: int


def sweep_hooks_run(*, as_of: dt.date) -> dict[str, int]:
    """Run each module's daily hook (settings SWEEP_HOOKS); one failing never stops
    the others. Returns how many matters each hook changed (-1: it failed)."""
    results = {}
    for dotted in settings.SWEEP_HOOKS:
        try:
            results[dotted] = import_string(dotted)(as_of=as_of)
        except Exception:
            log.exception("sweep hook %s failed", dotted)
            results[dotted] = -1
    return results


def clocks_sweep(*, as_of: dt.date | None = None) -> SweepResult:
    """Run the modules' hooks, then recolour every open clock as of ``as_of``.

    One bad row or hook never stops the sweep. The holiday table is read once for
    the whole sweep, not once per clock.
    """
    with calendar_memo():
        return _sweep(as_of or today())


def _sweep(as_of: dt.date) -> SweepResult:
    hook_errors = sum(1 for n in sweep_hooks_run(as_of=as_of).values() if n < 0)
    checked = recoloured = notified = errors = 0
    qs = Clock.objects.filter(state__in=(ClockState.RUNNING, ClockState.PAUSED))
    for clock in qs.select_related("assignee").prefetch_related("pauses").iterator(1000):
        checked += 1
        try:
            changed, sent = _sweep_one(clock, as_of)
        except Exception:
            log.exception("sweep failed on clock %s", clock.pk)
            errors += 1
            continue
        recoloured += changed
        notified += sent
    return SweepResult(checked, recoloured, notified, errors + hook_errors)


def _sweep_one(clock: Clock, as_of: dt.date) -> tuple[int, int]:
    old_status, old_due = clock.status, clock.due_date
    _apply(clock, clock_compute(clock, as_of=as_of), as_of)
    if (clock.status, clock.due_date) == (old_status, old_due):
        return 0, 0
    with transaction.atomic():
        # Optimistic claim: if another sweep already moved this row, leave it.
        won = Clock.objects.filter(pk=clock.pk, status=old_status, due_date=old_due).update(
            status=clock.status, due_date=clock.due_date, provisional=clock.provisional,
            explanation=clock.explanation,
        )
        if not won:
            return 0, 0
        bureau = rule_duty(clock.rule_id) == duty.BUREAU
        if clock.status == ClockStatus.RED and bureau:
            audit.record(actor=None, obj=clock.matter or clock, org_unit=clock.org_unit,
                         action="clock.overdue", summary=f"{clock.title}已超期",
                         after={"clock": clock.pk, "due": clock.due_date})
        return 1, _notify(clock)


def _notify(clock: Clock) -> int:
    template = _MESSAGES[rule_duty(clock.rule_id)].get(clock.status)
    if template is None or clock.assignee is None:
        return 0
    key = f"clock:{clock.pk}:{clock.status}:{clock.due_date}"
    _, created = Notification.objects.get_or_create(
        dedupe_key=key,
        defaults={"user": clock.assignee, "org_unit": clock.org_unit, "clock": clock,
                  "message": template.format(title=clock.title, due=clock.due_date)},
    )
    return int(created)

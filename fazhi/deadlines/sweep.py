"""The daily sweep: recolour open clocks and tell their holders what changed.

Each open clock is recoloured, and its owner told once of each level it reaches
(``notices.clock_warn``: yellow, red; a duty of the bureau past due is escalated to
its supervisors and principals once). Last, the outbound copies of notifications
still waiting or failed are sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from fazhi.core import audit
from fazhi.core.notices.outbound import deliveries_retry
from fazhi.deadlines import duty
from fazhi.deadlines.calendars import calendar_memo
from fazhi.deadlines.models import Clock, ClockState, ClockStatus
from fazhi.deadlines.notices import clock_warn, told_annotations
from fazhi.deadlines.overdue import rule_duty
from fazhi.deadlines.services import _apply, clock_changed, clock_compute, today

log = logging.getLogger(__name__)

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
    qs = (Clock.objects.filter(state__in=(ClockState.RUNNING, ClockState.PAUSED))
          .annotate(**told_annotations()))
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
    try:
        deliveries_retry()
    except Exception:
        log.exception("sweep: outbound notifications not retried")
        errors += 1
    return SweepResult(checked, recoloured, notified, errors + hook_errors)


def _sweep_one(clock: Clock, as_of: dt.date) -> tuple[int, int]:
    """Recolour ``clock``, then tell whom its level concerns (once per level)."""
    changed = _recolour(clock, as_of)
    return changed, clock_warn(clock)


def _recolour(clock: Clock, as_of: dt.date) -> int:
    old_status, old_due = clock.status, clock.due_date
    _apply(clock, clock_compute(clock, as_of=as_of), as_of)
    if (clock.status, clock.due_date) == (old_status, old_due):
        return 0
    with transaction.atomic():
        # Optimistic claim: if another sweep already moved this row, leave it.
        won = Clock.objects.filter(pk=clock.pk, status=old_status, due_date=old_due).update(
            status=clock.status, due_date=clock.due_date, provisional=clock.provisional,
            explanation=clock.explanation,
        )
        if not won:
            return 0
        clock_changed(clock)
        bureau = rule_duty(clock.rule_id) == duty.BUREAU
        if clock.status == ClockStatus.RED and bureau:
            audit.record(actor=None, obj=clock.matter or clock, org_unit=clock.org_unit,
                         action="clock.overdue", summary=f"{clock.title}已超期",
                         after={"clock": clock.pk, "due": clock.due_date})
        return 1

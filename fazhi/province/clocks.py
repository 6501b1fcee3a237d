"""Clocks as the clock services would have left them, counted by the engine."""

from __future__ import annotations

import datetime as dt

from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.engine import clock_status
from fazhi.deadlines.models import Clock, ClockEnd, ClockState, ClockStatus
from fazhi.deadlines.registry import rules_registry
from fazhi.deadlines.services import due_date, working_days_between


class Clocks:
    """Makes unsaved clocks for matters: due date, estimate flag and explanation
    from ``deadlines.services.due_date`` (memoised by rule, start and length),
    colour as the sweep would set it ``today``."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rules = rules_registry()
        self.calendar = calendar_from_db(provisional=True)
        self._due: dict[tuple, object] = {}
        self._status: dict[tuple, str] = {}
        self._late: dict[tuple, int] = {}

    def due(self, rule_id: str, start: dt.date, length: int | None = None):
        """The engine's ``DueResult`` for ``rule_id`` counted from ``start``."""
        key = (rule_id, start, length)
        if key not in self._due:
            self._due[key] = due_date(rule_id, start, length=length)
        return self._due[key]

    def colour(self, due: dt.date, yellow_days: int, today: dt.date) -> str:
        key = (due, yellow_days, today)
        if key not in self._status:
            self._status[key] = clock_status(today=today, due=due,
                                             yellow_days=yellow_days,
                                             calendar=self.calendar)
        return self._status[key]

    def days_late(self, due: dt.date, done: dt.date) -> int:
        """Working days from ``due`` to ``done`` (0 when on time)."""
        if done <= due:
            return 0
        if (due, done) not in self._late:
            self._late[due, done] = working_days_between(due, done)
        return self._late[due, done]

    def make(self, *, ct, object_id: int, org, rule_id: str, title: str,
             start: dt.date, assignee=None, length: int | None = None,
             end: dt.date | None = None, cancelled: bool = False,
             ended_as: str = "") -> Clock:
        """A clock of ``rule_id`` from ``start``: running, or stopped (done on
        ``end``), or cancelled on ``end`` (the matter ended without the duty)."""
        rule = self.rules[rule_id]
        result = self.due(rule_id, start, length)
        clock = Clock(content_type=ct, object_id=str(object_id), org_unit=org,
                      assignee=assignee, rule_id=rule_id, title=title[:200],
                      start_date=start, due_date=result.due,
                      provisional=result.provisional, length=length,
                      yellow_days=rule.yellow_days,
                      explanation="\n".join(result.steps))
        if end is None:
            clock.state = ClockState.RUNNING
            clock.status = self.colour(result.due, rule.yellow_days, self.today)
        elif cancelled:
            # A cancelled clock keeps the colour it had the day it was cancelled.
            clock.state, clock.stopped_on = ClockState.CANCELLED, end
            clock.ended_as = ended_as or ClockEnd.CLOSED
            clock.status = self.colour(result.due, rule.yellow_days, end)
        else:
            clock.state, clock.stopped_on, clock.ended_as = (ClockState.STOPPED, end,
                                                             ended_as)
            clock.status = (ClockStatus.DONE_LATE if end > result.due
                            else ClockStatus.DONE)
        return clock

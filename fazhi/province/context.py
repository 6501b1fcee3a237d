"""What every kind's builder is given for one county: its bureau, staff, dates,
clock maker and the audit events it collects."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from fazhi.core.transitions import Table
from fazhi.province.clocks import Clocks
from fazhi.province.paths import walk


@dataclass
class Fill:
    """One county's filling: ``org`` and its ``staff`` by role, matters received
    from ``first`` to ``today``, ``events`` for ``audit.append_many``."""

    org: object
    code: str
    staff: dict[str, list]
    rng: random.Random
    first: dt.date
    today: dt.date
    clocks: Clocks
    events: list[dict] = field(default_factory=list)

    def day(self, *, within: int | None = None, before: int = 0) -> dt.date:
        """A day of the year (or of the last ``within`` days), at least ``before``
        days before today."""
        last = self.today - dt.timedelta(days=before)
        first = self.first if within is None else max(
            self.first, self.today - dt.timedelta(days=within))
        first = min(first, last)
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        """A day ``low``…``high`` days after ``day``, never after today."""
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), self.today)

    def person(self, role: str, i: int):
        people = self.staff[role]
        return people[i % len(people)]

    @staticmethod
    def at(day: dt.date, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, minute % 60)))

    def event(self, obj, action: str, summary: str, *, day: dt.date, actor,
              minute: int = 0, before: dict | None = None,
              after: dict | None = None) -> None:
        self.events.append(dict(actor=actor, obj=obj, action=action, summary=summary,
                                before=before, after=after, at=self.at(day, minute)))

    def clock_event(self, obj, clock, *, actor, minute: int = 1) -> None:
        """What ``clock_start`` records, and ``clock_stop`` when the clock ended."""
        rule = self.clocks.rules[clock.rule_id]
        self.event(obj, "clock.start", f"{rule.name}起算：{clock.start_date}，届满 "
                   f"{clock.due_date}", day=clock.start_date, actor=actor,
                   minute=minute,
                   after={"clock": clock.pk, "rule": clock.rule_id,
                          "start": clock.start_date, "due": clock.due_date,
                          "provisional": clock.provisional})
        if clock.stopped_on:
            word = "撤销期限" if clock.state == "cancelled" else \
                f"办结（{clock.stopped_on}）"
            self.event(obj, "clock.stop", word, day=clock.stopped_on, actor=actor,
                       minute=minute + 30,
                       before={"due": clock.due_date, "state": "running"})

    def steps(self, obj, table: Table, start: str, actions: list[str], *,
              days: list[dt.date], actor_for) -> list[tuple[str, str, str]]:
        """The steps behind ``obj`` (``actions`` from ``start``), one event each on
        ``days`` (as ``matters.advance`` records them); ``actor_for(transition)``
        names who took it. Returns (action, before, after) of each."""
        taken = walk(table, start, actions)
        app = obj._meta.app_label
        for k, ((action, before, after), day) in enumerate(
                zip(taken, days, strict=True)):
            t = table.transitions[action]
            self.event(obj, f"{app}.{action}", t.label, day=day,
                       actor=actor_for(t), minute=10 + k,
                       before={"state": before}, after={"state": after})
        return taken


def spread(first: dt.date, last: dt.date, n: int) -> list[dt.date]:
    """``n`` days from ``first`` to ``last``, in order, evenly apart."""
    if n == 0:
        return []
    span = max((last - first).days, 0)
    return [first + dt.timedelta(days=span * (k + 1) // n) for k in range(n)]

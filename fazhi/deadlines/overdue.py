"""The one meaning of "overdue" (超期), for every list, badge, queue and figure.

A matter is overdue for the bureau when one of its clocks that is the bureau's own
statutory duty (``duty = "bureau"`` in the rule files) runs past its due date: a
party's window past its date has lapsed (已届满), a promise past its date is
超承诺时限, and a paused or ended clock is never overdue. Figures count matters (a
lead whose check and reply are both late is one overdue matter), by module: the
app that owns the matter. Every page asks here, so the dashboard, the module
statistics, the queues, the clock list, the metric registry and the annual report
state the same number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import BigIntegerField, F, OrderBy, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from fazhi.core.scope import scoped
from fazhi.deadlines import duty
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import Clock, ClockState
from fazhi.deadlines.registry import rules_registry


def rule_duty(rule_id: str) -> str:
    """The duty of ``rule_id`` (bureau | promise | party); a rule no longer in the
    files counts as the bureau's, so nothing of the bureau's is hidden."""
    rule = rules_registry().get(rule_id)
    return rule.duty if rule else duty.BUREAU


def bureau_q() -> Q:
    """Clocks of the bureau's own duties (rules no longer in the files included)."""
    return ~Q(rule_id__in=[r.id for r in rules_registry().values()
                           if r.duty != duty.BUREAU])


def overdue_q(today: dt.date) -> Q:
    """Clocks overdue for the bureau on ``today``: its duty, running, past due."""
    return bureau_q() & Q(state=ClockState.RUNNING, due_date__lt=today)


def overdue_on_q(day: dt.date, today: dt.date) -> Q:
    """Clocks that were overdue for the bureau on ``day`` (today or before): running
    then, past due then. Days before today are read from the stored dates (the due
    date as it stands now, a clock not paused)."""
    if day >= today:
        return overdue_q(today)
    ran = Q(state=ClockState.RUNNING) | Q(stopped_on__gt=day)
    return bureau_q() & ran & Q(start_date__lte=day, due_date__lt=day)


def by_due(field: str = "due_date") -> tuple[OrderBy, str]:
    """The one queue order: soonest due first, matters with no due date last.

    ``order_by(*by_due("due_on"))``. Databases disagree on where NULL sorts
    (SQLite first, PostgreSQL last): without this, an undated item would sit above
    the overdue ones on one database and below them on the other.
    """
    return F(field).asc(nulls_last=True), "pk"


def clocks_overdue(*, org=None, today: dt.date, modules: Sequence[str] = ()
                   ) -> QuerySet[Clock]:
    """The overdue clocks of ``org``'s subtree (every unit when None), soonest first."""
    qs = Clock.objects.filter(overdue_q(today))
    if org is not None:
        qs = qs.filter(org_unit__path__startswith=org.path)
    if modules:
        qs = qs.filter(content_type__app_label__in=modules)
    return qs.order_by(*by_due())


@dataclass(frozen=True)
class MatterKey:
    """One matter a clock belongs to: its app, model and primary key."""

    app_label: str
    model: str
    object_id: str


def matters_of(clocks: QuerySet[Clock]) -> list[MatterKey]:
    """The distinct matters of ``clocks``, in the clocks' order (first clock wins)."""
    rows = clocks.values_list("content_type__app_label", "content_type__model",
                              "object_id")
    return list(dict.fromkeys(MatterKey(*r) for r in rows))


def one_per_matter(clocks: QuerySet[Clock]) -> QuerySet[Clock]:
    """``clocks`` cut to the first of each matter (in their order), so a list shows
    as many rows as the figure counts matters."""
    first: dict[tuple, int] = {}
    for pk, ct, oid in clocks.values_list("pk", "content_type_id", "object_id"):
        first.setdefault((ct, oid), pk)
    return clocks.filter(pk__in=list(first.values()))


def overdue_by_module(*, org, today: dt.date, modules: Sequence[str] = ()
                      ) -> Counter[str]:
    """How many matters of each module (app label) are overdue in ``org``'s subtree."""
    keys = matters_of(clocks_overdue(org=org, today=today, modules=modules))
    return Counter(k.app_label for k in keys)


def overdue_ids(model, today: dt.date, *, actor=None) -> QuerySet:
    """A subquery of the primary keys of ``model``'s overdue matters, to filter its
    lists with ``pk__in``; with ``actor``, only the clocks of the caller's subtree.

    Pass the actor whenever the list is scoped: a county's list then reads its own
    overdue clocks through the (org_unit, state, due_date) index, not every county's
    of the province (a clock lies in its matter's bureau, as the dashboard's counts
    also take it)."""
    meta = model._meta
    clocks = Clock.objects.filter(overdue_q(today),
                                  content_type__app_label=meta.app_label,
                                  content_type__model=meta.model_name)
    if actor is not None:
        clocks = scoped(clocks, actor)
    return (clocks.annotate(matter_pk=Cast("object_id", BigIntegerField()))
            .values("matter_pk"))


def clock_badge(clock: Clock, today: dt.date | None = None) -> duty.Badge:
    """The clock's badge as of ``today`` (default: today), from its rule's duty."""
    return duty.clock_badge(
        duty=rule_duty(clock.rule_id), state=clock.state, due=clock.due_date,
        today=today or timezone.localdate(), calendar=calendar_from_db(True),
        yellow_days=clock.yellow_days, stopped_on=clock.stopped_on,
        ended_as=clock.ended_as)


# Which badge speaks for a matter with several clocks: an open clock before an ended
# one; among open ones the bureau's 超期 first; among ended ones a late duty first.
_RANK = {"red": 0, "over_promise": 1, "yellow": 2, "green": 3, "paused": 4,
         "lapsed": 5, "done_late": 0, "ended": 1, "done": 2}
_DUTY_RANK = {duty.BUREAU: 0, duty.PROMISE: 1, duty.PARTY: 2}


def matter_badge(*clocks: Clock | None, today: dt.date | None = None
                 ) -> duty.Badge | None:
    """The badge that speaks for a matter: the most pressing of its clocks'."""
    found = [c for c in clocks if c is not None]
    if not found:
        return None

    def rank(c: Clock):
        b = clock_badge(c, today)
        return (not c.is_open, _RANK.get(b.code, 9), _DUTY_RANK[rule_duty(c.rule_id)])

    return clock_badge(min(found, key=rank), today)

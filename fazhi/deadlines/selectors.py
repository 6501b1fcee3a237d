"""Read side of deadlines: the calendar with the holiday table, rules, clock lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError
from django.db.models import Count, Max, QuerySet

from fazhi.core.rule_folders import module_rules
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.calendar import WorkCalendar, YearOverride
from fazhi.deadlines.models import Clock, ClockState, DayKind, HolidayDay, HolidayYear
from fazhi.deadlines.rules import Rule, load_rules


def rules_registry() -> dict[str, Rule]:
    """Return every deadline rule: shipped files, then the bureau's override dirs."""
    return module_rules("deadlines", load_rules)


def holiday_overrides() -> list[YearOverride]:
    """Return the administrator's holiday table as engine overrides."""
    days: dict[int, tuple[set, set]] = {}
    for year, date, kind in HolidayDay.objects.values_list("year__year", "date", "kind"):
        holidays, workdays = days.setdefault(year, (set(), set()))
        (holidays if kind == DayKind.HOLIDAY else workdays).add(date)
    return [
        YearOverride(year=y.year, holidays=frozenset(days.get(y.year, ((), ()))[0]),
                     workdays=frozenset(days.get(y.year, ((), ()))[1]),
                     notice=y.notice_number)
        for y in HolidayYear.objects.all()
    ]


def _table_version() -> tuple:
    stats = HolidayYear.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return (stats["n"], stats["at"], HolidayDay.objects.count())


_CACHE: dict[tuple, WorkCalendar] = {}
# Within one web request the holiday table is read once, not once per clock shown;
# the middleware below opens that scope. Outside requests every call checks.
_REQUEST_MEMO: ContextVar[dict | None] = ContextVar("calendar_memo", default=None)


def calendar_from_db(provisional: bool = False) -> WorkCalendar:
    """Return the working-day calendar: the package's years plus the holiday table.

    A fresh database without tables yet (before ``migrate``) gives the package alone.
    """
    memo = _REQUEST_MEMO.get()
    if memo is not None and provisional in memo:
        return memo[provisional]
    cal = _calendar(provisional)
    if memo is not None:
        memo[provisional] = cal
    return cal


def calendar_memo_clear() -> None:
    """Forget the request's calendar (the holiday table just changed)."""
    memo = _REQUEST_MEMO.get()
    if memo is not None:
        memo.clear()


@contextmanager
def calendar_memo() -> Iterator[None]:
    """Read the holiday table at most once inside this block (a request, a sweep)."""
    token = _REQUEST_MEMO.set({})
    try:
        yield
    finally:
        _REQUEST_MEMO.reset(token)


class CalendarMemoMiddleware:
    """Read the holiday table at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with calendar_memo():
            return self.get_response(request)


def _calendar(provisional: bool) -> WorkCalendar:
    try:
        version = (_table_version(), provisional)
    except DatabaseError:
        return WorkCalendar.build((), provisional=provisional)
    cal = _CACHE.get(version)
    if cal is None:
        # Drop calendars of an older table only: the exact and the provisional
        # calendar of the same table live side by side.
        for stale in [k for k in _CACHE if k[0] != version[0]]:
            del _CACHE[stale]
        cal = _CACHE[version] = WorkCalendar.build(
            holiday_overrides(), provisional=provisional
        )
    return cal


def clock_list_open(*, actor) -> QuerySet[Clock]:
    """Open clocks in the caller's subtree, soonest first (none for administrators)."""
    return scoped(Clock.objects.filter(state__in=_OPEN), actor,
                  business=True).select_related(
        "assignee", "org_unit"
    ).order_by("due_date", "pk")


def clock_list_mine(*, actor) -> QuerySet[Clock]:
    """The caller's own open clocks (我的待办), soonest first."""
    return clock_list_open(actor=actor).filter(assignee=actor)


def clock_get(*, actor, pk) -> Clock:
    """One clock in the caller's subtree, or 404 (always for administrators: a clock's
    title names the case or permit)."""
    return get_scoped_or_404(Clock.objects.all(), actor, business=True, pk=pk)


def clock_count_provisional(*, actor) -> int:
    """How many open clocks in the subtree wait on a year with no holiday data.

    A count only: the system administrator's banner asks for the holiday table.
    """
    return scoped(Clock.objects.filter(state__in=_OPEN, provisional=True),
                  actor).count()


def years_missing(today: dt.date) -> list[int]:
    """Years from this one to next year that neither the package nor the table covers."""
    cal = calendar_from_db()
    return [y for y in (today.year, today.year + 1) if not cal.covers(y)]


_OPEN = (ClockState.RUNNING, ClockState.PAUSED)

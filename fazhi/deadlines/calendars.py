"""The working-day calendar as the bureau has it: the package's years plus the
administrator's holiday table, read at most once per request or sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError
from django.db.models import Count, Max

from fazhi.deadlines.calendar import WorkCalendar, YearOverride
from fazhi.deadlines.models import DayKind, HolidayDay, HolidayYear


def holiday_overrides() -> list[YearOverride]:
    """Return the administrator's holiday table as engine overrides."""
    days: dict[int, tuple[set, set]] = {}
    rows = HolidayDay.objects.values_list("year__year", "date", "kind")
    for year, date, kind in rows:
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

    ``provisional``: count a year with no holiday data as if only weekends and the
    fixed-date holidays were off (the results say they are estimates). A fresh
    database without tables yet (before ``migrate``) gives the package alone.
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


def years_missing(today: dt.date) -> list[int]:
    """Years from this one to next year that neither package nor table covers."""
    cal = calendar_from_db()
    return [y for y in (today.year, today.year + 1) if not cal.covers(y)]

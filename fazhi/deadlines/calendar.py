"""The State Council working-day calendar, answered from precomputed day tables.

Pure: imports only the standard library and the ``chinese_calendar`` package.

A working day is Monday to Friday, less the official days off, plus the weekend
make-up days (调休上班日), which count as working days (architecture.md, "Deadlines").
Years come from the package's data and from the administrator's entries of later
State Council notices (``YearOverride``). A year that neither covers is refused with
``MissingHolidayData``; a *provisional* calendar instead estimates it and says so: a
weekday is a working day unless it is one of the fixed-date statutory holidays
(元旦, 劳动节, 国庆节; ``fixed_holidays.toml``), which fall on the same days every year.

Every question is O(1): one byte per day tells whether it is a working day, a
cumulative count turns "working days between" into a subtraction, and the sorted
list of working-day ordinals turns "the n-th working day after" into an index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

import chinese_calendar

from fazhi.core.ruledata import read_toml

PROVISIONAL_YEARS = 5
"""How many years past the last covered one a provisional calendar estimates."""

_ONE_DAY = timedelta(days=1)


class MissingHolidayData(Exception):
    """A date falls in a year whose holiday arrangement has not been entered."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year

    def __str__(self) -> str:
        return f"缺少{self.year}年的节假日安排数据，请系统管理员按国务院办公厅通知录入"


@dataclass(frozen=True)
class YearOverride:
    """One year's arrangement, entered by an administrator from a State Council notice.

    ``holidays`` are the official days off; ``workdays`` the weekend make-up days.
    An override decides its year wholly: days it does not list are ordinary.
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    notice: str

    def __post_init__(self) -> None:
        stray = sorted(d for d in self.holidays | self.workdays if d.year != self.year)
        if stray:
            raise ValueError(
                f"{self.year}年的节假日安排中含有其他年份的日期：{stray[0]}"
            )
        both = sorted(self.holidays & self.workdays)
        if both:
            raise ValueError(f"{both[0]}不能既是放假日又是调休上班日")

    def is_working_day(self, d: date) -> bool:
        """Tell whether ``d`` (a day of this year) is a working day."""
        return d in self.workdays or (d.weekday() < 5 and d not in self.holidays)


@cache
def fixed_holidays() -> frozenset[tuple[int, int]]:
    """Return (month, day) of the statutory holidays fixed to a calendar date."""
    data = read_toml(Path(__file__).parent / "fixed_holidays.toml")
    return frozenset((h["month"], d) for h in data["holiday"] for d in h["days"])


def estimated_working_day(d: date) -> bool:
    """Guess whether ``d`` is a working day in a year with no arrangement entered.

    Weekends and the fixed-date holidays are off; the lunar holidays and the year's
    make-up days are not guessed, so the estimate can still fall a few days early.
    """
    return d.weekday() < 5 and (d.month, d.day) not in fixed_holidays()


def package_years() -> range:
    """Return the years the installed ``chinese_calendar`` package has data for."""
    days = chinese_calendar.holidays.keys()
    return range(min(days).year, max(days).year + 1)


def _package_working_day(d: date) -> bool:
    if d in chinese_calendar.workdays:
        return True
    return d.weekday() < 5 and d not in chinese_calendar.holidays


def _by_year(overrides: Iterable[YearOverride]) -> dict[int, YearOverride]:
    by_year: dict[int, YearOverride] = {}
    for override in overrides:
        if override.year in by_year:
            raise ValueError(f"{override.year}年有不止一份节假日安排")
        by_year[override.year] = override
    return by_year


class WorkCalendar:
    """Working days of the covered years; estimates past them when provisional."""

    def __init__(
        self, first_year: int, flags: bytes, exact: frozenset[int], provisional: bool
    ) -> None:
        self._base = date(first_year, 1, 1).toordinal()
        self._end = self._base + len(flags) - 1
        self._flags = flags
        self._cum = list(accumulate(flags))
        self._wd = [self._base + i for i, flag in enumerate(flags) if flag]
        self._exact = exact
        self._provisional = provisional
        self._first_year = first_year
        self._last_year = date.fromordinal(self._end).year
        self._exact_until = date(_run_end(first_year, exact), 12, 31).toordinal()

    @classmethod
    def build(
        cls, overrides: Iterable[YearOverride] = (), *, provisional: bool = False
    ) -> WorkCalendar:
        """Build from the package's years plus ``overrides`` (which win their year)."""
        by_year = _by_year(overrides)
        pkg = package_years()
        exact = frozenset(pkg) | frozenset(by_year)
        first = min(exact)
        last = max(exact) + (PROVISIONAL_YEARS if provisional else 0)

        def working(d: date) -> bool:
            if d.year in by_year:
                return by_year[d.year].is_working_day(d)
            if d.year in pkg:
                return _package_working_day(d)
            return estimated_working_day(d)  # only years outside ``exact``

        days = range(date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal() + 1)
        flags = bytes(working(date.fromordinal(o)) for o in days)
        return cls(first, flags, exact, provisional)

    def __repr__(self) -> str:
        kind = "provisional" if self._provisional else "exact"
        return f"<WorkCalendar {self._first_year}–{self._last_year} {kind}>"

    @property
    def covered_years(self) -> tuple[int, ...]:
        """The years with an official arrangement (package or override), ascending."""
        return tuple(sorted(self._exact))

    @property
    def provisional(self) -> bool:
        """Whether uncovered years are estimated instead of refused."""
        return self._provisional

    @property
    def first_day(self) -> date:
        """The first day this calendar can answer for."""
        return date.fromordinal(self._base)

    @property
    def last_day(self) -> date:
        """The last day this calendar can answer for (estimated ones included)."""
        return date.fromordinal(self._end)

    def covers(self, year: int) -> bool:
        """Tell whether ``year`` has an official arrangement."""
        return year in self._exact

    def is_working_day(self, d: date) -> bool:
        """Tell whether ``d`` is a working day; raise MissingHolidayData if unknown."""
        if not self._usable(d.year):
            raise MissingHolidayData(d.year)
        return bool(self._flags[d.toordinal() - self._base])

    def nth_working_day_after(self, start: date, n: int) -> date:
        """Return the n-th working day after ``start``; ``start`` is not counted.

        ``n`` is in working days; n = 0 returns ``start`` itself.
        """
        if n <= 0:
            if n == 0:
                return start
            raise ValueError(f"n must not be negative, got {n}")
        lo = start.toordinal()
        i = lo - self._base
        if i < 0 or lo > self._end or self._cum[i] + n > len(self._wd):
            raise MissingHolidayData(self._gap_year(lo))
        hi = self._wd[self._cum[i] + n - 1]
        if hi > self._exact_until:
            self._check_span(lo, hi)
        return date.fromordinal(hi)

    def working_days_between(self, a: date, b: date) -> int:
        """Count the working days in (a, b]; negative, -(count in (b, a]), if b < a."""
        lo, hi = a.toordinal(), b.toordinal()
        sign = 1
        if hi < lo:
            lo, hi, sign = hi, lo, -1
        if lo < self._base or hi > self._end:
            raise MissingHolidayData(self._gap_year(lo))
        if hi > self._exact_until:
            self._check_span(lo, hi)
        return sign * (self._cum[hi - self._base] - self._cum[lo - self._base])

    def working_day_on_or_after(self, d: date) -> date:
        """Return ``d`` if it is a working day, else the first working day after it."""
        return self.nth_working_day_after(d - _ONE_DAY, 1)

    def estimated_years(self, a: date, b: date) -> tuple[int, ...]:
        """Return the years of the days in (a, b] that are only estimated.

        Empty for an exact answer; raises MissingHolidayData if a day is unknown.
        """
        lo, hi = sorted((a.toordinal(), b.toordinal()))
        if lo == hi or (self._base <= lo and hi <= self._exact_until):
            return ()
        self._check_span(lo, hi)
        years = range(date.fromordinal(lo + 1).year, date.fromordinal(hi).year + 1)
        return tuple(y for y in years if y not in self._exact)

    def _usable(self, year: int) -> bool:
        if year in self._exact:
            return True
        return self._provisional and self._first_year <= year <= self._last_year

    def _gap_year(self, lo: int) -> int:
        """Return the first unusable year among the days after ordinal ``lo``."""
        year = date.fromordinal(lo + 1).year
        while self._usable(year):
            year += 1
        return year

    def _check_span(self, lo: int, hi: int) -> None:
        """Raise MissingHolidayData unless every day in (lo, hi] is usable."""
        if hi <= lo:
            return
        gap = self._gap_year(lo)
        if gap <= date.fromordinal(hi).year:
            raise MissingHolidayData(gap)


def _run_end(first: int, years: frozenset[int]) -> int:
    """Return the last year of the unbroken run of ``years`` starting at ``first``."""
    year = first
    while year + 1 in years:
        year += 1
    return year

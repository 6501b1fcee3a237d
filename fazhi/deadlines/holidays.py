"""The administrator's holiday table, and recomputing the clocks a change affects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from fazhi.core import audit
from fazhi.deadlines.calendars import calendar_memo, calendar_memo_clear
from fazhi.deadlines.models import Clock, ClockState, DayKind, HolidayDay, HolidayYear
from fazhi.deadlines.services import _apply, clock_compute, today


def _check_days(year: int, holidays: set[dt.date], workdays: set[dt.date]) -> None:
    outside = sorted(d for d in holidays | workdays if d.year != year)
    if outside:
        raise ValidationError({"days": f"{outside[0]} 不在 {year} 年内"})
    both = sorted(holidays & workdays)
    if both:
        raise ValidationError({"days": f"{both[0]} 不能既放假又上班"})
    weekday_work = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_work:
        raise ValidationError({"workdays": f"{weekday_work[0]} 是工作日，无需列为调休上班日"})


def holiday_year_save(
    *, year: int, notice_number: str, holidays: Iterable[dt.date],
    workdays: Iterable[dt.date], actor, notice_title: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store a year's arrangement from the State Council notice; recompute clocks.

    Returns the number of open clocks whose due date changed.
    """
    holidays, workdays = set(holidays), set(workdays)
    if not notice_number.strip():
        raise ValidationError({"notice_number": "请填写国务院办公厅通知的文号"})
    _check_days(year, holidays, workdays)
    with transaction.atomic():
        entry, created = HolidayYear.objects.update_or_create(
            year=year, defaults={"notice_number": notice_number,
                                 "notice_title": notice_title, "entered_by": actor})
        before = sorted(str(d) for d in entry.days.values_list("date", flat=True))
        entry.days.all().delete()
        HolidayDay.objects.bulk_create(
            [HolidayDay(year=entry, date=d, kind=DayKind.HOLIDAY) for d in holidays]
            + [HolidayDay(year=entry, date=d, kind=DayKind.WORKDAY) for d in workdays]
        )
        calendar_memo_clear()
        audit.record(actor=actor, obj=entry, action="holiday_year.save",
                     summary=f"录入{year}年节假日安排（{notice_number}）",
                     before={"days": before} if not created else None,
                     after={"holidays": sorted(map(str, holidays)),
                            "workdays": sorted(map(str, workdays))})
        return clocks_recompute_for_year(year=year, actor=actor, progress=progress)


def clocks_recompute_for_year(
    *, year: int, actor, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every open clock whose period may touch ``year``; audit each change."""
    with calendar_memo():  # the new table, read once for all the clocks
        return _recompute(year, actor, progress)


def _recompute(year: int, actor, progress) -> int:
    first = dt.date(year, 1, 1)
    affected = Clock.objects.filter(
        Q(due_date__gte=first) | Q(provisional=True),
        state__in=(ClockState.RUNNING, ClockState.PAUSED),
        start_date__lte=dt.date(year, 12, 31),
    ).prefetch_related("pauses")
    total, changed, as_of = affected.count(), 0, today()
    for i, clock in enumerate(affected.iterator(chunk_size=2000), start=1):
        before = (clock.due_date, clock.provisional)
        _apply(clock, clock_compute(clock, as_of=as_of), as_of)
        if (clock.due_date, clock.provisional) != before:
            changed += 1
            clock.save(update_fields=["due_date", "provisional", "explanation", "status",
                                      "updated_at"])
            audit.record(actor=actor, obj=clock.matter or clock, org_unit=clock.org_unit,
                         action="clock.recompute",
                         summary=f"{clock.title}：因{year}年节假日安排变更重新计算",
                         before={"clock": clock.pk, "due": before[0],
                                 "provisional": before[1]},
                         after={"due": clock.due_date, "provisional": clock.provisional})
        if progress is not None and (i % 500 == 0 or i == total):
            progress(i, total)
    return changed

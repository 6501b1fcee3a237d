"""Statutory deadline engine: rule + start + pauses + extension → due date.

Pure: imports only the standard library and this package's calendar and rules.

Counting (architecture.md, "Deadlines"; 民法典 Arts. 201 and 203):
- the start day is not counted;
- a working-day period ends on the N-th working day after the start;
- a calendar-day period ends N days after the start, moved to the next working day
  when that day is not one;
- a pause excludes its days FROM..TO inclusive (working days for working-day rules,
  every day for calendar-day rules); overlapping pauses count once;
- an extension adds up to the rule's cap, in the rule's unit.

A weekend make-up working day (调休上班日) is a working day: a period ending on one
ends that day. No text settles whether a party who acts on the next working day
instead is late; the bureau does not treat it so (``party_last_day``), and the
explanation of a party's period says so, and that papers posted by the due date are
in time (民事诉讼法 Art. 85(4): the time in the post is not counted).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from weakref import WeakKeyDictionary

from fazhi.deadlines.calendar import MissingHolidayData, WorkCalendar
from fazhi.deadlines.rules import UNIT_WORDS as _UNIT_WORDS
from fazhi.deadlines.rules import Rule

Status = Literal["green", "yellow", "red"]

_ONE_DAY = timedelta(days=1)
_WEEKDAYS = "一二三四五六日"


class DeadlineError(ValueError):
    """Input the engine cannot count with; the message is for the user, in Chinese."""


class ExtensionTooLong(DeadlineError):
    """An extension beyond what the rule's article allows."""


class PauseOutsidePeriod(DeadlineError):
    """A pause that does not lie within the period it is meant to stop."""


@dataclass(frozen=True)
class Pause:
    """Days excluded from a period, ``start`` to ``end`` inclusive."""

    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True)
class DueResult:
    """A due date and the Chinese sentences that explain how it was reached."""

    rule_id: str
    start: date
    due: date
    provisional: bool
    steps: tuple[str, ...]


def compute_due(
    rule: Rule,
    start: date,
    calendar: WorkCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extension: int = 0,
) -> DueResult:
    """Compute the due date of ``rule`` counted from ``start``, with the explanation.

    ``extension`` is in the rule's unit (working days or days).
    """
    trace: list[tuple] = []
    due = _resolve(rule, start, calendar, tuple(pauses), extension, trace)
    # A calendar-day period consults the calendar only from its last day to the due.
    span_from = start if rule.unit == "working_day" else trace[-1][1] - _ONE_DAY
    estimated = calendar.estimated_years(span_from, due)
    steps = _explain(rule, start, extension, trace, due, estimated, calendar)
    return DueResult(rule.id, start, due, bool(estimated), tuple(steps))


def compute_due_fast(
    rule: Rule,
    start: date,
    calendar: WorkCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extension: int = 0,
) -> date:
    """Return only the due date that ``compute_due`` would give (no explanation)."""
    pauses = tuple(pauses)
    if not pauses and not extension:
        return _plain_due(rule.unit, rule.length, start, calendar)
    return _resolve(rule, start, calendar, pauses, extension, None)


def compute_due_dates(
    rule: Rule, starts: Sequence[date], calendar: WorkCalendar
) -> list[date]:
    """Return the due date for each start (no pauses, no extension), in order."""
    table = _due_table(rule.unit, rule.length, calendar)
    try:
        return list(map(table.__getitem__, starts))
    except KeyError:  # a start the table lacks: count it to raise the right error
        return [_plain_due(rule.unit, rule.length, s, calendar) for s in starts]


def is_make_up_day(day: date, calendar: WorkCalendar) -> bool:
    """Tell whether ``day`` is a Saturday or Sunday made a working day (调休上班日)."""
    return day.weekday() >= 5 and calendar.is_working_day(day)


def party_last_day(due: date, calendar: WorkCalendar) -> date:
    """The last day a party's act is not treated as late: the due date, or the next
    working day when the due date is a weekend make-up working day."""
    if is_make_up_day(due, calendar):
        return calendar.nth_working_day_after(due, 1)
    return due


def working_days_left(calendar: WorkCalendar, today: date, due: date) -> int:
    """Working days in (today, due]; when overdue, minus the working days past due."""
    return calendar.working_days_between(today, due)


def clock_status(
    *, today: date, due: date, yellow_days: int, calendar: WorkCalendar
) -> Status:
    """Red past the due date; yellow with at most ``yellow_days`` working days left."""
    if today > due:
        return "red"
    return "yellow" if due < _yellow_limit(today, yellow_days, calendar) else "green"


def clock_statuses(
    *, today: date, dues: Iterable[date], yellow_days: int, calendar: WorkCalendar
) -> list[Status]:
    """Return ``clock_status`` for many due dates at once."""
    limit = _yellow_limit(today, yellow_days, calendar)
    return ["red" if d < today else "yellow" if d < limit else "green" for d in dues]


def _yellow_limit(today: date, yellow_days: int, calendar: WorkCalendar) -> date:
    # Working days left <= yellow_days exactly when due comes before this day.
    return calendar.nth_working_day_after(today, yellow_days + 1)


# --- counting ----------------------------------------------------------------------


def _resolve(
    rule: Rule,
    start: date,
    calendar: WorkCalendar,
    pauses: tuple[Pause, ...],
    extension: int,
    trace: list | None,
) -> date:
    n = rule.length + _checked_extension(rule, extension)
    spans = _merged(_checked_pauses(pauses, start))
    if rule.unit == "working_day":
        return _count_working(start, n, spans, calendar, trace)
    return _count_calendar(start, n, spans, calendar, trace)


def _plain_due(unit: str, n: int, start: date, calendar: WorkCalendar) -> date:
    if unit == "working_day":
        return calendar.nth_working_day_after(start, n)
    return calendar.working_day_on_or_after(start + timedelta(days=n))


def _count_working(
    start: date, n: int, spans: list[Pause], cal: WorkCalendar, trace: list | None
) -> date:
    due = cal.nth_working_day_after(start, n)
    if trace is not None:
        trace.append(("working", n, due))
    for span in spans:
        _require_reaches(span, due)
        first = max(span.start, start + _ONE_DAY)
        added = cal.working_days_between(first - _ONE_DAY, span.end)
        due = cal.nth_working_day_after(due, added)
        if trace is not None:
            trace.append(("pause_working", span, first, added, due))
    return due


def _count_calendar(
    start: date, n: int, spans: list[Pause], cal: WorkCalendar, trace: list | None
) -> date:
    end = start + timedelta(days=n)
    if trace is not None:
        trace.append(("calendar", n, end))
    for span in spans:
        _require_reaches(span, cal.working_day_on_or_after(end))
        first = max(span.start, start + _ONE_DAY)
        added = (span.end - first).days + 1
        end += timedelta(days=added)
        if trace is not None:
            trace.append(("pause_calendar", span, first, added, end))
    due = cal.working_day_on_or_after(end)
    if trace is not None:
        trace.append(("end", end, due))
    return due


def _checked_extension(rule: Rule, extension: int) -> int:
    if extension == 0:
        return 0
    unit = _UNIT_WORDS[rule.unit]
    if extension < 0:
        raise DeadlineError(f"延长期限不能为负数（{extension}）")
    if extension and rule.extension_cap == 0:
        raise ExtensionTooLong(
            f"“{rule.name}”依法不得延长（《{rule.law}》{rule.article}）"
        )
    if extension > rule.extension_cap:
        raise ExtensionTooLong(
            f"“{rule.name}”最多可延长{rule.extension_cap}{unit}"
            f"（《{rule.law}》{rule.article}），不能延长{extension}{unit}"
        )
    return extension


def _checked_pauses(pauses: tuple[Pause, ...], start: date) -> tuple[Pause, ...]:
    for p in pauses:
        if p.end < p.start:
            raise PauseOutsidePeriod(f"暂停的结束日{p.end}早于开始日{p.start}")
        if p.end <= start:
            raise PauseOutsidePeriod(
                f"暂停{p.start}至{p.end}在起算日{start}当日或之前已结束，不在期限之内"
            )
    return pauses


def _merged(pauses: tuple[Pause, ...]) -> list[Pause]:
    """Sort pauses and merge overlapping or adjacent ones, so no day counts twice."""
    if len(pauses) < 2:
        return list(pauses)
    merged: list[Pause] = []
    for p in sorted(pauses, key=lambda p: (p.start, p.end)):
        last = merged[-1] if merged else None
        if last is not None and p.start <= last.end + _ONE_DAY:
            reasons = _join_reasons(last.reason, p.reason)
            merged[-1] = Pause(last.start, max(last.end, p.end), reasons)
        else:
            merged.append(p)
    return merged


def _join_reasons(a: str, b: str) -> str:
    parts = [r for r in [*a.split("、"), b] if r]
    return "、".join(dict.fromkeys(parts))


def _require_reaches(span: Pause, due: date) -> None:
    if span.start > due:
        raise PauseOutsidePeriod(
            f"暂停{span.start}至{span.end}开始于截止日{due}之后，不在期限之内"
        )


# --- batch tables ------------------------------------------------------------------

_TABLES: WeakKeyDictionary[WorkCalendar, dict[tuple[str, int], dict[date, date]]] = (
    WeakKeyDictionary()
)


def _due_table(unit: str, n: int, calendar: WorkCalendar) -> dict[date, date]:
    """Return {start: due} for every start the calendar can count from (cached)."""
    tables = _TABLES.setdefault(calendar, {})
    table = tables.get((unit, n))
    if table is None:
        table = tables[(unit, n)] = _build_table(unit, n, calendar)
    return table


def _build_table(unit: str, n: int, calendar: WorkCalendar) -> dict[date, date]:
    table: dict[date, date] = {}
    first, last = calendar.first_day.toordinal(), calendar.last_day.toordinal()
    for ordinal in range(first, last + 1):
        start = date.fromordinal(ordinal)
        try:
            table[start] = _plain_due(unit, n, start, calendar)
        except MissingHolidayData:
            continue  # left out: compute_due_dates counts it and raises
    return table


# --- explanation -------------------------------------------------------------------


def _day(d: date) -> str:
    return f"{d.isoformat()}（星期{_WEEKDAYS[d.weekday()]}）"


def _explain(
    rule: Rule,
    start: date,
    extension: int,
    trace: list[tuple],
    due: date,
    estimated: tuple[int, ...],
    calendar: WorkCalendar,
) -> list[str]:
    unit = _UNIT_WORDS[rule.unit]
    steps = [
        (
            f"适用规则：{rule.name}，依据《{rule.law}》（{rule.version}）"
            f"{rule.article}，期限为{rule.length}{unit}。"
        ),
        (
            f"起算：{rule.start_event}为{_day(start)}；开始的当日不计入，"
            "自下一日起算（民法典第二百零一条）。"
        ),
    ]
    if extension:
        steps.append(
            f"经批准延长{extension}{unit}（本规则最多可延长{rule.extension_cap}{unit}），"
            f"合计{rule.length + extension}{unit}。"
        )
    steps += [_STEP_TEXT[item[0]](*item[1:]) for item in trace]
    if estimated:
        years = "、".join(f"{y}年" for y in estimated)
        steps.append(
            f"注意：{years}尚无国务院办公厅节假日安排，按周六、周日和元旦、劳动节、国庆节（公历固定日期）休息估算"
            "，该截止日期为估算值，录入节假日安排后须重新计算。"
        )
    if rule.duty == "party":
        steps += _party_steps(due, calendar)
    steps.append(f"截止日期：{_day(due)}。")
    return steps


def _party_steps(due: date, calendar: WorkCalendar) -> list[str]:
    """What a party's period means at its end: a make-up weekend day, and the post."""
    steps = []
    if is_make_up_day(due, calendar):
        grace = party_last_day(due, calendar)
        steps.append(
            f"{_day(due)}是调休上班日，按工作日对待，期限就在这一天届满，不往后顺延。"
            f"但这一天本是周末，法律对此没有明确规定，当事人在其后第一个工作日"
            f"{_day(grace)}办理的，本局不按逾期对待。"
        )
    steps.append(
        "当事人邮寄材料的，只要在截止日当天或之前交邮，就不算逾期，以交邮日期为准"
        "（参照民事诉讼法第八十五条第四款，期间不包括在途时间）。"
    )
    return steps


def _step_working(n: int, due: date) -> str:
    return (
        f"不计起算日，向后数第{n}个工作日为{_day(due)}（按国务院办公厅节假日安排："
        "法定节假日和周末不计，调休上班日计为工作日）。"
    )


def _step_calendar(n: int, end: date) -> str:
    return f"自起算日的次日起算{n}日，期间届满日为{_day(end)}。"


def _pause_words(span: Pause, first: date) -> str:
    reason = f"（{span.reason}）" if span.reason else ""
    clipped = f"，其中{first}之前的部分本不计入" if first > span.start else ""
    return f"暂停：{span.start}至{span.end}{reason}不计入期限{clipped}"


def _step_pause_working(span: Pause, first: date, added: int, due: date) -> str:
    return (
        f"{_pause_words(span, first)}，其间{added}个工作日，截止日顺延至{_day(due)}。"
    )


def _step_pause_calendar(span: Pause, first: date, added: int, end: date) -> str:
    return f"{_pause_words(span, first)}，共{added}日，期间届满日顺延至{_day(end)}。"


def _step_end(end: date, due: date) -> str:
    if end == due:
        return f"期间届满日{_day(end)}是工作日，不需顺延。"
    return (
        f"{_day(end)}为法定节假日或休息日，顺延至其后的第一个工作日{_day(due)}"
        "（民法典第二百零三条）。"
    )


_STEP_TEXT = {
    "working": _step_working,
    "calendar": _step_calendar,
    "pause_working": _step_pause_working,
    "pause_calendar": _step_pause_calendar,
    "end": _step_end,
}

"""What a clock means to the bureau: the one meaning of "overdue" (超期), as a badge.

Pure: standard library and this package's calendar and engine.

A clock is the bureau's statutory duty (reply, decision, certificate, case period),
the bureau's own shorter promise (承诺时限), or a window that runs for a party or
another body (statement, hearing request, payment, appeal) — the rule file says which
(``duty``). Only a running duty of the bureau past its due date is the bureau's 超期.
A party's window past its due date has lapsed (已届满); a promise past its date is
超承诺时限. A clock that ended shows how: 已办结 or 逾期N个工作日办结 for a duty, and
已撤回 or 视为放弃 when the matter was withdrawn or deemed abandoned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.engine import clock_status

BUREAU, PROMISE, PARTY = "bureau", "promise", "party"
DUTY_LABELS = {BUREAU: "本机关法定职责", PROMISE: "本机关承诺时限",
               PARTY: "当事人或他方期间"}
# How a matter ended, for a clock it cancelled (ClockEnd's values).
ENDINGS = {"withdrawn": "已撤回", "abandoned": "视为放弃", "closed": "已办结"}

_RUNNING_LABELS = {
    BUREAU: {"green": "正常", "yellow": "临期", "red": "超期"},
    PROMISE: {"green": "正常", "yellow": "临期", "red": "超承诺时限"},
    PARTY: {"green": "期间内", "yellow": "即将届满", "red": "已届满"},
}
_RUNNING_CODES = {PARTY: {"red": "lapsed"}, PROMISE: {"red": "over_promise"}}


@dataclass(frozen=True)
class Badge:
    """A clock's standing in words, with the colour class the pages draw it in."""

    code: str  # green yellow red paused done done_late lapsed over_promise ended
    label: str
    overdue: bool = False  # the bureau's 超期 as of the day asked

    def __str__(self) -> str:
        return self.label


# A paused clock owes nothing while it stands still: never 超期, and no date.
PAUSED = Badge("paused", "暂停计时")


def clock_badge(
    *,
    duty: str,
    state: str,
    due: date,
    today: date,
    calendar: WorkCalendar,
    yellow_days: int = 0,
    stopped_on: date | None = None,
    ended_as: str = "",
) -> Badge:
    """Return the badge of a clock in ``state`` (running, paused, stopped, cancelled).

    ``calendar`` counts working days (the yellow window, the days late); pass the
    provisional calendar so a year without holiday data never fails a page.
    """
    if state == "paused":
        return PAUSED
    if state == "running":
        colour = clock_status(today=today, due=due, yellow_days=yellow_days,
                              calendar=calendar)
        code = _RUNNING_CODES.get(duty, {}).get(colour, colour)
        return Badge(code, _RUNNING_LABELS[duty][colour],
                     overdue=duty == BUREAU and colour == "red")
    if state == "cancelled" and ended_as in ("withdrawn", "abandoned"):
        return Badge("ended", ENDINGS[ended_as])
    return _ended(duty, due, stopped_on, calendar)


def days_late(due: date, done: date, calendar: WorkCalendar) -> int:
    """Working days after ``due`` up to ``done`` (0 when done on or before it)."""
    return calendar.working_days_between(due, done) if done > due else 0


def _ended(duty: str, due: date, stopped_on: date | None,
           calendar: WorkCalendar) -> Badge:
    if stopped_on is None or stopped_on <= due:
        return Badge("done", "已结束" if duty == PARTY else "已办结")
    if duty == PARTY:
        return Badge("lapsed", "已届满")
    late = days_late(due, stopped_on, calendar)
    # Done on the weekend after a Friday due date: late, by no working day.
    days = f"{late}个工作日" if late else ""
    if duty == PROMISE:
        return Badge("done_late", f"超承诺时限{days}办结")
    return Badge("done_late", f"逾期{days}办结")

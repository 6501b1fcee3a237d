"""The one meaning of overdue, as a badge (pure: deadlines.duty)."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.duty import PAUSED, clock_badge

D = dt.date
CAL = WorkCalendar.build(provisional=True)
DUE = D(2025, 10, 29)  # a Wednesday
MONDAY_AFTER = D(2025, 11, 3)


def badge(duty, state="running", today=MONDAY_AFTER, **kw):
    return clock_badge(duty=duty, state=state, due=DUE, today=today, calendar=CAL,
                       yellow_days=3, **kw)


def test_only_a_running_duty_of_the_bureau_past_due_is_overdue():
    late = badge("bureau")
    assert (late.label, late.code, late.overdue) == ("超期", "red", True)
    for duty in ("party", "promise"):
        assert not badge(duty).overdue


def test_a_partys_lapsed_window_reads_lapsed_never_overdue():
    b = badge("party")
    assert (b.label, b.code) == ("已届满", "lapsed")
    assert badge("party", today=D(2025, 10, 1)).label == "期间内"


def test_a_promise_past_its_date_reads_over_the_promise():
    assert badge("promise").label == "超承诺时限"


def test_a_duty_done_late_reads_late_by_working_days():
    # Due Wed 29 Oct; done Mon 3 Nov: Thu, Fri, Mon are 3 working days late.
    b = badge("bureau", state="stopped", stopped_on=D(2025, 11, 3))
    assert (b.label, b.code, b.overdue) == ("逾期3个工作日办结", "done_late", False)
    assert badge("bureau", state="stopped", stopped_on=DUE).label == "已办结"


def test_done_on_the_weekend_after_a_friday_due_date_is_late_by_no_working_day():
    b = clock_badge(duty="bureau", state="stopped", due=D(2025, 10, 31),
                    today=D(2025, 11, 3), calendar=CAL, stopped_on=D(2025, 11, 1))
    assert b.label == "逾期办结"


@pytest.mark.parametrize(("ended_as", "label"), [
    ("withdrawn", "已撤回"), ("abandoned", "视为放弃")])
def test_a_withdrawn_or_abandoned_matter_says_so_on_every_clock(ended_as, label):
    for duty in ("bureau", "promise", "party"):
        b = badge(duty, state="cancelled", stopped_on=D(2025, 10, 1),
                  ended_as=ended_as)
        assert (b.label, b.overdue) == (label, False)


def test_a_closed_matter_ends_a_partys_window_as_lapsed_or_ended():
    lapsed = badge("party", state="cancelled", stopped_on=D(2025, 11, 3),
                   ended_as="closed")
    ended = badge("party", state="cancelled", stopped_on=D(2025, 10, 20),
                  ended_as="closed")
    assert (lapsed.label, ended.label) == ("已届满", "已结束")


def test_a_paused_clock_is_never_overdue():
    assert badge("bureau", state="paused") == PAUSED
    assert PAUSED.label == "暂停计时" and not PAUSED.overdue

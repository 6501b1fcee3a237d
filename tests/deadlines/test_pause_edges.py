"""A pause's edges as an office meets them: one from the clock's start day
excludes from the next day (the start day is never counted), and one resumed the
day before its first excluded day excluded nothing (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import ClockPause, ClockState

D = dt.date
START = D(2025, 9, 25)  # Thu


@pytest.fixture
def clock(people):
    officer = people.xt_disclosure
    with time_machine.travel("2025-09-25 10:00 +0800", tick=False):
        return clocks.clock_start(matter=officer, rule_id="disclosure.reply",
                                  start=START, actor=officer, title="测试期限")


def _on(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def test_a_pause_from_the_start_day_excludes_from_the_next_day(clock, people):
    with _on(START):
        clocks.clock_pause(clock=clock, start=START, kind="correction",
                           reason="补正", actor=people.xt_disclosure)
    assert ClockPause.objects.get(clock=clock).start == D(2025, 9, 26)


def test_a_pause_before_the_start_day_is_refused(clock, people):
    with _on(START), pytest.raises(ValidationError) as exc:
        clocks.clock_pause(clock=clock, start=D(2025, 9, 24), kind="correction",
                           reason="补正", actor=people.xt_disclosure)
    assert "2025-09-25" in exc.value.message_dict["start"][0]


def test_resumed_the_day_before_its_first_day_it_excluded_nothing(clock, people):
    due = clock.due_date
    with _on(START):
        clocks.clock_pause(clock=clock, start=START, kind="correction",
                           reason="补正", actor=people.xt_disclosure)
        clocks.clock_resume(clock=clock, end=START, actor=people.xt_disclosure)
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING and clock.due_date == due
    assert not clock.pauses.exists()


def test_resumed_two_days_before_its_first_day_is_refused(clock, people):
    with _on(D(2025, 9, 29)):
        clocks.clock_pause(clock=clock, start=D(2025, 9, 29), kind="correction",
                           reason="补正", actor=people.xt_disclosure)
        with pytest.raises(ValidationError) as exc:
            clocks.clock_resume(clock=clock, end=D(2025, 9, 27),
                                actor=people.xt_disclosure)
    assert "2025-09-29" in exc.value.message_dict["end"][0]

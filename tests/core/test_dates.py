"""What happened cannot be dated tomorrow: the refusal names the field and today."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core.dates import date_check, not_future

TODAY = dt.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def _new_years_eve():
    # 23:30 in Beijing is already the next day in UTC: "today" is the bureau's.
    with time_machine.travel("2025-12-31 23:30 +0800", tick=False):
        yield


def test_today_and_a_date_left_empty_pass():
    not_future(TODAY, field="served_on", label="送达日期")
    not_future(None, field="served_on", label="送达日期")


def test_tomorrow_is_refused_beside_its_field():
    with pytest.raises(ValidationError) as exc:
        not_future(dt.date(2026, 1, 1), field="served_on", label="送达日期")
    assert exc.value.message_dict == {
        "served_on": ["送达日期不能晚于今天（2025-12-31）"]}


def test_date_check_says_the_same_for_a_recorded_date():
    with pytest.raises(ValidationError) as exc:
        date_check(dt.date(2026, 1, 1), field="on", label="日期")
    assert exc.value.message_dict == {"on": ["日期不能晚于今天（2025-12-31）"]}
    assert date_check(dt.date(2026, 1, 1), field="on", label="日期",
                      future_days=30) == dt.date(2026, 1, 1)


def test_a_moment_is_dated_by_the_bureaus_calendar_not_utc():
    # 15:30 UTC on 31 Dec is 23:30 in Beijing: still today. 16:30 UTC is tomorrow
    # there, though UTC still says 31 Dec.
    today = dt.datetime(2025, 12, 31, 15, 30, tzinfo=dt.UTC)
    assert date_check(today, field="at", label="记录时间") == TODAY
    not_future(today, field="at", label="记录时间")
    with pytest.raises(ValidationError) as exc:
        not_future(dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC),
                   field="at", label="记录时间")
    assert exc.value.message_dict == {"at": ["记录时间不能晚于今天（2025-12-31）"]}

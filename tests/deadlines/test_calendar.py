"""The working-day calendar against the State Council's 2025 and 2026 arrangements.

Expected dates are counted by hand from the State Council holiday notices for 2025
and 2026, as the chinesecalendar package carries them.
"""

from datetime import date

import pytest

from fazhi.deadlines.calendar import (
    MissingHolidayData,
    WorkCalendar,
    YearOverride,
    estimated_working_day,
    package_years,
)

CAL = WorkCalendar.build()
MISSING = package_years()[-1] + 1  # the first year the package has no data for


def days(first: date, last: date) -> list[date]:
    return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]


def override(year: int, holidays=(), workdays=()) -> YearOverride:
    return YearOverride(year, frozenset(holidays), frozenset(workdays), "测试通知")


def test_spring_festival_2025_is_off_from_january_28_to_february_4():
    assert not any(
        CAL.is_working_day(d) for d in days(date(2025, 1, 28), date(2025, 2, 4))
    )
    assert CAL.is_working_day(date(2025, 1, 27))
    assert CAL.is_working_day(date(2025, 2, 5))


def test_spring_festival_2025_make_up_sunday_and_saturday_are_working_days():
    assert CAL.is_working_day(date(2025, 1, 26))  # Sunday
    assert CAL.is_working_day(date(2025, 2, 8))  # Saturday
    assert not CAL.is_working_day(date(2025, 2, 9))  # an ordinary Sunday


def test_spring_festival_2026_is_off_from_february_15_to_23_with_two_make_up_saturdays():
    assert not any(
        CAL.is_working_day(d) for d in days(date(2026, 2, 15), date(2026, 2, 23))
    )
    assert CAL.is_working_day(date(2026, 2, 14))
    assert CAL.is_working_day(date(2026, 2, 28))
    assert CAL.is_working_day(date(2026, 2, 24))


def test_labour_day_2025_and_2026():
    assert not any(
        CAL.is_working_day(d) for d in days(date(2025, 5, 1), date(2025, 5, 5))
    )
    assert CAL.is_working_day(date(2025, 4, 27))  # Sunday make-up
    assert not any(
        CAL.is_working_day(d) for d in days(date(2026, 5, 1), date(2026, 5, 5))
    )
    assert CAL.is_working_day(date(2026, 5, 9))  # Saturday make-up


def test_national_day_2025_is_off_from_october_1_to_8():
    assert not any(
        CAL.is_working_day(d) for d in days(date(2025, 10, 1), date(2025, 10, 8))
    )
    assert CAL.is_working_day(date(2025, 9, 28))  # Sunday make-up
    assert CAL.is_working_day(date(2025, 10, 11))  # Saturday make-up
    assert not CAL.is_working_day(date(2025, 10, 12))


def test_national_day_2026_is_off_from_october_1_to_7_after_mid_autumn():
    assert not any(
        CAL.is_working_day(d) for d in days(date(2026, 9, 25), date(2026, 9, 27))
    )
    assert not any(
        CAL.is_working_day(d) for d in days(date(2026, 10, 1), date(2026, 10, 7))
    )
    assert CAL.is_working_day(date(2026, 9, 20))  # Sunday make-up
    assert CAL.is_working_day(date(2026, 10, 10))  # Saturday make-up
    assert CAL.is_working_day(date(2026, 10, 8))


def test_nth_working_day_crosses_the_year_end_onto_a_make_up_sunday():
    # Dec 31 (1); Jan 1-3 off; Jan 4, a Sunday make-up day (2).
    assert CAL.nth_working_day_after(date(2025, 12, 30), 2) == date(2026, 1, 4)


def test_nth_working_day_after_the_last_day_of_january_2025_skips_the_festival():
    assert CAL.nth_working_day_after(date(2025, 1, 31), 1) == date(2025, 2, 5)


def test_zeroth_working_day_is_the_start_itself():
    assert CAL.nth_working_day_after(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_working_days_between_excludes_the_first_day_and_includes_the_last():
    # (Dec 31, Jan 5]: Jan 1-3 off, Jan 4 make-up, Jan 5 Monday.
    assert CAL.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2
    # Month end: Feb 28 (Fri) and Mar 3 (Mon).
    assert CAL.working_days_between(date(2025, 2, 27), date(2025, 3, 3)) == 2


def test_working_days_between_is_negative_backwards():
    assert CAL.working_days_between(date(2026, 1, 5), date(2025, 12, 31)) == -2
    assert CAL.working_days_between(date(2025, 6, 3), date(2025, 6, 3)) == 0


def test_working_day_on_or_after_keeps_a_working_day_and_moves_a_holiday():
    assert CAL.working_day_on_or_after(date(2025, 10, 11)) == date(2025, 10, 11)
    assert CAL.working_day_on_or_after(date(2025, 10, 3)) == date(2025, 10, 9)


def test_covered_years_come_from_the_package_data():
    assert CAL.covers(2025) and CAL.covers(2026)
    assert CAL.covered_years == tuple(package_years())
    assert not CAL.covers(MISSING)


def test_a_year_without_data_is_refused_with_its_year_named():
    with pytest.raises(MissingHolidayData) as caught:
        CAL.is_working_day(date(MISSING, 3, 1))
    assert caught.value.year == MISSING
    assert f"缺少{MISSING}年的节假日安排数据" in str(caught.value)


def test_counting_into_a_year_without_data_is_refused():
    with pytest.raises(MissingHolidayData) as caught:
        CAL.nth_working_day_after(date(MISSING - 1, 12, 20), 10)
    assert caught.value.year == MISSING


def test_an_override_makes_a_missing_year_covered():
    cal = WorkCalendar.build([override(MISSING, holidays=[date(MISSING, 1, 1)])])
    assert cal.covers(MISSING)
    assert cal.is_working_day(date(MISSING, 1, 1)) is False
    assert cal.estimated_years(date(MISSING - 1, 12, 1), date(MISSING, 6, 1)) == ()


def test_an_override_replaces_the_package_for_its_year():
    cal = WorkCalendar.build(
        [override(2026, holidays=[date(2026, 1, 5)], workdays=[date(2026, 1, 10)])]
    )
    assert cal.is_working_day(date(2026, 1, 1))  # the package's holiday is gone
    assert not cal.is_working_day(date(2026, 1, 4))  # and so is its make-up Sunday
    assert not cal.is_working_day(date(2026, 1, 5))
    assert cal.is_working_day(date(2026, 1, 10))  # a Saturday made a working day
    assert cal.is_working_day(date(2026, 2, 16))  # days it does not list are ordinary
    assert not cal.is_working_day(date(2025, 10, 1))  # other years keep the package


def test_a_gap_year_between_package_and_override_years_is_refused():
    later = MISSING + 1
    cal = WorkCalendar.build([override(later)])
    assert cal.covers(later) and not cal.covers(MISSING)
    assert cal.working_days_between(date(later, 3, 1), date(later, 3, 31)) > 0
    with pytest.raises(MissingHolidayData) as caught:
        cal.working_days_between(date(MISSING - 1, 12, 1), date(later, 1, 10))
    assert caught.value.year == MISSING


def test_provisional_calendar_estimates_a_plain_week_of_a_missing_year_by_weekends():
    cal = WorkCalendar.build(provisional=True)
    week = days(date(MISSING, 3, 1), date(MISSING, 3, 7))
    assert [cal.is_working_day(d) for d in week] == [d.weekday() < 5 for d in week]
    assert cal.estimated_years(date(MISSING - 1, 12, 1), date(MISSING, 2, 1)) == (
        MISSING,
    )
    assert cal.estimated_years(date(2025, 1, 1), date(2025, 12, 31)) == ()


def test_provisional_calendar_still_refuses_past_its_horizon():
    cal = WorkCalendar.build(provisional=True)
    far = cal.last_day.year + 1
    with pytest.raises(MissingHolidayData) as caught:
        cal.is_working_day(date(far, 6, 1))
    assert caught.value.year == far


def test_an_override_may_not_list_a_day_of_another_year():
    with pytest.raises(ValueError, match="其他年份"):
        override(2027, holidays=[date(2026, 12, 31)])


def test_an_override_may_not_make_a_day_both_off_and_working():
    with pytest.raises(ValueError, match="既是放假日又是调休上班日"):
        override(2027, holidays=[date(2027, 2, 6)], workdays=[date(2027, 2, 6)])


def test_two_overrides_for_one_year_are_refused():
    with pytest.raises(ValueError, match="不止一份"):
        WorkCalendar.build([override(MISSING), override(MISSING)])


def test_dates_before_the_package_data_are_refused():
    first = package_years()[0]
    with pytest.raises(MissingHolidayData) as caught:
        CAL.working_days_between(date(first - 1, 12, 1), date(first, 1, 10))
    assert caught.value.year == first - 1


# Estimates past the entered years skip the statutory holidays fixed to a date
# (全国年节及纪念日放假办法 第二条: 元旦 1 Jan; 劳动节 1–2 May; 国庆节 1–3 Oct).
# Days of the week checked on a printed calendar: 2027-01-01 and 2027-10-01 are
# Fridays, 2028-05-01 a Monday, 2028-10-01 a Sunday.


@pytest.mark.parametrize(("day", "working"), [
    (date(2027, 1, 1), False),   # 元旦, a Friday
    (date(2027, 1, 4), True),    # the Monday after
    (date(2028, 5, 1), False),   # 劳动节, Monday
    (date(2028, 5, 2), False),   # 劳动节, Tuesday
    (date(2028, 5, 3), True),
    (date(2027, 10, 1), False),  # 国庆节, Friday
    (date(2028, 10, 2), False),  # 国庆节 second day, Monday
    (date(2028, 10, 3), False),  # third day, Tuesday
    (date(2028, 10, 4), True),   # Wednesday: the lunar and make-up days are not guessed
    (date(2028, 10, 7), False),  # a Saturday
])
def test_an_estimate_skips_weekends_and_the_fixed_date_holidays(day, working):
    assert estimated_working_day(day) is working


@pytest.mark.skipif(MISSING != 2027, reason="counted by hand for 2027 without data")
def test_a_reply_from_7_december_2026_is_estimated_past_new_years_day():
    cal = WorkCalendar.build(provisional=True)
    # 2026-12-08 … 12-31 are 18 working days (no holiday in December); 2027-01-01
    # (Friday) is 元旦, so the 19th is Monday 4 January and the 20th Tuesday 5 January.
    assert cal.nth_working_day_after(date(2026, 12, 7), 20) == date(2027, 1, 5)
    assert cal.estimated_years(date(2026, 12, 7), date(2027, 1, 5)) == (2027,)
    # A calendar-day period ending on 1 October moves past the three days of 国庆节
    # and the weekend: Friday 1, Saturday 2, Sunday 3 → Monday 4 October.
    assert cal.working_day_on_or_after(date(2027, 10, 1)) == date(2027, 10, 4)

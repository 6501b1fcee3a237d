"""Due dates, pauses, extensions and clocks, each expected date counted by hand.

2025: Spring Festival Jan 28-Feb 4 (make-up Sun Jan 26, Sat Feb 8); Labour Day
May 1-5 (make-up Sun Apr 27); National Day Oct 1-8 (make-up Sun Sep 28, Sat Oct 11).
2026: New Year Jan 1-3 (make-up Sun Jan 4); Spring Festival Feb 15-23 (make-up
Sat Feb 14, Sat Feb 28); Labour Day May 1-5 (make-up Sat May 9); Mid-Autumn
Sep 25-27 and National Day Oct 1-7 (make-up Sun Sep 20, Sat Oct 10).
"""

from datetime import date

import pytest

from fazhi.deadlines.calendar import (
    MissingHolidayData,
    WorkCalendar,
    YearOverride,
    package_years,
)
from fazhi.deadlines.engine import (
    DeadlineError,
    ExtensionTooLong,
    Pause,
    PauseOutsidePeriod,
    clock_status,
    clock_statuses,
    compute_due,
    compute_due_dates,
    compute_due_fast,
    working_days_left,
)
from fazhi.deadlines.rules import load_rules

CAL = WorkCalendar.build()
RULES = load_rules()
MISSING = package_years()[-1] + 1


def due(rule_id: str, start: date, cal: WorkCalendar = CAL, **kwargs) -> date:
    return compute_due(RULES[rule_id], start, cal, **kwargs).due


# --- working-day periods -----------------------------------------------------------


def test_reply_due_skips_national_day_2025():
    # Oct 9 (1), Oct 10 (2), Sat Oct 11 make-up (3), Oct 13-17 (4-8), Oct 20-24
    # (9-13), Oct 27-31 (14-18), Nov 3 (19), Nov 4 (20).
    assert due("disclosure.reply", date(2025, 9, 30)) == date(2025, 11, 4)


def test_reconsideration_reply_counts_both_spring_festival_2025_make_up_days():
    # Sun Jan 26 (1), Jan 27 (2), Feb 5-7 (3-5), Sat Feb 8 (6), Feb 10-13 (7-10).
    assert due("reconsideration.reply", date(2025, 1, 24)) == date(2025, 2, 13)


def test_permit_decision_crosses_spring_festival_2026():
    # Feb 11-13 (1-3), Sat Feb 14 (4), Feb 24-27 (5-8), Sat Feb 28 (9),
    # Mar 2-6 (10-14), Mar 9-13 (15-19), Mar 16 (20).
    assert due("permit.decision", date(2026, 2, 10)) == date(2026, 3, 16)


def test_service_deadline_skips_labour_day_2025():
    # Sun Apr 27 (1), Apr 28-30 (2-4), May 6-8 (5-7).
    assert due("penalty.service", date(2025, 4, 25)) == date(2025, 5, 8)


def test_certificate_deadline_counts_the_labour_day_2026_make_up_saturday():
    # Apr 29-30 (1-2), May 6-8 (3-5), Sat May 9 (6), May 11-14 (7-10).
    assert due("permit.certificate", date(2026, 4, 28)) == date(2026, 5, 14)


def test_reconsideration_reply_crosses_mid_autumn_and_national_day_2026():
    # Sun Sep 20 (1), Sep 21-24 (2-5), Sep 28-30 (6-8), Oct 8-9 (9-10).
    assert due("reconsideration.reply", date(2026, 9, 18)) == date(2026, 10, 9)


def test_hearing_request_window_crosses_the_year_end():
    # Dec 30-31 (1-2), Sun Jan 4 make-up (3), Jan 5-6 (4-5).
    assert due("penalty.hearing_request", date(2025, 12, 29)) == date(2026, 1, 6)


# --- calendar-day periods ----------------------------------------------------------


def test_reconsideration_decision_ending_in_national_day_moves_to_october_9():
    # Aug 4 + 60 days = Oct 3, a holiday; the next working day is Thu Oct 9.
    assert due("reconsideration.decision", date(2025, 8, 4)) == date(2025, 10, 9)


def test_defence_period_ending_on_october_8_2025_moves_to_october_9():
    assert due("litigation.defence", date(2025, 9, 23)) == date(2025, 10, 9)


def test_calendar_day_period_may_end_on_a_make_up_saturday():
    # Oct 1 + 10 days = Sat Oct 11, an official working day: no move.
    assert due("litigation.appeal_ruling", date(2025, 10, 1)) == date(2025, 10, 11)


def test_calendar_day_period_ending_on_an_ordinary_saturday_moves_to_monday():
    # Mar 7 + 15 = Sat Mar 22 -> Mon Mar 24.
    assert due("litigation.appeal_judgment", date(2025, 3, 7)) == date(2025, 3, 24)


def test_fine_payment_from_a_month_end_moves_off_the_weekend():
    # Jan 31 + 15 = Sat Feb 15 -> Mon Feb 17.
    assert due("penalty.fine_payment", date(2025, 1, 31)) == date(2025, 2, 17)


def test_case_period_crosses_the_year_end():
    # Nov 15 + 90: Nov 30 (15), Dec 31 (46), Jan 31 (77), Feb 13 (90), a Friday.
    assert due("penalty.case", date(2025, 11, 15)) == date(2026, 2, 13)


def test_case_period_ending_in_spring_festival_2026_moves_to_february_24():
    # Nov 17 + 90 = Sun Feb 15, first day of the festival; Feb 15-23 are off.
    assert due("penalty.case", date(2025, 11, 17)) == date(2026, 2, 24)


# --- pauses ------------------------------------------------------------------------


def test_a_pause_adds_the_working_days_inside_it():
    pause = Pause(date(2025, 10, 13), date(2025, 10, 17), "征求第三方意见")
    # Nov 4 plus the 5 working days of the pause: Nov 5-7, 10-11.
    assert due("disclosure.reply", date(2025, 9, 30), pauses=[pause]) == date(
        2025, 11, 11
    )


def test_overlapping_pauses_are_counted_once():
    pauses = [
        Pause(date(2025, 10, 13), date(2025, 10, 15)),
        Pause(date(2025, 10, 14), date(2025, 10, 17)),
    ]
    assert due("disclosure.reply", date(2025, 9, 30), pauses=pauses) == date(
        2025, 11, 11
    )


def test_a_pause_covering_the_start_counts_only_the_days_after_it():
    # Only Oct 1-10 can be excluded; their working days are Oct 9 and 10.
    pause = Pause(date(2025, 9, 29), date(2025, 10, 10))
    assert due("disclosure.reply", date(2025, 9, 30), pauses=[pause]) == date(
        2025, 11, 6
    )


def test_a_pause_reaching_past_the_original_due_date():
    # 18 working days run by Oct 31; Nov 3-14 are paused; then Nov 17 (19), Nov 18 (20).
    pause = Pause(date(2025, 11, 3), date(2025, 11, 14))
    assert due("disclosure.reply", date(2025, 9, 30), pauses=[pause]) == date(
        2025, 11, 18
    )


def test_a_pause_over_a_weekend_does_not_move_a_working_day_period():
    pause = Pause(date(2025, 10, 18), date(2025, 10, 19))
    assert due("disclosure.reply", date(2025, 9, 30), pauses=[pause]) == date(
        2025, 11, 4
    )


def test_a_pause_after_the_original_but_before_the_extended_due_date_counts():
    # Extended by 5: Nov 5-7, 10-11 -> Nov 11; pausing Mon Nov 10 adds one: Nov 12.
    pause = Pause(date(2025, 11, 10), date(2025, 11, 10))
    result = due("disclosure.reply", date(2025, 9, 30), pauses=[pause], extension=5)
    assert result == date(2025, 11, 12)


def test_pauses_are_taken_in_date_order_whatever_order_they_come_in():
    late = Pause(date(2025, 11, 10), date(2025, 11, 10))
    early = Pause(date(2025, 10, 13), date(2025, 10, 17))
    # Nov 4 + 5 (early) = Nov 11, which reaches the late pause: + 1 = Nov 12.
    assert due("disclosure.reply", date(2025, 9, 30), pauses=[late, early]) == date(
        2025, 11, 12
    )


def test_a_correction_pause_from_the_day_after_receipt_restarts_the_count():
    # OGI Art. 30: counted afresh from Mon Oct 20, when the corrected request came:
    # Oct 21-24 (4), Oct 27-31 (9), Nov 3-7 (14), Nov 10-14 (19), Nov 17 (20).
    pause = Pause(date(2025, 10, 1), date(2025, 10, 20), "补正")
    assert due("disclosure.reply", date(2025, 9, 30), pauses=[pause]) == date(
        2025, 11, 17
    )
    assert due("disclosure.reply", date(2025, 10, 20)) == date(2025, 11, 17)


def test_a_calendar_day_pause_excludes_every_day_in_it():
    # Aug 4 + 60 = Oct 3; a 10-day suspension Aug 10-19 gives Mon Oct 13.
    pause = Pause(date(2025, 8, 10), date(2025, 8, 19), "中止")
    assert due("reconsideration.decision", date(2025, 8, 4), pauses=[pause]) == date(
        2025, 10, 13
    )


def test_a_pause_beginning_after_the_due_date_is_refused():
    pause = Pause(date(2025, 11, 5), date(2025, 11, 6))
    with pytest.raises(PauseOutsidePeriod, match="2025-11-04"):
        due("disclosure.reply", date(2025, 9, 30), pauses=[pause])


def test_a_pause_ending_on_the_start_day_is_refused():
    with pytest.raises(PauseOutsidePeriod):
        due(
            "disclosure.reply",
            date(2025, 9, 30),
            pauses=[Pause(date(2025, 9, 25), date(2025, 9, 30))],
        )


def test_a_pause_ending_before_it_begins_is_refused():
    with pytest.raises(PauseOutsidePeriod, match="早于开始日"):
        due(
            "disclosure.reply",
            date(2025, 9, 30),
            pauses=[Pause(date(2025, 10, 20), date(2025, 10, 13))],
        )


# --- extensions --------------------------------------------------------------------


def test_reply_extended_by_the_full_twenty_working_days():
    # Nov 4 + 20: Nov 5-7 (3), 10-14 (8), 17-21 (13), 24-28 (18), Dec 1-2 (20).
    assert due("disclosure.reply", date(2025, 9, 30), extension=20) == date(2025, 12, 2)


def test_calendar_day_extension_adds_days_then_moves_off_the_weekend():
    # Aug 4 + 90 = Sun Nov 2 -> Mon Nov 3.
    assert due("reconsideration.decision", date(2025, 8, 4), extension=30) == date(
        2025, 11, 3
    )


def test_an_extension_beyond_the_cap_names_the_cap_and_the_article():
    with pytest.raises(ExtensionTooLong) as caught:
        due("disclosure.reply", date(2025, 9, 30), extension=21)
    assert "20个工作日" in str(caught.value) and "第三十三条" in str(caught.value)


def test_a_rule_without_extension_refuses_any():
    with pytest.raises(ExtensionTooLong, match="不得延长"):
        due("penalty.service", date(2025, 4, 25), extension=1)


def test_a_negative_extension_is_refused():
    with pytest.raises(DeadlineError):
        due("disclosure.reply", date(2025, 9, 30), extension=-1)


# --- missing years, overrides, provisional ----------------------------------------


def test_a_period_reaching_a_year_without_data_raises_missing_holiday_data():
    with pytest.raises(MissingHolidayData) as caught:
        due("penalty.case", date(MISSING - 1, 12, 1))
    assert caught.value.year == MISSING


def test_an_override_for_the_missing_year_gives_an_exact_due_date():
    notice = YearOverride(MISSING, frozenset(), frozenset(), "测试通知")
    cal = WorkCalendar.build([notice])
    result = compute_due(RULES["penalty.case"], date(MISSING - 1, 12, 1), cal)
    assert not result.provisional
    assert cal.is_working_day(result.due)


def test_an_override_replacing_2025_drops_the_package_holidays():
    # With no holidays in 2025, Oct 1-3 (3), 6-10 (8), 13-17 (13), 20-24 (18), 27-28.
    cal = WorkCalendar.build([YearOverride(2025, frozenset(), frozenset(), "测试")])
    assert due("disclosure.reply", date(2025, 9, 30), cal) == date(2025, 10, 28)


def test_provisional_mode_estimates_and_says_so():
    cal = WorkCalendar.build(provisional=True)
    result = compute_due(RULES["disclosure.reply"], date(MISSING - 1, 12, 25), cal)
    assert result.provisional
    assert any("估算" in step and f"{MISSING}年" in step for step in result.steps)
    assert result.due.weekday() < 5


def test_provisional_mode_leaves_covered_years_exact():
    cal = WorkCalendar.build(provisional=True)
    result = compute_due(RULES["disclosure.reply"], date(2025, 9, 30), cal)
    assert not result.provisional
    assert result.due == date(2025, 11, 4)


# --- explanation -------------------------------------------------------------------


def test_steps_name_the_rule_law_article_and_the_counting():
    steps = compute_due(RULES["disclosure.reply"], date(2025, 9, 30), CAL).steps
    text = "\n".join(steps)
    assert "政府信息公开条例" in text and "第三十三条" in text
    assert "当日不计入" in text and "第20个工作日" in text
    assert steps[-1] == "截止日期：2025-11-04（星期二）。"


def test_steps_explain_each_pause_and_the_move_off_a_holiday():
    pause = Pause(date(2025, 8, 10), date(2025, 8, 19), "中止")
    steps = compute_due(
        RULES["reconsideration.decision"], date(2025, 8, 4), CAL, pauses=[pause]
    ).steps
    assert any("中止" in s and "共10日" in s for s in steps)
    moved = compute_due(RULES["reconsideration.decision"], date(2025, 8, 4), CAL).steps
    assert any("顺延" in s and "2025-10-09" in s for s in moved)


def test_steps_state_the_extension():
    steps = compute_due(
        RULES["permit.decision"], date(2026, 2, 10), CAL, extension=10
    ).steps
    assert any("延长10个工作日" in s for s in steps)


# --- fast paths --------------------------------------------------------------------


def test_batch_due_dates_equal_single_ones():
    starts = [
        date(2025, 9, 30),
        date(2025, 1, 24),
        date(2025, 11, 17),
        date(2026, 2, 10),
    ]
    for rule_id in ("disclosure.reply", "penalty.case", "permit.decision"):
        rule = RULES[rule_id]
        expected = [compute_due(rule, s, CAL).due for s in starts]
        assert compute_due_dates(rule, starts, CAL) == expected


def test_batch_raises_for_a_start_that_reaches_a_missing_year():
    starts = [date(2025, 9, 30), date(MISSING - 1, 12, 1)]
    with pytest.raises(MissingHolidayData):
        compute_due_dates(RULES["penalty.case"], starts, CAL)


def test_fast_due_date_matches_the_explained_one():
    pause = Pause(date(2025, 10, 13), date(2025, 10, 17))
    rule = RULES["disclosure.reply"]
    fast = compute_due_fast(rule, date(2025, 9, 30), CAL, pauses=[pause], extension=3)
    slow = compute_due(rule, date(2025, 9, 30), CAL, pauses=[pause], extension=3)
    assert fast == slow.due


# --- clocks ------------------------------------------------------------------------


def test_working_days_left_counts_after_today_up_to_the_due_date():
    assert working_days_left(CAL, date(2025, 9, 30), date(2025, 10, 9)) == 1


def test_working_days_left_is_negative_when_overdue():
    # Past Oct 9: Fri Oct 10, Sat Oct 11 (make-up), Mon Oct 13.
    assert working_days_left(CAL, date(2025, 10, 13), date(2025, 10, 9)) == -3


def test_clock_turns_yellow_at_the_rule_threshold_and_red_after_the_due_date():
    due_day = date(2025, 10, 10)  # two working days after Sep 30: Oct 9 and 10
    status = {
        y: clock_status(
            today=date(2025, 9, 30), due=due_day, yellow_days=y, calendar=CAL
        )
        for y in (1, 2)
    }
    assert status == {1: "green", 2: "yellow"}
    on_due = clock_status(today=due_day, due=due_day, yellow_days=0, calendar=CAL)
    assert on_due == "yellow"
    after = clock_status(
        today=date(2025, 10, 11), due=due_day, yellow_days=3, calendar=CAL
    )
    assert after == "red"


def test_batch_clock_statuses_agree_with_single_ones():
    today = date(2025, 9, 26)
    dues = [date.fromordinal(today.toordinal() + k) for k in range(-3, 40)]
    batch = clock_statuses(today=today, dues=dues, yellow_days=3, calendar=CAL)
    single = [
        clock_status(today=today, due=d, yellow_days=3, calendar=CAL) for d in dues
    ]
    assert batch == single

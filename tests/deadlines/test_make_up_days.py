"""A party's period that ends on a weekend make-up working day (调休上班日), and the
words the explanation says about it; every date counted by hand from the
State Council arrangement the package ships.

2025 National Day: Oct 1-8 off; Sun Sep 28 and Sat Oct 11 are make-up working days.
2026 Spring Festival: Feb 15-23 off; Sat Feb 14 and Sat Feb 28 are make-up days.
"""

from datetime import date

from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.engine import compute_due, is_make_up_day, party_last_day
from fazhi.deadlines.rules import load_rules

CAL = WorkCalendar.build()
RULES = load_rules()


def test_a_party_period_ending_on_a_make_up_saturday_ends_that_day():
    # The fine is due 15 days after service (行政处罚法 Art. 67(3)), a party's period.
    # Served Fri 2025-09-26: the day of service is not counted; 09-26 + 15 days
    # = Sat 2025-10-11, a make-up working day, so the period ends that Saturday:
    # it is not moved, as a holiday or rest day would be (民法典 Art. 203).
    result = compute_due(RULES["penalty.fine_payment"], date(2025, 9, 26), CAL)
    assert result.due == date(2025, 10, 11)
    assert is_make_up_day(result.due, CAL)
    # The next working day after it: Sun 10-12 is a rest day, so Mon 2025-10-13.
    assert party_last_day(result.due, CAL) == date(2025, 10, 13)
    text = "\n".join(result.steps)
    assert "2025-10-11（星期六）是调休上班日" in text
    assert "2025-10-13（星期一）办理的，本局不按逾期对待" in text
    # 民事诉讼法 Art. 85(4): the time in the post is not counted.
    assert "截止日当天或之前交邮，就不算逾期" in text
    assert "民事诉讼法第八十五条第四款" in text
    assert result.steps[-1] == "截止日期：2025-10-11（星期六）。"


def test_a_make_up_saturday_before_the_spring_festival_2026():
    # Served Fri 2026-01-30: + 15 days = Sat 2026-02-14, a make-up working day
    # (the festival's days off start Sun 02-15). The period ends on 02-14; the next
    # working day is after Feb 15-23 off: Tue 2026-02-24.
    due = compute_due(RULES["penalty.fine_payment"], date(2026, 1, 30), CAL).due
    assert due == date(2026, 2, 14)
    assert party_last_day(due, CAL) == date(2026, 2, 24)


def test_an_ordinary_weekday_end_needs_no_grace_and_says_only_the_post():
    # Served Mon 2025-09-15: + 15 days = Tue 2025-09-30, an ordinary working day.
    result = compute_due(RULES["penalty.fine_payment"], date(2025, 9, 15), CAL)
    assert result.due == party_last_day(result.due, CAL) == date(2025, 9, 30)
    text = "\n".join(result.steps)
    assert "调休上班日" not in text.replace("调休上班日计为工作日", "")
    assert "交邮" in text


def test_the_bureaus_own_period_on_a_make_up_day_gets_no_party_words():
    # The disclosure reply is the bureau's duty: nothing is said of a party's grace.
    result = compute_due(RULES["disclosure.reply"], date(2025, 9, 30), CAL)
    assert "本局不按逾期对待" not in "\n".join(result.steps)
    assert "交邮" not in "\n".join(result.steps)


def test_explanations_are_in_staff_words():
    for start in (date(2025, 9, 26), date(2025, 9, 15)):
        text = "\n".join(compute_due(RULES["penalty.fine_payment"], start, CAL).steps)
        assert "penalty.fine_payment" not in text and "provisional" not in text
        assert "UNCONFIRMED" not in text

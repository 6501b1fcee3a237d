"""Late-payment surcharge: 3% a day after the due date, capped at the fine."""

from datetime import date
from decimal import Decimal

import pytest

from fazhi.enforcement.cases.surcharge import (
    FILE_NAME,
    RULES_DIR,
    SurchargeError,
    late_surcharge,
    load_surcharge_rule,
)

FINE = Decimal(10000)
DUE = date(2026, 3, 2)


def surcharge(**kwargs):
    args = {"fine_yuan": FINE, "due": DUE, "paid_on": None, "as_of": DUE}
    return late_surcharge(**{**args, **kwargs})


def test_paid_on_the_due_date_costs_nothing():
    result = surcharge(paid_on=DUE, as_of=date(2026, 4, 1))
    assert (result.days, result.amount_yuan, result.capped) == (0, Decimal(0), False)


def test_paid_before_the_due_date_costs_nothing():
    result = surcharge(paid_on=date(2026, 2, 20), as_of=date(2026, 3, 10))
    assert result.days == 0
    assert result.amount_yuan == 0


def test_days_run_from_the_day_after_due_to_the_payment_day():
    result = surcharge(paid_on=date(2026, 3, 12), as_of=date(2026, 4, 1))
    assert result.days == 10
    assert result.daily_yuan == Decimal(300)
    assert result.amount_yuan == Decimal("3000.00")


def test_unpaid_fine_counts_to_as_of():
    result = surcharge(as_of=date(2026, 3, 3))
    assert result.days == 1
    assert result.amount_yuan == Decimal("300.00")


def test_calendar_days_include_the_national_day_holiday():
    result = surcharge(due=date(2026, 9, 30), as_of=date(2026, 10, 8))
    assert result.days == 8


def test_cap_is_reached_on_the_34th_day_and_never_exceeded():
    before = surcharge(as_of=date(2026, 4, 4))
    at_cap = surcharge(as_of=date(2026, 4, 5))
    long_after = surcharge(as_of=date(2027, 3, 2))
    assert (before.days, before.amount_yuan, before.capped) == (33, 9900, False)
    assert (at_cap.days, at_cap.amount_yuan, at_cap.capped) == (34, FINE, True)
    assert long_after.amount_yuan == FINE
    assert long_after.capped


def test_reconsideration_period_is_not_counted():
    pending = [(date(2026, 3, 5), date(2026, 3, 9))]
    result = surcharge(as_of=date(2026, 3, 12), suspended=pending)
    assert result.overdue_days == 10
    assert result.suspended_days == 5
    assert result.days == 5
    assert any("第七十三条第三款" in step for step in result.steps)


def test_overlapping_suspensions_exclude_each_day_once():
    pending = [
        (date(2026, 3, 5), date(2026, 3, 9)),
        (date(2026, 3, 8), date(2026, 3, 10)),
        (date(2026, 2, 1), date(2026, 3, 3)),
    ]
    result = surcharge(as_of=date(2026, 3, 12), suspended=pending)
    assert result.suspended_days == 1 + 6  # 3-3 (clipped), then 3-5 … 3-10 merged
    assert result.days == 10 - 7


def test_suspension_after_payment_is_ignored():
    pending = [(date(2026, 4, 1), date(2026, 5, 1))]
    result = surcharge(
        paid_on=date(2026, 3, 6), as_of=date(2026, 6, 1), suspended=pending
    )
    assert result.days == 4


def test_amount_is_rounded_half_up_to_the_fen():
    result = surcharge(fine_yuan=Decimal("1234.56"), as_of=date(2026, 3, 3))
    assert result.amount_yuan == Decimal("37.04")  # 1234.56 × 3% = 37.0368


def test_steps_cite_article_72_and_state_calendar_days():
    steps = "\n".join(surcharge(as_of=date(2026, 3, 10)).steps)
    assert "第七十二条第一款第一项" in steps
    assert "日历日" in steps
    assert "第四十五条" in steps


def test_payment_after_as_of_is_refused():
    with pytest.raises(SurchargeError, match="晚于计算日期"):
        surcharge(paid_on=date(2026, 3, 20), as_of=date(2026, 3, 10))


def test_fine_must_be_a_positive_decimal():
    with pytest.raises(SurchargeError, match="Decimal"):
        surcharge(fine_yuan=100.0)
    with pytest.raises(SurchargeError, match="大于0"):
        surcharge(fine_yuan=Decimal(0))


def test_suspension_ending_before_it_starts_is_refused():
    with pytest.raises(SurchargeError, match="早于开始日"):
        surcharge(
            as_of=date(2026, 4, 1), suspended=[(date(2026, 3, 9), date(2026, 3, 5))]
        )


def test_override_file_changes_rounding_without_code(tmp_path):
    text = (RULES_DIR / FILE_NAME).read_text(encoding="utf-8")
    (tmp_path / FILE_NAME).write_text(
        text.replace('rounding = "fen"', 'rounding = "yuan"'), encoding="utf-8"
    )
    rule = load_surcharge_rule([tmp_path])
    assert load_surcharge_rule().rounding == "fen"
    result = surcharge(fine_yuan=Decimal("1234.56"), as_of=date(2026, 3, 3), rule=rule)
    assert result.amount_yuan == Decimal(37)

"""Year-on-year change in the words a report uses: percentage points for rates,
percent and amount for counts and sums, 持平, and — when a side is missing."""

from __future__ import annotations

from decimal import Decimal

from fazhi.reports.compare import format_value, rate_percent, year_on_year


def test_a_rate_changes_in_percentage_points():
    assert year_on_year("rate", "%", Decimal("20"), Decimal("17.5")).text == \
        "上升2.5个百分点"
    assert year_on_year("rate", "%", Decimal("10"), Decimal("15.2")).text == \
        "下降5.2个百分点"


def test_a_rate_change_under_half_a_tenth_of_a_point_is_level():
    assert year_on_year("rate", "%", Decimal("15.24"), Decimal("15.2")).text == "持平"


def test_a_count_changes_in_percent_and_in_matters():
    change = year_on_year("count", "件", 9, 8)
    assert change.text == "增长12.5%（增加1件）"
    assert change.delta == 1 and change.percent == Decimal("12.5")
    assert year_on_year("count", "件", 5, 8).text == "下降37.5%（减少3件）"


def test_a_count_up_from_nothing_is_stated_as_an_amount_only():
    change = year_on_year("count", "件", 3, 0)
    assert change.text == "增加3件" and change.percent is None


def test_a_sum_keeps_its_cents_and_unit():
    assert year_on_year("sum", "元", Decimal("3000.50"), Decimal("2000")).text == \
        "增长50.0%（增加1000.50元）"


def test_equal_figures_are_level():
    assert year_on_year("count", "件", 4, 4).text == "持平"
    assert year_on_year("rate", "%", Decimal("50"), Decimal("50")).text == "持平"


def test_a_missing_side_is_a_dash_never_a_guess():
    for kind in ("count", "sum", "rate", "average"):
        assert year_on_year(kind, "件", None, 3).text == "—"
        assert year_on_year(kind, "件", 3, None).text == "—"
        assert year_on_year(kind, "件", None, 3).delta is None


def test_a_tiny_percentage_of_a_large_base_is_stated_as_the_amount():
    assert year_on_year("count", "件", 100001, 100000).text == "增加1件"


def test_rate_percent_is_four_places_and_none_without_a_denominator():
    assert rate_percent(1, 3) == Decimal("33.3333")
    assert rate_percent(0, 0) is None
    assert rate_percent(2, 2) == Decimal("100")


def test_figures_are_written_as_a_report_writes_them():
    assert format_value(12, "件") == "12件"
    assert format_value(Decimal("3000.00"), "元", "sum") == "3000元"
    assert format_value(Decimal("3000.5"), "元", "sum") == "3000.50元"
    assert format_value(Decimal("33.3333"), "%", "rate") == "33.3%"
    assert format_value(Decimal("7.25"), "个工作日", "average") == "7.3个工作日"
    assert format_value(None, "%", "rate") == "—"

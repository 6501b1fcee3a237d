"""Court-application windows after a decision is served (行政强制法第五十三条)."""

from datetime import date

import pytest

from fazhi.enforcement.cases import coercion

RULES = coercion.load_execution_rules()


def test_a_month_period_ends_on_the_same_numbered_day():
    assert coercion.add_months(date(2025, 3, 15), 6) == date(2025, 9, 15)


def test_a_month_period_without_that_day_ends_on_the_months_last_day():
    assert coercion.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert coercion.add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_the_six_month_suit_window_outlasts_the_sixty_day_reconsideration():
    w = coercion.windows(date(2025, 9, 15), RULES)
    assert w.reconsideration_ends == date(2025, 11, 14)
    assert w.litigation_ends == date(2026, 3, 15)
    assert w.challenge_ends == date(2026, 3, 15)
    assert w.court_last_day == date(2026, 6, 15)


def test_the_rule_file_carries_its_articles():
    assert any("第五十三条" in c for c in RULES.citations)
    assert RULES.court_months == 3


def test_a_bureau_file_replaces_the_periods(tmp_path):
    text = coercion.RULES_FILE.read_text(encoding="utf-8").replace(
        "months = 3", "months = 2")
    (tmp_path / "execution.toml").write_text(text, encoding="utf-8")
    assert coercion.load_execution_rules([tmp_path]).court_months == 2


def test_a_broken_file_is_named(tmp_path):
    (tmp_path / "execution.toml").write_text("[litigation]\nmonths = 6\n",
                                            encoding="utf-8")
    with pytest.raises(coercion.ExecutionRuleError, match=r"execution.toml"):
        coercion.load_execution_rules([tmp_path])

"""Money in words and figures, worked by hand from the rules of 《正确填写票据和结算
凭证的基本规定》 (中国人民银行《支付结算办法》附件一)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.core.money import (
    money_in_figures,
    money_in_words,
    money_in_words_and_figures,
)
from tests.purity import assert_runs_without_django


@pytest.mark.parametrize(("amount", "words"), [
    # the examples the rules give
    ("1409.50", "壹仟肆佰零玖元伍角"),  # a zero inside: 零
    ("6007.14", "陆仟零柒元壹角肆分"),  # several zeros inside: one 零
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),  # 元 place zero, 角 not: 零 may go
    ("107000.53", "壹拾万柒仟元伍角叁分"),  # 万 place zero, 仟 not: 零 may go
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # 角 zero, 分 not: 元零
    ("325.04", "叁佰贰拾伍元零肆分"),
    # whole yuan: 整
    ("14000", "壹万肆仟元整"),
    ("10", "壹拾元整"),  # 壹拾, never a bare 拾
    ("15", "壹拾伍元整"),
    ("200", "贰佰元整"),
    ("1000.00", "壹仟元整"),
    ("0", "零元整"),
    # across 万 and 亿
    ("100500", "壹拾万零伍佰元整"),  # fewer than four figures below 万
    ("100000", "壹拾万元整"),
    ("12300456", "壹仟贰佰叁拾万零肆佰伍拾陆元整"),
    ("12301000", "壹仟贰佰叁拾万壹仟元整"),
    ("100000000", "壹亿元整"),
    ("100000005", "壹亿零伍元整"),  # a group of zeros and leading zeros: one 零
    ("100005000", "壹亿零伍仟元整"),  # a whole group of zeros between
    ("120000000000", "壹仟贰佰亿元整"),
    ("1000000000000", "壹万亿元整"),
    # under a yuan: no 元, nothing after 分
    ("0.50", "伍角"),
    ("0.05", "伍分"),
    ("0.55", "伍角伍分"),
    ("3.5", "叁元伍角"),
])
def test_words_follow_the_payment_rules(amount, words):
    assert money_in_words(Decimal(amount)) == words


def test_a_fine_is_written_in_words_and_figures():
    assert money_in_words_and_figures(Decimal(14000)) == "人民币壹万肆仟元整（¥14,000.00）"
    assert money_in_words_and_figures(1409.5) == \
        "人民币壹仟肆佰零玖元伍角（¥1,409.50）"
    assert money_in_words_and_figures(0.1) == "人民币壹角（¥0.10）"


@pytest.mark.parametrize(("amount", "figures"), [
    (0, "¥0.00"), ("5", "¥5.00"), ("1234567.8", "¥1,234,567.80"),
    (Decimal("999.99"), "¥999.99"),
])
def test_figures_have_thousands_separators_and_two_decimals(amount, figures):
    assert money_in_figures(amount) == figures


@pytest.mark.parametrize("amount", ["-1", "0.001", "abc", "NaN", "1e16", None])
def test_a_sum_that_cannot_be_paid_is_refused(amount):
    with pytest.raises(ValueError):
        money_in_words(amount)


def test_money_is_pure():
    assert_runs_without_django(
        "from fazhi.core.money import money_in_words; money_in_words(1)")

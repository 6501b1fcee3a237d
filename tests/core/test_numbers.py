"""Money, shares and document numbers as staff read and type them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from fazhi.core.numbers import doc_number_normalise, percent, yuan
from tests.purity import assert_runs_without_django


def test_yuan_groups_thousands_and_keeps_fen_only_when_there_are_some():
    assert yuan(Decimal("130000")) == "130,000"
    assert yuan(1300000) == "1,300,000"
    assert yuan(Decimal("1000.5")) == "1,000.50"
    assert yuan(Decimal("999.00")) == "999"
    assert yuan(None) == "—"


def test_percent_writes_a_share_of_one_with_two_decimals():
    assert percent(0.5519) == "55.19%"
    assert percent(Decimal("1")) == "100.00%"
    assert percent(Decimal("0.123"), 1) == "12.3%"
    assert percent(None) == "—"


@pytest.mark.parametrize("typed", [
    "潭县自然资罚案〔2025〕12号", "潭县自然资罚案[2025]12号", "潭县自然资罚案【2025】12号",
    "潭县自然资罚案(2025)12号", "潭县自然资罚案（2025）12号", "潭县自然资罚案［２０２５］１２号",
    " 潭县自然资罚案 〔2025〕 12 号 ", "潭县自然资罚案[2025]12", "潭县自然资罚案〔2025〕第12号",
])
def test_a_case_number_typed_any_common_way_is_the_number_issued(typed):
    assert doc_number_normalise(typed) == "潭县自然资罚案〔2025〕12号"


def test_text_without_a_bracketed_year_passes_through():
    assert doc_number_normalise("张三") == "张三"
    assert doc_number_normalise("") == ""


def test_the_writing_rules_load_no_django():
    assert_runs_without_django(
        "from fazhi.core.numbers import yuan; assert yuan(1000) == '1,000'")


def test_the_filters_are_on_every_page_without_loading():
    html = Template("{{ a|yuan }} 元，{{ s|percent }}").render(
        Context({"a": Decimal("130000"), "s": 0.5519}))
    assert html == "130,000 元，55.19%"

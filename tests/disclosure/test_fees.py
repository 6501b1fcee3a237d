"""Information-processing fees (国办函〔2020〕109号 Arts. 4–5): bands, steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.disclosure.fees import fee_for, fee_per_request, fee_per_volume
from fazhi.disclosure.ruledata import RuleDataError, UnknownCodeError, load_fee_tables

TABLES = load_fee_tables()

FEE_LAW = """\
[law]
name = "某省政府信息公开信息处理费实施细则"
version = "测试版"
source = "测试来源"
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "fees.toml"
    path.write_text(FEE_LAW + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("nth", "yuan"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
     (50, 300), (51, 400), (101, 900)],
)  # fmt: skip
def test_per_request_fee_by_position_in_the_month(nth, yuan):
    assert fee_per_request(nth, TABLES).amount_yuan == yuan


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740),
     (250, 4700)],
)  # fmt: skip
def test_per_volume_fee_is_progressive(pages, yuan):
    assert fee_per_volume(pages, TABLES).amount_yuan == yuan


def test_free_requests_say_no_fee_applies():
    result = fee_per_request(10, TABLES)
    assert not result.applies
    assert "第1—10件：不收费" in result.steps


def test_per_request_steps_show_the_band_and_the_article():
    result = fee_per_request(41, TABLES)
    assert result.applies
    assert result.steps[0] == "同一申请人本自然月内第41件申请"
    assert "第41—50件：300元/件" in result.steps
    assert any("每增加一档，收费标准提高100元/件" in step for step in result.steps)
    assert result.steps[-1].endswith(
        "（国办函〔2020〕109号，国务院办公厅2020年11月17日印发）第四条"
    )


def test_per_volume_steps_show_each_band_applied():
    result = fee_per_volume(201, TABLES)
    assert result.steps[1:-1] == (
        "第1—30页：30页，不收费",
        "第31—100页：70页×10元=700元",
        "第101—200页：100页×20元=2000元",
        "第201页：1页×40元=40元",
        "合计：2740元",
    )
    assert "第五条" in result.steps[-1]


def test_fee_for_dispatches_on_the_method_code():
    assert fee_for("per_request", 11, TABLES).amount_yuan == 100
    assert fee_for("per_volume", 31, TABLES).amount_yuan == 10
    with pytest.raises(UnknownCodeError, match="per_request"):
        fee_for("per_hour", 1, TABLES)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_request_position_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError, match="本月累计申请件数"):
        fee_per_request(bad, TABLES)


def test_negative_pages_are_refused():
    with pytest.raises(ValueError, match="页数"):
        fee_per_volume(-1, TABLES)


def test_bureau_override_changes_a_band_without_code(tmp_path):
    write(tmp_path, """
[[method]]
code = "per_volume"
label = "按量计收"
unit = "页"
article = "第五条"
scope = "测试"

[[method.band]]
from = 1
to = 50
yuan = 0

[[method.band]]
from = 51
yuan = 5
""")  # fmt: skip
    tables = load_fee_tables([tmp_path])
    result = fee_per_volume(60, tables)
    assert result.amount_yuan == 50
    assert "某省政府信息公开信息处理费实施细则" in result.steps[-1]
    assert fee_per_request(11, tables).amount_yuan == 100  # untouched method kept


def test_bands_with_a_gap_are_refused_naming_the_file(tmp_path):
    path = write(tmp_path, """
[[method]]
code = "per_request"
label = "按件计收"
unit = "件"
article = "第四条"
scope = "测试"

[[method.band]]
from = 1
to = 10
yuan = 0

[[method.band]]
from = 12
yuan = 100
""")  # fmt: skip
    with pytest.raises(RuleDataError) as caught:
        load_fee_tables([tmp_path])
    assert str(caught.value).startswith(f"{path}：[[method]] per_request 第2档")
    assert "from 须为 11" in str(caught.value)


def test_closed_last_band_is_refused(tmp_path):
    write(tmp_path, """
[[method]]
code = "per_request"
label = "按件计收"
unit = "件"
article = "第四条"
scope = "测试"

[[method.band]]
from = 1
to = 10
yuan = 0
""")  # fmt: skip
    with pytest.raises(RuleDataError, match="最后一档不写 to"):
        load_fee_tables([tmp_path])

"""The shipped disclosure rule files, receipt dates, overrides and malformed files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fazhi.disclosure.ogi_table import CATEGORY_CODES, load_ogi_layout
from fazhi.disclosure.ruledata import (
    CHANNEL_CODES,
    RULES_DIR,
    ReceiptDateMissing,
    RuleDataError,
    UnknownCodeError,
    load_disclosure_rules,
    load_outcomes,
    receipt_date,
)

RULES = load_disclosure_rules()
LAYOUT = load_ogi_layout()

SUBMITTED, SIGNED, CONFIRMED = date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 6)

OGI_LAW = """\
[law]
name = "中华人民共和国政府信息公开条例"
version = "测试版"
source = "测试来源"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def receive(channel: str, **dates: date | None) -> date:
    given = {"submitted_on": None, "signed_on": None, "confirmed_on": None, **dates}
    return receipt_date(RULES.channel(channel), **given)


# --- receipt dates (Art. 31) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "expected", "article"),
    [
        ("in_person", SUBMITTED, "第三十一条第一项"),
        ("registered_mail", SIGNED, "第三十一条第二项"),
        ("ordinary_letter", CONFIRMED, "第三十一条第二项"),
        ("online", CONFIRMED, "第三十一条第三项"),
        ("fax", CONFIRMED, "第三十一条第三项"),
    ],
)
def test_receipt_date_follows_article_31_per_channel(channel, expected, article):
    dates = dict(submitted_on=SUBMITTED, signed_on=SIGNED, confirmed_on=CONFIRMED)
    assert receive(channel, **dates) == expected
    assert RULES.channel(channel).citation.article == article


def test_registered_mail_without_signing_date_is_refused_in_chinese():
    with pytest.raises(ReceiptDateMissing) as caught:
        receive("registered_mail", submitted_on=SUBMITTED)
    assert caught.value.field == "signed_on"
    assert str(caught.value) == (
        "邮寄（需签收）的申请须填写签收日期（政府信息公开条例第三十一条第二项）"
    )


def test_online_request_needs_the_day_both_sides_confirmed():
    with pytest.raises(ReceiptDateMissing, match="互联网渠道的申请须填写确认日期"):
        receive("online", submitted_on=SUBMITTED)


def test_in_person_request_ignores_other_dates():
    assert receive("in_person", submitted_on=SUBMITTED) == SUBMITTED


def test_channel_codes_are_the_fixed_five_with_chinese_labels():
    assert tuple(RULES.channels) == CHANNEL_CODES
    labels = [c.label for c in RULES.channels.values()]
    assert labels == ["当面提交", "邮寄（需签收）", "平常信函", "互联网渠道", "传真"]


def test_unknown_channel_names_the_known_ones():
    with pytest.raises(UnknownCodeError, match="in_person"):
        RULES.channel("carrier_pigeon")


# --- outcomes -------------------------------------------------------------------------


def test_every_outcome_cites_law_version_and_article():
    for outcome in RULES.outcomes.values():
        cite = outcome.citation
        assert cite.law and cite.version and cite.article and cite.source, outcome.code
        assert outcome.label and outcome.reply_text, outcome.code


def test_every_outcome_maps_to_exactly_one_result_row():
    counted_in = {
        code: [row.code for row in LAYOUT.rows if code in row.outcomes]
        for code in RULES.outcomes
    }
    assert all(len(rows) == 1 for rows in counted_in.values()), counted_in
    for code, (row,) in counted_in.items():
        assert LAYOUT.row(row).kind == "result"
        assert LAYOUT.outcome_rows[code] == row


def test_every_result_row_counts_some_outcome():
    empty = [r.code for r in LAYOUT.rows if r.kind == "result" and not r.outcomes]
    assert empty == []


def test_outcomes_the_brief_names_exist():
    expected = {
        "disclose", "disclose.proactive", "partial", "withheld.state_secret",
        "withheld.law_forbids", "withheld.three_safety", "withheld.third_party",
        "withheld.internal_affairs", "withheld.process_info",
        "withheld.enforcement_file", "withheld.query_matter", "unavailable.not_held",
        "unavailable.needs_creation", "unavailable.still_unclear",
        "not_handled.petition", "not_handled.repeat", "not_handled.publication",
        "not_handled.excessive", "not_handled.confirm_info", "other.no_correction",
        "other.no_fee", "other.other",
    }  # fmt: skip
    assert expected <= set(RULES.outcomes)


def test_proactive_disclosure_counts_as_disclosed():
    assert RULES.outcome("disclose.proactive").row == "results.disclose"
    assert RULES.outcome("disclose.proactive").citation.article == "第三十六条第一项"


def test_partial_and_withheld_outcomes_require_reasons():
    assert RULES.outcome("partial").requires_reasons
    assert RULES.outcome("partial").provides_information
    withheld = [o for c, o in RULES.outcomes.items() if c.startswith("withheld.")]
    reasoned = [o.code for o in withheld if o.code != "withheld.query_matter"]
    assert all(RULES.outcome(code).requires_reasons for code in reasoned)


def test_abandoned_requests_end_without_a_reply_letter():
    silent = {code for code, o in RULES.outcomes.items() if not o.reply_letter}
    assert silent == {"other.no_correction", "other.no_fee", "other.withdrawn"}


def test_articles_match_the_regulation():
    articles = {
        "disclose": "第三十六条第二项",
        "partial": "第三十七条",
        "unavailable.not_held": "第三十六条第四项",
        "unavailable.not_responsible": "第三十六条第五项",
        "unavailable.needs_creation": "第三十八条",
        "not_handled.repeat": "第三十六条第六项",
        "not_handled.petition": "第三十九条第一款",
        "not_handled.excessive": "第三十五条",
        "other.no_correction": "第三十条",
    }
    for code, article in articles.items():
        assert RULES.outcome(code).citation.article == article, code


# --- the layout -----------------------------------------------------------------------


def test_layout_has_the_template_columns_under_their_group():
    labels = [(c.group, c.label) for c in LAYOUT.columns]
    org = "法人或其他组织"
    assert labels == [
        ("", "自然人"), (org, "商业企业"), (org, "科研机构"), (org, "社会公益组织"),
        (org, "法律服务机构"), (org, "其他"), ("", "总计"),
    ]  # fmt: skip
    assert tuple(LAYOUT.categories) == CATEGORY_CODES


def test_layout_rows_keep_template_order_and_labels():
    labels = [r.label for r in LAYOUT.rows]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    assert len([r for r in LAYOUT.rows if r.kind == "result"]) == 21


def test_every_counting_row_states_its_definition():
    assert all(r.definition for r in LAYOUT.rows if r.kind != "heading")


# --- overrides ------------------------------------------------------------------------


def test_override_file_replaces_an_outcome_by_code(tmp_path):
    write(tmp_path, "outcomes.toml", OGI_LAW + """
[[outcome]]
code = "unavailable.not_responsible"
label = "无法提供：不属于本机关负责公开"
row = "results.other.other"
article = "第三十六条第五项"
requires_reasons = true
provides_information = false
reply_letter = true
reply_text = "改写的答复"
""")  # fmt: skip
    rules = load_disclosure_rules([tmp_path])
    changed = rules.outcome("unavailable.not_responsible")
    assert changed.row == "results.other.other"
    assert changed.citation.version == "测试版"
    assert rules.outcome("disclose").citation.version == "2019年修订，国务院令第711号"
    layout = load_ogi_layout([tmp_path])
    assert "unavailable.not_responsible" in layout.row("results.other.other").outcomes


# --- malformed files ------------------------------------------------------------------


def test_missing_override_dir_is_named(tmp_path):
    with pytest.raises(RuleDataError, match="规则目录不存在"):
        load_disclosure_rules([tmp_path / "nowhere"])


def test_unparseable_file_is_named(tmp_path):
    path = write(tmp_path, "receipt.toml", "[law\n")
    with pytest.raises(RuleDataError, match="无法读取规则文件") as caught:
        load_disclosure_rules([tmp_path])
    assert str(path) in str(caught.value)


def test_unknown_key_is_named_with_file_and_code(tmp_path):
    path = write(tmp_path, "receipt.toml", OGI_LAW + """
[[channel]]
code = "fax"
label = "传真"
date_field = "confirmed_on"
article = "第三十一条第三项"
rule = "双方确认之日"
colour = "blue"
""")  # fmt: skip
    with pytest.raises(RuleDataError) as caught:
        load_disclosure_rules([tmp_path])
    assert str(caught.value) == f"{path}：[[channel]] fax：未知的键 colour"


def test_wrong_date_field_is_named(tmp_path):
    path = write(tmp_path, "receipt.toml", OGI_LAW + """
[[channel]]
code = "fax"
label = "传真"
date_field = "faxed_on"
article = "第三十一条第三项"
rule = "双方确认之日"
""")  # fmt: skip
    with pytest.raises(RuleDataError, match="date_field") as caught:
        load_disclosure_rules([tmp_path])
    assert str(path) in str(caught.value)


def test_missing_reply_text_is_named(tmp_path):
    path = write(tmp_path, "outcomes.toml", OGI_LAW + """
[[outcome]]
code = "disclose"
label = "予以公开"
row = "results.disclose"
article = "第三十六条第二项"
requires_reasons = false
provides_information = true
reply_letter = true
""")  # fmt: skip
    with pytest.raises(RuleDataError) as caught:
        load_outcomes([tmp_path])
    assert str(caught.value) == f"{path}：[[outcome]] disclose：缺少键 reply_text"


def test_outcome_counted_in_a_heading_row_is_refused(tmp_path):
    path = write(tmp_path, "outcomes.toml", OGI_LAW + """
[[outcome]]
code = "disclose"
label = "予以公开"
row = "results.withheld"
article = "第三十六条第二项"
requires_reasons = false
provides_information = true
reply_letter = true
reply_text = "提供"
""")  # fmt: skip
    with pytest.raises(RuleDataError, match=r"results\.withheld") as caught:
        load_ogi_layout([tmp_path])
    assert str(path) in str(caught.value)
    assert str(RULES_DIR / "outcomes.toml") in str(caught.value)


def test_layout_row_with_a_missing_parent_is_refused(tmp_path):
    write(tmp_path, "ogi_report.toml", OGI_LAW + """
[[row]]
code = "results.disclose"
label = "（一）予以公开"
level = 1
parent = "results.nowhere"
kind = "result"
definition = "测试"
""")  # fmt: skip
    with pytest.raises(RuleDataError, match=r"results\.disclose：parent"):
        load_ogi_layout([tmp_path])


def test_file_without_law_table_is_named(tmp_path):
    path = write(tmp_path, "fees.toml", '[[method]]\ncode = "per_request"\n')
    with pytest.raises(RuleDataError) as caught:
        load_disclosure_rules([tmp_path])
    assert str(caught.value) == f"{path}：文件顶层：缺少键 law"


def test_shipped_files_are_the_four_named_ones_and_the_approval_chains():
    names = sorted(path.name for path in RULES_DIR.glob("*.toml"))
    # approvals.toml is read by the sign-off kit (fazhi/core/chains.py).
    assert names == ["approvals.toml", "fees.toml", "ogi_report.toml", "outcomes.toml",
                     "receipt.toml"]

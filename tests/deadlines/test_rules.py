"""The shipped rule files, the bureau's overrides and the checks on malformed files."""

from pathlib import Path

import pytest

from fazhi.deadlines.rules import PAUSE_KINDS, RuleError, load_rules, read_rule_file

RULES = load_rules()

# id: (unit, length, extension cap, words the article must contain)
REQUIRED = {
    "disclosure.reply": ("working_day", 20, 20, "第三十三条"),
    "disclosure.correction_notice": ("working_day", 7, 0, "第三十条"),
    "disclosure.third_party": ("working_day", 15, 0, "第三十二条"),
    "reconsideration.reply": ("working_day", 10, 0, "第四十八条"),
    "reconsideration.reply_simplified": ("working_day", 5, 0, "第五十四条"),
    "reconsideration.decision": ("calendar_day", 60, 30, "第六十二条第一款"),
    "reconsideration.decision_simplified": ("calendar_day", 30, 0, "第六十二条第二款"),
    "litigation.defence": ("calendar_day", 15, 0, "第六十七条"),
    "litigation.appeal_judgment": ("calendar_day", 15, 0, "第八十五条"),
    "litigation.appeal_ruling": ("calendar_day", 10, 0, "第八十五条"),
    "penalty.case": ("calendar_day", 90, 30, "第三十八条"),
    "penalty.statement": ("working_day", 5, 0, "第三十三条"),
    "penalty.hearing_request": ("working_day", 5, 0, "第六十四条"),
    "penalty.service": ("working_day", 7, 0, "第六十一条"),
    "penalty.fine_payment": ("calendar_day", 15, 0, "第六十七条"),
    "penalty.publicity_withdraw": ("working_day", 3, 0, "第四十八条"),
    "permit.decision": ("working_day", 20, 10, "第四十二条"),
    "permit.certificate": ("working_day", 10, 0, "第四十四条"),
}

LAW = """\
[law]
name = "测试法"
version = "2025年"
in_force = 2025-01-01
source = "测试来源"
"""

RULE = """\
[[rule]]
id = "test.period"
name = "测试期限"
article = "第一条"
unit = "working_day"
length = 5
extension_cap = 0
pauses = []
yellow_days = 1
start_event = "收到之日"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("rule_id", sorted(REQUIRED))
def test_every_required_rule_exists_with_its_period_and_citation(rule_id):
    unit, length, cap, article = REQUIRED[rule_id]
    rule = RULES[rule_id]
    assert (rule.unit, rule.length, rule.extension_cap) == (unit, length, cap)
    assert article in rule.article
    assert rule.law and rule.version and rule.source and rule.start_event


def test_every_rule_cites_law_version_article_and_source():
    for rule in RULES.values():
        assert all((rule.name, rule.law, rule.version, rule.article, rule.source))
        assert rule.in_force is not None
        assert set(rule.pauses) <= set(PAUSE_KINDS)


def test_pause_kinds_follow_the_articles_that_exclude_time():
    assert set(RULES["disclosure.reply"].pauses) == {"consultation", "correction"}
    assert RULES["reconsideration.decision"].pauses == ("suspension",)
    assert {"hearing", "expert_review", "testing"} <= set(
        RULES["permit.decision"].pauses
    )


def test_fine_payment_has_no_pauses_a_remedy_does_not_stop_payment():
    # 行政处罚法 Art. 73(1): reconsideration or a suit does not stop execution, so the
    # 15 days to pay run on; only the surcharge leaves out the days of the remedy
    # (Art. 73(3)), which payment_surcharge counts (tests/enforcement/test_surcharge_span.py).
    rule = RULES["penalty.fine_payment"]
    assert rule.pauses == ()
    assert "不因此暂停" in rule.note


def test_licensing_and_disclosure_periods_are_all_working_days():
    for rule_id, rule in RULES.items():
        if rule_id.startswith(("permit.", "disclosure.")):
            assert rule.unit == "working_day", rule_id


def test_the_case_period_cites_the_natural_resources_penalty_measures():
    rule = RULES["penalty.case"]
    assert rule.law == "自然资源行政处罚办法"
    assert "2024" in rule.version and "第六十条" in rule.article


def test_a_bureau_override_dir_replaces_a_rule(tmp_path):
    text = LAW + RULE.replace("test.period", "disclosure.reply").replace(
        "length = 5", "length = 15"
    )
    write(tmp_path, "bureau.toml", text)
    rules = load_rules([tmp_path])
    assert rules["disclosure.reply"].length == 15
    assert rules["disclosure.reply"].law == "测试法"
    assert rules["permit.decision"] == RULES["permit.decision"]


def test_a_later_override_dir_wins_over_an_earlier_one(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, "x.toml", LAW + RULE)
    write(second, "x.toml", LAW + RULE.replace("length = 5", "length = 9"))
    assert load_rules([first, second])["test.period"].length == 9


def test_a_rule_may_override_its_law_and_version(tmp_path):
    text = LAW + RULE + 'law = "另一部法"\nversion = "2024年修订"\n'
    rule = read_rule_file(write(tmp_path, "x.toml", text))[0]
    assert (rule.law, rule.version) == ("另一部法", "2024年修订")


def test_loading_is_a_pure_function_of_the_files():
    assert load_rules() == RULES


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (LAW + RULE + "[oops", "无法读取"),
        (LAW + RULE.replace("length = 5", "length = 0"), "length"),
        (LAW + RULE.replace("length = 5", "length = true"), "length"),
        (
            LAW + RULE.replace("extension_cap = 0", "extension_cap = -1"),
            "extension_cap",
        ),
        (LAW + RULE.replace('"working_day"', '"weekday"'), "unit"),
        (LAW + RULE.replace('article = "第一条"', 'article = " "'), "article"),
        (LAW + RULE.replace("pauses = []", 'pauses = ["lunch"]'), "pauses"),
        (LAW + RULE + 'colour = "red"\n', "colour"),
        (LAW + RULE.replace('start_event = "收到之日"\n', ""), "start_event"),
        (LAW + RULE.replace('id = "test.period"', 'id = "Test"'), "id"),
        (LAW + RULE + RULE, "重复"),
        (LAW.replace("in_force = 2025-01-01", 'in_force = "2025"') + RULE, "in_force"),
        (LAW + RULE.replace("[[rule]]", "[rule]"), "[[rule]]"),
        (RULE, "law"),
    ],
)
def test_a_malformed_file_raises_rule_error_naming_the_file(tmp_path, text, words):
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    assert str(path) in str(caught.value)
    assert words in str(caught.value)


def test_a_malformed_rule_is_named_by_its_id(tmp_path):
    write(
        tmp_path, "bad.toml", LAW + RULE.replace("yellow_days = 1", "yellow_days = -2")
    )
    with pytest.raises(RuleError, match=r"test.period"):
        load_rules([tmp_path])


def test_a_missing_override_dir_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="不存在"):
        load_rules([tmp_path / "nowhere"])


def test_every_shipped_rule_says_whose_period_it_is():
    from fazhi.deadlines.rules import DUTIES, RULES_DIR

    for path in sorted(RULES_DIR.glob("*.toml")):
        for rule in read_rule_file(path):
            assert rule.duty in DUTIES, f"{path.name}: {rule.id} 未标明 duty"
    assert RULES["penalty.statement"].duty == "party"
    assert RULES["permit.certificate"].duty == "bureau"
    assert RULES["permit.promised"].duty == "promise"


def test_a_bureau_file_replacing_a_rule_keeps_its_duty_unless_it_states_one(
        tmp_path):
    text = """
[law]
name = "某法"
version = "2025"
in_force = 2025-01-01
source = "测试"

[[rule]]
id = "penalty.statement"
name = "陈述申辩期限"
article = "第一条"
unit = "working_day"
length = 3
extension_cap = 0
pauses = []
yellow_days = 1
start_event = "收到告知书之日"
"""
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    assert load_rules([tmp_path])["penalty.statement"].duty == "party"
    (tmp_path / "a.toml").write_text(text.replace('id = "penalty.statement"',
                                                  'id = "bureau.new_period"'),
                                     encoding="utf-8")
    assert load_rules([tmp_path])["bureau.new_period"].duty == "bureau"
    (tmp_path / "a.toml").write_text(text.replace('unit =', 'duty = "nobody"\nunit ='),
                                     encoding="utf-8")
    with pytest.raises(RuleError, match="duty"):
        load_rules([tmp_path])

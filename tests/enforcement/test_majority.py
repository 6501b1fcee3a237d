"""Major decisions, hearing rights and collective discussion judged from rule data."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

import pytest

from fazhi.enforcement.cases.majority import (
    AMOUNT_FACTS,
    FLAG_FACTS,
    CaseOutcomeFacts,
    RuleDataError,
    collective_discussion_required,
    hearing_right,
    is_major,
    load_majority_rules,
)

RULES = load_majority_rules()

LAW = """
[law]
name = "湖南省某规定（测试）"
source = "测试"
"""


def person(**changes) -> CaseOutcomeFacts:
    return CaseOutcomeFacts(party_kind="person", **changes)


def organisation(**changes) -> CaseOutcomeFacts:
    return CaseOutcomeFacts(party_kind="organisation", **changes)


def write(folder, name, text):
    (folder / name).write_text(LAW + text, encoding="utf-8")
    return folder


MAJOR_CASES = {
    "public_interest": person(major_public_interest=True),
    "hearing_held": person(hearing_held=True),
    "complex_facts": person(complex_facts=True),
    "required_by_law": person(review_required_by_law=True),
    "fine": person(fine_yuan=10000),
    "illegal_gains": organisation(illegal_gains_yuan=50000),
    "confiscated_property": person(confiscated_property_yuan="12000.50"),
    "confiscate_buildings": person(confiscate_buildings=True),
    "demolition": person(demolition_area_m2="0.5"),
    "licence_revoked": organisation(licence_revoked=True),
    "production_suspended": organisation(production_suspended=True),
}


@pytest.mark.parametrize("code", list(MAJOR_CASES))
def test_each_major_criterion_makes_the_decision_major_with_its_article(code):
    judgement = is_major(MAJOR_CASES[code], RULES)
    assert judgement.major and judgement.applies and judgement
    assert judgement.codes == (code,)
    criterion = next(c for c in RULES.major if c.code == code)
    assert criterion.article in judgement.reasons[0]


def test_every_shipped_major_criterion_has_a_case():
    assert {c.code for c in RULES.major} == set(MAJOR_CASES)


def test_an_ordinary_case_below_every_threshold_is_not_major():
    judgement = is_major(person(fine_yuan=9999), RULES)
    assert not judgement
    assert judgement.reasons == () and judgement.codes == ()
    assert not is_major(organisation(fine_yuan=49999, illegal_gains_yuan=49999), RULES)


def test_a_threshold_includes_its_own_amount():
    assert is_major(person(fine_yuan=10000), RULES).codes == ("fine",)
    assert not is_major(person(fine_yuan="9999.99"), RULES)


def test_the_reason_names_the_amount_the_bar_and_that_it_is_a_fazhi_default():
    (reason,) = is_major(organisation(fine_yuan=60000), RULES).reasons
    assert "60,000元" in reason
    assert "法人或者其他组织50,000元以上" in reason
    assert "系统预置，待本局确认" in reason
    assert "自然资源行政处罚办法第三十二条" in reason


def test_several_grounds_are_all_reported():
    facts = organisation(complex_facts=True, fine_yuan=80000, licence_revoked=True)
    assert is_major(facts, RULES).codes == ("complex_facts", "fine", "licence_revoked")


def test_a_fine_gives_a_hearing_right_at_a_lower_amount_for_a_person():
    assert hearing_right(person(fine_yuan=1000), RULES).codes == ("fine",)
    assert not hearing_right(person(fine_yuan=999), RULES)
    assert not hearing_right(organisation(fine_yuan=1000), RULES)
    assert not hearing_right(organisation(fine_yuan=19999), RULES)
    assert hearing_right(organisation(fine_yuan=20000), RULES).codes == ("fine",)


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("confiscate_buildings", "confiscate_buildings"),
        ("licence_suspended", "licence_suspended"),
        ("qualification_lowered", "qualification_lowered"),
        ("licence_revoked", "licence_revoked"),
        ("production_suspended", "production_suspended"),
        ("closure_ordered", "closure_ordered"),
        ("trade_banned", "trade_banned"),
        ("other_heavier", "other_heavier"),
    ],
)
def test_each_heavier_penalty_kind_gives_a_hearing_right(field, code):
    judgement = hearing_right(organisation(**{field: True}), RULES)
    assert judgement.codes == (code,)
    assert "第" in judgement.reasons[0]


def test_any_demolition_gives_a_hearing_right_under_the_measures_art_34():
    (reason,) = hearing_right(person(demolition_area_m2=3), RULES).reasons
    assert "不论面积" in reason and "第三十四条第一款第四项" in reason
    assert not hearing_right(person(), RULES)


def test_confiscation_thresholds_follow_the_party_kind():
    assert hearing_right(person(illegal_gains_yuan=1000), RULES)
    assert not hearing_right(organisation(confiscated_property_yuan=1000), RULES)


def test_collective_discussion_follows_complex_or_serious_cases_only():
    assert collective_discussion_required(person(complex_facts=True), RULES)
    assert collective_discussion_required(person(fine_yuan=20000), RULES)
    assert not collective_discussion_required(person(hearing_held=True), RULES)
    assert not collective_discussion_required(person(), RULES)


def test_an_override_file_changes_a_threshold(tmp_path):
    write(
        tmp_path,
        "hearing.toml",
        """
[[criterion]]
code = "fine"
label = "较大数额罚款"
article = "湖南省某规定第二条"
fact = "fine_yuan"
person = 5000
organisation = 50000
origin = "province"
""",
    )
    rules = load_majority_rules([tmp_path])
    assert not hearing_right(person(fine_yuan=1000), rules)
    (reason,) = hearing_right(person(fine_yuan=5000), rules).reasons
    assert "省厅文件" in reason and "湖南省某规定第二条" in reason
    assert [c.code for c in rules.hearing] == [c.code for c in RULES.hearing]
    assert rules.major == RULES.major


def test_an_override_file_adds_a_new_criterion_and_a_later_dir_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    entry = """
[[criterion]]
code = "return_land"
label = "拟责令退还土地面积较大"
article = "湖南省某目录第三项"
fact = "demolition_area_m2"
person = {area}
organisation = {area}
origin = "province"
collective = true
"""
    write(first, "major_decision.toml", entry.format(area=100))
    write(second, "major_decision.toml", entry.format(area=300))
    rules = load_majority_rules([first, second])
    assert rules.major[-1].code == "return_land"
    assert rules.major[-1].thresholds == {"person": 300, "organisation": 300}


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "fine_yuan"\n'
            'origin = "law"\nperson = "很多"\norganisation = 1\n',
            "键 person",
        ),
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "fine_yuan"\n'
            'origin = "law"\nperson = -1\norganisation = 1\n',
            "键 person",
        ),
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "fine_yuan"\n'
            'origin = "law"\nperson = 1\n',
            "键 organisation",
        ),
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "area"\norigin = "law"\n',
            "键 fact",
        ),
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "licence_revoked"\n'
            'origin = "law"\nperson = 1\n',
            "是非事实",
        ),
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "licence_revoked"\n'
            'origin = "guess"\n',
            "键 origin",
        ),
        (
            'code = "x"\nlabel = "x"\nfact = "licence_revoked"\norigin = "law"\n',
            "缺少键 article",
        ),
        (
            'code = "x"\nlabel = "x"\narticle = "x"\nfact = "licence_revoked"\n'
            'origin = "law"\ncollective = true\n',
            "未知的键 collective",
        ),
    ],
    ids=[
        "text-amount",
        "negative",
        "missing-kind",
        "unknown-fact",
        "flag-threshold",
        "bad-origin",
        "missing-article",
        "collective-in-hearing",
    ],
)
def test_a_bad_override_names_the_file_and_the_key(tmp_path, body, needle):
    write(tmp_path, "hearing.toml", "\n[[criterion]]\n" + body)
    with pytest.raises(RuleDataError, match=needle) as caught:
        load_majority_rules([tmp_path])
    assert "hearing.toml" in str(caught.value)
    assert "[[criterion]] x" in str(caught.value) or "第1条" in str(caught.value)


def test_an_unreadable_file_or_missing_folder_is_an_error(tmp_path):
    (tmp_path / "major_decision.toml").write_text("[law\n", encoding="utf-8")
    with pytest.raises(RuleDataError, match=r"major_decision\.toml"):
        load_majority_rules([tmp_path])
    with pytest.raises(RuleDataError, match="规则目录不存在"):
        load_majority_rules([tmp_path / "missing"])


def test_a_duplicated_code_in_one_file_is_refused(tmp_path):
    entry = (
        '\n[[criterion]]\ncode = "x"\nlabel = "x"\narticle = "x"\n'
        'fact = "licence_revoked"\norigin = "law"\n'
    )
    write(tmp_path, "hearing.toml", entry * 2)
    with pytest.raises(RuleDataError, match="重复"):
        load_majority_rules([tmp_path])


def test_facts_take_amounts_as_decimals_and_refuse_nonsense():
    facts = person(fine_yuan="1500.5", demolition_area_m2=12)
    assert facts.fine_yuan == Decimal("1500.5")
    assert facts.demolition_area_m2 == Decimal(12)
    with pytest.raises(ValueError, match="fine_yuan"):
        person(fine_yuan=-1)
    with pytest.raises(ValueError, match="当事人类型"):
        CaseOutcomeFacts(party_kind="company")


def test_the_fact_lists_match_the_facts_class():
    names = {f.name for f in fields(CaseOutcomeFacts)} - {"party_kind"}
    assert names == set(AMOUNT_FACTS) | FLAG_FACTS
    assert not set(AMOUNT_FACTS) & FLAG_FACTS


def test_every_shipped_default_says_it_is_a_default():
    for criterion in (*RULES.major, *RULES.hearing):
        assert criterion.article
        if criterion.origin == "fazhi_default":
            assert "系统预置" in criterion.source
        if criterion.thresholds is not None and criterion.origin != "law":
            assert criterion.origin == "fazhi_default"

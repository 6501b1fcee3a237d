"""The file-review checklist and its scoring: pure, no database, no Django."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.enforcement.supervision import file_review as fr
from tests.purity import assert_runs_without_django


@pytest.fixture(scope="module")
def checklist() -> fr.Checklist:
    return fr.load_checklist()


def d(code: str, points="0", note: str = "") -> dict:
    return {"code": code, "points": points, "note": note}


def test_shipped_checklist_adds_up_to_one_hundred_and_cites_every_item(checklist):
    assert checklist.total == 100
    assert sum(g.points for g in checklist.groups) == 100
    assert checklist.origin == "fazhi_default"
    assert {g.label for g in checklist.groups} >= {"主体合法", "程序合法", "裁量适当"}
    for entry in (*checklist.items, *checklist.vetoes):
        assert entry.article, entry.code
    assert "veto.major_without_review" in {v.code for v in checklist.vetoes}
    assert "行政处罚法第五十八条" in next(
        v.article for v in checklist.vetoes if v.code == "veto.major_without_review"
    )


def test_a_clean_file_scores_full_marks_and_the_top_grade(checklist):
    result = fr.score(checklist, [])
    assert (result.score, result.grade, result.vetoed) == (100, "优秀", False)
    assert result.lines == ()


def test_deductions_lower_the_score_and_each_line_names_its_article(checklist):
    result = fr.score(
        checklist,
        [d("procedure.service", "3", "送达回证缺失"), d("record.archive", "1.5")],
    )
    assert result.score == Decimal("95.5")
    assert result.grade == "优秀"
    service = result.lines[0]
    assert service.code == "procedure.service"
    assert service.points == 3 and service.note == "送达回证缺失"
    assert "第六十一条" in service.article
    assert service.group == "程序合法"


def test_grade_bands_are_inclusive_at_their_floor(checklist):
    ninety = fr.score(
        checklist,
        [d("evidence.facts", "10")],
    )
    assert (ninety.score, ninety.grade) == (90, "优秀")
    below = fr.score(checklist, [d("evidence.facts", "10"), d("law.basis", "0.5")])
    assert (below.score, below.grade) == (Decimal("89.5"), "合格")


def test_a_group_never_loses_more_than_its_points(checklist):
    subject = [
        d("subject.jurisdiction", "5"),
        d("subject.officers", "5"),
        d("subject.recusal", "3"),
    ]
    result = fr.score(checklist, subject)
    assert result.score == 90  # the group is worth 10, not 13
    assert result.deducted == 10


def test_a_low_score_fails(checklist):
    many = [
        d("evidence.facts", "10"),
        d("evidence.sufficiency", "10"),
        d("law.basis", "8"),
        d("procedure.hearing", "5"),
    ]
    result = fr.score(checklist, many)
    assert (result.score, result.grade) == (67, "不合格")


def test_a_veto_fails_the_file_whatever_its_score(checklist):
    result = fr.score(checklist, [d("veto.major_without_review", note="无法制审核")])
    assert result.vetoed
    assert result.score == 100
    assert result.grade == "不合格"
    assert result.lines[-1].veto and "第五十八条" in result.lines[-1].article


def test_a_deduction_above_the_items_maximum_is_refused(checklist):
    with pytest.raises(fr.DeductionError, match="最多扣3分") as error:
        fr.score(checklist, [d("subject.recusal", "4")])
    assert error.value.code == "subject.recusal"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (d("no.such.item", "1"), "没有扣分项"),
        (d("record.archive", "-1"), "不能为负数"),
        (d("record.archive", "abc"), "须为数字"),
        (d("record.archive", "0.25"), "一位小数"),
        (d("veto.no_notice", "2"), "否决项"),
    ],
)
def test_bad_deductions_are_refused_in_chinese(checklist, entry, message):
    with pytest.raises(fr.DeductionError, match=message):
        fr.score(checklist, [entry])


def test_the_same_item_twice_is_refused(checklist):
    with pytest.raises(fr.DeductionError, match="重复"):
        fr.score(checklist, [d("record.archive", "1"), d("record.archive", "1")])


def test_zero_points_on_an_item_is_not_a_finding(checklist):
    result = fr.score(checklist, [d("record.archive", "0")])
    assert result.lines == () and result.deductions == ()


def test_an_override_file_replaces_header_grades_and_items_by_code(tmp_path):
    (tmp_path / fr.CHECKLIST_FILE).write_text(
        """
[checklist]
name = "某省行政执法案卷评查标准"
version = "2026"
origin = "province"
source = "某省文件（示例）"

[[grade]]
label = "合格"
min = 60

[[grade]]
label = "不合格"
min = 0

[[item]]
code = "record.archive"
group = "record"
text = "归档不规范"
max = 5
article = "行政处罚法第四十七条"

[[item]]
code = "record.publicity"
omit = true
""",
        encoding="utf-8",
    )
    checklist = fr.load_checklist([tmp_path])
    assert checklist.label == "某省行政执法案卷评查标准（2026）"
    assert checklist.total == 100  # a key the override left alone
    assert [g.label for g in checklist.grades] == ["合格", "不合格"]
    assert "record.publicity" not in {i.code for i in checklist.items}
    result = fr.score(checklist, [d("record.archive", "5"), d("law.basis", "8")])
    assert (result.score, result.grade) == (87, "合格")


def test_an_override_that_breaks_the_total_is_refused(tmp_path):
    (tmp_path / fr.CHECKLIST_FILE).write_text(
        '[[group]]\ncode = "record"\nlabel = "归档"\npoints = 10\n', encoding="utf-8"
    )
    with pytest.raises(fr.ChecklistError, match="与满分100不符"):
        fr.load_checklist([tmp_path])


def test_an_unknown_key_in_an_override_is_refused(tmp_path):
    (tmp_path / fr.CHECKLIST_FILE).write_text(
        "[checklist]\nmaximum = 120\n", encoding="utf-8"
    )
    with pytest.raises(fr.ChecklistError, match="未知的键 maximum"):
        fr.load_checklist([tmp_path])


def test_a_missing_override_dir_is_refused(tmp_path):
    with pytest.raises(fr.ChecklistError, match="规则目录不存在"):
        fr.load_checklist([tmp_path / "absent"])

SCRIPT = """
from fazhi.enforcement.supervision import file_review
checklist = file_review.load_checklist()
file_review.score(checklist, [{"code": "record.archive", "points": "1"}])
"""


def test_file_review_imports_and_runs_without_django():
    assert_runs_without_django(SCRIPT)

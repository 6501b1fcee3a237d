"""Which acts lack a full-process record (the pure list and its rule file)."""

import pytest

from fazhi.enforcement.cases import recording

ACTS = recording.load_acts()


def test_nothing_is_due_before_the_case_is_filed():
    assert recording.gaps(ACTS, done_actions=set(), records=[]) == []


def test_after_filing_the_site_inspection_and_inquiry_are_due():
    missing = recording.gaps(ACTS, done_actions={"approve_filing"}, records=[])
    assert [g.act.code for g in missing] == ["site_inspection", "inquiry"]
    assert "第四十七条" in str(missing[0])


def test_a_record_of_an_accepted_form_fills_the_gap_and_another_form_does_not():
    done = {"approve_filing"}
    photo = recording.gaps(ACTS, done_actions=done,
                           records=[("site_inspection", "photo"), ("inquiry", "photo")])
    assert [g.act.code for g in photo] == ["inquiry"]


def test_execution_needs_video_not_photos():
    done = {"approve_filing", "start_execution"}
    records = [("site_inspection", "video"), ("inquiry", "written"),
               ("execution", "photo")]
    assert [g.act.code for g in recording.gaps(ACTS, done_actions=done,
                                               records=records)] == ["execution"]


def test_a_bureau_file_adds_an_act(tmp_path):
    (tmp_path / "recording.toml").write_text(
        '[[act]]\ncode = "sealing"\nlabel = "查封"\nafter = "approve_filing"\n'
        'kinds = ["video"]\narticle = "行政强制法第二十四条"\n', encoding="utf-8")
    codes = [a.code for a in recording.load_acts([tmp_path])]
    assert codes[-1] == "sealing" and "site_inspection" in codes


def test_an_unknown_form_is_refused_with_the_file_named(tmp_path):
    (tmp_path / "recording.toml").write_text(
        '[[act]]\ncode = "x"\nlabel = "x"\nafter = "x"\nkinds = ["film"]\n'
        'article = "x"\n', encoding="utf-8")
    with pytest.raises(recording.RecordingRuleError, match=r"recording.toml"):
        recording.load_acts([tmp_path])

"""The learning vocabulary as rule data: shipped words, a bureau's additions, errors."""

from __future__ import annotations

import pytest

from fazhi.learning.vocabulary import VocabularyError, check, load_vocabulary
from tests.purity import assert_runs_without_django


def test_the_vocabulary_reader_runs_without_django():
    assert_runs_without_django(
        "from fazhi.learning.vocabulary import load_vocabulary\n"
        "v = load_vocabulary()\n"
        "assert '村村响广播' in v.channels and '村民' in v.audiences")


def test_the_shipped_words_cover_the_forms_audiences_and_channels_the_issue_names():
    v = load_vocabulary()
    assert {"党组理论学习中心组学法", "局务会会前学法", "专题讲座", "网上学法"} <= set(
        v.study_kinds)
    assert {"领导干部", "企业", "村民", "社会公众"} <= set(v.audiences)
    assert {"讲座", "视频", "村村响广播", "网络"} <= set(v.channels)


def test_a_bureau_adds_words_after_the_shipped_ones_without_repeating_them(tmp_path):
    (tmp_path / "vocabulary.toml").write_text(
        'channels = ["抖音直播", "讲座"]\naudiences = ["快递从业人员"]\n',
        encoding="utf-8")
    v = load_vocabulary([tmp_path])
    assert v.channels[-1] == "抖音直播" and v.channels.count("讲座") == 1
    assert v.audiences[-1] == "快递从业人员"
    assert v.sources[-1].endswith("vocabulary.toml") and len(v.sources) == 2


def test_a_folder_without_a_vocabulary_file_changes_nothing(tmp_path):
    assert load_vocabulary([tmp_path]) == load_vocabulary()


@pytest.mark.parametrize("text, words", [
    ("channels = \"讲座\"\n", "应为文字列表"),
    ("audiences = [\"\"]\n", "应为1至40个字"),
    ("channels = [\n", "不是有效的 TOML"),
])
def test_a_broken_bureau_file_is_refused_naming_the_file(tmp_path, text, words):
    (tmp_path / "vocabulary.toml").write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary([tmp_path])
    assert words in str(caught.value) and str(tmp_path) in str(caught.value)


def test_a_word_off_the_list_is_refused_with_the_words_allowed():
    v = load_vocabulary()
    assert check(v, "audiences", " 村民 ") == "村民"
    with pytest.raises(VocabularyError, match="宣传对象应为：领导干部、企业"):
        check(v, "audiences", "外星人")

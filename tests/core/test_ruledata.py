"""The rule-data kit: one reader, one error naming file and key, merging, one cache."""

from __future__ import annotations

import ast
import os
from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.core.ruledata import (
    Citation,
    RuleCache,
    RuleFileError,
    Standing,
    Table,
    checked_once,
    forget_checks,
    merged_entries,
    read_replaced,
    read_table,
    rule_files,
    rule_folders,
)
from tests.purity import assert_runs_without_django

FAZHI = Path(__file__).resolve().parents[2] / "fazhi"
KIT = FAZHI / "core" / "ruledata"
TOML_MODULES = ("tomllib", "tomli", "toml")

LAW = '[law]\nname = "中华人民共和国测试法"\nversion = "2024年修正"\nsource = "测试"\n'


def entry(code: str, label: str, extra: str = "") -> str:
    return f'\n[[item]]\ncode = "{code}"\nlabel = "{label}"\narticle = "一"\n{extra}'


def folder(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "items.toml").write_text(text, encoding="utf-8")
    return root


def load_items(dirs) -> dict[str, tuple[str, Citation]]:
    """A loader written the way every module writes one."""
    files = rule_files(rule_folders(dirs[0], dirs[1:]), "items.toml")
    return merged_entries(files, "item", read_item, head=read_head)


def read_head(top: Table) -> Citation:
    top.keys({"law"}, {"item"})
    return top.sub("law").law()


def read_item(item: Table, law: Citation) -> tuple[str, Citation]:
    item.keys({"code", "label", "article"}, {"days"})
    return item.text("label"), item.cite(law)


def touch(path: Path, text: str) -> None:
    """Rewrite ``path`` and move its time on, so no clock tick can hide the edit."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


# --- merging --------------------------------------------------------------------------


def test_an_override_replaces_an_entry_whole_by_code_and_adds_new_ones(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲") + entry("b", "乙"))
    bureau = folder(tmp_path / "bureau", LAW.replace("2024年修正", "本局版")
                    + entry("b", "乙（本局）") + entry("c", "丙"))
    items = load_items([shipped, bureau])
    assert list(items) == ["a", "b", "c"]
    assert items["b"][0] == "乙（本局）" and items["c"][0] == "丙"
    assert items["b"][1].version == "本局版"  # the override carries its own [law]
    assert items["a"][1].version == "2024年修正"


def test_a_later_folder_wins_and_a_folder_without_the_file_changes_nothing(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    first = folder(tmp_path / "first", LAW + entry("a", "一"))
    second = folder(tmp_path / "second", LAW + entry("a", "二"))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_items([shipped, first, second, empty])["a"][0] == "二"
    assert load_items([shipped, empty]) == load_items([shipped])


def test_a_file_replaced_whole_is_the_last_folders_copy(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲") + entry("b", "乙"))
    bureau = folder(tmp_path / "bureau", LAW + entry("c", "丙"))
    empty = tmp_path / "empty"
    empty.mkdir()
    items = shipped / "items.toml"
    top = read_replaced(items, [bureau, empty])
    assert top.path == bureau / "items.toml"
    assert [e.text("code") for e in top.entries("item")] == ["c"]  # no a, no b
    assert read_replaced(items, [empty]).path == items


def test_the_same_code_twice_in_one_file_is_refused(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲") + entry("a", "乙"))
    with pytest.raises(RuleFileError, match="code 在同一文件中重复出现") as caught:
        load_items([shipped])
    assert caught.value.path == shipped / "items.toml"


def test_a_missing_bureau_folder_is_named(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    with pytest.raises(RuleFileError, match="规则目录不存在") as caught:
        load_items([shipped, tmp_path / "nowhere"])
    assert caught.value.path == tmp_path / "nowhere"


# --- errors name the file and the key -------------------------------------------------


@pytest.mark.parametrize(("text", "key", "words"), [
    (LAW + entry("a", "甲", "colour = 1\n"), "colour", "未知的键 colour"),
    (LAW + '\n[[item]]\ncode = "a"\nlabel = "甲"\n', "article", "缺少键 article"),
    (LAW + entry("a", " "), "label", "键 label 必须是非空文字"),
])
def test_an_error_names_the_file_the_entry_and_the_key(tmp_path, text, key, words):
    shipped = folder(tmp_path / "shipped", text)
    with pytest.raises(RuleFileError) as caught:
        load_items([shipped])
    message = str(caught.value)
    assert str(shipped / "items.toml") in message and "[[item]] a" in message
    assert words in message
    assert caught.value.key == key and caught.value.path == shipped / "items.toml"


def test_typed_readers_say_what_was_wanted_and_what_was_written(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(
        'n = 1.5\nflag = "yes"\nday = "2025-01-01"\nwords = "a"\nmoney = "-1"\n'
        'kind = "x"\n', encoding="utf-8")
    top = read_table(path)
    cases = {
        "n": lambda: top.integer("n", minimum=1),
        "flag": lambda: top.flag("flag"),
        "day": lambda: top.date("day"),
        "words": lambda: top.texts("words"),
        "money": lambda: top.decimal("money"),
        "kind": lambda: top.choice("kind", ("a", "b")),
        "missing": lambda: top.text("missing"),
    }
    for key, read in cases.items():
        with pytest.raises(RuleFileError) as caught:
            read()
        assert caught.value.key == key
        assert f"键 {key}" in str(caught.value) and str(path) in str(caught.value)


def test_numbers_are_read_exactly_and_dates_as_dates(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('rate = "0.03"\ncap = 1\nday = 2025-01-01\n', encoding="utf-8")
    top = read_table(path)
    assert top.decimal("rate") == Decimal("0.03") and top.decimal("cap") == 1
    assert str(top.date("day")) == "2025-01-01"


def test_an_unreadable_file_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[law\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="不是有效的 TOML") as caught:
        read_table(path)
    assert str(path) in str(caught.value) and caught.value.path == path


def test_the_old_error_names_are_the_one_error():
    from fazhi.deadlines import rules
    from fazhi.disclosure import ruledata
    from fazhi.enforcement.cases import discretion, majority
    from fazhi.enforcement.supervision import file_review
    from fazhi.learning.vocabulary import VocabularyError, VocabularyFileError
    from fazhi.permits.kinds import KindError, KindFileError

    for old in (rules.RuleError, ruledata.RuleDataError, discretion.BenchmarkError,
                file_review.ChecklistError, majority.RuleDataError):
        assert old is RuleFileError
    # Where an old name also meant "a user's input is wrong", a file error is both.
    assert issubclass(KindFileError, RuleFileError)
    assert issubclass(KindFileError, KindError)
    assert issubclass(VocabularyFileError, VocabularyError)


# --- citations and standing -----------------------------------------------------------


def test_a_citation_reads_as_staff_write_it_with_its_standing():
    cite = Citation("中华人民共和国土地管理法", "2019年修正", "第七十七条", "s")
    assert str(cite) == "《土地管理法》（2019年修正）第七十七条"
    assert cite.standing_label == "法律规定"
    province = Citation("湖南省某规定", "2023", "第二条", "s",
                        standing=Standing.PROVINCE, document="湘自然资规〔2023〕1号")
    assert province.standing_label == "省厅文件 湘自然资规〔2023〕1号"
    assert Standing.PRESET.label == "系统预置，待本局确认"
    assert Standing.BUREAU.label == "本局规定"
    assert Standing.parse("fazhi_default") is Standing.PRESET  # older files' word
    assert Standing.parse("guess") is None


def test_a_files_law_may_state_its_standing_and_document(tmp_path):
    head = 'standing = "province"\ndocument = "湘某〔2025〕2号"\n'
    text = LAW + head + entry("a", "甲")
    shipped = folder(tmp_path / "shipped", text)
    cite = load_items([shipped])["a"][1]
    assert cite.standing is Standing.PROVINCE
    assert cite.standing_label == "省厅文件 湘某〔2025〕2号"
    bad = folder(tmp_path / "bad", LAW + 'standing = "maybe"\n' + entry("a", "甲"))
    with pytest.raises(RuleFileError, match="键 standing"):
        load_items([bad])


# --- one cache, fresh while the files are unchanged -----------------------------------


def test_the_cache_reads_once_and_again_when_a_file_is_edited(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    cache = RuleCache()
    first = cache.get(load_items, [shipped])
    assert cache.get(load_items, [shipped]) is first  # unchanged: not read again
    touch(shipped / "items.toml", LAW + entry("a", "甲（改）"))
    assert cache.get(load_items, [shipped])["a"][0] == "甲（改）"


def test_the_cache_sees_a_bureau_file_added_or_removed(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    bureau = tmp_path / "bureau"
    bureau.mkdir()
    cache = RuleCache()
    assert cache.get(load_items, [shipped, bureau])["a"][0] == "甲"
    before = bureau.stat().st_mtime_ns
    (bureau / "items.toml").write_text(LAW + entry("a", "本局"), encoding="utf-8")
    os.utime(bureau, ns=(before + 10**9, before + 10**9))
    assert cache.get(load_items, [shipped, bureau])["a"][0] == "本局"
    (bureau / "items.toml").unlink()
    assert cache.get(load_items, [shipped, bureau])["a"][0] == "甲"


def test_the_cache_is_keyed_by_the_folders(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    bureau = folder(tmp_path / "bureau", LAW + entry("a", "本局"))
    cache = RuleCache()
    assert cache.get(load_items, [shipped])["a"][0] == "甲"
    assert cache.get(load_items, [shipped, bureau])["a"][0] == "本局"
    assert cache.get(load_items, [shipped])["a"][0] == "甲"


def test_inside_one_request_the_files_are_checked_once(tmp_path, monkeypatch):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    cache = RuleCache()
    with checked_once():
        assert cache.get(load_items, [shipped])["a"][0] == "甲"
        stats = []
        monkeypatch.setattr(os, "stat", lambda p, *a, **k: stats.append(p))
        for _ in range(100):
            assert cache.get(load_items, [shipped])["a"][0] == "甲"
        monkeypatch.undo()
        assert stats == []  # asked 100 times, the files not looked at again
        touch(shipped / "items.toml", LAW + entry("a", "甲（改）"))
        assert cache.get(load_items, [shipped])["a"][0] == "甲"  # same request
        forget_checks()  # …unless the request wrote it itself
        assert cache.get(load_items, [shipped])["a"][0] == "甲（改）"
    touch(shipped / "items.toml", LAW + entry("a", "甲（再改）"))
    with checked_once():  # the next request
        assert cache.get(load_items, [shipped])["a"][0] == "甲（再改）"


def test_a_broken_edit_is_an_error_and_the_fix_is_read(tmp_path):
    shipped = folder(tmp_path / "shipped", LAW + entry("a", "甲"))
    cache = RuleCache()
    cache.get(load_items, [shipped])
    touch(shipped / "items.toml", LAW + entry("a", ""))
    with pytest.raises(RuleFileError, match="键 label"):
        cache.get(load_items, [shipped])
    touch(shipped / "items.toml", LAW + entry("a", "乙"))
    assert cache.get(load_items, [shipped])["a"][0] == "乙"


# --- the kit is the one reader --------------------------------------------------------


def test_no_module_outside_the_kit_reads_toml_itself():
    readers = []
    for path in FAZHI.rglob("*.py"):
        if KIT in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and n.split(".")[0] in TOML_MODULES for n in names):
                readers.append(str(path.relative_to(FAZHI)))
    assert readers == [], f"read rule files through fazhi.core.ruledata: {readers}"


def test_the_kit_and_the_rule_loaders_import_without_django():
    assert_runs_without_django(
        "import fazhi.core.ruledata\n"
        "from fazhi.deadlines.rules import load_rules\n"
        "from fazhi.disclosure.ruledata import load_disclosure_rules\n"
        "from fazhi.enforcement.cases import coercion, discretion, majority\n"
        "from fazhi.enforcement.cases import recording, surcharge\n"
        "from fazhi.enforcement.publicity import redact\n"
        "from fazhi.enforcement.supervision import file_review\n"
        "from fazhi.monitoring.judging import verdict_kinds_load\n"
        "from fazhi.disputes.rates import load_rates\n"
        "from fazhi.permits.kinds import load_kinds, load_rating_scale\n"
        "from fazhi.reports.registry import load_metric_defs\n"
        "from fazhi.learning.vocabulary import load_vocabulary\n"
        "for load in (load_rules, load_disclosure_rules, discretion.load_benchmark,\n"
        "             coercion.load_execution_rules, file_review.load_checklist,\n"
        "             majority.load_majority_rules, recording.load_acts,\n"
        "             redact.load_policy, surcharge.load_surcharge_rule,\n"
        "             verdict_kinds_load, load_rates, load_metric_defs,\n"
        "             load_vocabulary, load_rating_scale):\n"
        "    load()\n"
        "load_kinds()\n")

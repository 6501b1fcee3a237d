"""The metric registry as rule data: every metric the report needs, each defined in
words with its unit, kind and source; a bureau's rewording and unit change; errors
that name the file, the entry and the key; no Django."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.reports.registry import (
    KINDS,
    MODULES,
    MetricRuleError,
    load_metric_defs,
    unit_dimension,
)
from tests.purity import assert_runs_without_django

REQUIRED = """study.sessions study.attendances exams.sat exams.passed seminars.held
outreach.campaigns outreach.audience outreach.case_explanations permits.accepted
permits.issued permits.by_kind permits.on_time_rate permits.overdue permits.fees_yuan
permits.complaints tips.received tips.answered tips.answered_on_time_rate cases.filed
cases.closed cases.by_type cases.fines_imposed_yuan cases.fines_collected_yuan
cases.legal_reviews file_review.files supervision.rectification_items
reconsideration.received reconsideration.concluded reconsideration.corrected
reconsideration.correction_rate litigation.received litigation.concluded litigation.lost
litigation.loss_rate litigation.appearance_rate disclosure.requests disclosure.replied
disclosure.late patches.received patches.checked patches.illegal
patches.rectified""".split()


def override(tmp_path, text: str):
    (tmp_path / "metrics.toml").write_text(text, encoding="utf-8")
    return [tmp_path]


def test_the_registry_holds_every_metric_the_report_names():
    defs = load_metric_defs()
    assert set(REQUIRED) <= set(defs)


def test_every_metric_is_defined_in_words_with_unit_kind_module_and_source():
    for d in load_metric_defs().values():
        assert d.name and len(d.definition) >= 15, d.id
        assert d.kind in KINDS and d.module in MODULES, d.id
        assert unit_dimension(d.unit), d.id
        assert d.source, d.id
        assert d.status in ("confirmed", "unconfirmed", "system"), d.id


def test_rates_are_percentages_and_nothing_else_is():
    for d in load_metric_defs().values():
        assert (d.unit == "%") == (d.kind == "rate"), d.id


def test_a_definition_names_the_date_that_puts_a_matter_in_the_period():
    for d in load_metric_defs().values():
        assert "为准" in d.definition or "日期" in d.definition, d.id


def test_the_system_own_definitions_say_so_and_unconfirmed_ones_are_marked():
    defs = load_metric_defs()
    assert "本系统统计口径" in defs["cases.filed"].source
    assert defs["cases.filed"].status == "system"
    assert defs["litigation.appearance_rate"].status == "unconfirmed"
    assert defs["reconsideration.corrected"].status == "unconfirmed"
    assert "待核实" in defs["reconsideration.corrected"].source
    # staff read the sources: no docs paths, rule files or placeholder markers
    for d in defs.values():
        assert not any(w in d.source for w in ("docs/", ".toml", "UNCONFIRMED", "fazhi"))
    assert "国办公开办函〔2021〕30号" in defs["disclosure.requests"].source


def test_the_three_rates_count_by_the_disputes_rate_rules():
    defs = load_metric_defs()
    assert defs["reconsideration.correction_rate"].rate == "correction_rate"
    assert defs["litigation.loss_rate"].rate == "loss_rate"
    assert defs["litigation.appearance_rate"].rate == "appearance_rate"


def test_breakdowns_say_what_their_keys_are():
    defs = load_metric_defs()
    assert defs["permits.by_kind"].breakdown == "许可事项"
    assert defs["cases.by_type"].breakdown == "违法类型"
    assert defs["outreach.campaigns"].breakdown == "宣传对象"
    assert not defs["permits.issued"].breakdown


def test_a_bureau_rewords_a_definition_and_keeps_the_rest(tmp_path):
    dirs = override(tmp_path, '[[metric]]\nid = "cases.filed"\n'
                              'definition = "本局口径：以立案审批表的批准日期为准。"\n'
                              'note = "县局2025年口径"\n')
    d = load_metric_defs(dirs)["cases.filed"]
    assert d.definition == "本局口径：以立案审批表的批准日期为准。"
    assert d.note == "县局2025年口径"
    assert d.kind == "count" and d.unit == "件"
    assert "本系统统计口径" in d.source


def test_a_bureau_may_change_a_unit_within_its_dimension_and_the_value_scales(tmp_path):
    dirs = override(tmp_path, '[[metric]]\nid = "cases.fines_imposed_yuan"\n'
                              'unit = "万元"\n\n[[metric]]\nid = "cases.filed"\n'
                              'unit = "宗"\n')
    defs = load_metric_defs(dirs)
    assert defs["cases.fines_imposed_yuan"].unit == "万元"
    assert defs["cases.fines_imposed_yuan"].scale == Decimal(10000)
    assert defs["cases.filed"].unit == "宗" and defs["cases.filed"].scale == 1


def test_a_unit_of_another_dimension_is_refused_naming_the_metric(tmp_path):
    dirs = override(tmp_path, '[[metric]]\nid = "cases.filed"\nunit = "元"\n')
    with pytest.raises(MetricRuleError, match=r"cases\.filed.*unit 只能在同一量纲内"):
        load_metric_defs(dirs)


def test_an_override_may_not_change_what_is_counted(tmp_path):
    dirs = override(tmp_path, '[[metric]]\nid = "cases.filed"\nkind = "sum"\n')
    with pytest.raises(MetricRuleError, match=r"不能覆盖 \['kind'\]"):
        load_metric_defs(dirs)


def test_an_override_of_an_unknown_metric_is_refused(tmp_path):
    dirs = override(tmp_path, '[[metric]]\nid = "cases.invented"\nname = "臆造"\n')
    with pytest.raises(MetricRuleError, match="没有这项指标"):
        load_metric_defs(dirs)


def test_an_empty_definition_in_an_override_is_refused(tmp_path):
    dirs = override(tmp_path, '[[metric]]\nid = "cases.filed"\ndefinition = " "\n')
    with pytest.raises(MetricRuleError, match="definition 不能为空"):
        load_metric_defs(dirs)


def test_a_broken_file_is_named_in_the_error(tmp_path):
    dirs = override(tmp_path, "[[metric]\n")
    with pytest.raises(MetricRuleError, match=r"metrics\.toml：无法读取"):
        load_metric_defs(dirs)


def test_a_folder_without_the_file_changes_nothing(tmp_path):
    assert load_metric_defs([tmp_path]) == load_metric_defs()


def test_unit_dimensions():
    assert unit_dimension("件") == "number"
    assert unit_dimension("万元") == "money"
    assert unit_dimension("%") == "percent"
    assert unit_dimension("斤") is None


def test_the_registry_and_the_comparison_run_without_django():
    assert_runs_without_django(
        "from fazhi.reports.registry import load_metric_defs\n"
        "from fazhi.reports import compare\n"
        "assert len(load_metric_defs()) >= 42\n"
        "change = compare.year_on_year('rate', '%', 20, 17.5)\n"
        "assert change.text == '上升2.5个百分点'\n")

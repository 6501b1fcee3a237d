"""Baseline services and the ``fazhi baseline`` command: what is stored under which
metric, scope and roles, overwriting only when confirmed, audit, and the year-on-year
comparison reading the stored figures."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.reports import baseline as services
from fazhi.reports.extract import decode, extract
from fazhi.reports.metrics import metric_compare
from fazhi.reports.models import Baseline

DATA = Path(__file__).parent / "data"
SIMPLIFIED = DATA / "xiangtan_2024_simplified.txt"
SOURCE = "潭县自然资字〔2025〕79号"


def rows_of(name: str) -> dict[str, services.Row]:
    result = extract(decode((DATA / name).read_bytes()))
    return {r.metric_id: r for r in services.baseline_rows(result)}


def figures_of(name: str) -> dict[str, Decimal]:
    return {m: r.value for m, r in rows_of(name).items() if r.value is not None}


def stored(org, year) -> dict[str, Decimal]:
    return {b.metric_id: b.value for b in Baseline.objects.filter(org_unit=org,
                                                                  year=year)}


def test_a_report_maps_to_metric_ids_in_their_units():
    figures = figures_of("xiangtan_2024_simplified.txt")
    assert figures == {
        "study.sessions": 12,
        "permits.issued": 226,
        "permits.by_kind/乡村建设规划许可证": 126,
        "permits.by_kind/建设用地规划许可证": 38,
        "permits.by_kind/建设工程规划许可证": 45,
        "permits.by_kind/建设项目用地预审与选址意见书": 17,
        "permits.fees_yuan": 12345000,
        "permits.overdue": 0,
        "permits.complaints": 0,
        "reconsideration.received": 6,
        "reconsideration.concluded": 5,
        "reconsideration.correction_rate/change_pp": Decimal("-2.5"),
        "litigation.received": 9,
        "litigation.concluded": 7,
        "litigation.lost": 1,
        "litigation.loss_rate/change_pp": Decimal("-3.1"),
        "litigation.appearance_rate": 100,  # percent, as metric_value gives rates
    }


def test_the_permit_sum_is_left_out_when_a_kind_was_left_out():
    rows = rows_of("xiangtan_2024_ambiguous.txt")
    assert rows["permits.issued"].value is None
    assert "乡村建设规划许可证" in rows["permits.issued"].omitted
    assert rows["permits.by_kind/乡村建设规划许可证"].value is None
    assert rows["permits.by_kind/建设工程规划许可证"].value == 40
    assert "3至4" in rows["reconsideration.concluded"].omitted


def test_storing_a_report_writes_each_row_with_its_audit_and_sentence(people, orgs):
    figures = figures_of("xiangtan_2024_simplified.txt")
    notes = {m: r.sentence for m, r in rows_of("xiangtan_2024_simplified.txt").items()}
    changes = services.baseline_import(actor=people.xt_legal, org_unit=orgs["xt"],
                                       year=2024, figures=figures, source=SOURCE,
                                       notes=notes)
    assert {c.state for c in changes} == {"new"}
    assert stored(orgs["xt"], 2024) == figures
    row = Baseline.objects.get(org_unit=orgs["xt"], metric_id="litigation.lost")
    assert (row.source, row.entered_by) == (SOURCE, people.xt_legal)
    assert row.note.startswith("单位：件；原文：") and "败诉1件" in row.note
    events = AuditEvent.objects.filter(action="reports.baseline_store")
    assert events.count() == len(figures)
    assert {e.org_code for e in events} == {"430321"}
    assert audit.verify().ok


def test_the_year_on_year_comparison_reads_the_stored_baseline(people, orgs):
    services.baseline_import(actor=people.xt_legal, org_unit=orgs["xt"], year=2024,
                             figures=figures_of("xiangtan_2024_simplified.txt"),
                             source=SOURCE)
    sessions = metric_compare("study.sessions", org_unit=orgs["xt"], year=2025)
    assert (sessions.previous, sessions.previous_source) == (12, "baseline")
    assert SOURCE in sessions.previous_note
    rate = metric_compare("litigation.appearance_rate", org_unit=orgs["xt"], year=2025)
    assert rate.previous == 100
    kinds = metric_compare("permits.by_kind", org_unit=orgs["xt"], year=2025)
    assert kinds.breakdown["乡村建设规划许可证"].previous == 126


def test_another_county_or_a_role_without_the_right_is_refused(people, orgs):
    figures = {"study.sessions": 3}
    with pytest.raises(PermissionDenied, match="湘乡市自然资源局不在您的管辖范围内"):
        services.baseline_import(actor=people.xt_legal, org_unit=orgs["xx"],
                                 year=2024, figures=figures, source=SOURCE)
    with pytest.raises(PermissionDenied, match="法务人员、负责人或督察人员"):
        services.baseline_import(actor=people.xt_clerk, org_unit=orgs["xt"],
                                 year=2024, figures=figures, source=SOURCE)
    assert not Baseline.objects.exists()
    services.baseline_import(actor=people.city_principal, org_unit=orgs["xt"],
                             year=2024, figures=figures, source=SOURCE)
    assert stored(orgs["xt"], 2024) == {"study.sessions": 3}


def test_a_different_value_is_only_overwritten_when_confirmed(people, orgs):
    xt, actor = orgs["xt"], people.xt_supervisor
    services.baseline_import(actor=actor, org_unit=xt, year=2024,
                             figures={"study.sessions": 12}, source=SOURCE)
    new = {"study.sessions": 13, "litigation.lost": 1}
    changes = services.baseline_changes(actor=actor, org_unit=xt, year=2024,
                                        figures=new)
    assert [(c.state, c.old_shown) for c in changes] == [("changed", "12"),
                                                        ("new", "—")]
    with pytest.raises(ValidationError) as refused:
        services.baseline_import(actor=actor, org_unit=xt, year=2024, figures=new,
                                 source=SOURCE)
    assert "学法活动次数 12→13" in refused.value.message_dict["overwrite"][0]
    assert stored(xt, 2024) == {"study.sessions": 12}  # nothing, not even the new row
    services.baseline_import(actor=actor, org_unit=xt, year=2024, figures=new,
                             source="更正", overwrite=True)
    assert stored(xt, 2024) == {"study.sessions": 13, "litigation.lost": 1}
    event = AuditEvent.objects.get(action="reports.baseline_overwrite")
    assert '"before":{"value":"12.0000"}' in event.payload


def test_storing_the_same_value_again_changes_nothing(people, orgs):
    args = dict(actor=people.xt_legal, org_unit=orgs["xt"], year=2024,
                figures={"study.sessions": 12}, source=SOURCE)
    services.baseline_import(**args)
    changes = services.baseline_import(**args)
    assert [c.state for c in changes] == ["same"]
    assert AuditEvent.objects.filter(action__startswith="reports.baseline").count() == 1


@pytest.mark.parametrize(("figures", "message"), [
    ({"litigation.appearance_rate": 150}, "以百分数录入，须在0至100之间"),
    ({"study.sessions": "2.5"}, "是件数，须为整数"),
    ({"study.sessions": -1}, "不能为负数"),
    ({"study.sessions": "十二"}, "不是数字"),
    ({"no.such": 1}, "未知的指标“no.such”"),
    ({"study.sessions/change_pp": 1}, "不是比率，没有百分点变化"),
    ({"study.sessions/某项": 1}, "没有分项"),
    ({"litigation.loss_rate/change_pp": 120}, "须在−100至100个百分点之间"),
    ({}, "请至少填写一项"),
])
def test_a_bad_figure_is_refused_naming_the_metric_and_nothing_is_stored(
        people, orgs, figures, message):
    good = {"litigation.lost": 1}
    with pytest.raises(ValidationError, match=message):
        services.baseline_import(actor=people.xt_legal, org_unit=orgs["xt"],
                                 year=2024, figures=good | figures if figures else {},
                                 source=SOURCE)
    assert not Baseline.objects.exists()


def test_a_future_year_or_a_missing_source_is_refused(people, orgs):
    args = dict(actor=people.xt_legal, org_unit=orgs["xt"],
                figures={"study.sessions": 1})
    with pytest.raises(ValidationError, match="基期是已结束的年度"):
        services.baseline_import(**args, year=2999, source=SOURCE)
    with pytest.raises(ValidationError, match="请写明数据来源"):
        services.baseline_import(**args, year=2024, source="  ")


def test_the_list_shows_only_the_callers_subtree(people, orgs):
    for org, actor in ((orgs["xt"], people.xt_legal), (orgs["xx"], people.xx_legal)):
        services.baseline_import(actor=actor, org_unit=org, year=2024,
                                 figures={"study.sessions": 5}, source=SOURCE)
    assert {b.org_unit for b in services.baseline_list(actor=people.xt_legal)} == {
        orgs["xt"]}
    assert services.baseline_list(actor=people.city_principal).count() == 2


# --- the command ---------------------------------------------------------------------


def test_extract_prints_the_json_of_a_file():
    out = io.StringIO()
    call_command("baseline", "extract", str(SIMPLIFIED), "--json", stdout=out)
    assert json.loads(out.getvalue()) == extract(SIMPLIFIED.read_text()).figures


def test_the_fazhi_command_reads_a_gb18030_file_without_a_database():
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    done = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "baseline", "extract",
         str(DATA / "xiangtan_2022_gb18030.txt"), "--json"],
        capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    figures = json.loads(done.stdout.decode("utf-8"))
    assert figures["permits"] == {"乡村建设规划许可证": 86, "采矿许可证": 3}


def test_extract_without_json_names_each_sentence_and_what_was_left_out():
    out = io.StringIO()
    call_command("baseline", "extract", str(DATA / "xiangtan_2024_ambiguous.txt"),
                 stdout=out)
    text = out.getvalue()
    assert "行政机关负责人出庭应诉率：85.7 %" in text
    assert "报告年度：2024" in text and "organisation" not in text
    assert "未填入 学法活动次数：出现不同数值：12、14" in text
    # Each candidate not taken, with its reason and its sentence.
    assert ("未采用 超期办件数：0（表述为目标或计划，不是当年实际数）\n"
            "    原文：全年力争实现审批办件零超期。") in text


def test_import_shows_the_figures_asks_and_stores(people, orgs, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    out = io.StringIO()
    call_command("baseline", "import", str(SIMPLIFIED), "--org", "430321",
                 "--user", "xt_legal", stdout=out)
    text = out.getvalue()
    assert "湘潭县自然资源局 2024 年基期数据（来源：潭县自然资字〔2025〕79号" in text
    assert "学法活动次数：12 次 [新增]" in text and "已存入 17 项" in text
    assert stored(orgs["xt"], 2024)["permits.fees_yuan"] == 12345000


def test_import_answered_no_stores_nothing(people, orgs, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    out = io.StringIO()
    call_command("baseline", "import", str(SIMPLIFIED), "--org", "430321",
                 "--year", "2024", "--user", "xt_legal", stdout=out)
    assert "已放弃" in out.getvalue() and not Baseline.objects.exists()


def test_import_with_yes_overwrites_and_refuses_outside_the_subtree(people, orgs):
    services.baseline_import(actor=people.xt_legal, org_unit=orgs["xt"], year=2024,
                             figures={"study.sessions": 11}, source="手工录入")
    out = io.StringIO()
    call_command("baseline", "import", str(SIMPLIFIED), "--org", "430321",
                 "--year", "2024", "--user", "xt_principal", "--yes", stdout=out)
    assert "学法活动次数：12 次 [将覆盖]（原值 11）" in out.getvalue()
    assert stored(orgs["xt"], 2024)["study.sessions"] == 12
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不在您的管辖范围内"):
        call_command("baseline", "import", str(SIMPLIFIED), "--org", "430381",
                     "--user", "xt_legal", "--yes", stdout=io.StringIO())

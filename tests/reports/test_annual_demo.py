"""The past-year demo: last year's window work, disclosure requests and cases played
through the services, the year before's baselines, and a report of that year whose
figures come from them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn

from fazhi.deadlines.models import Clock
from fazhi.reports.annual_demo import BASELINE, load
from fazhi.reports.metrics import metric_compare, metric_value
from fazhi.reports.models import Baseline
from tests.reports.test_annual_pages import check_figures_equal_metrics

pytestmark = pytest.mark.demo

YEAR = dt.date.today().year - 1


def test_demo_plays_last_year_and_leaves_no_clock_of_it_running(people):
    added = load(prefix="xt")
    assert added > 30
    org = people.xt_clerk.org_unit
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    for mid in ("permits.accepted", "permits.issued", "disclosure.requests",
                "disclosure.late", "cases.filed", "cases.closed",
                "cases.fines_collected_yuan", "tips.received", "tips.answered"):
        assert metric_value(mid, org_unit=org, start=first, end=last).value, mid
    assert metric_value("permits.overdue", org_unit=org, start=first, end=last
                        ).value == 1
    # The party's statement and hearing windows are left by the enforcement
    # module to lapse; every duty of the bureau's is done.
    running = Clock.objects.filter(start_date__year=YEAR,
                                   state__in=("running", "paused")).exclude(
        rule_id__in=("penalty.statement", "penalty.hearing_request"))
    assert not running.exists(), list(running.values_list("title", flat=True))
    assert load(prefix="xt") == 0


def test_demo_baselines_give_last_year_a_comparison(people):
    load(prefix="xt")
    org = people.xt_clerk.org_unit
    assert set(Baseline.objects.filter(org_unit=org, year=YEAR - 1).values_list(
        "metric_id", flat=True)) == set(BASELINE)
    comp = metric_compare("permits.accepted", org_unit=org, year=YEAR)
    assert comp.previous_source == "baseline" and comp.previous == 21


def test_report_of_the_demo_year_states_the_demo_figures(people, tmp_path):
    load(prefix="xt")
    out = tmp_path / "report.docx"
    call_command("report", "annual", "--org", "430321", "--year", str(YEAR),
                 "--out", str(out))
    org = people.xt_clerk.org_unit
    assert check_figures_equal_metrics(out.read_bytes(), org, YEAR) > 30
    text = "".join(t.text for t in Document(io.BytesIO(out.read_bytes())).element
                   .body.iter(qn("w:t")))
    assert "审批窗口全年受理行政许可申请22件，同比增长4.8%（增加1件）" in text

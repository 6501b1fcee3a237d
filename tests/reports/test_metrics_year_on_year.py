"""Year on year: last year's figure from the records when the subtree has records of
that kind dated in that year, else a baseline (the report's own, or the disputes
module's for the three rates), else none — and the change in the report's words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from fazhi.disputes import review, services
from fazhi.reports.metrics import metric_compare
from fazhi.reports.models import Baseline


def on(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def recon(actor, n, day, outcome="", concluded=None):
    with on(day):
        item = services.reconsideration_register(
            actor=actor, number=f"潭府复〔{day.year}〕{n}号", applicant_name="李四",
            body="湘潭县人民政府", challenged_act="行政处罚决定", copy_received_on=day)
    if outcome:
        with on(concluded or day):
            services.reconsideration_conclude(item=item, actor=actor, outcome=outcome,
                                              concluded_on=concluded or day)
    return item


def baseline(org, year, metric_id, value, user, source="潭县自然资字〔2025〕12号"):
    return Baseline.objects.create(org_unit=org, year=year, metric_id=metric_id,
                                   value=Decimal(value), source=source,
                                   entered_by=user)


@pytest.fixture
def legal(people):
    return people.xt_legal


def test_last_years_records_give_last_years_figure(legal, orgs):
    recon(legal, 1, dt.date(2024, 6, 3), "upheld")
    recon(legal, 1, dt.date(2025, 3, 3), "revoked")
    recon(legal, 2, dt.date(2025, 4, 7), "upheld")
    c = metric_compare("reconsideration.received", org_unit=orgs["xt"], year=2025)
    assert (c.current.value, c.previous, c.previous_source) == (2, 1, "records")
    assert c.change_text == "增长100.0%（增加1件）"
    assert c.previous_value.records[0].on == dt.date(2024, 6, 3)
    rate = metric_compare("reconsideration.correction_rate", org_unit=orgs["xt"],
                          year=2025)
    assert rate.current.value == Decimal("50") and rate.previous == Decimal("0")
    assert rate.change_text == "上升50.0个百分点"


def test_records_of_the_kind_win_over_a_baseline_even_when_the_figure_is_zero(
        legal, orgs):
    recon(legal, 1, dt.date(2024, 6, 3), "upheld")
    recon(legal, 1, dt.date(2025, 3, 3), "revoked")
    baseline(orgs["xt"], 2024, "reconsideration.corrected", "3", legal)
    c = metric_compare("reconsideration.corrected", org_unit=orgs["xt"], year=2025)
    assert (c.previous, c.previous_source) == (0, "records")
    assert c.change_text == "增加1件"


def test_a_year_without_records_takes_the_baseline_and_says_where_from(legal, orgs):
    recon(legal, 1, dt.date(2025, 3, 3))
    baseline(orgs["xt"], 2024, "litigation.received", "4", legal)
    baseline(orgs["xt"], 2024, "reconsideration.received", "4", legal)
    c = metric_compare("reconsideration.received", org_unit=orgs["xt"], year=2025)
    assert (c.previous, c.previous_source) == (4, "baseline")
    assert "潭县自然资字〔2025〕12号" in c.previous_note
    assert c.change_text == "下降75.0%（减少3件）"
    assert c.previous_shown == "4件"


def test_a_rate_baseline_is_a_percentage_and_changes_in_points(legal, orgs):
    baseline(orgs["xt"], 2024, "litigation.appearance_rate", "85.1", legal)
    c = metric_compare("litigation.appearance_rate", org_unit=orgs["xt"], year=2025)
    assert c.current.value is None and c.previous == Decimal("85.1")
    assert c.change_text == "—"  # nothing heard this year: no figure, no change


def test_the_disputes_rate_baselines_stand_in_for_the_three_rates(legal, orgs):
    recon(legal, 1, dt.date(2025, 3, 3), "revoked")
    recon(legal, 2, dt.date(2025, 3, 4), "upheld")
    recon(legal, 3, dt.date(2025, 3, 5), "upheld")
    recon(legal, 4, dt.date(2025, 3, 6), "upheld")
    review.baseline_enter(actor=legal, year=2024, rate_id="correction_rate",
                          numerator=1, denominator=5, source="2024年度报告")
    c = metric_compare("reconsideration.correction_rate", org_unit=orgs["xt"],
                       year=2025)
    assert c.previous == Decimal("20") and c.previous_source == "baseline"
    assert "2024年度报告" in c.previous_note
    assert c.change_text == "上升5.0个百分点"


def test_a_breakdown_baseline_entered_by_parts_adds_up_and_compares_each_part(
        legal, orgs):
    baseline(orgs["xt"], 2024, "permits.by_kind/乡村建设规划许可证", "120", legal)
    baseline(orgs["xt"], 2024, "permits.by_kind/建设工程规划许可证", "30", legal)
    c = metric_compare("permits.by_kind", org_unit=orgs["xt"], year=2025)
    assert c.previous == 150 and c.previous_source == "baseline"
    assert c.current.value == 0 and c.change_text == "下降100.0%（减少150件）"
    part = c.breakdown["乡村建设规划许可证"]
    assert part.previous == 120 and part.current.id.endswith("/乡村建设规划许可证")
    one = metric_compare("permits.by_kind/建设工程规划许可证", org_unit=orgs["xt"],
                         year=2025)
    assert one.previous == 30


def test_no_records_and_no_baseline_is_no_comparison(orgs, db):
    c = metric_compare("cases.filed", org_unit=orgs["xt"], year=2025)
    assert c.previous is None and c.previous_source is None
    assert c.change_text == "—" and c.previous_shown == "—"


def test_a_baseline_of_another_unit_is_not_used(legal, orgs, people):
    baseline(orgs["xx"], 2024, "reconsideration.received", "9", people.xx_legal)
    c = metric_compare("reconsideration.received", org_unit=orgs["xt"], year=2025)
    assert c.previous is None

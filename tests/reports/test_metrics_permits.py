"""Permit metrics over applications made through the window's services: each figure
is the number (or sum) of the records it lists, the records are the subtree's, and
the figures equal the window's own statistics page for the same period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.permits import services, stats
from fazhi.reports.metric_queries import OrgScope
from fazhi.reports.metrics import metric_value
from tests.permits.conftest import (  # noqa: F401
    MON,
    accepted,
    approved,
    clerk,
    decided,
    kinds,
    on,
    provide_all,
    registered,
    signed,
    xx_kinds,
)

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
LATE_DAY = dt.date(2025, 10, 20)  # past the 20 working days from MON


def value(metric_id, org, period=Y2025):
    return metric_value(metric_id, org_unit=org, start=period[0], end=period[1])


def pks(mv) -> set[int]:
    return {int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in mv.records}


@pytest.fixture
def window(people, kinds, xx_kinds, clerk, accepted, approved,  # noqa: F811
           registered, decided, signed):  # noqa: F811
    """湘潭县: two rural permits on time (one certified), one late, one refused, a
    red-line map with its fee, one still open; 湘乡市: one rural permit."""
    ontime = approved("rural_planning", day=dt.date(2025, 9, 10))
    with on(dt.date(2025, 9, 12)):
        services.certificate_issue(application=ontime, actor=clerk,
                                   issued_on=dt.date(2025, 9, 12))
    second = approved("rural_planning", day=dt.date(2025, 9, 15))
    late = approved("rural_planning", day=LATE_DAY)
    refused = decided(accepted("rural_planning"), "refuse", "不符合村庄规划",
                      day=dt.date(2025, 9, 20))
    red = approved("red_line", day=dt.date(2025, 9, 10))
    with on(dt.date(2025, 9, 11)):
        services.fee_record(application=red, actor=clerk, amount=Decimal("1200.50"),
                            receipt_number="湘财001", paid_on=dt.date(2025, 9, 11))
        services.rating_record(application=red, score=1, comment="等太久",
                               channel="window", actor=clerk)
    still_open = accepted("rural_planning")
    xx = people.xx_clerk
    with on(MON):
        other = services.application_register(
            actor=xx, kind=xx_kinds["rural_planning"], applicant_name="赵六",
            applicant_kind="person", project_name="赵六自建住房",
            location="湘乡市某村", received_on=MON, clerk=xx)
    provide_all(other, xx)
    with on(MON):
        services.application_accept(application=other, actor=xx, accepted_on=MON)
    other = signed(other, day=dt.date(2025, 9, 5))
    with on(dt.date(2025, 9, 5)):
        services.application_approve(application=other, actor=xx,
                                     decided_on=dt.date(2025, 9, 5))
    return dict(ontime=ontime, second=second, late=late, refused=refused, red=red,
                open=still_open, other=other)


def test_issued_counts_the_approvals_decided_in_the_period_and_lists_them(
        window, orgs):
    mv = value("permits.issued", orgs["xt"])
    expected = {window[k].pk for k in ("ontime", "second", "late", "red")}
    assert pks(mv) == expected and mv.value == len(mv.records) == 4
    assert mv.has_data
    assert all(r.url.startswith("/permits/") for r in mv.records)


def test_a_city_sees_its_counties_and_a_county_not_its_neighbour(window, orgs):
    assert window["other"].pk not in pks(value("permits.issued", orgs["xt"]))
    assert window["other"].pk in pks(value("permits.issued", orgs["city"]))
    assert pks(value("permits.issued", orgs["xx"])) == {window["other"].pk}


def test_by_kind_breaks_the_approvals_down_by_the_kind_name(window, orgs):
    mv = value("permits.by_kind", orgs["xt"])
    assert mv.value == 4
    rural, red = mv.breakdown["乡村建设规划许可证"], mv.breakdown["用地红线图"]
    assert rural.value == len(rural.records) == 3 and red.value == 1
    assert rural.id == "permits.by_kind/乡村建设规划许可证"
    entry = value("permits.by_kind/用地红线图", orgs["xt"])
    assert pks(entry) == {window["red"].pk}


def test_a_kind_with_nothing_decided_is_zero_not_an_error(window, orgs):
    entry = value("permits.by_kind/建设用地批准书", orgs["xt"])
    assert entry.value == 0 and entry.records == [] and not entry.has_data


def test_the_on_time_rate_counts_decisions_and_certificates_within_the_limit(
        window, orgs):
    # On 1 December the approvals of September and October still lack their
    # certificates, due 10 working days after each decision: they are late too.
    with on(dt.date(2025, 12, 1)):
        mv = value("permits.on_time_rate", orgs["xt"])
    assert mv.denominator == len(mv.records) == 5  # four approvals and one refusal
    assert mv.numerator == 2  # certified on time, and the refusal
    assert mv.value == Decimal("40")
    late = {r.label.split()[0] for r in mv.records if not r.in_numerator}
    assert late == {window[k].number for k in ("late", "second", "red")}


def test_overdue_lists_late_decisions_certificates_and_open_applications(
        window, orgs):
    with on(dt.date(2025, 12, 1)):
        mv = value("permits.overdue", orgs["xt"])
    assert pks(mv) == {window[k].pk for k in ("late", "open", "second", "red")}
    assert mv.value == 4


def test_fees_add_up_the_amounts_paid_in_the_period(window, orgs):
    mv = value("permits.fees_yuan", orgs["xt"])
    assert mv.value == Decimal("1200.50")
    assert mv.value == sum(r.amount for r in mv.records)
    assert pks(mv) == {window["red"].pk}


def test_complaints_count_the_bad_ratings(window, orgs):
    mv = value("permits.complaints", orgs["xt"])
    assert pks(mv) == {window["red"].pk} and mv.value == 1


def test_certified_and_accepted_use_their_own_dates(window, orgs):
    assert pks(value("permits.certified", orgs["xt"])) == {window["ontime"].pk}
    assert value("permits.accepted", orgs["xt"]).value == 6
    september = (dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert value("permits.issued", orgs["xt"], september).value == 3  # late: October


def test_the_figures_equal_the_window_statistics_page(window, orgs, people):
    total = stats.window_stats(actor=people.xt_principal, period=Y2025)[-1]
    xt = orgs["xt"]
    assert value("permits.accepted", xt).value == total.counts["accepted"]
    assert value("permits.issued", xt).value == total.counts["approved"]
    assert value("permits.decided", xt).value == total.counts["decided"]
    assert value("permits.certified", xt).value == total.counts["certified"]
    assert value("permits.complaints", xt).value == total.counts["bad_rating"]
    assert value("permits.fees_yuan", xt).value == total.fees
    assert value("permits.on_time_rate", xt).shown == total.on_time_rate
    avg = value("permits.average_days", xt)
    assert float(avg.value) == pytest.approx(total.avg_days)
    assert avg.value == Decimal(sum(r.amount for r in avg.records)) / len(avg.records)


def test_a_period_with_nothing_has_no_data_and_no_rate(window, orgs):
    empty = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert value("permits.issued", orgs["xt"], empty).value == 0
    rate = value("permits.on_time_rate", orgs["xt"], empty)
    assert rate.value is None and not rate.has_data and rate.shown == "—"


def test_the_org_scope_stands_for_a_caller_of_the_subtree(orgs):
    # The apps' scoped selectors read only these two attributes of their caller.
    scope = OrgScope(orgs["xt"])
    assert scope.is_authenticated and scope.org_unit.path.endswith("430321/")

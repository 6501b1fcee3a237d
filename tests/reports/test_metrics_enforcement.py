"""Enforcement, tip and supervision metrics over cases, leads and file reviews made
through the enforcement services: counts equal their records, sums add the records'
amounts, breakdowns use the violation's name, and a county sees only its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.enforcement.cases import execution, services
from fazhi.enforcement.leads import services as leads
from fazhi.enforcement.supervision import services as supervision
from fazhi.reports.metrics import metric_value
from tests.enforcement.conftest import (  # noqa: F401
    DECIDED_ON,
    MON,
    decided,
    filed,
    officer2,
    on,
)

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
PAID_ON = dt.date(2025, 9, 20)
REVIEW_DAY = dt.date(2025, 9, 25)


def value(metric_id, org, period=Y2025):
    return metric_value(metric_id, org_unit=org, start=period[0], end=period[1])


def ids(mv) -> list[int]:
    return [int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in mv.records]


@pytest.fixture
def cases(people, filed, decided):  # noqa: F811
    """湘潭县: a filed case, a mining case, a decided one (1000 yuan) paid and closed,
    a decided one (3000 yuan) unpaid; 湘乡市: one filed case."""
    only_filed = filed()
    mining = filed(violation_type="unlicensed_mining", land_class="", area_m2=None,
                   ore_value_yuan=Decimal("5000"))
    paid = decided(fine="1000", served=True)
    with on(PAID_ON):
        execution.case_record_payment(case=paid, actor=people.xt_officer,
                                     paid_on=PAID_ON)
        services.case_propose_closure(case=paid, actor=people.xt_officer)
        services.case_close(case=paid, actor=people.xt_principal)
    unpaid = decided(fine="3000", served=True)
    with on(MON):
        other = services.case_file(
            actor=people.xx_officer, officers=[people.xx_officer, people.xx_officer2],
            violation_type="illegal_occupation", party_name="钱七",
            party_kind="person", facts_summary="未经批准占地建房",
            location="湘乡市某村", area_m2=Decimal("50"), land_class="farmland")
        other = services.case_approve_filing(case=other, actor=people.xx_principal)
    return dict(filed=only_filed, mining=mining, paid=paid, unpaid=unpaid, other=other)


def test_cases_filed_are_the_cases_approved_for_filing_in_the_period(cases, orgs):
    mv = value("cases.filed", orgs["xt"])
    assert sorted(ids(mv)) == sorted(cases[k].pk for k in
                                     ("filed", "mining", "paid", "unpaid"))
    assert mv.value == len(mv.records) == 4
    assert all(r.on == MON for r in mv.records)
    assert cases["other"].pk in ids(value("cases.filed", orgs["city"]))
    assert ids(value("cases.filed", orgs["xx"])) == [cases["other"].pk]


def test_cases_by_type_use_the_violation_names_of_the_benchmark(cases, orgs):
    mv = value("cases.by_type", orgs["xt"])
    assert mv.value == 4
    assert {k: v.value for k, v in mv.breakdown.items()} == {
        "非法占用土地（含占用耕地建房）": 3, "无证开采": 1}
    mining = mv.breakdown["无证开采"]
    assert ids(mining) == [cases["mining"].pk]


def test_fines_imposed_add_up_the_decisions_of_the_period(cases, orgs):
    mv = value("cases.fines_imposed_yuan", orgs["xt"])
    assert mv.value == Decimal("4000") == sum(r.amount for r in mv.records)
    assert sorted(ids(mv)) == sorted([cases["paid"].pk, cases["unpaid"].pk])
    assert all(r.on == DECIDED_ON for r in mv.records)


def test_fines_collected_add_up_what_was_paid_in_the_period(cases, orgs):
    mv = value("cases.fines_collected_yuan", orgs["xt"])
    assert mv.value == Decimal("1000") and ids(mv) == [cases["paid"].pk]
    october = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert value("cases.fines_collected_yuan", orgs["xt"], october).value == 0


def test_closed_cases_and_legal_reviews(cases, orgs):
    assert ids(value("cases.closed", orgs["xt"])) == [cases["paid"].pk]
    reviews = value("cases.legal_reviews", orgs["xt"])
    assert reviews.value == len(reviews.records) == 2
    assert all("通过" in r.label and r.on == DECIDED_ON for r in reviews.records)
    assert value("cases.legal_reviews", orgs["xx"]).value == 0


def test_file_reviews_and_their_rectification_items(cases, orgs, people):
    with on(REVIEW_DAY):
        review = supervision.file_review_record(
            case=cases["paid"], actor=people.xt_supervisor, deductions=[],
            opinion="基本规范")
        item = supervision.rectification_issue(
            review=review, actor=people.xt_supervisor, description="补齐送达回证",
            responsible=people.xt_officer2, deadline=dt.date(2025, 10, 10))
    done = dt.date(2025, 10, 8)
    with on(done):
        supervision.rectification_complete(item=item, actor=people.xt_officer2,
                                           completed_on=done, note="已补齐")
    files = value("file_review.files", orgs["xt"])
    assert ids(files) == [review.pk] and files.records[0].on == REVIEW_DAY
    items = value("supervision.rectification_items", orgs["xt"])
    assert items.value == 1 and ids(items) == [review.pk]  # the review's page
    assert "补齐送达回证" in items.records[0].label
    completed = value("supervision.rectification_completed", orgs["xt"])
    assert completed.value == 1 and completed.records[0].on == done
    assert value("file_review.files", orgs["xx"]).value == 0


@pytest.fixture
def tips(people):
    """Three tips of 湘潭县 received MON (one anonymous), one of 湘乡市."""

    def register(actor, **extra):
        fields = dict(source="tip", channel="phone", received_on=MON,
                      location="某镇某村", description="耕地上挖塘建房",
                      assignee=actor, tipster_name="王举报", tipster_phone="139")
        fields.update(extra)
        with on(MON):
            return leads.lead_register(actor=actor, **fields)

    xt = people.xt_officer
    made = [register(xt), register(xt), register(xt, tipster_name="",
                                                  tipster_phone="",
                                                  tipster_anonymous=True)]
    patrol = None
    with on(MON):
        patrol = leads.lead_register(actor=xt, source="patrol", received_on=MON,
                                     location="某镇", description="巡查发现",
                                     assignee=xt)
    return made, patrol, register(people.xx_officer)


def answer(lead, actor, day):
    with on(day):
        leads.lead_check(lead=lead, actor=actor, checked_on=day,
                         findings="现场未见挖塘")
        leads.lead_close(lead=lead, actor=actor, reason="经核查不属实")
        leads.lead_answer(lead=lead, actor=actor, answered_on=day,
                          answer="经核查不属实", method="phone")


def test_tips_received_count_the_citizens_tips_only(tips, orgs):
    made, patrol, other = tips
    mv = value("tips.received", orgs["xt"])
    assert sorted(ids(mv)) == sorted(t.pk for t in made)
    assert patrol.pk not in ids(mv) and other.pk not in ids(mv)
    assert all(r.url.startswith("/enforcement/leads/") for r in mv.records)
    assert all("王举报" not in r.label for r in mv.records)  # the tipster is protected


def test_tips_answered_and_the_on_time_rate(tips, orgs, people):
    made, _, _ = tips
    officer = people.xt_officer
    answer(made[0], officer, dt.date(2025, 9, 20))  # within 60 days
    answer(made[1], officer, dt.date(2025, 11, 20))  # after 2025-10-31
    answered = value("tips.answered", orgs["xt"])
    assert sorted(ids(answered)) == sorted([made[0].pk, made[1].pk])
    rate = value("tips.answered_on_time_rate", orgs["xt"])
    assert (rate.numerator, rate.denominator) == (1, 2) and rate.value == Decimal("50")
    assert [r.in_numerator for r in rate.records] == [True, False]


def test_a_bureau_showing_fines_in_ten_thousands_gets_the_same_fines_scaled(
        cases, orgs, settings, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "metrics.toml").write_text(
        '[[metric]]\nid = "cases.fines_imposed_yuan"\nunit = "万元"\n'
        'definition = "本局口径：决定罚款金额，以决定日期为准，单位万元。"\n',
        encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    mv = value("cases.fines_imposed_yuan", orgs["xt"])
    assert mv.unit == "万元" and mv.value == Decimal("0.4") and mv.shown == "0.40万元"
    assert mv.definition.definition.startswith("本局口径")
    assert len(mv.records) == 2  # the same decisions

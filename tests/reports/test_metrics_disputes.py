"""Reconsideration and litigation metrics over matters recorded through the disputes
services: the three rates are the disputes module's own (same numerator, denominator
and matters as its 三率 page), the counts equal their records, a county sees its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from fazhi.disputes import services
from fazhi.reports.metric_queries import OrgScope
from fazhi.reports.metrics import metric_defs, metric_value

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
MON = dt.date(2025, 9, 1)


def on(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def value(metric_id, org, period=Y2025):
    return metric_value(metric_id, org_unit=org, start=period[0], end=period[1])


def ids(mv) -> set[int]:
    return {int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in mv.records}


def recon(actor, n, outcome, concluded=dt.date(2025, 11, 3)):
    with on(MON):
        item = services.reconsideration_register(
            actor=actor, number=f"潭府复〔2025〕{n}号", applicant_name="李四",
            body="湘潭县人民政府", challenged_act="行政处罚决定", copy_received_on=MON)
    if outcome:
        with on(concluded):
            services.reconsideration_conclude(item=item, actor=actor, outcome=outcome,
                                              concluded_on=concluded)
    return item


def suit(actor, n, result="", heard=(), principal=None, served=dt.date(2025, 11, 10)):
    with on(MON):
        item = services.lawsuit_register(
            actor=actor, court="湘潭县人民法院", case_number=f"（2025）湘0321行初{n}号",
            plaintiff="王五", challenged_act="不予许可决定", complaint_received_on=MON)
    for day, appeared in heard:
        with on(day):
            services.hearing_record(
                suit=item, actor=actor, held_on=day, attendees="法务、律师",
                principal_appeared=appeared, principal=principal if appeared else None,
                absence_reason="" if appeared else "外出开会")
    if result:
        with on(served):
            services.lawsuit_conclude(suit=item, actor=actor, result=result,
                                      instrument="judgment", served_on=served,
                                      on_merits=True)
    return item


@pytest.fixture
def matters(people):
    legal = people.xt_legal
    r = {o: recon(legal, i, o) for i, o in enumerate(
        ["upheld", "revoked", "varied", "withdrawn", ""], 1)}
    boss = people.xt_principal
    s = {
        "won": suit(legal, 1, "won", [(dt.date(2025, 10, 9), True)], boss),
        "lost": suit(legal, 2, "lost", [(dt.date(2025, 10, 10), False)]),
        "open": suit(legal, 3, "", [(dt.date(2025, 10, 13), True)], boss),
        "unheard": suit(legal, 4, "withdrawn"),
    }
    other = recon(people.xx_legal, 9, "revoked")
    return r, s, other


def test_reconsiderations_received_and_concluded(matters, orgs):
    r, _, other = matters
    received = value("reconsideration.received", orgs["xt"])
    assert ids(received) == {x.pk for x in r.values()} and received.value == 5
    concluded = value("reconsideration.concluded", orgs["xt"])
    assert concluded.value == len(concluded.records) == 4
    assert other.pk in ids(value("reconsideration.received", orgs["city"]))
    assert other.pk not in ids(received)


def test_the_correction_rate_counts_by_the_disputes_rule(matters, orgs):
    r, _, _ = matters
    rate = value("reconsideration.correction_rate", orgs["xt"])
    # withdrawn is outside the denominator; revoked and varied correct the bureau
    assert ids(rate) == {r["upheld"].pk, r["revoked"].pk, r["varied"].pk}
    assert (rate.numerator, rate.denominator) == (2, 3)
    assert rate.value == Decimal("66.6667") and rate.shown == "66.7%"
    corrected = value("reconsideration.corrected", orgs["xt"])
    assert ids(corrected) == {r["revoked"].pk, r["varied"].pk}
    assert {x.url for x in rate.numerator_records} == {x.url for x in
                                                       corrected.records}


def test_the_loss_and_appearance_rates(matters, orgs):
    _, s, _ = matters
    loss = value("litigation.loss_rate", orgs["xt"])
    assert ids(loss) == {s["won"].pk, s["lost"].pk, s["unheard"].pk}
    assert (loss.numerator, loss.denominator) == (1, 3)
    assert ids(value("litigation.lost", orgs["xt"])) == {s["lost"].pk}
    appear = value("litigation.appearance_rate", orgs["xt"])
    assert ids(appear) == {s["won"].pk, s["lost"].pk, s["open"].pk}
    assert (appear.numerator, appear.denominator) == (2, 3)
    heard = {x.label.rsplit("（", 1)[0]: x.on for x in appear.records}
    assert heard[f"湘潭县人民法院{s['lost'].case_number}"] == dt.date(2025, 10, 10)
    assert all("王五" not in x.label for x in appear.records)  # no plaintiff's name


def test_the_rates_equal_the_disputes_three_rates_page(matters, orgs):
    results = {x.rate.id: x for x in services.rates_for(
        actor=OrgScope(orgs["xt"]), period=Y2025)}
    for metric_id, rate_id in (("reconsideration.correction_rate", "correction_rate"),
                               ("litigation.loss_rate", "loss_rate"),
                               ("litigation.appearance_rate", "appearance_rate")):
        mv = value(metric_id, orgs["xt"])
        assert mv.numerator == len(results[rate_id].numerator)
        assert mv.denominator == len(results[rate_id].denominator)
        assert mv.shown == results[rate_id].shown


def test_lawsuits_received_and_concluded(matters, orgs):
    _, s, _ = matters
    assert value("litigation.received", orgs["xt"]).value == 4
    assert ids(value("litigation.concluded", orgs["xt"])) == {
        s["won"].pk, s["lost"].pk, s["unheard"].pk}
    assert value("litigation.received", orgs["xx"]).value == 0


def test_a_rate_takes_the_source_of_its_disputes_rule(db):
    d = metric_defs()["litigation.appearance_rate"]
    assert "法释〔2020〕3号" in d.source and d.status == "unconfirmed"
    assert "开庭日期" in d.note

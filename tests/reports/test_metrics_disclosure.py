"""Disclosure metrics over requests made through the disclosure services: a calendar
year's figures are table 3 of the OGI annual report (the same requests), any other
period uses the same test, and late replies are those past their clock."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.disclosure import services
from fazhi.disclosure.stats import ogi_table_for
from fazhi.reports.metrics import metric_value
from tests.disclosure.conftest import head, officer, on, register  # noqa: F401

D = dt.date
Y2025 = (D(2025, 1, 1), D(2025, 12, 31))


def value(metric_id, org, period=Y2025):
    return metric_value(metric_id, org_unit=org, start=period[0], end=period[1])


def ids(mv) -> set[int]:
    return {int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in mv.records}


def reply(request, actor, day):
    with on(day):
        services.request_reply(request=request, actor=actor, outcome="disclose",
                               replied_on=day, reply_summary="予以公开")


@pytest.fixture
def requests(register, officer, people):  # noqa: F811
    """2025: replied in March, replied late in June, open at year end, one from
    2024 replied in January; 湘乡市: one received in 2025."""
    march = register(received=D(2025, 3, 3))
    late = register(received=D(2025, 5, 6), requester_category="business")
    still_open = register(received=D(2025, 12, 22))
    old = register(received=D(2024, 12, 23))
    reply(march, officer, D(2025, 3, 10))
    reply(late, officer, D(2025, 6, 30))  # 20 working days ran out in early June
    reply(old, officer, D(2025, 1, 10))
    xx = people.xx_disclosure
    with on(D(2025, 4, 1)):
        other = services.request_register(
            actor=xx, channel="in_person", submitted_on=D(2025, 4, 1),
            requester_category="natural_person", requester_name="孙八",
            content="湘乡市某村征地批复", assignee=xx)
    return dict(march=march, late=late, open=still_open, old=old, other=other)


def total_cell(org, year, kind):
    table = ogi_table_for(org=org, year=year)
    row = table.layout.row_of_kind(kind)
    return set(table.cell(row.code, "total").ids)


def test_requests_of_a_year_are_table_threes_new_requests(requests, orgs):
    mv = value("disclosure.requests", orgs["xt"])
    assert ids(mv) == {requests[k].pk for k in ("march", "late", "open")}
    assert ids(mv) == total_cell(orgs["xt"], 2025, "received_this_year")
    assert mv.value == len(mv.records) == 3


def test_replied_of_a_year_is_table_threes_total_of_results(requests, orgs):
    mv = value("disclosure.replied", orgs["xt"])
    assert ids(mv) == {requests[k].pk for k in ("march", "late", "old")}
    assert ids(mv) == total_cell(orgs["xt"], 2025, "total")


def test_a_part_of_a_year_counts_by_the_same_dates(requests, orgs):
    spring = (D(2025, 3, 1), D(2025, 5, 31))
    assert ids(value("disclosure.requests", orgs["xt"], spring)) == {
        requests["march"].pk, requests["late"].pk}
    assert ids(value("disclosure.replied", orgs["xt"], spring)) == {
        requests["march"].pk}


def test_late_replies_are_those_past_their_clock(requests, orgs):
    mv = value("disclosure.late", orgs["xt"])
    assert ids(mv) == {requests["late"].pk}
    assert mv.records[0].on == D(2025, 6, 30)


def test_a_county_does_not_see_its_neighbours_requests(requests, orgs):
    assert ids(value("disclosure.requests", orgs["xx"])) == {requests["other"].pk}
    assert requests["other"].pk not in ids(value("disclosure.requests", orgs["xt"]))
    assert value("disclosure.requests", orgs["city"]).value == 4

"""A page of figures (the metric list, the dashboard) reads each subtree, probe and
metric query once, and states the same figures as the metric API asked one by one.

Under load the metric list asked for the county's subtree 81 times and the
dashboard 45 times, once per figure and year."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.reports import metrics
from fazhi.reports.metric_queries.base import metric_memo

from .test_metrics_pages import YEAR, matters  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _subtree_reads(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith(
        'SELECT "core_orgunit"."id" AS "pk" FROM "core_orgunit"'))


def _figures(org, year: int) -> dict:
    out = {}
    for metric_id in metrics.metric_defs():
        c = metrics.metric_compare(metric_id, org_unit=org, year=year)
        out[metric_id] = (c.current.value, [r.url for r in c.current.records],
                          c.previous, c.previous_source, c.change_text,
                          {k: (b.current.value, b.previous)
                           for k, b in c.breakdown.items()})
    return out


def test_figures_inside_a_page_equal_the_figures_asked_one_by_one(
        matters, people):  # noqa: F811
    org = people.xt_legal.org_unit
    alone = _figures(org, 2025)
    with metric_memo():
        together = _figures(org, 2025)
    assert together == alone
    assert alone["reconsideration.received"][0] == 2


@pytest.mark.parametrize("page", ["reports:metric_list", "reports:dashboard"])
def test_a_page_of_figures_reads_the_subtree_once(
        page, matters, people, login):  # noqa: F811
    client = login(people.xt_principal)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(page), YEAR)
    assert response.status_code == 200
    assert _subtree_reads(ctx.captured_queries) == 1

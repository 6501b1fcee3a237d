"""工作看板 through the test client: each role sees its part, scope (404 outside),
the city's counties side by side, clock windows, figures equal to the metrics, and
pages that need nothing from outside and pass the CSP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.reports import dashboard, metrics
from fazhi.reports.dashboard_clocks import CLOCK_KINDS, clocks_url
from fazhi.reports.models import AnnualReport
from tests.reports.dashboard_fixtures import (
    PERMIT_CLOCKS,
    TODAY,
    on,
    page_figures,
    page_svgs,
    table_rows,
    week_clocks,  # noqa: F401  (a fixture)
)

URL = "/reports/dashboard/"


def section_ids(html: str) -> set[str]:
    return set(re.findall(r'<section class="panel" id="s-([a-z]+)"', html))


def get(client, user, query: str = "", day: dt.date = TODAY):
    client.force_login(user)
    with on(day):
        return client.get(f"{URL}{query}")


@pytest.mark.parametrize(("persona", "sections"), [
    ("xt_clerk", {"permits"}),
    ("xt_officer", {"enforcement", "monitoring"}),
    ("xt_reviewer", {"enforcement"}),
    ("xt_legal", {"rates", "disputes"}),
    ("xt_disclosure", {"disclosure"}),
    ("xt_principal", set(dashboard.ALL)),
    ("xt_supervisor", set(dashboard.ALL)),
])
def test_each_role_sees_its_own_part_of_the_bureau(client, people, persona, sections):
    response = get(client, people[persona])
    assert response.status_code == 200
    html = response.content.decode()
    assert section_ids(html) == sections
    assert "下级机关对比" not in html  # a county has no units under it
    assert f'href="{URL}"' in html  # the menu entry 工作看板


def test_the_menu_offers_the_dashboard_to_business_roles_only(client, people):
    client.force_login(people.xt_sysadmin)
    with on(TODAY):
        assert client.get(URL).status_code == 403
        assert "工作看板" not in client.get(reverse("web:user_list")).content.decode()
    client.logout()
    with on(TODAY):
        response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("code", ["430381", "430300", "430000", "999999", "43x"])
def test_a_county_user_cannot_open_another_unit(client, people, code):
    assert get(client, people.xt_principal, f"?org={code}").status_code == 404
    with on(TODAY):
        response = client.get(reverse("reports:dashboard_clocks")
                              + f"?org={code}&kind=overdue")
    assert response.status_code == 404


def test_a_bad_year_is_named_in_chinese_and_the_page_still_shows(client, people):
    html = get(client, people.xt_principal, "?year=abc").content.decode()
    assert "年度：年度须为四位数字" in html and "2025年" in html
    html = get(client, people.xt_principal, "?year=2030").content.decode()
    assert "年度：年度不能晚于今年" in html


def test_a_year_without_records_shows_dashes_for_rates_and_zeros_for_counts(
        client, people):
    html = get(client, people.xt_principal, "?year=2024").content.decode()
    shown = page_figures(html)
    assert shown["reconsideration.correction_rate"][1] == "—"
    assert shown["permits.accepted"][1] == "0件"
    assert "?org=430321&start=2024-01-01&end=2024-12-31" in (
        shown["permits.accepted"][0])
    bullets = [s for s in page_svgs(html) if s.get("id", "").startswith("bullet-")]
    assert bullets and all(
        "—" in "".join(t.text or "" for t in b.iter("{http://www.w3.org/2000/svg}text"))
        for b in bullets)


def test_the_clock_windows_count_past_due_soon_and_turned_red_this_week(
        client, people, week_clocks):  # noqa: F811
    html = get(client, people.xt_clerk).content.decode()
    rows = table_rows(html, "clocks")
    expect = {k: sum(k in windows for *_, windows in PERMIT_CLOCKS.values())
              for k in CLOCK_KINDS}
    assert expect == {"overdue": 4, "soon": 2, "turned": 2}
    # the clerk sees the window's clocks only: not the disclosure request's
    assert rows == {"行政许可": ["4", "2", "2"], "合计": ["4", "2", "2"]}

    rows = table_rows(get(client, people.xt_principal).content.decode(), "clocks")
    assert rows["依申请公开"] == ["1", "0", "0"] and rows["合计"] == ["5", "2", "2"]


def test_each_clock_count_lists_exactly_the_clocks_it_counts(
        client, people, week_clocks):  # noqa: F811
    client.force_login(people.xt_clerk)
    for kind in CLOCK_KINDS:
        with on(TODAY):
            html = client.get(clocks_url(people.xt_clerk.org_unit, kind,
                                                   "permits")).content.decode()
        listed = {name for name in week_clocks if f">{name}</a>" in html}
        assert listed == {n for n, (*_, w) in PERMIT_CLOCKS.items() if kind in w}, kind
    with on(TODAY):
        refused = client.get(clocks_url(people.xt_clerk.org_unit, "overdue",
                                                  "disclosure"))
        unknown = client.get(reverse("reports:dashboard_clocks")
                             + "?org=430321&kind=later")
    assert refused.status_code == 403 and unknown.status_code == 404


def test_a_city_user_sees_each_county_side_by_side_with_the_total(
        client, people, orgs, week_clocks):  # noqa: F811
    html = get(client, people.city_principal).content.decode()
    assert "下级机关对比" in html and section_ids(html) == set(dashboard.ALL)
    rows = table_rows(html, "compare")
    # one line per figure, a cell per county and the total: xt 5 past due (4 + the
    # disclosure request), xx 1, the city 6
    assert rows["已超期的期限（个）"] == ["5", "1", "6"]
    assert rows["7日内届满的期限（个）"] == ["2", "0", "2"]
    assert rows["本周转为超期的期限（个）"] == ["2", "0", "2"]
    heads = re.findall(r'<th scope="col" class="num">(?:<a [^>]*>)?([^<]+)', html)
    assert heads == ["湘潭县自然资源局", "湘乡市自然资源局", "合计"]
    for code in ("430321", "430381"):
        assert f"{URL}?org={code}&amp;year=2025" in html
    # the report of any unit under the city (last year's while this one runs)
    generate = reverse("reports:annual_generate")
    assert html.count(f'action="{generate}"') == 3
    assert re.findall(r'name="org" value="(\d+)"><input type="hidden" name="year" '
                      r'value="2024"', html) == ["430321", "430381", "430300"]
    with on(TODAY):
        response = client.post(generate, {"org": "430381", "year": "2024"})
    report = AnnualReport.objects.get(org_unit=orgs["xx"], year=2024)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:annual_preview", args=[report.pk])
    clocks = table_rows(html, "clocks")
    assert clocks["合计"] == ["6", "2", "2"]

    county = get(client, people.city_principal, "?org=430321").content.decode()
    assert "下级机关对比" not in county and "湘潭县自然资源局 · 2025年" in county
    assert table_rows(county, "clocks")["合计"] == ["5", "2", "2"]


def test_the_pages_need_nothing_from_outside_and_pass_the_csp(
        client, people, week_clocks):  # noqa: F811
    for user in (people.xt_principal, people.city_principal):
        response = get(client, user)
        html = response.content.decode()
        assert "style-src 'self'" in response["Content-Security-Policy"]
        assert "style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=\"/)", html)  # no inline scripts
        assert not re.search(r"\bon[a-z]+=", html)  # no inline handlers
        outside = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", outside)
        svgs = page_svgs(html)
        assert len(svgs) >= 5
        assert all(s.find("{http://www.w3.org/2000/svg}title") is not None
                   for s in svgs)
    css = client.get("/static/reports/dashboard.css")
    assert css.status_code == 200 and b"@media print" in b"".join(css)


def _demo(today: dt.date) -> None:
    with on(today):
        call_command("demo_load", verbosity=0)


@pytest.mark.demo
def test_every_figure_equals_its_metric_and_links_to_its_records(client, people,
                                                                 orgs):
    today = dt.date(2026, 12, 1)
    _demo(today)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    html = get(client, people.xt_principal, day=today).content.decode()
    shown = page_figures(html)
    expected = {m for s in dashboard.SECTIONS for m in s.metrics
                if m in metrics.metric_defs()}
    assert set(shown) == expected
    for metric_id, (href, text) in shown.items():
        value = metrics.metric_value(metric_id, org_unit=orgs["xt"], start=start,
                                     end=end)
        assert text == value.shown, metric_id
        assert href == (reverse("reports:metric_records", args=[metric_id])
                        + f"?org=430321&start={start}&end={end}")
    assert any(text not in ("0件", "—") for _, text in shown.values())
    by_kind = metrics.metric_value("permits.by_kind", org_unit=orgs["xt"],
                                   start=start, end=end).breakdown
    kind, part = next(iter(by_kind.items()))
    bar_link = dashboard.records_url("permits.by_kind", orgs["xt"], start, end, kind)
    assert f"<title>{kind}：{part.shown}</title>" in html
    assert bar_link.replace("&", "&amp;") in html
    permits = html[html.index('id="s-permits"'):html.index('id="s-enforcement"')]
    for month in range(1, 13):
        last = (dt.date(2026, month + 1, 1) if month < 12 else dt.date(2027, 1, 1))
        v = metrics.metric_value("permits.accepted", org_unit=orgs["xt"],
                                 start=dt.date(2026, month, 1),
                                 end=last - dt.timedelta(days=1))
        assert f"<title>{month}月：{v.shown}</title>" in permits, month
    with on(today):
        for link in (shown["permits.accepted"][0], bar_link):
            assert client.get(link).status_code == 200

    city = get(client, people.city_principal, day=today).content.decode()
    rows = table_rows(city, "compare")
    columns = dashboard.unit_comparison(
        org=orgs["city"], units=[orgs["xt"], orgs["xx"]], keys=dashboard.ALL,
        year=2026, today=today).columns
    assert len(columns) >= 10
    for f in columns:
        want = [metrics.metric_value(f.metric_id, org_unit=org, start=start,
                                     end=end).shown
                for org in (orgs["xt"], orgs["xx"], orgs["city"])]
        assert rows[f"{f.name}（{f.unit}）"] == want, f.metric_id

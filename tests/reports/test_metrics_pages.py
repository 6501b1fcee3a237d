"""The metric pages through the test client: every figure of a subtree and period,
the records behind one with links, definition and source, breakdowns, export; any
business role reads them, administrators do not, and outside the subtree is a 404."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.disputes import services
from fazhi.reports.models import Baseline

MON = dt.date(2025, 9, 1)
YEAR = {"year": "2025"}


def on(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def recon(actor, n, outcome, day=MON):
    with on(day):
        item = services.reconsideration_register(
            actor=actor, number=f"潭府复〔2025〕{n}号", applicant_name="李四",
            body="湘潭县人民政府", challenged_act="行政处罚决定", copy_received_on=day)
        services.reconsideration_conclude(item=item, actor=actor, outcome=outcome,
                                          concluded_on=day)
    return item


@pytest.fixture
def matters(people):
    return [recon(people.xt_legal, 1, "revoked"), recon(people.xt_legal, 2, "upheld"),
            recon(people.xx_legal, 3, "upheld")]


def records_url(metric_id, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('reports:metric_records', args=[metric_id])}?{query}"


def test_the_list_shows_every_metric_with_a_link_to_its_records(
        matters, people, login):
    client = login(people.xt_clerk)
    response = client.get(reverse("reports:metric_list"), YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("审批窗口", "行政执法", "行政复议与应诉", "政务公开", "卫片执法",
                    "学法用法与普法"):
        assert f"<h2>{heading}</h2>" in html
    link = records_url("reconsideration.received", org="430321", start="2025-01-01",
                       end="2025-12-31")
    assert f'href="{link}"' in html.replace("&amp;", "&")
    assert "行政复议纠错率" in html and "50.0%" in html and "上年" in html


def test_the_records_page_lists_the_matters_with_definition_and_source(
        matters, people, login):
    client = login(people.xt_legal)
    response = client.get(records_url("reconsideration.correction_rate",
                                      org="430321", start="2025-01-01",
                                      end="2025-12-31"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "50.0%" in html and "分子 1 件 ÷ 分母 2 件" in html
    assert "统计期内被纠错案件数" in html  # the definition in words
    assert "司法部2018年行政复议统计" in html  # the rate rule's source
    for item in matters[:2]:
        assert f'href="{item.get_absolute_url()}"' in html
    assert matters[2].number not in html  # 湘乡市's
    assert "李四" not in html  # a label names the matter, never the applicant


def test_a_record_link_opens_the_matter_itself(matters, people, login):
    client = login(people.xt_legal)
    html = client.get(records_url("reconsideration.corrected", **YEAR)
                      ).content.decode()
    link = re.search(r'<td><a href="(/disputes/[^"]+)">', html).group(1)
    page = client.get(link)
    assert page.status_code == 200 and matters[0].number in page.content.decode()


def test_a_city_user_picks_a_county_of_its_subtree(matters, people, login):
    client = login(people.city_principal)
    html = client.get(records_url("reconsideration.received", org="430381", **YEAR)
                      ).content.decode()
    assert matters[2].number in html and matters[0].number not in html
    whole = client.get(records_url("reconsideration.received", **YEAR)
                       ).content.decode()
    assert all(m.number in whole for m in matters)


def test_an_org_outside_the_subtree_is_not_found(matters, people, login):
    client = login(people.xt_legal)
    assert client.get(records_url("reconsideration.received", org="430381")
                      ).status_code == 404
    assert client.get(reverse("reports:metric_list"), {"org": "430300"}
                      ).status_code == 404
    assert client.get(reverse("reports:metric_list"), {"org": "999999"}
                      ).status_code == 404


def test_an_unknown_metric_is_not_found(people, login):
    client = login(people.xt_legal)
    assert client.get(records_url("cases.invented")).status_code == 404
    assert client.get(records_url("cases.filed", key="x")).status_code == 404


def test_administrators_and_anonymous_visitors_are_kept_out(people, client, login):
    assert client.get(reverse("reports:metric_list")).status_code == 302
    assert login(people.xt_sysadmin).get(reverse("reports:metric_list")
                                         ).status_code == 403


def test_a_bad_period_is_named_on_the_form(people, login):
    client = login(people.xt_clerk)
    response = client.get(reverse("reports:metric_list"),
                          {"start": "2025-12-31", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()
    response = client.get(records_url("cases.filed", start="2025-13-01",
                                      end="2025-12-31"))
    assert response.status_code == 400 and "起始日期" in response.content.decode()
    response = client.get(records_url("cases.filed", start="2025-01-01"))
    assert "请同时填写起始日期和截止日期" in response.content.decode()


def test_a_breakdown_links_to_the_records_of_each_key(people, login, kinds):
    from fazhi.permits import services as permits
    from fazhi.permits.services import signing
    from tests.permits.conftest import provide_all

    clerk = people.xt_clerk
    with on(MON):
        app = permits.application_register(
            actor=clerk, kind=kinds["rural_planning"], applicant_name="张三",
            applicant_kind="person", project_name="自建住房", location="某村",
            received_on=MON, clerk=clerk)
    provide_all(app, clerk)
    with on(MON):
        permits.application_accept(application=app, actor=clerk, accepted_on=MON)
        signing.application_propose(application=app, actor=clerk, decision="approve")
        for signer in (people.xt_sectionhead, people.xt_principal):
            app = signing.application_sign(application=app, actor=signer, agree=True)
        permits.application_approve(application=app, actor=clerk, decided_on=MON)
    client = login(clerk)
    html = client.get(records_url("permits.by_kind", **YEAR)).content.decode()
    assert "按许可事项" in html and "乡村建设规划许可证" in html
    key = re.search(r'href="([^"]+key=[^"]+)"', html).group(1).replace("&amp;", "&")
    one = client.get(key).content.decode()
    assert "分事项准予许可件数（乡村建设规划许可证）" in one
    assert app.number in one


def test_the_records_export_to_a_spreadsheet(matters, people, login):
    client = login(people.xt_legal)
    url = reverse("reports:metric_records_export",
                  args=["reconsideration.correction_rate"])
    response = client.get(url, YEAR)
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0] == ("序号", "记录", "统计日期", "链接", "计入分子")
    assert len(rows) == 3 and {r[4] for r in rows[1:]} == {"是", "否"}


def test_a_baseline_shows_as_last_year_with_its_mark(matters, people, login):
    Baseline.objects.create(org_unit=people.xt_legal.org_unit, year=2024,
                            metric_id="litigation.received", value=5,
                            source="潭县自然资字〔2025〕12号",
                            entered_by=people.xt_legal)
    html = login(people.xt_legal).get(reverse("reports:metric_list"), YEAR
                                      ).content.decode()
    assert "基期" in html and "潭县自然资字〔2025〕12号" in html
    assert "下降100.0%（减少5件）" in html


@pytest.fixture
def kinds(orgs):
    """湘潭县's own permit kinds, by code."""
    from fazhi.permits import services as permits
    from fazhi.permits.models import PermitKind

    permits.kinds_sync()
    return {k.code: k for k in PermitKind.objects.filter(org_unit=orgs["xt"])}

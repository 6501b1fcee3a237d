"""Table 3 of the annual OGI report through the page, and the disclosure API."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from fazhi.disclosure import services
from tests.disclosure.conftest import on

D = dt.date


def _year_of_requests(register, officer):
    """2025: one replied, one partial, one carried into 2026, one from 2024."""
    a = register(received=D(2025, 3, 3))
    b = register(received=D(2025, 5, 6), requester_category="business")
    register(received=D(2025, 12, 22))  # still open at year end
    old = register(received=D(2024, 12, 23))  # carried over into 2025
    with on(D(2025, 3, 10)):
        services.request_reply(request=a, actor=officer, outcome="disclose",
                               replied_on=D(2025, 3, 10), reply_summary="公开")
    with on(D(2025, 5, 20)):
        services.request_reply(request=b, actor=officer, outcome="partial",
                               replied_on=D(2025, 5, 20), reply_summary="部分",
                               withheld_reasons="涉及个人隐私")
    with on(D(2025, 1, 10)):
        services.request_reply(request=old, actor=officer, outcome="disclose",
                               replied_on=D(2025, 1, 10), reply_summary="公开")
    return a, b, old


def _numbers(html: str) -> list[str]:
    return re.findall(r'<td class="num">(?:<a href="([^"]+)">)?(\d+)', html)


def test_table_counts_received_carried_and_results(client, officer, register):
    a, b, old = _year_of_requests(register, officer)
    client.force_login(officer)
    html = client.get(reverse("disclosure:stats"), {"year": 2025}).content.decode()
    assert "本年新收" in html and "结转下年度继续办理" in html
    cell = reverse("disclosure:stats_cell", args=[2025, "received", "total"])
    response = client.get(cell, {"org": "430321"})
    assert response.status_code == 200
    listed = response.content.decode()
    assert a.number in listed and b.number in listed and old.number not in listed


def test_partial_disclosure_links_to_exactly_its_request(client, officer, register):
    a, b, _ = _year_of_requests(register, officer)
    client.force_login(officer)
    html = client.get(reverse("disclosure:stats"), {"year": 2025}).content.decode()
    links = [url for url, _ in _numbers(html) if "results.partial" in url]
    assert links, "the partial-disclosure number links to its requests"
    listed = client.get(links[0].replace("&amp;", "&")).content.decode()
    assert b.number in listed and a.number not in listed


def test_table_exports_to_excel(client, officer, register):
    _year_of_requests(register, officer)
    client.force_login(officer)
    response = client.get(reverse("disclosure:stats_export"), {"year": 2025})
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][0] == "项目" and rows[0][-1] == "总计"
    received = next(r for r in rows if r[0] and "本年新收" in r[0])
    assert received[-1] == 3


def test_a_county_cannot_ask_for_its_neighbours_table(client, people, register):
    client.force_login(people.xx_disclosure)
    response = client.get(reverse("disclosure:stats"), {"org": "430321", "year": 2025})
    assert response.status_code == 404


def test_city_table_adds_up_its_counties(client, people, officer, register):
    _year_of_requests(register, officer)
    client.force_login(people.city_principal)
    url = reverse("disclosure:stats_cell", args=[2025, "received", "total"])
    listed = client.get(url, {"org": "430300"}).content.decode()
    assert listed.count("/disclosure/") >= 3


def test_api_lists_requests_and_hides_identity_from_others(client, people, register):
    req = register()
    client.force_login(people.xt_disclosure)
    body = client.get(reverse("api-disclosure-requests")).json()
    assert body["results"][0]["requester_id_number"] == "430321199001011234"
    client.force_login(people.xt_principal)
    detail = client.get(reverse("api-disclosure-request", args=[req.pk])).json()
    assert detail["number"] == req.number and detail["requester_id_number"] == ""
    assert detail["due_date"] == "2025-10-29"


def test_other_county_gets_404_on_consultation_and_extension_pages(
        client, people, officer, head, register):
    req = register()
    with on(D(2025, 10, 9)):
        consultation = services.request_consult_start(
            request=req, actor=officer, party_kind="agency", party_name="县林业局",
            sent_on=D(2025, 10, 9))
        services.request_consult_answer(consultation=consultation, actor=officer,
                                        answered_on=D(2025, 10, 9), opinion="agree")
        ext = services.request_extension_ask(request=req, actor=officer, days=5,
                                             reason="需调阅档案")
    client.force_login(people.xx_disclosure)
    assert client.get(reverse("disclosure:consult_answer",
                              args=[consultation.pk])).status_code == 404
    client.force_login(people.xx_disclosurehead)
    assert client.get(reverse("disclosure:extension_decide",
                              args=[ext.pk])).status_code == 404
    client.force_login(head)
    assert client.get(reverse("disclosure:extension_decide",
                              args=[ext.pk])).status_code == 200


def test_fee_is_computed_with_the_rule_shown(client, officer, register):
    req = register()
    client.force_login(officer)
    response = client.post(reverse("disclosure:fee", args=[req.pk]),
                           {"method": "per_volume", "quantity": 101})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.fee_amount == 720 and "109号" in req.fee_basis
    html = client.get(req.get_absolute_url()).content.decode()
    assert "720 元" in html

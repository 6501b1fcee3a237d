"""The disclosure pages through real HTTP: list, filters, detail, actions, export."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Instrument
from fazhi.disclosure.models import DisclosureRequest
from tests.disclosure.conftest import on

D = dt.date


def test_officer_registers_through_the_form(client, officer):
    client.force_login(officer)
    with on(D(2025, 9, 25)):
        response = client.post(reverse("disclosure:register"), {
            "channel": "in_person", "submitted_on": "2025-09-25",
            "requester_category": "natural_person", "requester_name": "李四",
            "content": "某地块规划条件", "assignee": officer.pk})
    req = DisclosureRequest.objects.get()
    assert response.status_code == 302 and response.url == req.get_absolute_url()
    assert req.reply_clock.due_date == D(2025, 10, 29)


def test_a_bad_form_keeps_what_was_typed_and_names_the_field(client, officer):
    client.force_login(officer)
    with on(D(2025, 9, 25)):
        response = client.post(reverse("disclosure:register"), {
            "channel": "registered_mail", "submitted_on": "2025-09-20",
            "requester_category": "natural_person", "requester_name": "李四",
            "content": "某地块规划条件", "assignee": officer.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "签收日期" in html and "某地块规划条件" in html
    assert not DisclosureRequest.objects.exists()


def test_list_filters_and_colours(client, officer, register):
    late = register(received=D(2025, 9, 1))
    fresh = register(received=D(2025, 10, 27))
    client.force_login(officer)
    with on(D(2025, 10, 28)):
        html = client.get(reverse("disclosure:list")).content.decode()
        assert late.number in html and fresh.number in html
        assert 'class="row-red"' in html and 'class="row-green"' in html
        overdue = client.get(reverse("disclosure:list"), {"overdue": "on"}).content.decode()
    assert late.number in overdue and fresh.number not in overdue


def test_other_county_cannot_see_the_request(client, people, register):
    req = register()
    client.force_login(people.xx_disclosure)
    assert client.get(req.get_absolute_url()).status_code == 404
    assert req.number not in client.get(reverse("disclosure:list")).content.decode()
    for name in ("disclosure:reply", "disclosure:correction", "disclosure:consult",
                 "disclosure:extension", "disclosure:deliver", "disclosure:withdraw"):
        assert client.get(reverse(name, args=[req.pk])).status_code == 404
    assert client.get(reverse("api-disclosure-request", args=[req.pk])).status_code == 404


def test_city_principal_reads_but_cannot_act(client, people, register):
    req = register()
    client.force_login(people.city_principal)
    html = client.get(req.get_absolute_url()).content.decode()
    assert req.number in html and "430321199001011234" not in html
    assert client.get(reverse("disclosure:reply", args=[req.pk])).status_code == 403


def test_detail_shows_timeline_evidence_hashes_and_clock(client, officer, register):
    req = register()
    client.force_login(officer)
    html = client.get(req.get_absolute_url()).content.decode()
    assert "登记依申请公开" in html and "申请书.pdf" in html and "SHA-256" in html
    assert "2025-10-29" in html and "430321199001011234" in html


def test_reply_form_generates_a_downloadable_letter(client, officer, register):
    req = register()
    client.force_login(officer)
    with on(D(2025, 10, 10)):
        response = client.post(reverse("disclosure:reply", args=[req.pk]), {
            "outcome": "disclose", "replied_on": "2025-10-10",
            "reply_summary": "予以公开，随文提供。"})
        assert response.status_code == 302
        html = client.get(req.get_absolute_url()).content.decode()
        letter = Instrument.objects.get(kind="disclosure.reply")
        assert letter.doc_number in html
        # The reply period's history says the day the reply ended it.
        assert "届满日 2025-10-29，已办结，办结日 2025-10-10" in html
        url = reverse("disclosure:instrument", args=[req.pk, letter.pk])
        download = client.get(url)
        body = b"".join(download.streaming_content)
    assert download.status_code == 200 and body[:2] == b"PK"


def test_export_lists_the_filtered_requests(client, officer, register):
    register(received=D(2025, 9, 1))
    register(received=D(2025, 10, 27))
    client.force_login(officer)
    response = client.get(reverse("disclosure:export"), {"received_from": "2025-10-01"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "登记编号" and len(rows) == 2
    assert rows[1][3].date() == D(2025, 10, 27)


@pytest.mark.parametrize("persona", ["xt_sysadmin", "xt_auditadmin", "xt_officer"])
def test_roles_without_disclosure_duties_are_kept_out(client, people, persona):
    client.force_login(people[persona])
    assert client.get(reverse("disclosure:list")).status_code == 403

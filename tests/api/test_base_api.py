"""The API base: token and session auth, roles, scope, an offline schema browser."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.conftest import PASSWORD


def test_token_authentication_reaches_me(client, people):
    token = client.post(reverse("api-token"),
                        {"username": "xt_officer", "password": PASSWORD}).json()["token"]
    me = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["username"] == "xt_officer"
    assert me["org_unit"]["division_code"] == "430321"
    assert me["roles"] == ["enforcement_officer"]
    assert me["badge_number"]


def test_anonymous_requests_are_refused(client, db):
    assert client.get(reverse("api-me")).status_code in (401, 403)


def test_audit_events_need_the_audit_administrator(client, people):
    client.force_login(people.xt_officer)
    assert client.get(reverse("api-audit-events")).status_code == 403
    client.force_login(people.xt_auditadmin)
    body = client.get(reverse("api-audit-events")).json()
    assert body["count"] > 0 and all(e["org_code"] == "430321" for e in body["results"])


def test_openapi_schema_lists_the_endpoints(client, people):
    client.force_login(people.xt_officer)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/clocks/" in schema["paths"]
    assert "/api/v1/audit-events/" in schema["paths"]


def test_api_browser_is_served_from_our_own_origin(client, people):
    client.force_login(people.xt_officer)
    html = client.get(reverse("api-docs")).content.decode()
    assert "swagger" in html.lower()
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not src.startswith(("http:", "https:", "//")), src

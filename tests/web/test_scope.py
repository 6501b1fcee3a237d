"""Scope: a 湘乡市 user asking for 湘潭县's objects gets 404 from every page and API.

Each module adds its own object URLs to OBJECT_URLS as it adds views.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from fazhi.core import audit
from fazhi.core.evidence import evidence_store
from fazhi.core.models import AuditEvent, Notification
from fazhi.deadlines import services


@pytest.fixture
def xt_objects(people):
    """One object of every kind that has a page or endpoint, all in 湘潭县."""
    officer = people.xt_disclosure
    clock = services.clock_start(matter=officer, rule_id="disclosure.reply",
                                 start=dt.date(2025, 9, 25), actor=officer,
                                 title="答复期限", assignee=officer)
    note = Notification.objects.create(user=officer, org_unit=officer.org_unit,
                                       message="测试通知", clock=clock)
    event = audit.record(actor=officer, obj=officer, action="test.scope")
    evidence = evidence_store(file=ContentFile(b"%PDF-1.4\n%test\n", name="scan.pdf"),
                              actor=officer, org_unit=officer.org_unit, kind="scan")
    return {"clock": clock, "note": note, "event": event, "user": officer,
            "org": officer.org_unit, "evidence": evidence}


# (persona of 湘乡市 with the right role, method, url builder)
OBJECT_URLS = [
    ("xx_disclosure", "get", lambda o: reverse("web:clock_detail", args=[o["clock"].pk])),
    ("xx_disclosure", "post",
     lambda o: reverse("web:notification_read", args=[o["note"].pk])),
    ("xx_sysadmin", "post", lambda o: reverse("web:user_set_active", args=[o["user"].pk])),
    ("xx_secadmin", "post", lambda o: reverse("web:role_change", args=[o["user"].pk])),
    ("xx_disclosure", "get", lambda o: reverse("api-clock", args=[o["clock"].pk])),
    ("xx_disclosure", "get",
     lambda o: reverse("api-org-unit", args=[o["org"].division_code])),
    ("xx_auditadmin", "get", lambda o: reverse("api-audit-event", args=[o["event"].pk])),
    ("xx_officer", "get",
     lambda o: reverse("web:evidence_download", args=[o["evidence"].pk])),
    ("xx_officer", "get", lambda o: reverse("api-evidence", args=[o["evidence"].pk])),
    ("xx_officer", "get",
     lambda o: reverse("api-evidence-download", args=[o["evidence"].pk])),
]


@pytest.mark.parametrize(("persona", "method", "url"), OBJECT_URLS)
def test_other_county_gets_404(client, people, xt_objects, persona, method, url):
    client.force_login(people[persona])
    response = getattr(client, method)(url(xt_objects), {"role": "supervisor",
                                                         "grant": "1", "active": "0"}
                                       if method == "post" else None)
    assert response.status_code == 404


@pytest.mark.parametrize(("persona", "method", "url"), OBJECT_URLS)
def test_own_county_reaches_the_same_objects(client, people, xt_objects, persona,
                                             method, url):
    client.force_login(people[persona.replace("xx_", "xt_")])
    data = {"role": "supervisor", "grant": "1", "active": "1"} if method == "post" else None
    response = getattr(client, method)(url(xt_objects), data)
    assert response.status_code in (200, 302)


def test_city_sees_its_counties_but_a_county_not_its_neighbour(client, people):
    client.force_login(people.city_principal)
    codes = {u["division_code"] for u in client.get(reverse("api-org-units")).json()["results"]}
    assert codes == {"430300", "430321", "430381"}
    client.force_login(people.xx_officer)
    codes = {u["division_code"] for u in client.get(reverse("api-org-units")).json()["results"]}
    assert codes == {"430381"}


def test_lists_leave_out_the_other_county(client, people, xt_objects):
    client.force_login(people.xx_auditadmin)
    page = client.get(reverse("web:audit_search"))
    assert "test.scope" not in page.content.decode()
    api = client.get(reverse("api-audit-events")).json()
    assert all(e["org_code"] == "430381" for e in api["results"])
    client.force_login(people.xt_auditadmin)
    assert "test.scope" in client.get(reverse("web:audit_search")).content.decode()
    client.force_login(people.xx_sysadmin)
    assert "湘潭县公开" not in client.get(reverse("web:user_list")).content.decode()


def test_audit_events_are_scoped_even_without_org_on_object(people, xt_objects):
    assert AuditEvent.objects.filter(action="test.scope").get().org_code == "430321"

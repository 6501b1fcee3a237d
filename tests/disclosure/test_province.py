"""Province-scale data (``fazhi province_data``) at a small scale: the tree, staff
with roles who log in, a year of requests with their clocks in each county's own
scope, a chain that verifies, and a rerun that finishes what is missing only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from fazhi.core.audit import anchor_read, verify
from fazhi.core.models import AuditEvent, OrgUnit, User
from fazhi.core.roles import Role
from fazhi.deadlines.models import Clock
from fazhi.deadlines.services import due_date
from fazhi.disclosure import selectors
from fazhi.disclosure.models import DisclosureRequest

PASSWORD = "province-test-pw"


def load(counties: int, matters: int) -> None:
    call_command("province_data", cities=2, counties=counties, matters=matters,
                 year=timezone.localdate().year, password=PASSWORD)


@pytest.fixture
def province(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the anchor's writes
        load(6, 300)


def test_tree_has_two_cities_of_three_counties_under_the_province(province):
    province = OrgUnit.objects.get(division_code="430000")
    cities = list(province.children.order_by("division_code"))
    assert [c.division_code for c in cities] == ["430100", "430200"]
    for city in cities:
        counties = city.children.all()
        assert len(counties) == 3
        assert all(c.level == "county" and c.path.startswith(city.path)
                   for c in counties)


def test_every_county_has_its_staff_with_roles_and_fifty_requests(province):
    for county in OrgUnit.objects.filter(level="county"):
        officer = User.objects.get(username=f"p{county.division_code}_disclosure1")
        assert officer.org_unit == county
        assert officer.has_role(Role.DISCLOSURE_OFFICER)
        assert officer.check_password(PASSWORD)
        principal = User.objects.get(username=f"p{county.division_code}_principal1")
        assert principal.has_role(Role.PRINCIPAL)
        assert DisclosureRequest.objects.filter(org_unit=county).count() == 50


def test_a_county_officer_sees_only_their_county(province, client):
    county = OrgUnit.objects.get(division_code="430151")
    officer = User.objects.get(username="p430151_disclosure1")
    mine = selectors.request_list(actor=officer)
    assert mine.count() == 50
    assert set(mine.values_list("org_unit", flat=True)) == {county.pk}
    other = DisclosureRequest.objects.exclude(org_unit=county).first()
    assert client.login(username=officer.username, password=PASSWORD)
    page = client.get("/disclosure/").content.decode()
    assert mine.first().number in page and other.number not in page
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(mine.first().get_absolute_url()).status_code == 200


def test_every_request_has_its_reply_clock_of_the_year(province):
    year = timezone.localdate().year
    requests = DisclosureRequest.objects.select_related("reply_clock")
    assert requests.count() == 300 == Clock.objects.count()
    states = set()
    for r in requests:
        clock = r.reply_clock
        assert clock.object_id == str(r.pk) and clock.rule_id == "disclosure.reply"
        assert clock.start_date == r.received_on
        assert dt.date(year, 1, 1) <= r.received_on <= timezone.localdate()
        assert clock.due_date == due_date("disclosure.reply", r.received_on).due
        if r.state == "replied":
            assert clock.state == "stopped" and clock.stopped_on == r.replied_on
            assert clock.status == ("done_late" if r.replied_late else "done")
        else:
            assert clock.state == "running"
            assert clock.status in ("green", "yellow", "red")
        states.add(r.state)
    assert states == {"registered", "replied"}


def test_the_audit_chain_verifies_and_the_anchor_holds_its_head(province):
    result = verify()
    assert result.ok, result.message
    last = AuditEvent.objects.order_by("-seq").first()
    assert anchor_read().seq == last.seq
    request = DisclosureRequest.objects.first()
    actions = set(AuditEvent.objects.filter(
        object_type="disclosure.DisclosureRequest", object_id=str(request.pk)
    ).values_list("action", flat=True))
    assert {"disclosure.register", "clock.start"} <= actions


def test_a_rerun_finishes_the_missing_counties_only(db, capsys):
    load(3, 150)  # as if the run had been stopped after three counties
    first = set(DisclosureRequest.objects.values_list("pk", flat=True))
    load(6, 300)
    assert "3 个此前已生成" in capsys.readouterr().out
    assert DisclosureRequest.objects.count() == 300
    assert first <= set(DisclosureRequest.objects.values_list("pk", flat=True))
    events = AuditEvent.objects.count()
    load(6, 300)
    assert DisclosureRequest.objects.count() == 300
    assert AuditEvent.objects.count() == events
    assert verify().ok

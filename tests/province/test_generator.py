"""Province-scale data (``fazhi province_data``) at a small scale: the tree, staff
with roles who log in, a year of every module's matters — each in a state its
kind's table reaches by the steps on its audit trail, its clocks as the deadline
engine counts them, in its county's own scope — a chain that verifies, and a rerun
that finishes what is missing only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.audit import anchor_read, verify
from fazhi.core.models import AuditEvent, OrgUnit, User
from fazhi.core.roles import Role
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.engine import clock_status
from fazhi.deadlines.models import Clock
from fazhi.deadlines.services import due_date
from fazhi.disclosure import selectors
from fazhi.province.build import SHARES, shares

PASSWORD = "province-test-pw"
COUNTIES, MATTERS = 4, 800
TABLED = ["enforcement.case", "permits.application", "monitoring.patch",
          "disclosure.disclosurerequest"]
DISPUTES = ["disputes.reconsideration", "disputes.lawsuit"]


def load(counties: int, matters: int) -> None:
    call_command("province_data", cities=2, counties=counties, matters=matters,
                 year=timezone.localdate().year, password=PASSWORD)


@pytest.fixture
def province(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the anchor's writes
        load(COUNTIES, MATTERS)


def model(label: str):
    return apps.get_model(label)


def test_tree_has_two_cities_of_two_counties_under_the_province(province):
    province = OrgUnit.objects.get(division_code="430000")
    cities = list(province.children.order_by("division_code"))
    assert [c.division_code for c in cities] == ["430100", "430200"]
    for city in cities:
        counties = city.children.all()
        assert len(counties) == 2
        assert all(c.level == "county" and c.path.startswith(city.path)
                   for c in counties)


def test_every_county_has_its_staff_and_every_kind_in_its_share(province):
    per = shares(MATTERS // COUNTIES)
    assert set(per) == set(SHARES) and all(per.values())
    for county in OrgUnit.objects.filter(level="county"):
        for stem, role in (("officer1", Role.ENFORCEMENT_OFFICER),
                           ("clerk1", Role.WINDOW_CLERK),
                           ("disclosure1", Role.DISCLOSURE_OFFICER),
                           ("reviewer1", Role.LEGAL_REVIEWER),
                           ("principal1", Role.PRINCIPAL)):
            user = User.objects.get(username=f"p{county.division_code}_{stem}")
            assert user.org_unit == county and user.has_role(role)
        assert user.check_password(PASSWORD)
        mine = {label: model(label).objects.filter(org_unit=county).count()
                for label in TABLED + DISPUTES}
        assert mine["enforcement.case"] == per["cases"]
        assert mine["permits.application"] == per["permits"]
        assert mine["monitoring.patch"] == per["patches"]
        assert mine["disclosure.disclosurerequest"] == per["disclosure"]
        assert mine["disputes.reconsideration"] + mine["disputes.lawsuit"] == \
            per["disputes"]


def _replay(table, start: str, actions: list[str]) -> str:
    """The state ``actions`` lead to from ``start``, each checked against the
    table's sources (an action not open where the matter stood fails)."""
    here = start
    for action in actions:
        t = table.transitions[action]
        assert here in t.sources, f"{action} taken in {here}"
        here = t.target or here
    return here


@pytest.mark.parametrize("label", TABLED)
def test_every_matter_is_where_its_steps_lead_in_its_table(province, label):
    kind = matter_kinds.kind_of(model(label))
    table = kind.table
    start = next(iter(table.starts)) if table.starts else next(iter(table.states))
    app = label.split(".")[0]
    steps: dict[str, list[str]] = {}
    for object_id, action in AuditEvent.objects.filter(
            object_type=model(label)._meta.label).order_by("seq").values_list(
            "object_id", "action"):
        name = action.removeprefix(f"{app}.")
        if name in table.transitions:
            steps.setdefault(object_id, []).append(name)
    seen = set()
    for pk, state in model(label).objects.values_list("pk", "state"):
        assert state in table.states
        assert _replay(table, start, steps.get(str(pk), [])) == state
        seen.add(state)
    assert seen & table.closed and seen - table.closed  # some open, some closed


def test_case_steps_follow_the_table_and_two_officers_handle_each(province):
    from fazhi.enforcement.cases.workflow import TABLE
    from fazhi.enforcement.models import Case

    for case in Case.objects.prefetch_related("steps__actor", "officers")[:200]:
        here = "filing_pending"
        for step in sorted(case.steps.all(), key=lambda s: s.pk):
            move = TABLE.transitions[step.action]
            assert step.state_before == here and here in move.sources
            assert step.state_after == (move.target or here)
            assert step.actor.org_unit_id == case.org_unit_id
            here = step.state_after
        assert here == case.state
        officers = list(case.officers.all())
        assert len(officers) == 2
        assert {o.org_unit_id for o in officers} == {case.org_unit_id}
        assert all(o.has_role(Role.ENFORCEMENT_OFFICER) for o in officers)


def test_every_clock_is_the_engines(province):
    today = timezone.localdate()
    calendar = calendar_from_db(provisional=True)
    clocks = list(Clock.objects.all())
    assert {c.rule_id for c in clocks} >= {
        "penalty.case", "permit.decision", "permit.promised", "permit.certificate",
        "disclosure.reply", "reconsideration.reply", "litigation.defence"}
    for clock in clocks:
        result = due_date(clock.rule_id, clock.start_date, length=clock.length)
        assert (clock.due_date, clock.provisional) == (result.due, result.provisional)
        assert clock.explanation == "\n".join(result.steps)
        if clock.state == "running":
            assert clock.status == clock_status(
                today=today, due=clock.due_date, yellow_days=clock.yellow_days,
                calendar=calendar)
        elif clock.state == "stopped":
            late = clock.stopped_on > clock.due_date
            assert clock.status == ("done_late" if late else "done")
        assert clock.start_date <= (clock.stopped_on or today) <= today


def test_every_matter_names_its_own_clocks(province):
    from fazhi.disclosure.models import DisclosureRequest
    from fazhi.enforcement.models import Case
    from fazhi.permits.models import Application

    for matter_model, fields in ((Case, ["case_clock"]),
                                 (Application, ["decision_clock", "promised_clock",
                                                "certificate_clock"]),
                                 (DisclosureRequest, ["reply_clock"]),
                                 (model("disputes.reconsideration"), ["reply_clock"]),
                                 (model("disputes.lawsuit"), ["defence_clock"])):
        ct = ContentType.objects.get_for_model(matter_model)
        for matter in matter_model.objects.select_related(*fields):
            for name in fields:
                clock = getattr(matter, name)
                if clock is not None:
                    assert (clock.content_type_id, clock.object_id) == (
                        ct.pk, str(matter.pk))
                    assert clock.org_unit_id == matter.org_unit_id
    # A case's clock runs from its filing, and stops when the case ends.
    for case in Case.objects.select_related("case_clock"):
        assert (case.case_clock is None) == (case.filed_on is None)
        if case.case_clock and case.state in ("closed", "terminated", "transferred"):
            assert case.case_clock.state == "stopped"


def test_each_countys_rows_carry_its_bureau(province):
    for label in [*TABLED, *DISPUTES, "monitoring.checktask",
                  "monitoring.rectification", "deadlines.clock"]:
        rows = model(label).objects.values_list("org_unit__level", flat=True)
        assert rows and set(rows) == {"county"}, label
    for label in ["enforcement.case", "permits.application",
                  "disclosure.disclosurerequest", "disputes.lawsuit"]:
        stray = model(label).objects.exclude(org_unit=F("created_by__org_unit"))
        assert not stray.exists(), label
    stray = AuditEvent.objects.filter(object_type="enforcement.Case").exclude(
        org_unit__in=OrgUnit.objects.filter(level="county"))
    assert not stray.exists()


def test_a_county_officer_sees_only_their_county(province, client):
    from fazhi.disclosure.models import DisclosureRequest

    county = OrgUnit.objects.get(division_code="430151")
    officer = User.objects.get(username="p430151_disclosure1")
    mine = selectors.request_list(actor=officer)
    assert mine.count() == shares(MATTERS // COUNTIES)["disclosure"]
    assert set(mine.values_list("org_unit", flat=True)) == {county.pk}
    other = DisclosureRequest.objects.exclude(org_unit=county).first()
    assert client.login(username=officer.username, password=PASSWORD)
    page = client.get("/disclosure/").content.decode()
    assert mine.first().number in page and other.number not in page
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(mine.first().get_absolute_url()).status_code == 200


def test_a_county_officer_opens_their_cases_and_not_anothers(province, client):
    from fazhi.enforcement.models import Case

    officer = User.objects.get(username="p430151_officer1")
    assert client.login(username=officer.username, password=PASSWORD)
    mine = Case.objects.filter(org_unit=officer.org_unit).exclude(
        state="filing_pending").first()
    other = Case.objects.exclude(org_unit=officer.org_unit).first()
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_matters_fall_in_the_year(province):
    from fazhi.disclosure.models import DisclosureRequest

    first = dt.date(timezone.localdate().year, 1, 1)
    days = DisclosureRequest.objects.values_list("received_on", flat=True)
    assert all(first <= d <= timezone.localdate() for d in days)


def test_the_audit_chain_verifies_and_the_anchor_holds_its_head(province):
    result = verify()
    assert result.ok, result.message
    last = AuditEvent.objects.order_by("-seq").first()
    assert anchor_read().seq == last.seq
    for label in TABLED + DISPUTES:
        matter = model(label).objects.first()
        actions = set(AuditEvent.objects.filter(
            object_type=matter._meta.label, object_id=str(matter.pk)
        ).values_list("action", flat=True))
        assert actions, label


def test_a_rerun_finishes_the_missing_counties_only(db, capsys):
    from fazhi.enforcement.models import Case

    load(2, 400)  # as if the run had been stopped after two counties
    first = set(Case.objects.values_list("pk", flat=True))
    load(COUNTIES, MATTERS)
    assert "2 个此前已生成" in capsys.readouterr().out
    assert Case.objects.count() == COUNTIES * shares(MATTERS // COUNTIES)["cases"]
    assert first <= set(Case.objects.values_list("pk", flat=True))
    events = AuditEvent.objects.count()
    load(COUNTIES, MATTERS)
    assert AuditEvent.objects.count() == events
    assert verify().ok

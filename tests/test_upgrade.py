"""Upgrading keeps every record: a database filled by an older fazhi is migrated.

The fixture (tests/data/upgrade-demo.*, rebuilt by scripts/upgrade_fixture.py) is the
demo database as the commit its manifest names left it. It is upgraded as README's
"Upgrading" section says: the same data folder, the same FAZHI_AUDIT_KEY and the
anchor file beside the folder, then `fazhi migrate` of the current code. Afterwards
every row of every table is still there (the rows a migration moved, where it moved
them), every clock reads as the current code would have left it, the audit chain
verifies against its anchor, and the pages of the matters the migrations touched
render.
"""

from __future__ import annotations

import datetime as dt
import json
import lzma
import os
import shutil
import sqlite3
import subprocess
import sys
import zoneinfo
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.demo

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "upgrade-demo.sqlite3.xz"
MANIFEST = json.loads((ROOT / "tests" / "data" / "upgrade-demo.json").read_text(
    encoding="utf-8"))
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")

# What the migrations since the baseline do to rows besides keeping them: the tables
# they emptied into another (each row is looked for there) ...
MOVED = {"permits_extension": "deadlines_clockextension",
         "disclosure_extensionrequest": "deadlines_clockextension"}
# ... the tables whose rows they edit (the clocks' end, the extensions' asker) ...
EDITED = {"deadlines_clock", "deadlines_clockpause", "deadlines_clockextension"}
# ... and those they add rows to: requests moved in, execution steps from the audit.
GROWN = {"deadlines_clockextension", "enforcement_casestep"}
CASE_ENDED = {"closed", "filing_rejected", "terminated", "transferred"}
ENDED_CLOCK = {"stopped", "cancelled"}


@dataclass(frozen=True)
class Upgrade:
    before: Path  # the database as the old version left it
    folder: Path  # the data folder after `fazhi migrate`
    env: dict[str, str]  # the install's settings, for `fazhi …` in a subprocess

    @property
    def after(self) -> Path:
        return self.folder / "fazhi.sqlite3"

    def fazhi(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "fazhi.cli", *args], cwd=ROOT,
                              env={**self.env, **env}, capture_output=True, text=True,
                              timeout=600)


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory) -> Upgrade:
    """The fixture's data folder, upgraded with `fazhi migrate` of this code."""
    root = tmp_path_factory.mktemp("upgrade")
    before = root / "before.sqlite3"
    before.write_bytes(lzma.decompress(FIXTURE.read_bytes()))
    folder = root / "data"
    folder.mkdir()
    shutil.copy(before, folder / "fazhi.sqlite3")
    # The anchor file where an install keeps it by default: beside the data folder.
    anchor = MANIFEST["audit"]["anchor"]
    (root / "data.audit-anchor.json").write_text(json.dumps(anchor) + "\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
           and not k.startswith("FAZHI_")}
    env.update(PYTHONPATH=str(ROOT), FAZHI_DATA_DIR=str(folder), FAZHI_HTTPS="0",
               FAZHI_SECRET_KEY="upgrade-test-secret-key",
               FAZHI_AUDIT_KEY=MANIFEST["audit"]["key"])
    up = Upgrade(before, folder, env)
    done = up.fazhi("migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    return up


@pytest.fixture
def upgraded(upgrade, tmp_path, settings, django_db_blocker):
    """The ORM, the audit service and the pages on a copy of the upgraded database,
    with the install's audit key and anchor."""
    if connection.vendor != "sqlite":
        pytest.skip("the upgrade fixture is a SQLite database (CI runs this on SQLite)")
    db = tmp_path / "upgraded.sqlite3"
    shutil.copy(upgrade.after, db)
    settings.AUDIT_KEY = MANIFEST["audit"]["key"]
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.json"
    settings.AUDIT_ANCHOR_FILE.write_text(json.dumps(MANIFEST["audit"]["anchor"]))
    name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict["NAME"] = str(db)
        ContentType.objects.clear_cache()  # ids differ from the test database's
        try:
            yield upgrade
        finally:
            connection.close()
            connection.settings_dict["NAME"] = name
            ContentType.objects.clear_cache()


def _rows(db: Path, sql: str, *params) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(db)) as con:
        con.row_factory = sqlite3.Row
        return con.execute(sql, params).fetchall()


def _tables(db: Path) -> set[str]:
    return {r["name"] for r in _rows(db, "SELECT name FROM sqlite_master "
                                         "WHERE type = 'table'")}


def _by_id(db: Path, table: str, columns: list[str]) -> dict:
    listed = "".join(f', "{c}"' for c in columns)
    return {r["id"]: tuple(r) for r in _rows(db, f'SELECT id{listed} FROM "{table}"')}


def _columns(db: Path, table: str) -> list[str]:
    return [r["name"] for r in _rows(db, f'PRAGMA table_info("{table}")')]


def test_the_manifest_describes_the_fixture(upgrade):
    counts = {t: _rows(upgrade.before, f'SELECT COUNT(*) AS n FROM "{t}"')[0]["n"]
              for t in MANIFEST["tables"]}
    assert counts == MANIFEST["tables"]
    assert counts["core_auditevent"] == MANIFEST["audit"]["anchor"]["seq"]


def test_every_row_of_every_table_is_kept(upgrade):
    """Every row of the old database is in the new one, unchanged in every column
    both schemas have, except where a migration moves or edits rows on purpose."""
    tables = _tables(upgrade.after)
    for table, count in MANIFEST["tables"].items():
        if table in MOVED:
            assert table not in tables, f"{table} should have moved to {MOVED[table]}"
            continue
        assert table in tables, f"{table} ({count} rows) is gone"
        common = [c for c in _columns(upgrade.before, table)
                  if c in _columns(upgrade.after, table) and c != "id"]
        old = _by_id(upgrade.before, table, [] if table in EDITED else common)
        new = _by_id(upgrade.after, table, [] if table in EDITED else common)
        assert len(old) == count
        assert {k: new.get(k) for k in old} == old, f"rows of {table} changed"
        if table not in GROWN:
            assert len(new) == count, f"{table} has rows no migration explains"


def test_the_execution_facts_of_the_audit_trail_are_in_the_case_logs(upgrade):
    """The steps added to case logs are the payments, remedies, demands and completed
    executions the audit chain held, one each, by the same person at that moment."""
    old_ids = {r["id"] for r in _rows(upgrade.before, "SELECT id FROM enforcement_casestep")}
    added = Counter((r["case_id"], r["action"], r["at"], r["actor_id"])
                    for r in _rows(upgrade.after, "SELECT * FROM enforcement_casestep")
                    if r["id"] not in old_ids)
    kinds = {"enforcement.payment": "payment", "enforcement.remedy": "remedy",
             "enforcement.demand": "demand",
             "enforcement.execution_complete": "complete_execution"}
    audited = Counter(
        (int(r["object_id"]), kinds[r["action"]], r["at"], r["actor_id"])
        for r in _rows(upgrade.before, "SELECT * FROM core_auditevent WHERE "
                       "object_type = 'enforcement.Case' AND action IN (?, ?, ?, ?)",
                       *kinds))
    assert audited, "the demo records execution facts"
    assert added == audited


def test_each_extension_request_is_a_request_on_its_clock(upgraded):
    """Every extension request of the permits and disclosure modules is now one of
    its clock's requests, with who asked, when, the decision and who made it; no
    approved extension counts twice (the clock's extension is what was approved)."""
    from fazhi.deadlines.models import Clock, ClockExtension

    before = upgraded.before
    asked = []
    if "disclosure_extensionrequest" in _tables(before):
        asked += [(r["reply_clock_id"], r["days"], r["reason"], r["requested_by_id"],
                   _day(r["requested_at"]), r["state"], r["decided_by_id"],
                   _day(r["decided_at"]), r["instrument_id"])
                  for r in _rows(before, "SELECT e.*, d.reply_clock_id FROM "
                                 "disclosure_extensionrequest e JOIN "
                                 "disclosure_disclosurerequest d ON d.id = e.request_id")]
    if "permits_extension" in _tables(before):
        asked += [(r["decision_clock_id"], r["days"], r["reason"], r["requested_by_id"],
                   _date(r["requested_on"]), r["state"], r["decided_by_id"],
                   _date(r["decided_on"]), None)
                  for r in _rows(before, "SELECT e.*, a.decision_clock_id FROM "
                                 "permits_extension e JOIN permits_application a "
                                 "ON a.id = e.application_id")]
    assert asked, "the demo has extension requests"
    now = {e.pk: (e.clock_id, e.days, e.reason, e.requested_by_id, e.requested_on,
                  e.state, e.decided_by_id, e.decided_on, e.instrument_id)
           for e in ClockExtension.objects.all()}
    found = set()
    for request in asked:
        pk = next((pk for pk, row in now.items() if row == request and pk not in found),
                  None)
        assert pk is not None, f"extension request {request} was lost"
        found.add(pk)
    # The other rows are the approvals written straight on a clock before (the case
    # period's): each kept, asked and decided by its approver. None is new.
    approved = {r["id"]: r for r in _rows(before, "SELECT * FROM deadlines_clockextension")}
    assert set(now) == found | set(approved)
    for pk in set(approved) - found:
        ext, was = ClockExtension.objects.get(pk=pk), approved[pk]
        assert (ext.clock_id, ext.days, ext.state, ext.requested_by_id,
                ext.decided_by_id) == (was["clock_id"], was["days"], "approved",
                                       was["approved_by_id"], was["approved_by_id"])
    for clock in Clock.objects.filter(pk__in=[row[0] for row in now.values()]):
        assert clock.extension_days == sum(
            e.days for e in clock.extensions.filter(state="approved")), clock.title


def test_every_clock_keeps_its_history_and_ends_with_its_matter(upgraded):
    """A clock that had ended is as it was; one that ran runs on unless its matter
    has ended: a decision ends the case period (done that day, so late only if the
    decision was) and the statement and hearing windows, the end of the case the
    rest; the clocks of a withdrawn or abandoned matter read so."""
    from fazhi.deadlines.models import Clock
    from fazhi.deadlines.overdue import clock_badge
    from fazhi.disclosure.models import DisclosureRequest
    from fazhi.enforcement.models import Case
    from fazhi.permits.models import Application

    old = {r["id"]: r for r in _rows(upgraded.before, "SELECT * FROM deadlines_clock")}
    clocks = Clock.objects.in_bulk()
    assert set(clocks) == set(old)
    ended = []
    for pk, was in old.items():
        clock = clocks[pk]
        assert clock.due_date == _date(was["due_date"]), clock.title
        if was["state"] in ENDED_CLOCK:
            assert (clock.state, clock.status, clock.stopped_on) == (
                was["state"], was["status"], _date(was["stopped_on"])), clock.title
        elif not clock.is_open:
            ended.append(clock)
    assert ended, "the migrations end the clocks of ended matters"
    for clock in ended:
        matter = clock.content_type.get_object_for_this_type(pk=clock.object_id)
        assert _has_ended(matter), f"{clock.title}: {matter} has not ended"

    for case in Case.objects.all():
        if case.decided_on:
            for clock in (case.case_clock, case.statement_clock, case.hearing_clock):
                if clock is not None and old[clock.pk]["state"] not in ENDED_CLOCK:
                    assert (clock.state, clock.stopped_on) == (
                        "cancelled" if clock.rule_id != "penalty.case" else "stopped",
                        case.decided_on), clock.title
        if case.state in CASE_ENDED:
            running = Clock.objects.filter(
                content_type__model="case", object_id=str(case.pk),
                state__in=("running", "paused"))
            assert not running.exists(), f"{case.number} ended, {list(running)} run"
    endings = {"withdrawn": "已撤回", "abandoned": "视为放弃"}
    for request in DisclosureRequest.objects.filter(state__in=list(endings)):
        assert clock_badge(request.reply_clock).label == endings[request.state]
    for app in Application.objects.filter(state="withdrawn"):
        for clock in (app.decision_clock, app.promised_clock, app.certificate_clock):
            if clock is not None:
                assert clock_badge(clock).label == "已撤回", app.number


def _has_ended(matter) -> bool:
    """Whether ``matter`` has ended (for a case: or been decided), as its module says."""
    if matter._meta.label == "enforcement.Case":
        return matter.state in CASE_ENDED or matter.decided_on is not None
    owner = getattr(matter, "request", None)  # a consultation: its request's
    return not (owner or matter).is_open


def test_the_audit_chain_verifies_under_the_installs_key_and_anchor(upgrade):
    """`fazhi audit verify` after the upgrade: the chain the old version wrote is
    whole and its head is the one its anchor file names (migrations append nothing).
    Under another key nothing verifies: the upgrade keeps FAZHI_AUDIT_KEY."""
    done = upgrade.fazhi("audit", "verify")
    assert done.returncode == 0, done.stderr
    seq = MANIFEST["audit"]["anchor"]["seq"]
    assert f"已核验 {seq} 条事件，与锚点 #{seq} 一致" in done.stdout
    other = upgrade.fazhi("audit", "verify", FAZHI_AUDIT_KEY="x" * 40)
    assert other.returncode == 1 and "内容与其哈希不符" in other.stderr


def test_the_pages_of_migrated_matters_render(upgraded, client):
    """The principal of each county opens the matters the migrations touched and the
    dashboard: a case whose clocks ended with its payment in its log, a disclosure
    request with its extension request, a withdrawn application, a dispute, a lead,
    a patch, and the page of an ended clock."""
    from fazhi.core.matter_kinds import kinds, matter_url
    from fazhi.core.models import User
    from fazhi.deadlines.models import Clock, ClockExtension
    from fazhi.enforcement.models import Case

    def page(url, user, *texts):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in texts:
            assert text in body, f"{url} lacks {text}"
        return body

    principals = {u.org_unit_id: u for u in User.objects.filter(
        username__endswith="_principal")}
    for kind in kinds():  # one matter of every kind with a page, in its county
        matter = kind.model()._default_manager.order_by("pk").first()
        if kind.url_name and matter is not None:
            page(matter_url(matter), principals[matter.org_unit_id], kind.number(matter))
    paid = Case.objects.filter(steps__action="payment", state="closed").first()
    page(matter_url(paid), principals[paid.org_unit_id], paid.number, "已结案",
         "罚款已缴纳")
    page(reverse("web:clock_detail", args=[paid.case_clock_id]),
         principals[paid.org_unit_id], "已办结")
    for ext in ClockExtension.objects.exclude(requested_by=None):
        clock = Clock.objects.get(pk=ext.clock_id)
        matter = clock.content_type.get_object_for_this_type(pk=clock.object_id)
        page(matter_url(matter), principals[matter.org_unit_id],
             ext.requested_by.full_name, ext.decided_by.full_name)
    for user in principals.values():
        page(reverse("web:home"), user)


def _day(stamp: str | None) -> dt.date | None:
    """The local day of an instant as SQLite stores it (UTC text)."""
    if stamp is None:
        return None
    return dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.UTC).astimezone(TZ).date()


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def test_a_case_waiting_for_its_filing_approval_can_be_signed_after_upgrading(
        upgraded):
    """The filing asked for before sign-offs existed is a round proposed by the
    officer who asked, when they asked: the principal signs it and the case is
    filed."""
    from fazhi.core.models import User
    from fazhi.enforcement.cases import services
    from fazhi.enforcement.cases.services import signing
    from fazhi.enforcement.models import Case

    waiting = Case.objects.filter(state="filing_pending").order_by("pk")
    assert waiting
    for case in waiting:
        [proposed] = signing.approval_rounds(case, signing.FILING)
        first = proposed.signoffs.get(step=0)
        assert (first.signed_by_id, first.signed_at) == (case.created_by_id,
                                                         case.created_at)
    case = waiting.first()
    principal = User.objects.get(username__endswith="_principal",
                                 org_unit=case.org_unit)
    case = services.case_approve_filing(case=case, actor=principal)
    assert Case.objects.get(pk=case.pk).state == "filed"

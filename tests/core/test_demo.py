"""Demo data: the tree and a user per role in each county, loaded idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent, OrgUnit, User
from fazhi.core.roles import Role

pytestmark = pytest.mark.demo


def test_demo_load_twice_creates_nothing_new(db, capsys):
    call_command("demo_load")
    first = (User.objects.count(), OrgUnit.objects.count(), AuditEvent.objects.count())
    call_command("demo_load")
    assert (User.objects.count(), OrgUnit.objects.count(),
            AuditEvent.objects.count()) == first
    out = capsys.readouterr().out
    assert "xt_officer" in out and "fazhi-demo-2026" in out


def test_demo_has_every_role_in_each_county(db):
    call_command("demo_load")
    for code in ("430321", "430381"):
        held = {r for u in User.objects.filter(org_unit__division_code=code)
                for r in u.roles}
        assert held == set(Role.values)
    city = OrgUnit.objects.get(division_code="430300")
    assert city.parent.division_code == "430000"
    assert {c.division_code for c in city.children.all()} == {"430321", "430381"}
    officer = User.objects.get(username="xt_officer")
    assert officer.badge_number and officer.check_password("fazhi-demo-2026")
    assert verify().ok

"""The migration that splits the once-shared permit kinds into one copy per bureau:
each bureau keeps exactly what it had, and its applications point at its own copy.

It runs the real migrations back to the shared schema and forward again, on
whichever database the tests use (SQLite or PostgreSQL).
"""

from __future__ import annotations

import pytest

from fazhi.core import audit
from fazhi.permits.models import Application, PermitKind
from tests.migrating import migrate, migrate_latest

SHARED = ("permits", "0001_initial")




def _kind(Kind, code, word, **extra):
    return Kind.objects.create(
        code=code, name=f"{code}事项", basis="依据", decision_rule="permit.decision",
        promised_days=5, certificate_word=word,
        materials=[{"code": "application", "label": "申请书", "required": True}],
        **extra)


def _application(Application, kind, org, user, n):
    return Application.objects.create(
        org_unit_id=org.pk, number=f"受理{n}", kind=kind, applicant_name="张三",
        applicant_kind="person", project_name="项目", location="某村",
        clerk_id=user.pk, received_on="2025-09-01", rating_token=f"t{n}",
        created_by_id=user.pk)


@pytest.mark.django_db(transaction=True)
def test_each_bureau_gets_its_own_copy_and_its_applications_follow(orgs, people):
    old = migrate([SHARED])
    Kind, App = old.get_model("permits", "PermitKind"), old.get_model(
        "permits", "Application")
    xt, xx = orgs["xt"], orgs["xx"]
    # The shared row, as 湘乡市's administrator left it: 3 days for everybody.
    shared = _kind(Kind, "rural_planning", "乡规")
    Kind.objects.filter(pk=shared.pk).update(promised_days=3)
    unused = _kind(Kind, "red_line", "红线")
    added = _kind(Kind, "mining_change", "矿变", added_by_bureau=True)
    audit.record(actor=people.xt_sysadmin, obj=None, action="permits.kind_save",
                 object_type="permits.PermitKind", object_id=str(added.pk),
                 summary="新增许可事项")
    mine = [_application(App, shared, xt, people.xt_clerk, n) for n in (1, 2)]
    theirs = _application(App, shared, xx, people.xx_clerk, 3)

    migrate_latest()

    by_bureau = {(k.org_unit.division_code, k.code): k
                 for k in PermitKind.objects.select_related("org_unit")}
    assert set(by_bureau) == {
        ("430321", "rural_planning"), ("430381", "rural_planning"),
        ("430321", "red_line"), ("430381", "red_line"), ("430321", "mining_change")}
    assert by_bureau["430321", "rural_planning"].pk == shared.pk  # first keeps the row
    assert by_bureau["430321", "red_line"].pk == unused.pk
    for code in ("430321", "430381"):
        copy = by_bureau[code, "rural_planning"]
        assert (copy.promised_days, copy.certificate_word, copy.materials) == (
            3, "乡规", [{"code": "application", "label": "申请书", "required": True}])
    kinds_of = dict(Application.objects.values_list("pk", "kind__org_unit_id"))
    assert {kinds_of[a.pk] for a in mine} == {xt.pk}
    assert kinds_of[theirs.pk] == xx.pk
    # From now on a change by one bureau stays in that bureau.
    PermitKind.objects.filter(pk=by_bureau["430381", "rural_planning"].pk).update(
        promised_days=1)
    assert PermitKind.objects.get(pk=shared.pk).promised_days == 3


@pytest.mark.django_db(transaction=True)
def test_the_split_can_be_undone(orgs, people):
    from fazhi.permits import services

    services.kinds_sync()
    assert PermitKind.objects.count() == 20
    old = migrate([SHARED])
    assert old.get_model("permits", "PermitKind").objects.count() == 10
    migrate_latest()
    assert PermitKind.objects.filter(org_unit=orgs["xt"]).count() == 10
    assert PermitKind.objects.filter(org_unit=orgs["xx"]).count() == 10

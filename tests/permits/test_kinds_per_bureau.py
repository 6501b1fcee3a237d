"""Each bureau owns its permit kinds: another county's administrator cannot see or
change them, a change never reaches another county's applications, the change is
audited for the owning bureau, and loading the shipped list again changes nothing.

The attack (issue 13, item 8): 湘乡市's system administrator changed a kind's
promised limit, and 湘潭县's next applications were promised on that limit; the
audit event had no bureau, so neither county's audit administrator saw it.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.permits import services
from fazhi.permits.models import Application, PermitKind
from tests.permits.conftest import MON, fresh, on

PROMISED_DUE = MON.replace(day=8)  # 5 working days after Mon 2025-09-01


def _form(kind: PermitKind, **change) -> dict:
    """The kind page's form as its administrator would submit it."""
    data = {"name": kind.name, "basis": kind.basis,
            "decision_rule": kind.decision_rule,
            "promised_days": str(kind.promised_days),
            "certificate_word": kind.certificate_word, "fee_basis": kind.fee_basis,
            "is_active": "on",
            "materials_text": "\n".join(
                f"{m['code']}|{m['label']}|{'是' if m['required'] else '否'}"
                for m in kind.materials)}
    data.update(change)
    return data


def test_another_countys_administrator_gets_not_found_for_a_kind_by_id(
        client, people, kinds, xx_kinds):
    theirs = kinds["rural_planning"]
    client.force_login(people.xx_sysadmin)
    url = reverse("permits:kind_edit", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(theirs, promised_days="1")).status_code == 404
    assert PermitKind.objects.get(pk=theirs.pk).promised_days == 5
    listed = client.get(reverse("permits:kinds")).context["kinds"]
    assert {k.pk for k in listed} == {k.pk for k in xx_kinds.values()}
    with pytest.raises(PermissionDenied):
        services.kind_save(actor=people.xx_sysadmin, kind=theirs, promised_days=1)
    with pytest.raises(PermissionDenied):  # nor hand its own kind over to them
        services.kind_save(actor=people.xx_sysadmin, kind=xx_kinds["red_line"],
                           org_unit=theirs.org_unit)
    assert PermitKind.objects.get(pk=theirs.pk).promised_days == 5
    assert PermitKind.objects.filter(org_unit=theirs.org_unit).count() == 10


def test_a_change_of_ones_own_kind_leaves_the_other_countys_applications_alone(
        client, people, kinds, xx_kinds, accepted, registered):
    before = accepted()  # 湘潭县's, promised in 5 working days
    mine = xx_kinds["rural_planning"]
    client.force_login(people.xx_sysadmin)
    response = client.post(reverse("permits:kind_edit", args=[mine.pk]),
                           _form(mine, promised_days="3"))
    assert response.status_code == 302
    assert PermitKind.objects.get(pk=mine.pk).promised_days == 3
    # 湘潭县 accepts its next application with its kind as the database holds it.
    app = registered(project_name="改后受理的项目")
    with on(MON):
        services.application_accept(application=fresh(app), actor=people.xt_clerk,
                                    accepted_on=MON)
    after = fresh(app)
    assert after.kind.promised_days == 5
    assert after.promised_clock.due_date == PROMISED_DUE
    assert fresh(before).promised_clock.due_date == PROMISED_DUE


def test_the_change_is_audited_for_the_owning_bureau_only(client, people, orgs,
                                                          xx_kinds):
    mine = xx_kinds["rural_planning"]
    client.force_login(people.xx_sysadmin)
    client.post(reverse("permits:kind_edit", args=[mine.pk]),
                _form(mine, promised_days="3"))
    event = AuditEvent.objects.get(action="permits.kind_save")
    assert event.org_unit == orgs["xx"]
    assert event.object_id == str(mine.pk) and event.object_repr == mine.name
    client.force_login(people.xx_auditadmin)
    page = client.get(reverse("web:audit_search"), {"action": "permits.kind_save"})
    assert [e.pk for e in page.context["page"].object_list] == [event.pk]
    assert "修改许可事项" in page.content.decode()
    api = client.get(reverse("api-audit-event", args=[event.pk]))
    assert api.status_code == 200
    client.force_login(people.xt_auditadmin)
    page = client.get(reverse("web:audit_search"), {"action": "permits.kind_save"})
    assert list(page.context["page"].object_list) == []
    assert client.get(reverse("api-audit-event", args=[event.pk])).status_code == 404


def test_sync_is_idempotent_and_never_overwrites_a_bureaus_edit(people, orgs, kinds,
                                                                xx_kinds):
    assert len(kinds) == len(xx_kinds) == 10
    assert not {k.pk for k in kinds.values()} & {k.pk for k in xx_kinds.values()}
    services.kind_save(actor=people.xx_sysadmin, kind=xx_kinds["red_line"],
                       promised_days=2, certificate_word="湘红")
    out = io.StringIO()
    call_command("permits_kinds_sync", stdout=out)
    call_command("permits_kinds_sync", stdout=out)
    assert out.getvalue().count("新增许可事项 0 项") == 2
    saved = PermitKind.objects.get(pk=xx_kinds["red_line"].pk)
    assert (saved.promised_days, saved.certificate_word) == (2, "湘红")
    assert PermitKind.objects.get(pk=kinds["red_line"].pk).promised_days == 5
    PermitKind.objects.filter(pk=xx_kinds["land_transfer"].pk).delete()
    assert services.kinds_sync() == 1  # only 湘乡市 lacked it
    for county in ("xt", "xx"):
        assert PermitKind.objects.filter(org_unit=orgs[county]).count() == 10
    events = AuditEvent.objects.filter(action="permits.kinds_sync")
    assert sorted(events.values_list("org_unit__division_code", flat=True)) == [
        "430321", "430381", "430381"]


def test_sync_for_a_named_bureau_gives_it_its_own_copy(orgs, kinds):
    out = io.StringIO()
    call_command("permits_kinds_sync", "--bureau", "430300", stdout=out)
    assert "新增许可事项 10 项" in out.getvalue()
    assert PermitKind.objects.filter(org_unit=orgs["city"]).count() == 10
    assert PermitKind.objects.filter(org_unit=orgs["province"]).count() == 0


def test_a_city_administrator_reads_the_counties_kinds_but_cannot_change_them(
        client, people, orgs, kinds, xx_kinds):
    from fazhi.core import services as core
    from fazhi.core.roles import Role

    admin = core.user_create(username="city_sysadmin", full_name="市局系管",
                             org_unit=orgs["city"], password="x-pass-12345", actor=None)
    core.user_grant_role(user=admin, role=Role.SYSTEM_ADMIN, actor=None)
    client.force_login(admin)
    page = client.get(reverse("permits:kinds"))
    assert len(page.context["kinds"]) == 20
    assert "湘潭县" in page.content.decode() and "湘乡市" in page.content.decode()
    assert reverse("permits:kind_edit", args=[kinds["red_line"].pk]) not in (
        page.content.decode())
    kind = kinds["red_line"]
    url = reverse("permits:kind_edit", args=[kind.pk])
    assert client.post(url, _form(kind, promised_days="1")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.kind_save(actor=admin, kind=kind, promised_days=1)
    assert PermitKind.objects.get(pk=kind.pk).promised_days == 5


def test_the_window_takes_applications_only_of_its_own_bureaus_kinds(
        client, people, kinds, xx_kinds):
    theirs = xx_kinds["rural_planning"]
    with on(MON), pytest.raises(ValidationError) as exc:
        services.application_register(
            actor=people.xt_clerk, kind=theirs, applicant_name="张三",
            applicant_kind="person", project_name="自建住房", location="花石镇",
            received_on=MON, clerk=people.xt_clerk)
    assert "本机关的许可事项" in exc.value.message_dict["kind"][0]
    client.force_login(people.xt_clerk)
    form = client.get(reverse("permits:register")).context["form"]
    assert set(form.fields["kind"].queryset) == set(kinds.values())
    assert Application.objects.count() == 0


def test_a_bureau_may_reuse_a_code_and_word_another_bureau_has(people, kinds,
                                                               xx_kinds):
    fields = dict(code="mining_change", name="采矿权变更审批", basis="示例",
                  decision_rule="permit.decision", promised_days=15,
                  certificate_word="矿变", fee=False,
                  materials=[{"code": "application", "label": "变更申请书",
                              "required": True}])
    xt = services.kind_save(actor=people.xt_sysadmin, **fields)
    xx = services.kind_save(actor=people.xx_sysadmin, **fields)
    assert xt.org_unit != xx.org_unit
    with pytest.raises(ValidationError) as exc:
        services.kind_save(actor=people.xt_sysadmin, **{**fields,
                                                        "certificate_word": "矿二"})
    assert "已有编码" in exc.value.message_dict["code"][0]

"""股室管理: a bureau's system administrator keeps its departments (a fresh install
has none, and the forms that choose one say so instead of offering an empty list);
a city's reaches its counties' through a bureau chooser; nobody else gets in."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.core import services
from fazhi.core.models import AuditEvent, Department, User
from fazhi.core.roles import Role
from fazhi.disputes import review
from tests.disputes.test_pages import revoked  # noqa: F401  (fixture)

LIST = "web:department_list"
REFUSED = ["xt_secadmin", "xt_auditadmin", "xt_officer", "xt_legal", "xt_principal"]


def _list(code: str) -> str:
    return f"{reverse(LIST)}?org={code}"


def _events(action: str, dept: Department):
    return AuditEvent.objects.filter(action=action, object_id=str(dept.pk))


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    return found[0] if found else ""


def test_a_county_administrator_adds_renames_deactivates_and_restores(
        client, people, orgs):
    client.force_login(people.xt_sysadmin)
    assert "股室管理" in client.get(reverse("web:user_list")).content.decode()
    added = client.post(reverse(LIST), {"name": " 不动产 登记股 "})
    assert added.status_code == 302 and added["Location"] == _list("430321")
    dept = Department.objects.get(org_unit=orgs["xt"], name="不动产 登记股")
    created = _events("department.create", dept).get()
    assert created.actor == people.xt_sysadmin and created.org_unit == orgs["xt"]

    again = client.post(reverse(LIST), {"name": "不动产 登记股"})
    assert "已有股室“不动产 登记股”" in again.content.decode()
    assert Department.objects.filter(name="不动产 登记股").count() == 1

    client.post(reverse("web:department_rename", args=[dept.pk]), {"name": "登记股"})
    renamed = _events("department.rename", dept).get()
    assert Department.objects.get(pk=dept.pk).name == "登记股"
    assert "不动产 登记股" in renamed.summary and "登记股" in renamed.summary

    confirm = client.get(reverse("web:department_deactivate", args=[dept.pk]))
    text = confirm.content.decode()
    assert "确认停用" in text and "删除会使这些记录失去所属股室" in text
    assert Department.objects.get(pk=dept.pk).is_active  # a look changes nothing
    client.post(reverse("web:department_deactivate", args=[dept.pk]))
    assert not Department.objects.get(pk=dept.pk).is_active
    assert _events("department.set_active", dept).count() == 1
    listing = client.get(_list("430321")).content.decode()
    assert "已停用" in listing and "恢复使用" in listing

    client.post(reverse("web:department_reactivate", args=[dept.pk]))
    assert Department.objects.get(pk=dept.pk).is_active
    assert _events("department.set_active", dept).count() == 2


def test_a_deactivated_department_leaves_the_choosers_but_not_the_old_records(
        client, people, revoked):  # noqa: F811
    review.causes_sync()
    squad = people.xt_officer.department  # 执法大队, the officers' own
    client.force_login(people.xt_sysadmin)
    confirm = client.get(reverse("web:department_deactivate", args=[squad.pk]))
    assert "用户（2）" in confirm.content.decode()  # the two officers name it
    client.post(reverse("web:department_deactivate", args=[squad.pk]))

    users = client.get(reverse("web:user_list")).content.decode()
    assert f'value="{squad.pk}"' not in _select(users, "department")
    assert f"<td>{squad.name}</td>" in users  # the officers still show it
    refused = client.post(reverse("web:user_list"), {
        "username": "xt_new", "full_name": "新同事", "org_unit": squad.org_unit.pk,
        "department": squad.pk, "password": "a-long-enough-pass"})
    assert refused.status_code == 200 and not User.objects.filter(
        username="xt_new").exists()

    client.force_login(people.xt_legal)
    page = reverse("disputes:action", args=["reconsideration", revoked.pk, "review"])
    assert f'value="{squad.pk}"' not in _select(client.get(page).content.decode(),
                                                "department")
    with pytest.raises(ValidationError, match="在用的股室"):
        review.review_record(matter=revoked, actor=people.xt_legal,
                             cause=review.ReviewCause.objects.first(),
                             department=Department.objects.get(pk=squad.pk),
                             summary="x",
                             reviewed_on=revoked.concluded_on)


def test_a_county_administrator_cannot_reach_another_countys_departments(
        client, people, orgs):
    other = people.xx_officer.department
    client.force_login(people.xt_sysadmin)
    assert client.get(_list("430381")).status_code == 404
    assert client.get(_list("430300")).status_code == 404
    assert 'name="org"' not in client.get(reverse(LIST)).content.decode()
    for name in ("web:department_rename", "web:department_deactivate",
                 "web:department_reactivate"):
        assert client.post(reverse(name, args=[other.pk]),
                           {"name": "改名"}).status_code == 404
    assert Department.objects.get(pk=other.pk).name == other.name
    assert Department.objects.get(pk=other.pk).is_active
    attempts = [
        lambda: services.department_create(org_unit=orgs["xx"], name="外县股",
                                           actor=people.xt_sysadmin),
        lambda: services.department_rename(department=other, name="改名",
                                           actor=people.xt_sysadmin),
        lambda: services.department_deactivate(department=other,
                                               actor=people.xt_sysadmin),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="本机关及下级机关的股室"):
            attempt()
    assert not AuditEvent.objects.filter(action__startswith="department.",
                                         actor=people.xt_sysadmin).exists()


def test_the_citys_administrator_manages_its_counties_departments(client, people,
                                                                  orgs):
    client.force_login(people.xts_sysadmin)
    page = client.get(reverse(LIST)).content.decode()
    chooser = _select(page, "org")
    assert all(f">{orgs[k].name}</option>" in chooser for k in ("city", "xt", "xx"))
    assert orgs["province"].name not in chooser
    client.post(_list("430381"), {"name": "耕保股"})
    added = Department.objects.get(org_unit=orgs["xx"], name="耕保股")
    assert _events("department.create", added).get().org_unit == orgs["xx"]
    other = people.xx_officer.department
    # Its account form offers every county's departments, each under its bureau; an
    # account takes one of its own bureau only.
    crossed = client.post(reverse("web:user_list"), {
        "username": "xt_crossed", "full_name": "跨县", "org_unit": orgs["xt"].pk,
        "department": other.pk, "password": "a-long-enough-pass"})
    assert "请选择湘潭县自然资源局在用的股室" in crossed.content.decode()
    assert not User.objects.filter(username="xt_crossed").exists()
    client.post(reverse("web:department_deactivate", args=[other.pk]))
    assert not Department.objects.get(pk=other.pk).is_active
    assert client.get(_list("430000")).status_code == 404


@pytest.mark.parametrize("who", REFUSED)
def test_only_the_system_administrator_gets_in(client, people, who):
    dept = people.xt_officer.department
    client.force_login(people[who])
    urls = [reverse(LIST)] + [reverse(n, args=[dept.pk]) for n in (
        "web:department_rename", "web:department_deactivate",
        "web:department_reactivate")]
    for url in urls:
        got, posted = client.get(url), client.post(url, {"name": "改名"})
        assert got.status_code in (403, 405) and posted.status_code == 403, url
        assert "您没有办理此事项的权限" in posted.content.decode()
    assert Department.objects.get(pk=dept.pk).name == dept.name
    assert Department.objects.get(pk=dept.pk).is_active


def test_a_form_with_no_department_to_offer_says_where_to_add_one(
        client, people, orgs, revoked):  # noqa: F811
    """On a fresh bureau the review's 责任单位 names whom to ask; the administrator's
    new-account form links to 股室管理."""
    review.causes_sync()
    for dept in Department.objects.filter(org_unit=orgs["xt"]):
        services.department_deactivate(department=dept, actor=people.xt_sysadmin)
    client.force_login(people.xt_legal)
    page = reverse("disputes:action", args=["reconsideration", revoked.pk, "review"])
    html = client.get(page).content.decode()
    assert not _select(html, "department")
    assert "湘潭县自然资源局尚未设置股室，请本局系统管理员（湘潭县系管）" in html

    fresh = services.org_unit_ensure(division_code="430382", division_name="韶山市",
                                     name="韶山市自然资源局", level="county",
                                     parent=orgs["city"])
    admin = services.user_create(username="ss_sysadmin", full_name="韶山市系管",
                                 org_unit=fresh, password="a-long-enough-pass",
                                 actor=people.xts_sysadmin)
    services.user_grant_role(user=admin, role=Role.SYSTEM_ADMIN,
                             actor=people.xts_secadmin)
    client.force_login(User.objects.get(pk=admin.pk))
    html = client.get(reverse("web:user_list")).content.decode()
    assert not _select(html, "department")
    assert "韶山市自然资源局尚未设置股室" in html
    assert f'href="{_list("430382")}"' in html
    client.post(_list("430382"), {"name": "综合股"})
    html = client.get(reverse("web:user_list")).content.decode()
    assert ">综合股</option>" in _select(html, "department")

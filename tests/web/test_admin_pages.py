"""The three administrators' pages: users, roles (separated duties), holidays."""

from __future__ import annotations

from django.urls import reverse

from fazhi.core.models import AuditEvent, User
from fazhi.deadlines.models import HolidayYear


def test_system_admin_creates_a_user_in_the_own_bureau(client, people, orgs):
    client.force_login(people.xt_sysadmin)
    response = client.post(reverse("web:user_list"), {
        "username": "xt_new", "full_name": "新同事", "org_unit": orgs["xt"].pk,
        "password": "a-long-enough-pass"})
    assert response.status_code == 302
    user = User.objects.get(username="xt_new")
    assert user.org_unit == orgs["xt"] and user.roles == frozenset()
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_system_admin_cannot_create_a_user_in_another_county(client, people, orgs):
    client.force_login(people.xt_sysadmin)
    response = client.post(reverse("web:user_list"), {
        "username": "xx_new", "full_name": "外县", "org_unit": orgs["xx"].pk,
        "password": "a-long-enough-pass"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "有效" in (
        response.content.decode())
    assert not User.objects.filter(username="xx_new").exists()


def test_duplicate_username_is_named_in_the_error(client, people, orgs):
    client.force_login(people.xt_sysadmin)
    response = client.post(reverse("web:user_list"), {
        "username": "xt_officer", "full_name": "重名", "org_unit": orgs["xt"].pk,
        "password": "a-long-enough-pass"})
    assert "已被使用" in response.content.decode()


def test_security_admin_grants_and_revokes_roles(client, people):
    client.force_login(people.xt_secadmin)
    target = people.xt_clerk
    client.post(reverse("web:role_change", args=[target.pk]),
                {"role": "supervisor", "grant": "1"})
    assert User.objects.get(pk=target.pk).has_role("supervisor")
    client.post(reverse("web:role_change", args=[target.pk]),
                {"role": "supervisor", "grant": "0"})
    assert not User.objects.get(pk=target.pk).has_role("supervisor")
    actions = list(AuditEvent.objects.filter(object_id=str(target.pk)).values_list(
        "action", flat=True))
    assert "user.grant_role" in actions and "user.revoke_role" in actions


def test_administrator_roles_stay_separated(client, people):
    client.force_login(people.xt_secadmin)
    response = client.post(reverse("web:role_change", args=[people.xt_sysadmin.pk]),
                           {"role": "audit_admin", "grant": "1"}, follow=True)
    assert "三员必须分设" in response.content.decode()
    response = client.post(reverse("web:role_change", args=[people.xt_officer.pk]),
                           {"role": "audit_admin", "grant": "1"}, follow=True)
    assert "不得同时担任业务角色" in response.content.decode()
    assert not User.objects.get(pk=people.xt_officer.pk).has_role("audit_admin")


def test_enforcement_officer_needs_a_badge_number(client, people):
    client.force_login(people.xt_secadmin)
    response = client.post(reverse("web:role_change", args=[people.xt_clerk.pk]),
                           {"role": "enforcement_officer", "grant": "1"}, follow=True)
    assert "执法证号" in response.content.decode()
    client.post(reverse("web:role_change", args=[people.xt_clerk.pk]),
                {"role": "enforcement_officer", "grant": "1",
                 "badge_number": "湘43032100099"})
    clerk = User.objects.get(pk=people.xt_clerk.pk)
    assert clerk.has_role("enforcement_officer") and clerk.badge_number == "湘43032100099"


def test_holiday_form_needs_confirmation_then_saves(client, people):
    client.force_login(people.xt_sysadmin)
    data = {"year": 2027, "notice_number": "国办发明电〔2026〕1号",
            "holidays": "2027-01-01\n2027-02-06~2027-02-12", "workdays": "2027-02-14"}
    response = client.post(reverse("web:holiday_list"), data)
    assert response.status_code == 200 and not HolidayYear.objects.exists()
    response = client.post(reverse("web:holiday_list"), {**data, "confirm": "on"})
    assert response.status_code == 302
    year = HolidayYear.objects.get(year=2027)
    assert year.days.filter(kind="holiday").count() == 8
    assert year.days.filter(kind="workday").get().date.isoformat() == "2027-02-14"


def test_holiday_form_names_a_bad_date(client, people):
    client.force_login(people.xt_sysadmin)
    response = client.post(reverse("web:holiday_list"), {
        "year": 2027, "notice_number": "x", "holidays": "2027-13-01", "confirm": "on"})
    assert "无法识别的日期" in response.content.decode()


def test_audit_page_searches_by_object_actor_and_date(client, people):
    client.force_login(people.xt_auditadmin)
    target = people.xt_clerk
    response = client.get(reverse("web:audit_search"), {
        "object_type": "core.User", "object_id": str(target.pk)})
    html = response.content.decode()
    assert "user.create" in html and "user.grant_role" in html
    assert "org_unit.create" not in html
    response = client.get(reverse("web:audit_search"), {"actor_name": "没有这个人"})
    assert "没有符合条件的事件" in response.content.decode()
    response = client.get(reverse("web:audit_search"), {
        "date_from": "2025-03-01", "date_to": "2025-02-01"})
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_audit_admin_changes_nothing(client, people):
    client.force_login(people.xt_auditadmin)
    before = AuditEvent.objects.count()
    for name in ("web:user_list", "web:holiday_list"):
        assert client.post(reverse(name), {}).status_code == 403
    assert client.post(reverse("web:role_change", args=[people.xt_clerk.pk]),
                       {"role": "supervisor", "grant": "1"}).status_code == 403
    assert AuditEvent.objects.count() == before

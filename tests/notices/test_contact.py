"""Where copies of one's notifications go: each person sets their own e-mail and
phone on 通知 when the bureau has channels turned on; nobody sets another's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fazhi.core.models import AuditEvent, User

EMAIL = "fazhi.core.notices.outbound.EmailBackend"


def test_a_person_sets_where_their_notifications_are_sent(people, client, settings):
    settings.NOTIFY_BACKENDS = [EMAIL]
    reviewer = people.xt_reviewer
    client.force_login(reviewer)
    page = client.get(reverse("web:notifications")).content.decode()
    assert "通知接收方式" in page and "电子邮件" in page
    answer = client.post(reverse("web:notifications"),
                         {"email": "reviewer@example.gov.cn", "phone": "13800138000"})
    assert answer.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.email, reviewer.phone) == ("reviewer@example.gov.cn",
                                                "13800138000")
    event = AuditEvent.objects.get(action="user.contact")
    assert "reviewer@example.gov.cn" not in event.payload  # what changed, not the address


def test_a_bad_address_is_refused_in_chinese(people, client, settings):
    settings.NOTIFY_BACKENDS = [EMAIL]
    client.force_login(people.xt_reviewer)
    page = client.post(reverse("web:notifications"), {"email": "不是邮箱", "phone": ""})
    assert page.status_code == 200
    assert "请输入合法的邮件地址" in page.content.decode()
    people.xt_reviewer.refresh_from_db()
    assert people.xt_reviewer.email == ""


def test_without_channels_there_is_nothing_to_set(people, client):
    client.force_login(people.xt_reviewer)
    assert "通知接收方式" not in client.get(reverse("web:notifications")).content.decode()
    client.post(reverse("web:notifications"), {"email": "a@example.gov.cn"})
    people.xt_reviewer.refresh_from_db()
    assert people.xt_reviewer.email == ""


def test_nobody_sets_another_persons_contact_and_the_service_checks_the_address(
        people):
    from django.core.exceptions import ValidationError

    from fazhi.core import services

    with pytest.raises(PermissionDenied, match="只能修改本人"):
        services.user_contact_set(user=people.xt_reviewer, email="x@example.gov.cn",
                                  phone="", actor=people.xt_sysadmin)
    with pytest.raises(ValidationError, match="电子邮箱格式不正确"):
        services.user_contact_set(user=people.xt_reviewer, email="不是邮箱", phone="",
                                  actor=people.xt_reviewer)


def test_an_account_is_created_with_its_email(people, client):
    client.force_login(people.xt_sysadmin)
    client.post(reverse("web:user_list"), {
        "username": "xt_new", "full_name": "新同事",
        "org_unit": people.xt_sysadmin.org_unit_id, "email": "new@example.gov.cn",
        "password": "a-long-password"})
    assert User.objects.get(username="xt_new").email == "new@example.gov.cn"

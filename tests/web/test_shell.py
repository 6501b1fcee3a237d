"""The web shell: login with lockout, headers, navigation by role, 我的待办."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.deadlines import services
from tests.conftest import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_login_page_is_chinese_and_logs_in(client, people):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200 and "用户名" in page.content.decode()
    response = _login(client, "xt_officer")
    assert response.status_code == 302 and response.url == reverse("web:home")


def test_wrong_password_says_so_without_saying_which(client, people):
    response = _login(client, "xt_officer", "wrong-password")
    assert "用户名或密码不正确" in response.content.decode()


def test_account_locks_after_repeated_failures_even_with_the_right_password(
        client, people, settings):
    for _ in range(settings.LOGIN_LOCKOUT_FAILURES):
        _login(client, "xt_officer", "wrong-password")
    response = _login(client, "xt_officer")
    assert response.status_code == 200
    assert "已锁定" in response.content.decode()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(
        minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    with time_machine.travel(later):
        assert _login(client, "xt_officer").status_code == 302


def test_api_token_endpoint_shares_the_lockout(client, people, settings):
    url = reverse("api-token")
    for _ in range(settings.LOGIN_LOCKOUT_FAILURES):
        client.post(url, {"username": "xt_officer", "password": "nope"})
    assert client.post(url, {"username": "xt_officer", "password": PASSWORD}
                       ).status_code == 400


def test_session_expires_after_idle_time(client, people, settings):
    assert settings.SESSION_COOKIE_AGE <= 3600
    start = dt.datetime(2025, 10, 27, 2, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(people.xt_officer)
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    with time_machine.travel(start + idle, tick=False):
        assert client.get(reverse("web:home")).status_code == 200  # activity renews
    with time_machine.travel(start + 2 * idle + dt.timedelta(minutes=2), tick=False):
        response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_pages_within_the_renewal_interval_do_not_write_the_session(client, people,
                                                                     settings):
    start = dt.datetime(2025, 10, 27, 2, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(people.xt_officer)
    writes = []
    for later in (90, 100, 149, 150):  # renewed at 90 s; again 60 s after that
        with (time_machine.travel(start + dt.timedelta(seconds=later), tick=False),
              CaptureQueriesContext(connection) as ctx):
            assert client.get(reverse("web:home")).status_code == 200
        writes.append(sum("django_session" in q["sql"] and "SELECT" not in q["sql"]
                          for q in ctx.captured_queries))
    assert settings.SESSION_RENEW_SECONDS == 60 and writes == [1, 0, 0, 1]
    session = Session.objects.get()
    assert session.expire_date == start + dt.timedelta(
        seconds=150 + settings.SESSION_COOKIE_AGE)


def test_a_visitor_without_a_session_is_given_none(client, db):
    assert client.get(reverse("web:login")).status_code == 200
    client.cookies["sessionid"] = "no-such-session"
    assert client.get(reverse("web:login")).status_code == 200
    assert not Session.objects.exists()


def test_anonymous_visitors_go_to_login(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_logout_needs_post_and_ends_the_session(client, people):
    client.force_login(people.xt_officer)
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_security_headers_allow_no_outside_origin(client, db):
    response = client.get(reverse("web:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert not re.search(r"https?://", csp)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_asset_from_outside(client, people):
    client.force_login(people.xt_officer)
    html = client.get(reverse("web:home")).content.decode()
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not src.startswith(("http:", "https:", "//")), src


def test_navigation_follows_roles(client, people):
    client.force_login(people.xt_auditadmin)
    home = client.get(reverse("web:home"), follow=True)
    html = home.content.decode()
    assert "审计日志" in html and "用户管理" not in html and "我的待办" not in html
    client.force_login(people.xt_officer)
    html = client.get(reverse("web:home")).content.decode()
    assert "我的待办" in html and "审计日志" not in html


@pytest.mark.parametrize(("persona", "url_name"), [
    ("xt_officer", "web:audit_search"), ("xt_officer", "web:user_list"),
    ("xt_sysadmin", "web:role_list"), ("xt_sysadmin", "web:audit_search"),
    ("xt_secadmin", "web:user_list"), ("xt_auditadmin", "web:holiday_list"),
])
def test_pages_of_other_roles_are_forbidden(client, people, persona, url_name):
    client.force_login(people[persona])
    assert client.get(reverse(url_name)).status_code == 403


@time_machine.travel("2025-10-27 10:00 +0800", tick=False)
def test_my_todo_lists_my_clocks_soonest_first_with_colours(client, people):
    me, other = people.xt_disclosure, people.xt_officer
    late = services.clock_start(matter=me, rule_id="disclosure.reply",
                                start=dt.date(2025, 9, 1), actor=me, title="甲申请",
                                assignee=me)
    soon = services.clock_start(matter=me, rule_id="disclosure.reply",
                                start=dt.date(2025, 9, 25), actor=me, title="乙申请",
                                assignee=me)
    services.clock_start(matter=other, rule_id="disclosure.reply",
                         start=dt.date(2025, 9, 25), actor=other, title="他人事项",
                         assignee=other)
    client.force_login(me)
    html = client.get(reverse("web:home")).content.decode()
    assert html.index("甲申请") < html.index("乙申请")
    assert "他人事项" not in html
    assert f'class="row-{late.status}"' in html and late.status == "red"
    assert soon.status == "yellow" and 'class="row-yellow"' in html


def test_clock_detail_explains_the_date(client, people):
    me = people.xt_disclosure
    clock = services.clock_start(matter=me, rule_id="disclosure.reply",
                                 start=dt.date(2025, 9, 25), actor=me, title="丙申请",
                                 assignee=me)
    client.force_login(me)
    html = client.get(reverse("web:clock_detail", args=[clock.pk])).content.decode()
    assert "2025-10-29" in html and "第三十三条" in html
    # the rule by name and standing, never its id
    assert "disclosure.reply" not in html and "法律规定" in html


def test_a_preset_periods_page_says_it_waits_for_the_bureau(client, people):
    me = people.xt_officer
    clock = services.clock_start(matter=me, rule_id="enforcement.lead_check",
                                 start=dt.date(2025, 9, 25), actor=me, title="线索核查",
                                 assignee=me)
    client.force_login(me)
    html = client.get(reverse("web:clock_detail", args=[clock.pk])).content.decode()
    assert "违法线索核查期限（系统预置，待本局确认）" in html
    assert "enforcement.lead_check" not in html and "UNCONFIRMED" not in html
    assert "fazhi 默认" not in html

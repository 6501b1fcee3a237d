"""Real-browser checks of the pages that matter, in Debian's chromium.

The ``browser`` and ``page`` fixtures are tests/browser_fixtures.py's.
"""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.django_db(transaction=True)
def test_staff_logs_in_and_sees_todo_list_with_colours(live_server, page):
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.deadlines import services

    demo_load("browser-pass-123")
    me = User.objects.get(username="xt_disclosure")
    services.clock_start(matter=me, rule_id="disclosure.reply", start=dt.date(2020, 1, 6),
                         actor=me, title="逾期的申请", assignee=me)
    page.goto(f"{live_server.url}/")
    assert "登录" in page.title()
    page.fill("#id_username", "xt_disclosure")
    page.fill("#id_password", "browser-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('我的待办')")
    light = page.locator(".light.red").first
    assert light.inner_text() == "超期"
    # Our stylesheet loaded under the CSP: the red light has a background colour.
    colour = light.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(207, 34, 46)"
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_wrong_password_message_in_browser(live_server, page):
    from fazhi.core.demo import demo_load

    demo_load("browser-pass-123")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "xt_officer")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.locator("[role=alert]").inner_text()
    assert page.console_errors == []

"""Real-browser checks of the pages that matter, in Debian's chromium.

Skipped, with the reason printed, where /usr/bin/chromium is absent; CI installs it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium"))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"浏览器测试已跳过：未找到 {CHROMIUM}（apt install chromium）"),
]


@pytest.fixture
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


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

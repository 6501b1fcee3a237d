"""A disclosure officer takes a request from registration to reply in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.django_db(transaction=True)
def test_officer_registers_and_replies_without_help(live_server, page):
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.disclosure import services

    demo_load("browser-pass-123")
    officer = User.objects.get(username="xt_disclosure")
    # An old, unanswered request shows red in the list.
    services.request_register(
        actor=officer, channel="in_person", submitted_on=dt.date(2025, 3, 3),
        requester_category="business", requester_name="逾期测试公司",
        content="旧申请", assignee=officer)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "xt_disclosure")
    page.fill("#id_password", "browser-pass-123")
    page.click("button[type=submit]")
    page.click("nav >> text=依申请公开")
    row = page.locator("tr", has_text="逾期测试公司")
    assert row.locator(".light.red").inner_text() == "超期"

    page.click("text=登记新申请")
    today = dt.date.today().isoformat()
    page.select_option("#id_channel", "in_person")
    page.fill("#id_submitted_on", today)
    page.select_option("#id_requester_category", "natural_person")
    page.fill("#id_requester_name", "王五")
    page.fill("#id_requester_phone", "13800000000")
    page.fill("#id_content", "本村土地征收补偿方案")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=答复期限")
    assert "已登记" in page.locator(".banner.success").inner_text()
    assert page.locator("dd .light.green").count() == 1

    page.click("ul.actions a:text-is('答复')")
    page.select_option("#id_outcome", "disclose")
    page.fill("#id_reply_summary", "经查，予以公开。")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_selector("text=已答复")
    assert "答复书" in page.content() or "公开复" in page.content()
    assert page.console_errors == []

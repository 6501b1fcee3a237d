"""An extension of the reply period, asked and approved in a real browser: the
officer asks from the request's page, the head of the disclosure office finds it
first on 我的待办 and approves it there, the officer reads the decision on 通知 and
the new due date on the request's page and on 我的待办."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PASSWORD


def _login(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_an_extension_asked_approved_and_seen_by_the_asker(live_server, page, people):
    from fazhi.core.models import Approval
    from fazhi.disclosure import services
    from fazhi.disclosure.models import DisclosureRequest

    officer, head = people.xt_disclosure, people.xt_disclosurehead
    today = dt.date.today()
    request = services.request_register(
        actor=officer, channel="in_person", submitted_on=today,
        requester_category="natural_person", requester_name="李四",
        content="本村2020年以来的土地征收批复", assignee=officer)
    # Another request of the bureau, already overdue: it is the officer's, not the
    # head's, so the head's list holds the extension alone.
    services.request_register(
        actor=officer, channel="in_person", submitted_on=today - dt.timedelta(days=60),
        requester_category="business", requester_name="逾期测试公司",
        content="旧申请", assignee=officer)
    before = request.reply_clock.due_date

    # The officer asks from the request's page.
    _login(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    page.click("ul.actions a:text-is('申请延期答复')")
    page.fill("#id_days", "10")
    page.fill("#id_reason", "涉及多年档案，需逐卷调取核对")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "待政务公开机构负责人审批" in page.locator(".banner.success").inner_text()

    # The head finds it first on 我的待办 and opens it from there.
    _login(page, live_server.url, head.username)
    first = page.locator("table.work tbody tr").first
    assert first.locator("a").inner_text() == f"审批延期申请：{request.number}"
    with page.expect_navigation():
        first.locator("a").click()
    assert page.url.endswith(request.get_absolute_url())
    assert "拟延长10个工作日" in page.content()  # the proposal, signed by the officer
    with page.expect_navigation():
        page.click("a:text-is('审批')")
    assert "涉及多年档案" in page.content()
    page.select_option("#id_approve", "1")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "已审批延期申请" in page.locator(".banner.success").inner_text()
    after = DisclosureRequest.objects.get(pk=request.pk).reply_clock.due_date
    assert after > before
    round_ = Approval.objects.get(chain="disclosure.extension")
    assert round_.state == "approved"
    assert [(s.signed_by_id, s.opinion) for s in round_.signoffs.order_by("step")] == [
        (officer.pk, "propose"), (head.pk, "agree")]

    # The officer sees the decision, and the new date on the request and 我的待办.
    _login(page, live_server.url, officer.username)
    row = page.locator("table.work tbody tr", has_text=request.number)
    # A date in a year whose holiday notice is not entered yet reads as an estimate.
    assert row.locator("td").last.inner_text().removeprefix("约 ").startswith(
        after.isoformat())
    page.click("nav >> text=通知")
    page.wait_for_selector("text=延期申请已批准")
    assert after.isoformat() in page.locator("main").inner_text()
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    assert after.isoformat() in page.locator("dl").first.inner_text()
    assert page.console_errors == []

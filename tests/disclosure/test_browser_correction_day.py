"""A disclosure officer sends a correction notice and registers the completed request
on the same day, the day the request came in (issue 17): both pages take today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser_fixtures import log_in

PASSWORD = "correct-horse-battery"  # tests/conftest.py's demo password


def _step(pg, label):
    pg.click(f"main ul.actions a:text-is('{label}')")
    pg.wait_for_selector("main form")


def _submit(pg):
    with pg.expect_navigation():
        pg.click("main button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_a_correction_is_registered_on_the_day_the_notice_was_issued(
        live_server, page, people):
    from fazhi.disclosure import services
    from fazhi.disclosure.models import DisclosureRequest, RequestState

    officer = people.xt_disclosure
    today = timezone.localdate()
    req = services.request_register(
        actor=officer, channel="in_person", submitted_on=today,
        requester_category="natural_person", requester_name="王五",
        content="本村土地征收补偿方案", assignee=officer)
    due = req.reply_clock.due_date

    log_in(page, live_server.url, "xt_disclosure", PASSWORD)
    page.goto(f"{live_server.url}{req.get_absolute_url()}")
    _step(page, "补正告知")
    assert page.locator("#id_issued_on").input_value() == today.isoformat()
    page.fill("#id_items", "请写明所需信息的文件名称或文号")
    page.fill("#id_deadline", (today + dt.timedelta(days=15)).isoformat())
    _submit(page)
    assert "待补正" in page.content()

    _step(page, "收到补正")
    page.fill("#id_completed_on", today.isoformat())
    _submit(page)
    assert page.locator(".banner.success").count() == 1
    assert page.locator(".errorlist").count() == 0
    req = DisclosureRequest.objects.get(pk=req.pk)
    assert req.state == RequestState.REGISTERED
    assert req.correction.completed_on == today
    assert req.reply_clock.due_date == due  # from the same day: nothing excluded
    assert page.console_errors == []

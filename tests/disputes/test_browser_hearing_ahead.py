"""A legal-affairs officer enters next week's court hearing from the summons, before
it is held (issue 17); the lawsuit shows it as awaiting its day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser_fixtures import log_in

PASSWORD = "correct-horse-battery"  # tests/conftest.py's demo password


@pytest.mark.django_db(transaction=True)
def test_a_hearing_is_scheduled_for_next_week(live_server, page, people):
    from fazhi.disputes import services
    from fazhi.disputes.models import CourtHearing

    today = timezone.localdate()
    next_week = today + dt.timedelta(days=7)
    suit = services.lawsuit_register(
        actor=people.xt_legal, court="湘潭县人民法院", case_number="（2026）湘0321行初7号",
        plaintiff="王五", challenged_act="不予许可决定", complaint_received_on=today)

    log_in(page, live_server.url, "xt_legal", PASSWORD)
    page.goto(f"{live_server.url}{suit.get_absolute_url()}")
    page.click("main ul.actions a:text-is('登记开庭')")
    page.wait_for_selector("main form")
    page.fill("#id_held_on", next_week.isoformat())
    page.fill("#id_attendees", "法务股 张某")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "已登记开庭" in page.locator(".banner.success").inner_text()
    row = page.locator("tr", has_text=next_week.isoformat())
    assert "待开庭" in row.inner_text() and "拟：法务股 张某" in row.inner_text()
    hearing = CourtHearing.objects.get(lawsuit=suit)
    assert hearing.scheduled and hearing.held_on == next_week
    assert page.console_errors == []

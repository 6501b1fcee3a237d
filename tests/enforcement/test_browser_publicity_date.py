"""An officer publishes a penalty decision with the date the page offers (issue 17):
the box shows today, and the browser sends it without anyone typing a date."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser_fixtures import log_in

PASSWORD = "correct-horse-battery"  # tests/conftest.py's demo password


@pytest.mark.django_db(transaction=True)
def test_a_decision_is_published_with_the_prefilled_date(live_server, page, people,
                                                         decided):
    from fazhi.enforcement.models import Publication

    case = decided(fine="1000", served=True)
    today = timezone.localdate()
    log_in(page, live_server.url, "xt_officer", PASSWORD)
    page.goto(f"{live_server.url}/enforcement/publicity/")
    page.locator("tr", has_text=case.number).locator("a:text-is('公示')").click()
    page.wait_for_selector("main form")
    box = page.locator("#id_published_on")
    assert box.get_attribute("type") == "date"
    assert box.input_value() == today.isoformat()  # not blank: the value is ISO
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert f"已公示 {case.number}" in page.locator(".banner.success").inner_text()
    assert Publication.objects.get(case=case).published_on == today
    assert page.console_errors == []

"""A legal-affairs officer records a reconsideration from the copy received to a
撤销 decision in a real browser, sees the correction rate change and the case
marked."""

from __future__ import annotations

import pytest
from django.utils import timezone

PASSWORD = "correct-horse-battery"  # tests/conftest.py's demo password


def _submit(pg):
    with pg.expect_navigation():
        pg.click("main button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_a_revocation_moves_the_correction_rate_and_marks_the_case(
        live_server, page, people, decided):
    from fazhi.core.audit import verify
    from fazhi.disputes.models import Reconsideration

    case = decided(fine="1000", served=True)
    url, today = live_server.url, timezone.localdate().isoformat()
    page.goto(f"{url}/login/")
    page.fill("#id_username", "xt_legal")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")

    page.click("nav >> text=三率")
    row = page.locator("tr", has_text="行政复议纠错率").first
    assert row.locator("td.figure").inner_text() == "—"  # nothing concluded yet

    page.click("nav >> text=复议诉讼")
    page.click("text=登记行政复议")
    page.fill("#id_number", "潭府复〔2026〕15号")
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_body", "湘潭县人民政府")
    page.fill("#id_challenged_act", "行政处罚决定")
    page.fill("#id_case_number", case.number)
    page.fill("#id_copy_received_on", today)
    _submit(page)
    assert "答复期限开始计算" in page.locator(".banner.success").inner_text()
    assert page.locator("dd .light").count() == 1

    page.click("main ul.actions a:text-is('提交书面答复')")
    page.fill("#id_on", today)
    _submit(page)
    page.click("main ul.actions a:text-is('登记复议决定')")
    page.select_option("#id_outcome", "revoked")
    page.fill("#id_concluded_on", today)
    page.fill("#id_summary", "认定事实不清，撤销原处罚决定")
    _submit(page)
    assert "本机关被纠错" in page.content()

    page.click("nav >> text=三率")
    row = page.locator("tr", has_text="行政复议纠错率").first
    assert row.locator("td.figure").inner_text() == "100.0%"
    row.locator("td a").first.click()  # the numerator's matters
    assert "潭府复〔2026〕15号" in page.content()

    page.goto(f"{url}/disputes/")
    page.click("text=潭府复〔2026〕15号")
    page.click(f"a:text-is('{case.number} 李四')")
    assert "本案处罚决定已被纠错" in page.content()
    assert Reconsideration.objects.get().corrected
    assert verify().ok
    assert page.console_errors == []

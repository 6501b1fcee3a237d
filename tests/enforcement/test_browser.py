"""An officer, a legal reviewer and the principal take a tip to a closed case in a
real browser, each logging in as a new user would and finding the way by the page.

The server's clock travels (time_machine, ticking) so that each step happens on a
day the law allows: the statement window must close before the legal review.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.browser_fixtures import log_in

PASSWORD = "browser-pass-123"
TIP_DAY = dt.date(2025, 9, 1)  # Monday
NOTICE_DAY = dt.date(2025, 9, 2)
REVIEW_DAY = dt.date(2025, 9, 10)  # after the 5-working-day statement window
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _at(traveller, day: dt.date) -> None:
    traveller.move_to(f"{day.isoformat()} 09:00 +0800")


def _login(pg, url, username):
    log_in(pg, url, username, PASSWORD)


def _submit(pg):
    with pg.expect_navigation():
        pg.click("main button[type=submit]")


def _open_case(pg, url, number):
    pg.goto(f"{url}/")
    pg.click("nav >> text=行政执法")
    pg.fill("#id_q", number)
    pg.keyboard.press("Enter")
    pg.wait_for_load_state()
    pg.click(f"a:text-is('{number}')")
    pg.wait_for_selector(f"h1:has-text('{number}')")


def _step(pg, label):
    pg.click(f"main a:text-is('{label}')")
    pg.wait_for_selector("main form")


@pytest.mark.django_db(transaction=True)
def test_a_tip_becomes_a_closed_case_in_the_browser(live_server, page, tmp_path):
    from fazhi.core.audit import verify
    from fazhi.core.demo import demo_load
    from fazhi.enforcement.models import Case, CaseState, Lead

    demo_load(PASSWORD)
    url = live_server.url
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(JPEG)
    with time_machine.travel(f"{TIP_DAY.isoformat()} 09:00 +0800", tick=True) as t:
        # The officer registers a phoned-in tip, checks it and files a case.
        _login(page, url, "xt_officer")
        page.click("nav >> text=违法线索")
        page.click("text=登记线索")
        page.select_option("#id_source", "tip")
        page.select_option("#id_channel", "phone")
        page.fill("#id_received_on", TIP_DAY.isoformat())
        page.fill("#id_location", "湘潭县花石镇某村三组")
        page.select_option("#id_violation_type", "illegal_occupation")
        page.fill("#id_description", "有人在村口耕地上打地基建房")
        page.fill("#id_tipster_name", "王举报")
        page.fill("#id_tipster_phone", "13900001111")
        _submit(page)
        assert "已登记" in page.locator(".banner.success").inner_text()
        lead = Lead.objects.get()
        _step(page, "登记核查情况")
        page.fill("#id_checked_on", TIP_DAY.isoformat())
        page.fill("#id_findings", "现场核实，占用耕地约10平方米建房，举报属实")
        _submit(page)
        _step(page, "立案")
        page.fill("#id_party_name", "李四")
        page.select_option("#id_party_kind", "person")
        page.fill("#id_area_m2", "10")
        page.select_option("#id_land_class", "farmland")
        page.check("text=湘潭县执法二")
        _submit(page)
        case = Case.objects.get()
        assert case.state == CaseState.FILING_PENDING and case.lead_id == lead.pk
        assert "待负责人审批" in page.locator(".banner.success").inner_text()
        page.click(f"main a:text-is('{case.number}')")
        page.wait_for_selector(f"h1:has-text('{case.number}')")

        # The principal approves the filing.
        _login(page, url, "xt_principal")
        _open_case(page, url, case.number)
        _step(page, "批准立案")
        page.check("#id_confirm")
        _submit(page)
        assert "已批准立案" in page.locator(".banner.success").inner_text()

        # The officer records the site inspection and serves the notice.
        _at(t, NOTICE_DAY)
        _login(page, url, "xt_officer")
        _open_case(page, url, case.number)
        gaps = page.locator(".banner.warn", has_text="缺少记录")
        assert "现场检查、勘测" in gaps.inner_text()
        page.click("main a:text-is('上传全过程记录')")
        page.select_option("#id_act", "site_inspection")
        page.select_option("#id_kind", "photo")
        page.set_input_files("#id_file", str(photo))
        page.fill("#id_captured_at", f"{TIP_DAY.isoformat()}T15:30")
        page.fill("#id_place", "湘潭县花石镇某村三组")
        page.fill("#id_device", "执法记录仪 ZFJLY-001")
        _submit(page)
        assert "已保存全过程记录" in page.locator(".banner.success").inner_text()
        assert "现场检查、勘测" not in gaps.inner_text()
        _step(page, "送达行政处罚告知书")
        assert "推荐" in page.content()  # the discretion calculator's range
        page.fill("#id_fine_proposed", "3000")
        page.fill("#id_other_measures", "责令退还非法占用的土地")
        page.fill("#id_served_on", NOTICE_DAY.isoformat())
        _submit(page)

        # Once the statement window has closed, the officer asks for legal review.
        _at(t, REVIEW_DAY)
        _login(page, url, "xt_officer")
        _open_case(page, url, case.number)
        _step(page, "提请法制审核")
        _submit(page)
        assert Case.objects.get().state == CaseState.LEGAL_REVIEW

        # The legal reviewer passes it with a written opinion.
        _login(page, url, "xt_reviewer")
        _open_case(page, url, case.number)
        _step(page, "法制审核")
        page.check("input[name=passed][value='1']")
        page.fill("#id_opinion", "事实清楚，证据确凿，适用法律正确，程序合法，裁量适当")
        _submit(page)

        # The principal decides; the officer serves the decision and records payment.
        _login(page, url, "xt_principal")
        _open_case(page, url, case.number)
        _step(page, "作出行政处罚决定")
        # the form comes filled in with what the notice proposed
        assert page.input_value("#id_fine_decided") == "3000.00"
        page.fill("#id_fine_decided", "3000")
        _submit(page)
        assert "已作出决定" in page.locator(".banner.success").inner_text()
        page.select_option("#doc-kind", label="行政处罚决定书")
        with page.expect_navigation():
            page.click("main button:text-is('生成')")
        assert "已制发行政处罚决定书" in page.locator(".banner.success").inner_text()

        _login(page, url, "xt_officer")
        _open_case(page, url, case.number)
        _step(page, "送达行政处罚决定书")
        page.fill("#id_on", REVIEW_DAY.isoformat())
        _submit(page)
        _step(page, "登记罚款缴纳")
        page.fill("#id_paid_on", REVIEW_DAY.isoformat())
        _submit(page)
        _step(page, "登记执行完毕")
        page.fill("#id_completed_on", REVIEW_DAY.isoformat())
        page.fill("#id_note", "已退还土地，建筑物已自行拆除")
        _submit(page)
        _step(page, "提请结案")
        _submit(page)
        assert "已提请负责人批准结案" in page.locator(".banner.success").inner_text()

        # The principal signs the closure; the tipster is answered.
        _login(page, url, "xt_principal")
        _open_case(page, url, case.number)
        _step(page, "审批结案")
        page.check("input[name=agree][value='1']")
        _submit(page)
        assert "已签署同意，案件已结案" in page.locator(".banner.success").inner_text()

        _login(page, url, "xt_officer")
        page.goto(f"{url}{lead.get_absolute_url()}")
        _step(page, "答复举报人")
        page.fill("#id_answered_on", REVIEW_DAY.isoformat())
        page.select_option("#id_method", "phone")
        page.fill("#id_answer", "经查属实，已立案查处并结案")
        _submit(page)
    case.refresh_from_db()
    lead.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.paid_on == REVIEW_DAY
    assert lead.answered_on == REVIEW_DAY
    assert verify().ok
    assert page.console_errors == []

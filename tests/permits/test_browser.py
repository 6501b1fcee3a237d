"""A window clerk takes applications of two kinds from intake to certificate in a
real browser, finding the way by the page as a new user would: each decision is
proposed by the clerk and signed by the section head and, where the kind's chain
asks for it, the principal, before the clerk issues it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser_fixtures import log_in

PASSWORD = "browser-pass-123"


def _submit(pg):
    with pg.expect_navigation():
        pg.click("main button[type=submit]")


def _step(pg, label):
    pg.click(f"main ul.actions a:text-is('{label}')")
    pg.wait_for_selector("main form")


def _register(pg, url, kind, applicant, project):
    pg.goto(f"{url}/")
    pg.click("nav >> text=审批窗口")
    pg.click("text=窗口收件")
    pg.select_option("#id_kind", label=kind)
    pg.fill("#id_received_on", timezone.localdate().isoformat())
    pg.fill("#id_applicant_name", applicant)
    pg.select_option("#id_applicant_kind", "organisation")
    pg.fill("#id_project_name", project)
    pg.fill("#id_location", "湘潭县易俗河镇某村")
    _submit(pg)
    assert "已收件" in pg.locator(".banner.success").inner_text()


def _provide_all(pg, scan):
    """Hand in every material of the checklist, each with its scan."""
    _step(pg, "登记申请材料")
    codes = pg.eval_on_selector_all("#id_code option", "os => os.map(o => o.value)")
    for n, code in enumerate(codes):
        if n:
            _step(pg, "登记申请材料")
        pg.select_option("#id_code", code)
        pg.set_input_files("#id_file", str(scan))
        _submit(pg)
        assert "已登记材料" in pg.locator(".banner.success").inner_text()


def _login(pg, url, username):
    log_in(pg, url, username, PASSWORD)


def _propose(pg, reasons):
    _step(pg, "提出承办意见（拟准予或不予许可）")
    pg.check("input[name=decision][value=approve]")
    pg.fill("#id_reasons", reasons)
    _submit(pg)
    assert "已提出承办意见" in pg.locator(".banner.success").inner_text()


def _sign(pg, url, username, number, *, agree=True, reasons=""):
    """Log in as ``username``, find the application waiting on the board, sign it
    on its page."""
    _login(pg, url, username)
    pg.click("nav >> text=审批窗口")
    pg.click(f"main table a:text-is('{number}')")
    form = pg.locator("form#sign")
    form.locator(f"input[name=agree][value='{1 if agree else 0}']").check()
    form.locator("textarea[name=reasons]").fill(reasons)
    with pg.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "已签署" in pg.locator(".banner.success").inner_text()


def _back_to(pg, url, number):
    _login(pg, url, "xt_clerk")
    pg.click("nav >> text=审批窗口")
    pg.click(f"main a:text-is('{number}')")


@pytest.mark.django_db(transaction=True)
def test_a_clerk_takes_two_kinds_from_intake_to_certificate(
        live_server, page, tmp_path):
    from fazhi.core.audit import verify
    from fazhi.core.demo import demo_load
    from fazhi.permits import services
    from fazhi.permits.models import Application, ApplicationState

    demo_load(PASSWORD)
    services.kinds_sync()
    url = live_server.url
    scan = tmp_path / "申请书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    today = timezone.localdate().isoformat()

    _login(page, url, "xt_clerk")

    # 乡村建设规划许可证: every material handed in, accepted, approved, certificate.
    _register(page, url, "乡村建设规划许可证", "某村村民委员会", "村民安置房")
    assert "以下必需材料尚未提交" in page.content()
    _provide_all(page, scan)
    assert "以下必需材料尚未提交" not in page.content()
    _step(page, "受理")
    page.fill("#id_on", today)
    _submit(page)
    assert "已受理" in page.locator(".banner.success").inner_text()
    assert page.locator("dd .light").count() >= 2  # promised and statutory clocks
    _propose(page, "材料齐全，符合村庄规划")
    number = Application.objects.get(project_name="村民安置房").number
    _sign(page, url, "xt_sectionhead", number, reasons="同意报批")
    _sign(page, url, "xt_principal", number, agree=False, reasons="请补充现场踏勘照片")
    _back_to(page, url, number)
    assert "审批已退回承办人：批准不同意" in page.content()
    assert "请补充现场踏勘照片" in page.content()
    _propose(page, "已补充现场踏勘照片")
    _sign(page, url, "xt_sectionhead", number)
    _sign(page, url, "xt_principal", number)
    _back_to(page, url, number)
    _step(page, "准予许可")
    page.fill("#id_on", today)
    _submit(page)
    assert "行政许可审批表" in page.content()
    _step(page, "制发证书")
    page.fill("#id_on", today)
    _submit(page)
    assert "已制发证书" in page.locator(".banner.success").inner_text()
    first = Application.objects.get(project_name="村民安置房")
    assert first.state == ApplicationState.CERTIFIED
    assert "乡规〔" in first.certificate_number
    assert first.certificate_number in page.content()

    # 用地红线图: told once to complete, a material waived, the fee, the certificate.
    _register(page, url, "用地红线图", "湘潭某置业有限公司", "商住楼项目")
    _step(page, "一次性告知补正")
    page.fill("#id_items", "勘测定界成果缺少界址点坐标表")
    page.fill("#id_notified_on", today)
    _submit(page)
    assert "补正告知书" in page.content()
    _step(page, "收到补正材料")
    page.fill("#id_on", today)
    _submit(page)
    _step(page, "材料免于提交")
    page.select_option("#id_code", label="申请书")
    page.fill("#id_reason", "已通过一体化政务服务平台在线提交")
    _submit(page)
    _step(page, "登记申请材料")
    page.select_option("#id_code", label="勘测定界成果")
    _submit(page)
    assert "以下必需材料尚未提交" not in page.content()
    _propose(page, "勘测定界成果齐全")
    number = Application.objects.get(project_name="商住楼项目").number
    _sign(page, url, "xt_sectionhead", number)  # this kind: 承办 → 审核 only
    _back_to(page, url, number)
    _step(page, "准予许可")
    page.fill("#id_on", today)
    _submit(page)
    _step(page, "登记收费")
    page.fill("#id_amount", "200")
    page.fill("#id_receipt_number", "湘财票000123")
    page.fill("#id_paid_on", today)
    _submit(page)
    _step(page, "制发证书")
    page.fill("#id_on", today)
    _submit(page)
    second = Application.objects.get(project_name="商住楼项目")
    assert second.state == ApplicationState.CERTIFIED
    assert "红线〔" in second.certificate_number and second.fee_amount == 200

    # Both show in the statistics, each number opening its applications.
    page.click("nav >> text=窗口统计")
    total = page.locator("tr.total")
    total.locator("a").first.click()
    page.wait_for_selector("h1:has-text('收件')")
    assert first.number in page.content() and second.number in page.content()
    assert verify().ok
    assert page.console_errors == []

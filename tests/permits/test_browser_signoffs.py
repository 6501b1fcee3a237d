"""A permit decision travels the sign-off chain in a real browser, each person
finding it on 我的待办 as a new user would: the clerk proposes, the section head
and the principal sign from their lists, the clerk issues the certificate, which
prints who undertook, reviewed and approved it; a principal's 不同意 comes back to
the clerk's list with the reason."""

from __future__ import annotations

import pytest
from django.utils import timezone
from docx import Document

from tests.browser_fixtures import log_in

PASSWORD = "browser-pass-123"


def _accepted(project: str):
    """湘潭县's clerk has taken in a 乡村建设规划许可证 application today, with every
    material, and accepted it (the intake is another test's walk)."""
    from fazhi.core.models import User
    from fazhi.permits import services
    from fazhi.permits.models import PermitKind

    clerk = User.objects.get(username="xt_clerk")
    today = timezone.localdate()
    kind = PermitKind.objects.get(org_unit=clerk.org_unit, code="rural_planning")
    app = services.application_register(
        actor=clerk, kind=kind, applicant_name="某村村民委员会",
        applicant_kind="organisation", project_name=project,
        location="湘潭县易俗河镇某村", received_on=today, clerk=clerk)
    for material in app.materials.all():
        services.material_provide(application=app, actor=clerk, code=material.code,
                                  provided_on=today)
    return services.application_accept(application=app, actor=clerk,
                                       accepted_on=today)


def _submit(pg):
    with pg.expect_navigation():
        pg.click("main button[type=submit]")


def _from_my_list(pg, url, username, item):
    """Log in as ``username``; open ``item`` from 我的待办."""
    log_in(pg, url, username, PASSWORD)
    pg.click("nav >> text=我的待办")
    pg.click(f"main table.work a:text-is('{item}')")
    pg.wait_for_selector("h1")


def _propose(pg, url, number, reasons):
    _from_my_list(pg, url, "xt_clerk", f"审查并提出承办意见：{number}")
    pg.click("main ul.actions a:text-is('提出承办意见（拟准予或不予许可）')")
    pg.check("input[name=decision][value=approve]")
    pg.fill("#id_reasons", reasons)
    _submit(pg)
    assert "已提出承办意见，待审核" in pg.locator(".banner.success").inner_text()


def _sign(pg, url, username, item, *, agree=True, reasons=""):
    _from_my_list(pg, url, username, item)
    form = pg.locator("form#sign")
    form.locator(f"input[name=agree][value='{1 if agree else 0}']").check()
    form.locator("textarea[name=reasons]").fill(reasons)
    with pg.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "已签署" in pg.locator(".banner.success").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_permit_is_signed_from_each_persons_list_and_its_certificate_carries_the_chain(
        live_server, page, tmp_path):
    from fazhi.core.audit import verify
    from fazhi.core.demo import demo_load
    from fazhi.core.instruments import date_cn
    from fazhi.core.models import User
    from fazhi.permits import services
    from fazhi.permits.models import Application, ApplicationState

    demo_load(PASSWORD)
    services.kinds_sync()
    url, today = live_server.url, timezone.localdate()
    names = {u.username: u.full_name for u in User.objects.filter(
        username__in=["xt_clerk", "xt_sectionhead", "xt_principal"])}

    # The first application: proposed, signed 同意 twice, approved, certified.
    number = _accepted("村民安置房").number
    _propose(page, url, number, "材料齐全，符合村庄规划")
    _sign(page, url, "xt_sectionhead", f"审核许可决定：{number}", reasons="同意报批")
    _sign(page, url, "xt_principal", f"批准许可决定：{number}")
    _from_my_list(page, url, "xt_clerk", f"作出许可决定：{number}")
    page.click("main ul.actions a:text-is('准予许可')")
    page.fill("#id_on", today.isoformat())
    _submit(page)
    page.click("main ul.actions a:text-is('制发证书')")
    page.fill("#id_on", today.isoformat())
    _submit(page)
    assert "已制发证书" in page.locator(".banner.success").inner_text()
    app = Application.objects.get(number=number)
    assert app.state == ApplicationState.CERTIFIED
    with page.expect_download() as download:
        page.click(f"main a:has-text('{app.certificate_number}')")
    saved = tmp_path / "证书.docx"
    download.value.save_as(saved)
    doc = Document(saved)
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    day = date_cn(today)
    assert (f"承办人：{names['xt_clerk']}（{day}）　"
            f"审核人：{names['xt_sectionhead']}（{day}）　"
            f"批准人：{names['xt_principal']}（{day}）") in text

    # The second: the principal disagrees; the clerk's list says why it is back.
    second = _accepted("村委会办公楼").number
    _propose(page, url, second, "材料齐全")
    _sign(page, url, "xt_sectionhead", f"审核许可决定：{second}")
    _sign(page, url, "xt_principal", f"批准许可决定：{second}", agree=False,
          reasons="请补充现场踏勘照片")
    log_in(page, url, "xt_clerk", PASSWORD)
    page.click("nav >> text=我的待办")
    row = page.locator("main table.work tr", has_text=f"审查并提出承办意见：{second}")
    assert "退回：批准不同意，理由：请补充现场踏勘照片" in row.inner_text()
    assert Application.objects.get(number=second).state == ApplicationState.ACCEPTED
    assert verify().ok
    assert page.console_errors == []

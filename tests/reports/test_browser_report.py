"""The legal affairs officer generates last year's report in a real browser, follows a
figure to the records it counts, rewrites a narrative paragraph, saves, and exports
the .docx, which opens with the edit and the figures in it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

PASSWORD = "browser-pass-123"
YEAR = dt.date.today().year - 1
WRITTEN = "坚持党组理论学习中心组学法制度，全年专题学习习近平法治思想四次。"


@pytest.mark.django_db(transaction=True)
def test_preview_figure_records_edit_and_export_in_a_browser(
        live_server, page, tmp_path):
    from fazhi.core.audit import verify
    from fazhi.core.demo import demo_load
    from fazhi.disputes.demo import load as disputes_load
    from fazhi.reports.annual_demo import load as last_year_load
    from fazhi.reports.metrics import metric_value
    from fazhi.reports.models import AnnualReport

    demo_load(PASSWORD)
    disputes_load(prefix="xt")
    last_year_load(prefix="xt")
    url = live_server.url
    page.goto(f"{url}/login/")
    page.fill("#id_username", "xt_legal")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")

    page.click("nav >> text=年度报告")
    page.fill("#id_year", str(YEAR))
    with page.expect_navigation():
        page.click("main button:text-is('生成报告')")
    assert "已生成" in page.locator(".banner.success").inner_text()
    assert f"湘潭县自然资源局{YEAR}年法治政府建设年度报告" in page.locator(
        "article p.title").inner_text()

    # A figure links to the records it counts.
    figure = page.locator("a.figure:not(.change)[data-metric='permits.accepted']")
    shown = figure.inner_text()
    org = AnnualReport.objects.get().org_unit
    mv = metric_value("permits.accepted", org_unit=org, start=dt.date(YEAR, 1, 1),
                      end=dt.date(YEAR, 12, 31))
    assert shown == mv.shown == f"{len(mv.records)}件"
    with page.expect_navigation():
        figure.click()
    assert mv.records[0].label in page.content()
    page.go_back()

    # A narrative paragraph rewritten and saved as version 2.
    with page.expect_navigation():
        page.click("nav.report-tabs >> text=编辑叙述段落")
    page.fill("textarea[data-paragraph='s1.study.narrative']", WRITTEN)
    page.fill("#id_document_number", f"潭县自然资字〔{YEAR + 1}〕3号")
    page.fill("#id_signed_on", f"{YEAR + 1}-01-15")
    page.fill("#id_note", "补充学法举措")
    with page.expect_navigation():
        page.click("main button:text-is('保存为新版本')")
    assert "已保存为第2版" in page.locator(".banner.success").inner_text()
    assert page.locator("#para-s1\\.study\\.narrative").inner_text() == WRITTEN

    # The export downloads a .docx with the edit and the figure.
    with page.expect_download() as info:
        page.click("nav.report-tabs >> text=导出 Word（.docx）")
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".docx")
    body = Document(io.BytesIO(path.read_bytes())).element.body
    text = "".join(t.text for t in body.iter(qn("w:t")))
    assert WRITTEN in text
    assert f"潭县自然资字〔{YEAR + 1}〕3号" in text
    assert f"{YEAR + 1}年1月15日" in text
    tags = {sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val")): "".join(
        t.text for t in sdt.iter(qn("w:t"))) for sdt in body.iter(qn("w:sdt"))}
    assert tags["metric:permits.accepted"] == shown
    assert page.console_errors == []
    assert verify().ok

"""The city's principal opens 工作看板 in a real browser on the demo: the charts draw
under the CSP without a console error, a county's figure leads to its records, and
the print layout drops the menus and keeps the charts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

PASSWORD = "browser-pass-123"
SHOTS = os.environ.get("FAZHI_SCREENSHOTS")  # a folder to keep screenshots in


def _login(pg, url, username):
    pg.goto(f"{url}/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_the_city_principal_compares_counties_and_prints_the_board(
        live_server, page, tmp_path):
    from fazhi.core import services
    from fazhi.core.demo import demo_load, org_tree_ensure
    from fazhi.core.roles import Role

    demo_load(PASSWORD)
    call_command("demo_load", verbosity=0)
    city = services.user_create(username="city_principal", full_name="市局局长",
                                org_unit=org_tree_ensure()["430300"],
                                password=PASSWORD, actor=None)
    services.user_grant_role(user=city, role=Role.PRINCIPAL, actor=None)
    _login(page, live_server.url, "city_principal")
    page.click("nav >> text=工作看板")
    page.wait_for_selector("h1:has-text('工作看板')")
    heads = page.locator("table.compare thead th").all_inner_texts()
    assert heads[1:3] == ["湘潭县自然资源局", "湘乡市自然资源局"]
    # the inline SVG charts are laid out (they have a size) and styled by our CSS
    charts = page.locator("svg.chart")
    assert charts.count() >= 8
    box = charts.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 20
    assert page.locator("dl.figures dd").first.evaluate(
        "e => getComputedStyle(e).fontWeight") == "700"
    shots = Path(SHOTS) if SHOTS else tmp_path
    page.screenshot(path=str(shots / "dashboard-city.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator("nav.side").is_visible()
    assert not page.locator("form.filters").is_visible()
    assert charts.first.is_visible()
    page.screenshot(path=str(shots / "dashboard-city-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # the first figure of 湘潭县 leads to the records it counts
    first = page.locator("table.compare tbody tr").first.locator("td.num a").first
    with page.expect_navigation():
        first.click()
    assert "org=430321" in page.url and "/reports/metrics/" in page.url
    assert page.locator("main h1").count() == 1
    assert page.console_errors == []

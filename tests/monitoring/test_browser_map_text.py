"""Ids and names from imported files show on the maps as text, never as HTML.

A delivered patch id, a reference layer's name and a parcel's id are typed by
whoever made the file; Leaflet inserts a string tooltip as HTML, so an id such as
``<img src=x onerror=...>`` would run script in the officer's session.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import (
    FARMLAND,
    PATCHES,
    RECEIVED,
    geojson_file,
    import_batch,
    import_layer,
    on,
)

PASSWORD = "correct-horse-battery"  # the people fixture's
XSS = "<img src=x onerror=window.__xss=1>"
LAYER = "<b onmouseover=window.__xss=2>永久基本农田</b>"
# Catch every Leaflet map the page makes, so the test can open each tooltip as a
# pointer would (the patch page draws on a canvas: there is no element to hover).
HOOK = """
Object.defineProperty(window, "L", {configurable: true,
  get() { return this.__leaflet; },
  set(v) { this.__leaflet = v; window.__maps = [];
           v.Map.addInitHook(function () { window.__maps.push(this); }); }});
"""
OPEN_TOOLTIPS = """() => window.__maps.forEach(m => m.eachLayer(l => {
    if (l.feature && l.getTooltip && l.getTooltip()) l.openTooltip(); }))"""


@pytest.fixture
def hostile(officer, tmp_path):
    """A layer and a batch whose names and ids are HTML: P1 overlaps F1."""
    from fazhi.monitoring import services

    farmland = [({**FARMLAND[0][0], "BH": XSS}, FARMLAND[0][1]), FARMLAND[1]]
    patches = [({**PATCHES[0][0], "TBBH": XSS}, PATCHES[0][1])]
    with on(RECEIVED):
        import_layer(officer, geojson_file(tmp_path / "jbnt.geojson", farmland),
                     kind="basic_farmland", name=LAYER)
        batch = import_batch(officer, geojson_file(tmp_path / "tb.geojson", patches))
        patch = batch.patches.get()
        services.task_assign(patch=patch, assignee=officer, actor=officer)
    return patch


def _logged_in(browser, live_server, officer):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_init_script(HOOK)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
    return page


def _no_script_ran(page) -> None:
    expect(page.locator(".leaflet-tooltip img, .leaflet-tooltip b")).to_have_count(0)
    page.wait_for_load_state("networkidle")  # a broken <img> would have failed by now
    assert page.evaluate("window.__xss") is None


@pytest.mark.django_db(transaction=True)
def test_the_patch_map_shows_ids_and_layer_names_as_text(live_server, browser,
                                                         hostile, officer):
    page = _logged_in(browser, live_server, officer)
    page.goto(live_server.url + reverse("monitoring:patch_detail", args=[hostile.pk]))
    page.wait_for_function("window.__maps && window.__maps.length > 0")
    page.evaluate(OPEN_TOOLTIPS)
    tips = page.locator(".leaflet-tooltip")
    expect(tips).to_have_count(2)
    expect(tips.filter(has_text=f"图斑 {XSS}（")).to_have_count(1)
    expect(tips.filter(has_text=f"{LAYER}：{XSS}")).to_have_count(1)
    _no_script_ran(page)
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_field_list_map_shows_the_patch_id_as_text(live_server, browser,
                                                       hostile, officer):
    page = _logged_in(browser, live_server, officer)
    page.goto(live_server.url + reverse("monitoring:field_tasks"))
    outline = page.locator("#field-map path.patch-outline")
    expect(outline).to_have_count(1)
    outline.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text(XSS)
    _no_script_ran(page)
    page.context.close()

"""Every monitoring map carries a legend of its colours and a metric scale bar."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi.monitoring.maps import LAYER_COLOURS, PRIORITY_COLOURS, legend

from .conftest import (
    FARMLAND,
    PATCHES,
    RECEIVED,
    geojson_file,
    import_batch,
    import_layer,
    on,
)
from .test_browser_map_text import _logged_in


def _feature(role, **props):
    return {"type": "Feature", "geometry": None, "properties": {"role": role, **props}}


def test_the_legend_lists_the_priorities_and_layers_shown_once_each():
    rows = legend([
        _feature("patch", priority="low", colour=PRIORITY_COLOURS["low"]),
        _feature("patch", priority="high", colour=PRIORITY_COLOURS["high"]),
        _feature("patch", priority="high", colour=PRIORITY_COLOURS["high"]),
        _feature("layer", layer="永久基本农田", colour=LAYER_COLOURS["basic_farmland"]),
        _feature("layer", layer="永久基本农田", colour=LAYER_COLOURS["basic_farmland"]),
    ])
    assert [r["label"] for r in rows] == ["图斑（高优先）", "图斑（低优先）", "永久基本农田"]
    assert rows[2]["colour"] == LAYER_COLOURS["basic_farmland"]


@pytest.fixture
def patch(officer, tmp_path):
    """A batch of one patch overlapping one farmland parcel."""
    with on(RECEIVED):
        import_layer(officer, geojson_file(tmp_path / "jbnt.geojson", FARMLAND),
                     kind="basic_farmland", name="永久基本农田")
        batch = import_batch(officer, geojson_file(tmp_path / "tb.geojson", PATCHES[:1]))
    return batch.patches.get()


def _map_data(html: str) -> dict:
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>',
                      html, re.S)
    return json.loads(found[1])


def test_the_patch_page_hands_its_map_the_legend(client, officer, patch):
    client.force_login(officer)
    html = client.get(reverse("monitoring:patch_detail", args=[patch.pk])).content.decode()
    labels = [r["label"] for r in _map_data(html)["legend"]]
    assert "永久基本农田" in labels and any(x.startswith("图斑（") for x in labels)
    batch = client.get(reverse("monitoring:batch_detail", args=[patch.batch_id]))
    assert _map_data(batch.content.decode())["legend"]


@pytest.mark.django_db(transaction=True)
def test_the_map_shows_its_legend_and_scale_offline(live_server, browser, patch,
                                                    officer):
    page = _logged_in(browser, live_server, officer)
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None)
    page.goto(live_server.url + reverse("monitoring:patch_detail", args=[patch.pk]))
    box = page.locator(".map-legend")
    expect(box).to_contain_text("图例")
    expect(box).to_contain_text("永久基本农田")
    expect(box.locator(".map-legend-row")).to_have_count(2)
    expect(page.locator(".leaflet-control-scale-line")).to_have_count(1)
    expect(page.locator(".leaflet-control-scale-line")).to_contain_text(re.compile(r"\d+ k?m"))
    assert outside == []
    page.context.close()

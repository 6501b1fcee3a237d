"""The window takes a project's extent as a file, a coordinate table or a drawing.

Files go through the GIS core's layer reader (zipped shapefile, KML, GeoJSON) or
its coordinate-table reader; the outline is stored in CGCS2000 lon/lat. A bad file
is refused with a Chinese message, and the rest of what was typed stays on the form.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from fazhi.monitoring.gis.write import write_layer
from fazhi.permits.models import Application
from tests.permits.conftest import MON, on

KML = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>\xe8\x8c\x83\xe5\x9b\xb4</name>
<Polygon><outerBoundaryIs><LinearRing><coordinates>112.90,27.78,0 112.91,27.78,0
112.91,27.79,0 112.90,27.79,0 112.90,27.78,0</coordinates></LinearRing></outerBoundaryIs>
</Polygon></Placemark></Document></kml>"""
# A surveyor's table: X the northing, Y the easting with its zone prefix (zone 38).
TABLE = [("点号", "X", "Y"), ("J1", 3074000, 38490000), ("J2", 3074000, 38490100),
         ("J3", 3074100, 38490100), ("J4", 3074100, 38490000), ("J1", 3074000, 38490000)]


def _fields(people, kinds, **extra):
    return {"kind": kinds["rural_planning"].pk, "received_on": MON.isoformat(),
            "applicant_name": "张三", "applicant_kind": "person",
            "project_name": "张三自建住房", "location": "湘潭县花石镇某村",
            "clerk": people.xt_clerk.pk, **extra}


def _register(client, people, kinds, **extra):
    client.force_login(people.xt_clerk)
    with on(MON):
        return client.post(reverse("permits:register"), _fields(people, kinds, **extra))


def _csv(rows) -> bytes:
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode("gbk")


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shapefile_zip(tmp_path) -> bytes:
    shp = tmp_path / "fw.shp"
    write_layer(shp, np.array([shapely.box(38490000, 3074000, 38490100, 3074100)]),
                {"MC": np.array(["范围"], dtype=object)}, epsg=4526, encoding="GBK")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for part in tmp_path.glob("fw.*"):
            z.write(part, part.name)
    return out.getvalue()


def _stored_bounds() -> tuple:
    return shapely.bounds(shapely.geometry.shape(Application.objects.get().polygon))


@pytest.mark.parametrize("name, content", [
    ("范围.kml", KML),
    ("界址点.csv", _csv(TABLE)),
    ("界址点.xlsx", _xlsx(TABLE)),
])
def test_an_outline_file_is_read_into_lonlat(client, people, kinds, name, content):
    response = _register(client, people, kinds,
                         outline_file=SimpleUploadedFile(name, content))
    assert response.status_code == 302, response.content.decode()
    minx, miny, maxx, maxy = _stored_bounds()
    assert 112 < minx < maxx < 115 and 27 < miny < maxy < 28.5


def test_a_zipped_shapefile_in_gauss_kruger_is_read(client, people, kinds, tmp_path):
    response = _register(client, people, kinds, outline_file=SimpleUploadedFile(
        "范围.zip", _shapefile_zip(tmp_path)))
    assert response.status_code == 302, response.content.decode()
    minx, _, maxx, _ = _stored_bounds()
    assert 113.8 < minx < maxx < 114.0  # zone 38: central meridian 114°E


@pytest.mark.parametrize("name, content, words", [
    ("范围.txt", b"x", "不支持的文件类型"),
    ("界址点.csv", _csv([("X", "Y"), (3074000, 490000), (3074000, 490100),
                        (3074100, 490100)]), "须带 3 度带带号"),
    ("界址点.csv", _csv([("经度", "纬度"), (112.9, 27.78), (112.91, "abc")]),
     "第 3 行的坐标不是数字"),
    ("界址点.csv", _csv([("经度", "纬度"), (112.9, 27.78), (112.91, 27.79),
                        (112.91, 27.78), (112.9, 27.79)]), "不是有效的面"),
    ("范围.kml", b"<kml>broken", "文件 范围.kml"),
    ("范围.zip", b"PK not a zip", "文件 范围.zip"),
])
def test_a_bad_outline_file_is_refused_in_chinese_and_nothing_typed_is_lost(
        client, people, kinds, name, content, words):
    response = _register(client, people, kinds,
                         outline_file=SimpleUploadedFile(name, content))
    html = response.content.decode()
    assert response.status_code == 200 and words in html, html
    assert "张三自建住房" in html and "湘潭县花石镇某村" in html
    assert not Application.objects.exists()


def test_an_outline_read_survives_another_boxs_error(client, people, kinds):
    response = _register(client, people, kinds, project_name="",
                         outline_file=SimpleUploadedFile("范围.kml", KML))
    html = response.content.decode()
    box = html[html.index('name="polygon"'):]
    assert response.status_code == 200 and "112.9" in box[:box.index("</textarea>")]


@pytest.mark.django_db(transaction=True)
def test_an_outline_drawn_on_the_offline_map_is_registered(live_server, browser,
                                                           people, kinds):
    from tests.monitoring.test_browser_map_text import _logged_in

    page = _logged_in(browser, live_server, people.xt_clerk)
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(live_server.url) else None)
    page.goto(live_server.url + reverse("permits:register"))
    page.select_option("#id_kind", str(kinds["rural_planning"].pk))
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_project_name", "张三自建住房")
    page.fill("#id_location", "湘潭县花石镇某村")
    area = page.locator("#outline-map")
    area.scroll_into_view_if_needed()
    for x, y in ((100, 100), (300, 100), (300, 250)):
        area.click(position={"x": x, "y": y})
    page.click("#outline-done")
    assert "3 个拐点" in page.locator("#outline-status").inner_text()
    assert page.locator(".leaflet-control-scale-line").count() == 1
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector(".messages, h1")
    polygon = Application.objects.get().polygon
    assert polygon["type"] == "Polygon" and len(polygon["coordinates"][0]) == 4
    assert outside == []
    page.context.close()

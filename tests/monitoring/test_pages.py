"""The bureau's monitoring pages through real HTTP: import, preview, progress, scope."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import shapely
from django.urls import reverse

from fazhi.monitoring.gis import read
from fazhi.monitoring.models import ImportJob, PatchBatch

from .conftest import PATCHES, RECEIVED, geojson_file, on

pytestmark = pytest.mark.django_db


def _shapefile_zip(tmp_path, rows, *, cpg: str | None, prj: bool = True) -> bytes:
    """A zipped GBK shapefile of ``rows`` [(props, geom)], with or without .cpg/.prj."""
    from fazhi.monitoring.gis import write

    shp = tmp_path / "tb.shp"
    geoms = [g for _, g in rows]
    import numpy as np
    cols = {k: np.array([p[k] for p, _ in rows], dtype=object) for k in rows[0][0]}
    write.write_layer(shp, np.array(geoms, dtype=object), cols, epsg=4547, encoding="GBK")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for part in ("shp", "shx", "dbf") + (("prj",) if prj else ()):
            z.write(shp.with_suffix(f".{part}"), f"tb.{part}")
        if cpg:
            z.writestr("tb.cpg", cpg)
    return out.getvalue()


def _upload(client, name: str, body: bytes, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"code": "WP-WEB", "period": "2025-10", "source": "satellite",
            "received_on": RECEIVED.isoformat(), **fields,
            "file": SimpleUploadedFile(name, body)}
    return client.post(reverse("monitoring:import_new", args=["batch"]), data)


def test_gbk_shapefile_without_cpg_shows_decoded_names_before_anything_is_stored(
        client, login, officer, tmp_path):
    login(officer)
    body = _shapefile_zip(tmp_path, PATCHES, cpg=None)
    with on(RECEIVED):
        response = _upload(client, "tb.zip", body)
        job = ImportJob.objects.get()
        assert response.status_code == 302 and job.state == "inspected"
        page = client.get(reverse("monitoring:import_job", args=[job.pk]))
    text = page.content.decode()
    assert "易俗河镇" in text and "自动识别" in text
    assert not PatchBatch.objects.exists()


def test_confirming_the_preview_lands_the_batch(client, login, officer, tmp_path):
    login(officer)
    body = _shapefile_zip(tmp_path, PATCHES, cpg="GBK")
    with on(RECEIVED):
        _upload(client, "tb.zip", body)
        job = ImportJob.objects.get()
        url = reverse("monitoring:import_job", args=[job.pk])
        refused = client.post(url, {"encoding": job.params["encoding"],
                                    "id_field": "TBBH", "invalid": "reject"})
        assert "请先核对预览" in refused.content.decode()
        client.post(url, {"encoding": job.params["encoding"], "id_field": "TBBH",
                          "invalid": "reject", "confirmed": "on"})
    job.refresh_from_db()
    assert job.state == "done", job.error
    batch = PatchBatch.objects.get(pk=job.result_id)
    assert batch.patches.get(code="430321202511001").attrs["XZQMC"] == "易俗河镇"


def test_a_file_without_prj_fails_naming_the_file_and_lands_nothing(
        client, login, officer, tmp_path):
    login(officer)
    body = _shapefile_zip(tmp_path, PATCHES, cpg="GBK", prj=False)
    with on(RECEIVED):
        _upload(client, "noprj.zip", body)
        job = ImportJob.objects.get()
        page = client.get(reverse("monitoring:import_job", args=[job.pk]))
    assert job.state in ("failed", "inspected")
    job.refresh_from_db()
    text = page.content.decode()
    assert "tb.shp" in text or "noprj" in text
    assert ".prj" in text
    assert not PatchBatch.objects.exists()


def test_invalid_geometry_is_listed_and_repair_is_reported(client, login, officer,
                                                           tmp_path):
    login(officer)
    bowtie = shapely.Polygon([(391000, 3080000), (391100, 3080100),
                              (391100, 3080000), (391000, 3080100)])
    rows = [*PATCHES, ({"TBBH": "430321202511009", "XZQDM": "430321", "XZQMC": "花石镇",
                        "JCMJ": 1.0}, bowtie)]
    path = geojson_file(tmp_path / "bad.geojson", rows)
    with on(RECEIVED):
        _upload(client, "bad.geojson", path.read_bytes())
        job = ImportJob.objects.get()
        page = client.get(reverse("monitoring:import_job", args=[job.pk])).content.decode()
        assert "430321202511009" in page and "自相交" in page
        client.post(reverse("monitoring:import_job", args=[job.pk]), {
            "id_field": "TBBH", "invalid": "repair", "confirmed": "on",
            "encoding": job.params.get("encoding", "")})
    job.refresh_from_db()
    batch = PatchBatch.objects.get(pk=job.result_id)
    assert [r[0] for r in batch.repaired] == ["430321202511009"]


def test_other_countys_officer_gets_404_on_batch_and_patch(client, login, batch, people):
    outsider = next(u for u in people.values()
                    if u.has_role("enforcement_officer")
                    and u.org_unit_id != batch.org_unit_id
                    and not u.org_unit.contains(batch.org_unit))
    login(outsider)
    patch = batch.patches.first()
    assert client.get(reverse("monitoring:batch_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("monitoring:patch_detail", args=[patch.pk])).status_code == 404


def test_city_sees_the_county_batch_but_may_not_assign(client, login, batch, people):
    city = next(u for u in people.values() if u.org_unit.level == "city"
                and u.has_role("supervisor", "principal"))
    login(city)
    assert batch.code in client.get(reverse("monitoring:batch_list")).content.decode()
    page = client.get(reverse("monitoring:batch_detail", args=[batch.pk]))
    assert page.status_code == 200 and "派发外业核查" not in page.content.decode()


def test_patch_page_shows_overlap_and_map_data(client, login, officer, patch):
    login(officer)
    page = client.get(reverse("monitoring:patch_detail", args=[patch.pk]))
    text = page.content.decode()
    assert "3000.00" in text and "4.50" in text
    data = json.loads(text.split('id="map-data" type="application/json">')[1]
                      .split("</script>")[0])
    roles = [f["properties"]["role"] for f in data["features"]["features"]]
    assert roles == ["patch", "layer"]
    assert "leaflet/leaflet.js" in text and "https://" not in text.split("<body")[1]


def test_batch_exports_keep_delivered_fields_and_add_results(client, login, officer,
                                                             batch, tmp_path):
    login(officer)
    xlsx = client.get(reverse("monitoring:batch_export", args=[batch.pk, "xlsx"]))
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.getvalue())).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["TBBH", "XZQDM", "XZQMC", "JCMJ"] and "预判结果" in header
    shp = client.get(reverse("monitoring:batch_export", args=[batch.pk, "shp"]))
    target = tmp_path / "out.zip"
    target.write_bytes(b"".join(shp.streaming_content))
    data = read.read(target, id_field="TBBH")
    assert len(data) == 3 and data.crs == 4547
    row = data.row(data.ids.index("430321202511001"))
    assert row["XZQMC"] == "易俗河镇" and row["YPJG"] == "疑似违法"
    assert row["JBNTMJ"] == pytest.approx(3000.0)


def test_assigning_from_the_batch_page_sends_ticked_patches(client, login, officer,
                                                            batch):
    login(officer)
    ids = list(batch.patches.values_list("pk", flat=True)[:2])
    with on(RECEIVED):
        client.post(reverse("monitoring:batch_assign", args=[batch.pk]),
                    {"patch": ids, "assignee": officer.pk})
    assert batch.patches.filter(state="assigned").count() == 2


def test_patch_page_marks_an_overdue_rectification(client, login, officer, task):
    import datetime as dt

    from fazhi.monitoring import services

    from .test_services import checked

    patch = checked(task, officer)
    with on(dt.date(2025, 11, 10)):
        services.patch_decide(patch=patch, actor=officer, verdict="illegal", note="违法")
        services.rectification_order(patch=patch, actor=officer, measure="reclaim",
                                     requirement="复耕", deadline=dt.date(2025, 11, 20))
    login(officer)
    with on(dt.date(2025, 11, 21)):
        login(officer)
        page = client.get(reverse("monitoring:patch_detail", args=[patch.pk]))
    assert "已逾期" in page.content.decode()

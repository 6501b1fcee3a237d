"""A layer imported through the web pages is indexed chunk by chunk from the file."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fazhi.monitoring import importing
from fazhi.monitoring.gis import read, store
from fazhi.monitoring.gis.write import write_layer
from fazhi.monitoring.models import ImportJob, JobState, LayerVersion

from .conftest import RECEIVED, X0, Y0, on

pytestmark = pytest.mark.django_db


def _parcels_gpkg(path, n: int, *, bowtie: bool = False):
    """``n`` 20 m squares in a row, numbered BSM 1…n, GBK-free GeoPackage."""
    geoms = [shapely.box(X0 + 20 * i, Y0, X0 + 20 * i + 20, Y0 + 20) for i in range(n)]
    if bowtie:
        geoms[-1] = shapely.Polygon([(X0, Y0 + 100), (X0 + 10, Y0 + 110),
                                     (X0 + 10, Y0 + 100), (X0, Y0 + 110)])
    write_layer(path, np.array(geoms, dtype=object),
                {"BSM": np.arange(1, n + 1),
                 "DLMC": np.array(["水田"] * n, dtype=object)}, epsg=4547)
    return path


def _import(client, path, *, invalid: str = "reject"):
    client.post(reverse("monitoring:import_new", args=["layer"]), {
        "kind": "basic_farmland", "name": "永久基本农田",
        "file": SimpleUploadedFile(path.name, path.read_bytes())})
    job = ImportJob.objects.get()
    assert job.state == JobState.INSPECTED, job.error
    client.post(reverse("monitoring:import_job", args=[job.pk]), {
        "id_field": job.params["id_field"], "invalid": invalid, "confirmed": "on",
        "encoding": job.params.get("encoding", "")})
    job.refresh_from_db()
    return job


def _upload(client, path):
    client.post(reverse("monitoring:import_new", args=["layer"]), {
        "kind": "basic_farmland", "name": "永久基本农田",
        "file": SimpleUploadedFile(path.name, path.read_bytes())})
    job = ImportJob.objects.get()
    assert job.state == JobState.INSPECTED, job.error
    return job


def test_a_layer_is_indexed_in_chunks_with_progress(client, login, officer, tmp_path,
                                                    monkeypatch):
    monkeypatch.setattr(read, "CHUNK", 7)  # 30 features: five chunks
    login(officer)
    seen = []
    with on(RECEIVED):
        job = _upload(client, _parcels_gpkg(tmp_path / "jbnt.gpkg", 30))
        importing.job_confirm(job=job, actor=officer, choices={
            "id_field": "BSM", "invalid": "reject", "confirmed": True})
        job = importing.job_run(job.pk, echo=lambda *a: seen.append(a))
    assert job.state == JobState.DONE, job.error
    reads = [(done, total) for stage, done, total in seen if stage == "读取"]
    assert reads == [(7, 30), (14, 30), (21, 30), (28, 30), (30, 30)]
    assert seen[-1] == ("建索引", 30, 30)
    version = LayerVersion.objects.get(pk=job.result_id)
    assert (version.feature_count, version.id_field, version.crs_epsg) == (30, "BSM", 4547)
    assert [f["name"] for f in version.fields] == ["BSM", "DLMC"]
    index = importing.layer_store(version)
    found = index.pairs(np.array([[X0 + 25, Y0 + 5, X0 + 30, Y0 + 6]]))[1]
    assert index.ids(found) == ["2"] and index.attributes(found)[0]["DLMC"] == "水田"


def test_repairs_made_while_indexing_are_recorded_on_the_version(
        client, login, officer, tmp_path):
    login(officer)
    with on(RECEIVED):
        job = _import(client, _parcels_gpkg(tmp_path / "jbnt.gpkg", 5, bowtie=True),
                      invalid="repair")
    assert job.state == JobState.DONE, job.error
    version = LayerVersion.objects.get(pk=job.result_id)
    assert [r[0] for r in version.repaired] == ["5"]


def test_a_cut_off_layer_import_resumes_on_retry_and_clears_the_half_build(
        client, login, officer, tmp_path, settings):
    login(officer)
    with on(RECEIVED):
        job = _upload(client, _parcels_gpkg(tmp_path / "jbnt.gpkg", 12))
        importing.job_confirm(job=job, actor=officer, choices={
            "id_field": "BSM", "invalid": "reject", "confirmed": True})
    # The process died while indexing: the job stays "running", silent, and the
    # build's temporary folder is left beside the layer's indexes.
    parent = settings.MONITORING_ROOT / "layers" / officer.org_unit.division_code
    half = parent / "basic_farmland" / ".abc-v1.building-x"
    half.mkdir(parents=True)
    (half / "run0.wkb").write_bytes(b"\0" * 100)
    with on(RECEIVED):
        hours_ago = timezone.now().timestamp() - 2 * store.ABANDONED_AFTER
        for part in (half / "run0.wkb", half):
            os.utime(part, (hours_ago, hours_ago))
        ImportJob.objects.filter(pk=job.pk).update(
            state=JobState.RUNNING, updated_at=timezone.now() - dt.timedelta(minutes=5))
        job.refresh_from_db()
        importing.job_retry(job=job, actor=officer)
        job = importing.job_run(job.pk)
    assert job.state == JobState.DONE, job.error
    version = LayerVersion.objects.get()
    assert version.feature_count == 12
    assert not half.exists()
    assert os.path.isfile(importing._root() / version.store_path / "meta.json")

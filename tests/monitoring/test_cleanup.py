"""Disk leaks: what a killed build and ended imports leave is removed by the daily
sweep (``fazhi sweep``) and at the start of the next build — never what a live job
needs."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fazhi.monitoring import importing
from fazhi.monitoring.gis.read import read
from fazhi.monitoring.gis.store import LayerStore
from fazhi.monitoring.models import ImportJob, JobState
from tests.monitoring.data.builders import boxes, shapefile

from .conftest import PATCHES, RECEIVED, geojson_file, on

TWO_DAYS = 2 * 86_400


def _age(path, seconds: float) -> None:
    """Make ``path`` and everything in it look last written ``seconds`` ago."""
    then = time.time() - seconds
    for p in [*path.rglob("*"), path] if path.is_dir() else [path]:
        os.utime(p, (then, then))


def _killed_build(parent, name: str = "abc123-v1"):
    """Leave what a build killed half-way leaves: a temporary sibling folder."""
    tmp = parent / f".{name}.building-k1ll3d"
    tmp.mkdir(parents=True)
    (tmp / "run0.wkb").write_bytes(b"\0" * 1024)
    (tmp / "run0.bbox.npy").write_bytes(b"\0" * 64)
    return tmp


def _sweep():
    call_command("sweep")


@pytest.mark.django_db
def test_the_sweep_removes_a_killed_builds_temporary_folder(settings, orgs):
    parent = settings.MONITORING_ROOT / "layers" / "430321" / "basic_farmland"
    old = _killed_build(parent)
    _age(old, 2 * 3600)
    live = _killed_build(parent, "def456-v2")  # a build still writing
    _sweep()
    assert not old.exists()
    assert live.exists()


@pytest.mark.django_db
def test_the_sweep_removes_an_index_no_layer_version_names_but_keeps_current_ones(
        settings, layers):
    parent = settings.MONITORING_ROOT / "layers" / "430321" / "basic_farmland"
    # A kill after the build was installed but before the version was committed.
    orphan = parent / "0123456789ab-v9"
    orphan.mkdir(parents=True)
    (orphan / "meta.json").write_text("{}", "utf-8")
    _age(orphan, 2 * 3600)
    kept = settings.MONITORING_ROOT / layers["farmland"].store_path
    _age(kept, TWO_DAYS)
    _sweep()
    assert not orphan.exists()
    assert kept.exists() and importing.layer_store(layers["farmland"]).count == 2


def test_a_new_build_removes_a_killed_sibling_build_first(tmp_path):
    parent = tmp_path / "layers"
    old = _killed_build(parent)
    _age(old, 2 * 3600)
    data = read(shapefile(tmp_path / "src", "a", boxes(2), {"BH": ["1", "2"]}))
    LayerStore.build(data, parent / "fresh-v1")
    assert not old.exists()
    assert [p.name for p in parent.iterdir()] == ["fresh-v1"]


def _upload(client, name: str, body: bytes):
    return client.post(reverse("monitoring:import_new", args=["batch"]), {
        "code": "WP-WEB", "period": "2025-10", "source": "satellite",
        "received_on": RECEIVED.isoformat(), "file": SimpleUploadedFile(name, body)})


def _upload_folder(job):
    return (importing._root() / job.upload_path).parent


@pytest.mark.django_db
def test_the_sweep_removes_a_failed_imports_upload_and_retry_then_asks_again(
        client, login, officer, tmp_path):
    login(officer)
    with on(RECEIVED):
        _upload(client, "bad.geojson", b'{"type": "FeatureCollection"')
        job = ImportJob.objects.get()
        assert job.state == JobState.FAILED and _upload_folder(job).exists()
        _sweep()
        assert _upload_folder(job).exists()  # the day it failed it may be retried
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=2))
    _age(_upload_folder(job), TWO_DAYS)
    _sweep()
    job.refresh_from_db()
    assert not _upload_folder(job).exists()
    assert "已按期清理" in job.message
    with pytest.raises(ValidationError, match="重新上传"):
        importing.job_retry(job=job, actor=officer)


@pytest.mark.django_db
def test_the_sweep_keeps_the_upload_of_a_job_awaiting_confirmation(
        client, login, officer, tmp_path):
    login(officer)
    body = geojson_file(tmp_path / "tb.geojson", PATCHES).read_bytes()
    with on(RECEIVED):
        _upload(client, "tb.geojson", body)
    job = ImportJob.objects.get()
    assert job.state == JobState.INSPECTED
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30),
        updated_at=timezone.now() - dt.timedelta(days=30))
    _age(_upload_folder(job), 30 * 86_400)
    _sweep()
    assert (importing._root() / job.upload_path).read_bytes() == body


@pytest.mark.django_db
def test_a_finished_imports_upload_is_removed_and_its_source_kept(
        client, login, officer, tmp_path):
    login(officer)
    body = geojson_file(tmp_path / "tb.geojson", PATCHES).read_bytes()
    with on(RECEIVED):
        _upload(client, "tb.geojson", body)
        job = ImportJob.objects.get()
        client.post(reverse("monitoring:import_job", args=[job.pk]), {
            "id_field": "TBBH", "invalid": "reject", "confirmed": "on",
            "encoding": job.params.get("encoding", "")})
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert not _upload_folder(job).exists()
    sources = list((importing._root() / "sources").iterdir())
    _age(sources[0], TWO_DAYS)
    _sweep()
    assert [p.read_bytes() for p in sources] == [body]  # a batch names it


@pytest.mark.django_db
def test_the_sweep_removes_a_failed_imports_kept_source_and_unclaimed_leftovers(
        settings, orgs):
    root = settings.MONITORING_ROOT
    # A source kept by an import that then failed: no layer version or batch names it.
    unnamed = root / "sources" / f"{'e' * 64}.zip"
    # An upload cut off before its job was written; an unzip a kill left behind.
    cut_off = root / "uploads" / ("f" * 32) / "x.zip"
    unpacked = root / "unpacking" / "fazhi-zip-k1ll3d" / "tb.dbf"
    for path in (unnamed, cut_off, unpacked):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in (unnamed, cut_off.parent, unpacked.parent):
        _age(path, TWO_DAYS)
    _sweep()
    assert not unnamed.exists()
    assert not cut_off.parent.exists()
    assert not unpacked.parent.exists()

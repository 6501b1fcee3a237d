"""Hostile and empty files through every door: the web import, the import command and
``fazhi overlay``. Each is refused in Chinese, lands nothing and leaves no files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.read import inspect, read
from fazhi.monitoring.models import ImportJob, LayerVersion, PatchBatch
from tests.monitoring.data.builders import (
    bomb_zip,
    boxes,
    empty_gpkg,
    lying_zip,
    shapefile,
)

from .conftest import RECEIVED, on

FAZHI = Path(sys.executable).with_name("fazhi")

HOSTILE = {
    # 64 MB of filler packed ~1 000:1 beside a real layer: refused from the directory.
    "bomb": (bomb_zip, "疑为恶意构造的压缩包"),
    # A member whose headers say 10 bytes and which holds 3 MB: refused while read.
    "liar": (lying_zip, "与记录不符"),
}


def _run(*args: str, tmp_path: Path, env: dict | None = None):
    """Run ``fazhi overlay`` as a bureau would: no Django, no database, no data dir."""
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    base["FAZHI_DATA_DIR"] = "/nonexistent/fazhi-data"
    return subprocess.run([str(FAZHI), "overlay", *args], cwd=tmp_path,
                          env={**base, **(env or {})}, capture_output=True, text=True,
                          check=False, timeout=120)


def _layer(tmp_path):
    return shapefile(tmp_path / "src", "tb", boxes(2), {"TBBH": ["A1", "A2"]})


def _hostile(tmp_path, kind: str):
    build, refusal = HOSTILE[kind]
    return build(tmp_path / f"{kind}.zip", layer=_layer(tmp_path)), refusal


def _files_under(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _upload(client, kind: str, name: str, body: bytes, **fields):
    data = {"file": SimpleUploadedFile(name, body), **fields}
    if kind == "batch":
        data = {"code": "WP-BAD", "period": "2025-10", "source": "satellite",
                "received_on": RECEIVED.isoformat(), **data}
    else:
        data = {"kind": "basic_farmland", "name": "永久基本农田", **data}
    return client.post(reverse("monitoring:import_new", args=[kind]), data)


# --- zip bombs (issue 13, item 6) ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_web_import_refuses_a_zip_bomb_and_leaves_no_unpacked_files(
        kind, client, login, officer, tmp_path, settings):
    archive, refusal = _hostile(tmp_path, kind)
    login(officer)
    with on(RECEIVED):
        _upload(client, "batch", archive.name, archive.read_bytes())
        job = ImportJob.objects.get()
        page = client.get(reverse("monitoring:import_job", args=[job.pk]))
    assert job.state == "failed" and refusal in job.error and archive.name in job.error
    assert refusal in page.content.decode()
    assert _files_under(settings.MONITORING_ROOT / "unpacking") == []
    assert not PatchBatch.objects.exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_overlay_command_refuses_a_zip_bomb_and_leaves_no_files(kind, tmp_path):
    archive, refusal = _hostile(tmp_path, kind)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    done = _run("--patches", str(archive), "--layer", f"耕地={_layer(tmp_path)}",
                "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path,
                env={"TMPDIR": str(scratch)})
    assert done.returncode == 2, done.stderr
    assert refusal in done.stderr and archive.name in done.stderr
    assert _files_under(scratch) == [] and not (tmp_path / "out.csv").exists()


def test_a_real_layer_zip_still_reads_under_the_default_limits(tmp_path):
    from tests.monitoring.data.builders import zip_of

    data = read(zip_of(_layer(tmp_path), tmp_path / "ok.zip"), id_field="TBBH")
    assert data.ids == ["A1", "A2"]


# --- empty layers (issue 13, item 7) -------------------------------------------------


def _empty_geojson(path):
    path.write_text(json.dumps({
        "type": "FeatureCollection", "features": [],
        "crs": {"type": "name",
                "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}}), "utf-8")
    return path


def test_reading_or_inspecting_an_empty_layer_is_refused_naming_the_file(tmp_path):
    path = empty_gpkg(tmp_path / "空图层.gpkg")
    for look in (read, inspect):
        with pytest.raises(GisError, match=r"空图层\.gpkg：文件中没有任何要素"):
            look(path)


@pytest.mark.django_db
def test_the_web_import_refuses_an_empty_geopackage_as_a_layer(
        client, login, officer, tmp_path):
    path = empty_gpkg(tmp_path / "jbnt.gpkg")
    login(officer)
    with on(RECEIVED):
        _upload(client, "layer", path.name, path.read_bytes())
        job = ImportJob.objects.get()
        page = client.get(reverse("monitoring:import_job", args=[job.pk]))
    assert job.state == "failed" and "没有任何要素" in job.error
    assert "没有任何要素" in page.content.decode()
    assert not LayerVersion.objects.exists()


@pytest.mark.django_db
def test_the_web_import_refuses_an_empty_patch_batch(client, login, officer, tmp_path):
    path = _empty_geojson(tmp_path / "tb.geojson")
    login(officer)
    with on(RECEIVED):
        _upload(client, "batch", path.name, path.read_bytes())
    job = ImportJob.objects.get()
    assert job.state == "failed" and "tb.geojson" in job.error
    assert "没有任何要素" in job.error
    assert not PatchBatch.objects.exists()


@pytest.mark.django_db
def test_the_import_command_refuses_an_empty_layer(officer, tmp_path):
    path = empty_gpkg(tmp_path / "jbnt.gpkg")
    with on(RECEIVED), pytest.raises(CommandError, match=r"jbnt\.gpkg.*没有任何要素"):
        call_command("monitoring_import", "layer", str(path), "--user",
                     officer.username, "--layer-kind", "basic_farmland",
                     "--name", "永久基本农田", "--yes")
    assert not LayerVersion.objects.exists()


@pytest.mark.parametrize("which", ["patches", "layer"])
def test_the_overlay_command_exits_2_naming_an_empty_file(which, tmp_path):
    empty = empty_gpkg(tmp_path / "空.gpkg")
    full = _layer(tmp_path)
    patches, layer = (empty, full) if which == "patches" else (full, empty)
    done = _run("--patches", str(patches), "--layer", f"耕地={layer}",
                "--out", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    assert done.returncode == 2
    assert "空.gpkg" in done.stderr and "没有任何要素" in done.stderr
    assert not (tmp_path / "out.csv").exists()

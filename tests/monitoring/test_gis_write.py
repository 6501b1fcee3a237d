"""Exports keep the delivered attributes and add the results; GBK shapefiles zipped."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from fazhi.monitoring.gis.crs import project
from fazhi.monitoring.gis.overlay import MemoryLayer, overlay
from fazhi.monitoring.gis.read import read
from fazhi.monitoring.gis.write import export, result_columns, shapefile_names
from tests.monitoring.data.builders import DATA


@pytest.fixture(scope="module")
def results():
    patches = read(DATA / "golden_patches.geojson")
    parcels = read(DATA / "golden_parcels.geojson")
    rows = overlay(
        patches.ids,
        project(patches.geoms, patches.crs),
        MemoryLayer.from_layer_data(parcels),
        layer_name="GD",
    )
    return patches, result_columns(rows, patches.ids, ["GD"])


def test_shapefile_field_names_fit_ten_gbk_bytes_and_stay_unique():
    names = shapefile_names(
        ["TBBH", "永久基本农田面积", "永久基本农田亩数", "ABCDEFGHIJKL"]
    )
    assert all(len(n.encode("gbk")) <= 10 for n in names.values())
    assert len(set(names.values())) == 4 and names["TBBH"] == "TBBH"


def test_a_zipped_gbk_shapefile_export_reads_back_with_results(results, tmp_path):
    patches, added = results
    target = tmp_path / "结果.zip"
    export(target, patches.geoms, patches.attrs, epsg=patches.crs, added=added)
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        assert archive.read("结果.cpg").decode().strip() == "GBK"
    assert names == ["结果.cpg", "结果.dbf", "结果.prj", "结果.shp", "结果.shx"]
    back = read(target)
    assert back.fields[:5] == ["TBBH", "XZQDM", "JCMJ", "QSX", "HSX"]
    assert list(back.attrs["GD_M2"]) == [5000.0, 3125.0, 0.0, 400.0]
    assert list(back.attrs["GD_MU"]) == [7.5, 4.69, 0.0, 0.6]
    assert list(back.attrs["GD_ID"]) == [
        "1;2",
        "2;3",
        None,
        "1",
    ]  # a .dbf keeps "" as null


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_geopackage_and_geojson_exports_keep_the_attributes(results, tmp_path, suffix):
    patches, added = results
    target = tmp_path / f"out{suffix}"
    export(target, patches.geoms, patches.attrs, epsg=patches.crs, added=added)
    back = read(target)
    assert back.ids == patches.ids and back.crs == 4547
    assert np.allclose(back.attrs["GD_ZB"], [1.0, 0.3125, 0.0, 1.0])

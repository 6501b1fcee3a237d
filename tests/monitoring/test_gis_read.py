"""Reading delivered layers: encodings, ids, geometry problems, formats."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.read import inspect, read
from fazhi.monitoring.gis.write import write_layer
from tests.monitoring.data.builders import DATA, X0, Y0, boxes, shapefile, zip_of

NAMES = ["水田", "旱地", "乔木林地"]
ATTRS = {"TBBH": ["T1", "T2", "T3"], "DLMC": NAMES}


def test_a_gbk_shapefile_with_its_cpg_reads_chinese(tmp_path):
    path = shapefile(tmp_path, "gbk", boxes(3), ATTRS)
    seen = inspect(path)
    assert (seen.encoding, seen.encoding_source) == ("GBK", "cpg")
    assert [row["DLMC"] for row in seen.preview] == NAMES
    assert list(read(path).attrs["DLMC"]) == NAMES


def test_a_gbk_shapefile_without_cpg_is_detected_and_the_preview_shows_chinese(
    tmp_path,
):
    path = shapefile(tmp_path, "gbk", boxes(3), ATTRS, cpg=False)
    seen = inspect(path)
    assert (seen.encoding, seen.encoding_source) == ("GBK", "detected")
    assert [row["DLMC"] for row in seen.preview] == NAMES


def test_chinese_field_names_are_decoded_too(tmp_path):
    path = shapefile(
        tmp_path,
        "names",
        boxes(2),
        {"图斑编号": ["A", "B"], "地类": ["水田", "旱地"]},
        cpg=False,
    )
    data = read(path)
    assert data.fields == ["图斑编号", "地类"] and data.id_field == "图斑编号"


def test_bytes_that_read_as_both_utf8_and_gbk_are_refused_asking_for_the_encoding(
    tmp_path,
):
    path = shapefile(tmp_path, "utf8", boxes(3), ATTRS, encoding="UTF-8", cpg=False)
    with pytest.raises(GisError, match="请在导入时指定编码") as caught:
        inspect(path)
    assert "utf8.shp" in str(caught.value) and "水田" in str(caught.value)
    assert inspect(path, encoding="UTF-8").preview[0]["DLMC"] == "水田"


def test_a_stated_encoding_that_does_not_fit_is_refused_not_garbled(tmp_path):
    path = shapefile(tmp_path, "gbk", boxes(3), ATTRS, cpg=False)
    with pytest.raises(GisError, match="不是 UTF-8 编码"):
        read(path, encoding="UTF-8")


def test_the_id_field_defaults_to_the_first_unique_field_else_the_index(tmp_path):
    path = shapefile(
        tmp_path,
        "ids",
        boxes(3),
        {"DLMC": ["水田", "水田", "旱地"], "TBBH": ["A", "B", "C"]},
    )
    assert read(path).ids == ["A", "B", "C"]
    plain = shapefile(tmp_path, "plain", boxes(2), {"DLMC": ["水田", "水田"]})
    assert read(plain).ids == ["0", "1"]
    with pytest.raises(GisError, match="有重复"):
        read(path, id_field="DLMC")
    with pytest.raises(GisError, match="没有字段 XX"):
        read(path, id_field="XX")


def _with_bowtie(tmp_path):
    bowtie = shapely.Polygon(
        [(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)]
    )
    geoms = np.array([shapely.box(X0 - 200, Y0, X0 - 100, Y0 + 100), bowtie])
    return shapefile(
        tmp_path, "bad", geoms, {"TBBH": ["OK1", "BAD2"], "DLMC": ["水田", "旱地"]}
    )


def test_an_invalid_geometry_is_reported_with_its_id_and_reason(tmp_path):
    seen = inspect(_with_bowtie(tmp_path))
    assert len(seen.problems) == 1
    fid, reason = seen.problems[0]
    assert fid == "BAD2" and "自相交" in reason and "Self-intersection" in reason


def test_reject_raises_listing_the_bad_features(tmp_path):
    with pytest.raises(GisError, match="BAD2：自相交"):
        read(_with_bowtie(tmp_path))


def test_repair_keeps_polygons_and_says_what_it_repaired(tmp_path):
    data = read(_with_bowtie(tmp_path), invalid="repair")
    assert data.ids == ["OK1", "BAD2"]
    assert data.repaired[0][0] == "BAD2" and "已自动修复" in data.repaired[0][1]
    fixed = data.geoms[1]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon"
    assert fixed.area == pytest.approx(5000.0)


def test_a_layer_of_lines_is_refused(tmp_path):
    path = tmp_path / "lines.geojson"
    from pyogrio import raw

    raw.write(
        path,
        shapely.to_wkb(np.array([shapely.LineString([(X0, Y0), (X0 + 1, Y0 + 1)])])),
        [np.array(["a"], dtype=object)],
        ["TBBH"],
        driver="GeoJSON",
        crs="EPSG:4547",
        geometry_type="LineString",
    )
    with pytest.raises(GisError, match="只接受面"):
        read(path)


@pytest.mark.parametrize("suffix", [".gpkg", ".fgb", ".geojson"])
def test_geopackage_flatgeobuf_and_geojson_read_the_same(tmp_path, suffix):
    path = tmp_path / f"layer{suffix}"
    write_layer(
        path,
        boxes(3),
        {k: np.array(v, dtype=object) for k, v in ATTRS.items()},
        epsg=4547,
    )
    data = read(path)
    # FlatGeobuf stores features in its index's (Hilbert) order
    assert sorted(zip(data.ids, data.attrs["DLMC"], strict=True)) == list(
        zip(*ATTRS.values(), strict=True)
    )
    assert data.crs == 4547 and inspect(path).encoding_source == "format"


def test_a_zipped_shapefile_reads_like_the_plain_one(tmp_path):
    path = shapefile(tmp_path / "src", "gbk", boxes(3), ATTRS)
    archive = zip_of(path, tmp_path / "gbk.zip")
    data = read(archive)
    assert list(data.attrs["DLMC"]) == NAMES and data.crs == 4547


def test_the_golden_geojson_reads_with_its_crs():
    data = read(DATA / "golden_patches.geojson")
    assert data.crs == 4547 and len(data) == 4 and data.id_field == "TBBH"

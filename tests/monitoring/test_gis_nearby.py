"""Overlaying patches on a layer file read only where they are (gis.nearby), no Django.

Each file format is read through its own index (GeoPackage R-tree, FlatGeobuf packed
R-tree, a shapefile's record boxes) or, without one, streamed; every way must give the
areas a brute-force overlay of every feature gives, with FIDs as ids.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio import raw

from fazhi.monitoring.gis import GisError, nearby
from fazhi.monitoring.gis.write import write_layer

X0, Y0 = 380_000.0, 3_070_000.0
N = 12  # parcels per side: a 12 × 12 grid of 50 m squares, some cut by a diagonal


def _parcels() -> tuple[np.ndarray, dict]:
    """Return a gap-free grid of parcels (squares and triangle pairs) and attributes."""
    geoms = []
    for j in range(N):
        for i in range(N):
            x, y = X0 + 50 * i, Y0 + 50 * j
            if (i + j) % 3:
                geoms.append(shapely.box(x, y, x + 50, y + 50))
            else:  # two triangles
                geoms.append(shapely.Polygon([(x, y), (x + 50, y), (x + 50, y + 50)]))
                geoms.append(shapely.Polygon([(x, y), (x + 50, y + 50), (x, y + 50)]))
    geoms = np.array(geoms, dtype=object)
    n = len(geoms)
    attrs = {
        "BH": np.array([f"地块{k + 1:04d}" for k in range(n)], dtype=object),
        "DLMC": np.array(["水田" if k % 2 else "旱地" for k in range(n)], dtype=object),
        "DUP": np.array(["同" for _ in range(n)], dtype=object),
    }
    return geoms, attrs


def _patches() -> np.ndarray:
    """Three patches over a few parcels and one far from every parcel."""
    return np.array([
        shapely.box(X0 + 30, Y0 + 20, X0 + 130, Y0 + 95),
        shapely.Point(X0 + 310, Y0 + 260).buffer(40, quad_segs=8),
        shapely.Polygon([(X0 + 500, Y0 + 500), (X0 + 590, Y0 + 510), (X0 + 540, Y0 + 590)]),
        shapely.box(X0 + 5000, Y0 + 5000, X0 + 5050, Y0 + 5050),
    ], dtype=object)


def _write(path: Path, geoms, attrs, **layer_options) -> Path:
    """Write a layer; ``layer_options`` go to GDAL (SPATIAL_INDEX=NO for none)."""
    if not layer_options:
        write_layer(path, geoms, attrs, epsg=4547,
                    encoding="GBK" if path.suffix == ".shp" else None)
        return path
    names = list(attrs)
    raw.write(path, shapely.to_wkb(geoms), [attrs[n] for n in names], names,
              crs="EPSG:4547", geometry_type="Polygon",
              encoding="GBK" if path.suffix == ".shp" else None,
              layer_options=layer_options)
    return path


def _reference(path: Path, patches: np.ndarray) -> dict[int, tuple[float, list[str]]]:
    """Brute force: every feature of the file against every patch, FIDs as ids."""
    _, fids, wkb, _ = raw.read(path, return_fids=True, columns=[])
    geoms = shapely.from_wkb(wkb)
    out = {}
    for p, patch in enumerate(patches):
        areas = shapely.area(shapely.intersection(geoms, patch))
        hit = np.flatnonzero(areas > 0)
        if len(hit):
            out[p] = (float(areas[hit].sum()), sorted(str(f) for f in fids[hit]))
    return out


def _ours(path: Path, patches: np.ndarray, **kw) -> dict[int, tuple[float, list[str]]]:
    ids = [f"P{k}" for k in range(len(patches))]
    found = nearby.overlay_file(ids, patches, 4547, path, layer_name="耕地", **kw)
    return {ids.index(r.patch_id): (r.overlap_m2, sorted(r.feature_ids))
            for r in found.rows}


FILES = {
    "gpkg with R-tree": ("gd.gpkg", {}, "rtree"),
    "gpkg without R-tree": ("gd.gpkg", {"SPATIAL_INDEX": "NO"}, "scan"),
    "fgb with index": ("gd.fgb", {}, "fgb-index"),
    "fgb without index": ("gd.fgb", {"SPATIAL_INDEX": "NO"}, "scan"),
    "GBK shapefile": ("gd.shp", {}, "shx"),
    "GBK shapefile with .qix": ("gd.shp", {"SPATIAL_INDEX": "YES"}, "shx"),
    "geojson": ("gd.geojson", {}, "scan"),
}


@pytest.mark.parametrize("case", FILES)
def test_every_format_gives_the_brute_force_areas_with_fids_as_ids(tmp_path, case):
    name, options, how = FILES[case]
    geoms, attrs = _parcels()
    path = _write(tmp_path / name, geoms, attrs, **options)
    patches = _patches()
    expected = _reference(path, patches)
    ours = _ours(path, patches)
    assert set(ours) == set(expected) == {0, 1, 2}
    for p, (area, ids) in expected.items():
        assert ours[p][0] == pytest.approx(area, rel=1e-9)
        assert ours[p][1] == ids
    windows = nearby._windows(patches, False)
    chose = nearby.read_near(path, windows, format=_format(path))
    assert chose.how == how
    assert len(chose.fids) < len(geoms) / 4  # read only near the patches


def _format(path: Path) -> str:
    return {".gpkg": "GPKG", ".fgb": "FlatGeobuf", ".shp": "ESRI Shapefile",
            ".geojson": "GeoJSON"}[path.suffix]


def test_gpkg_fids_start_at_one_and_shapefile_fids_at_zero(tmp_path):
    geoms, attrs = _parcels()
    patch = np.array([shapely.box(X0 + 30, Y0 + 5, X0 + 40, Y0 + 15)], dtype=object)
    gpkg = _ours(_write(tmp_path / "gd.gpkg", geoms, attrs), patch)
    shp = _ours(_write(tmp_path / "gd.shp", geoms, attrs), patch)
    assert gpkg[0][1] == ["1"] and shp[0][1] == ["0"]  # the first parcel, a triangle


@pytest.mark.parametrize("name", ["gd.shp", "gd.gpkg", "gd.fgb"])
def test_a_named_id_field_gives_its_values_decoded(tmp_path, name):
    geoms, attrs = _parcels()
    path = _write(tmp_path / name, geoms, attrs)
    patch = np.array([shapely.box(X0 + 60, Y0 + 10, X0 + 90, Y0 + 20)], dtype=object)
    assert _ours(path, patch, id_field="BH")[0][1] == ["地块0003"]


def test_a_named_id_field_that_repeats_where_read_is_refused(tmp_path):
    geoms, attrs = _parcels()
    path = _write(tmp_path / "gd.shp", geoms, attrs)
    with pytest.raises(GisError, match=r"DUP.*重复"):
        _ours(path, _patches(), id_field="DUP")
    with pytest.raises(GisError, match="没有字段 无此字段"):
        _ours(path, _patches(), id_field="无此字段")


def _with_bowtie(where: tuple[float, float]) -> tuple[np.ndarray, dict]:
    """The parcels plus one self-intersecting feature at ``where``."""
    geoms, attrs = _parcels()
    x, y = where
    bowtie = shapely.Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10)])
    return (np.append(geoms, bowtie),
            {k: np.append(v, v[0]) for k, v in attrs.items()})


def test_an_invalid_feature_far_from_every_patch_is_not_read(tmp_path):
    geoms, attrs = _with_bowtie((X0 + 3000, Y0 + 3000))
    path = _write(tmp_path / "gd.gpkg", geoms, attrs)
    assert set(_ours(path, _patches())) == {0, 1, 2}


def test_an_invalid_feature_under_a_patch_is_refused_or_repaired(tmp_path):
    geoms, attrs = _with_bowtie((X0 + 40, Y0 + 40))
    path = _write(tmp_path / "gd.gpkg", geoms, attrs)
    fid = str(len(geoms))  # GeoPackage FIDs start at 1
    with pytest.raises(GisError, match=f"{fid}：自相交"):
        _ours(path, _patches())
    ids = [f"P{k}" for k in range(4)]
    found = nearby.overlay_file(ids, _patches(), 4547, path, layer_name="耕地",
                                invalid="repair")
    assert [f for f, _ in found.repaired] == [fid]


def test_chunks_of_patches_give_the_same_rows_and_report_progress(tmp_path):
    geoms, attrs = _parcels()
    path = _write(tmp_path / "gd.fgb", geoms, attrs)
    patches = _patches()
    ids = [f"P{k}" for k in range(len(patches))]
    seen = []
    whole = nearby.overlay_file(ids, patches, 4547, path, layer_name="耕地")
    parts = nearby.overlay_file(ids, patches, 4547, path, layer_name="耕地", chunk=1,
                                progress=lambda *a: seen.append(a))
    assert sorted(whole.rows) == sorted(parts.rows)
    assert [done for _, done, _ in seen] == [1, 2, 3, 4]
    assert seen[-1][2] == 4 and whole.total == len(geoms) and whole.read < whole.total


def test_patches_in_lon_lat_meet_a_projected_layer(tmp_path):
    from fazhi.monitoring.gis.crs import transform

    geoms, attrs = _parcels()
    path = _write(tmp_path / "gd.gpkg", geoms, attrs)
    patches = _patches()
    projected = _ours(path, patches)
    ids = [f"P{k}" for k in range(len(patches))]
    lonlat = nearby.overlay_file(ids, transform(patches, 4547, 4490), 4490, path,
                                 layer_name="耕地")
    got = {ids.index(r.patch_id): (r.overlap_m2, sorted(r.feature_ids))
           for r in lonlat.rows}
    assert set(got) == set(projected)
    for p, (area, feats) in projected.items():
        # (a vertex through lon/lat and back may leave a sliver on a touching parcel)
        assert got[p][0] == pytest.approx(area, rel=1e-6) and set(feats) <= set(got[p][1])


def test_the_column_pair_test_agrees_with_the_row_test_edges_included():
    from fazhi.monitoring.gis.spatial import box_columns, boxes_intersect, pairs_meet

    rng = np.random.default_rng(3)
    a = np.round(rng.uniform(0, 20, (50, 4)))
    b = np.round(rng.uniform(0, 20, (80, 4)))
    a[:, 2:] = a[:, :2] + np.round(rng.uniform(0, 4, (50, 2)))  # touching edges occur
    b[:, 2:] = b[:, :2] + np.round(rng.uniform(0, 4, (80, 2)))
    ai, bi = np.repeat(np.arange(50), 80), np.tile(np.arange(80), 50)
    got = pairs_meet(box_columns(a), ai, box_columns(b), bi)
    assert (got == boxes_intersect(a[ai], b[bi])).all()
    assert 0 < got.sum() < len(got)

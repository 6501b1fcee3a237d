"""Overlay: hand-computed golden areas, stores against memory layers, properties."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.crs import Projected, area_m2, project
from fazhi.monitoring.gis.overlay import (
    M2_PER_MU,
    MemoryLayer,
    feature_overlaps,
    overlay,
)
from fazhi.monitoring.gis.read import read
from fazhi.monitoring.gis.store import LayerStore
from tests.monitoring.data.builders import DATA, X0, Y0

# Worked by hand (see data/README.md): patch 1 takes 50 × 50 m of parcels 1 and 2;
# patch 2 takes 50 × 50 m of parcel 2 and a 50 × 25 m right triangle (625 m²) of
# parcel 3 out of its 10 000 m²; patch 3 meets nothing; patch 4 (20 m square) lies
# inside parcel 1.
GOLDEN = {
    "4303212025000001": (5000.0, 1.0, ("1", "2")),
    "4303212025000002": (3125.0, 0.3125, ("2", "3")),
    "4303212025000004": (400.0, 1.0, ("1",)),
}


@pytest.fixture(scope="module")
def golden():
    patches = read(DATA / "golden_patches.geojson")
    parcels = read(DATA / "golden_parcels.geojson")
    return patches, parcels


def test_golden_overlaps_match_the_hand_computed_areas(golden):
    patches, parcels = golden
    rows = overlay(
        patches.ids,
        project(patches.geoms, patches.crs),
        MemoryLayer.from_layer_data(parcels),
        layer_name="耕地",
    )
    got = {r.patch_id: (r.overlap_m2, r.share, r.feature_ids) for r in rows}
    assert got.keys() == GOLDEN.keys()
    for pid, (m2, share, ids) in GOLDEN.items():
        assert got[pid][0] == pytest.approx(m2, rel=1e-9)
        assert got[pid][1] == pytest.approx(share, rel=1e-9)
        assert got[pid][2] == ids
    row = next(r for r in rows if r.patch_id == "4303212025000002")
    assert (
        row.overlap_mu == pytest.approx(3125 / M2_PER_MU)
        and round(row.overlap_mu, 2) == 4.69
    )


def test_a_persistent_store_gives_the_same_rows_as_a_memory_layer(golden, tmp_path):
    patches, parcels = golden
    projected = project(patches.geoms, patches.crs)
    store = LayerStore.build(parcels, tmp_path / "parcels-v1")
    reopened = LayerStore.open(tmp_path / "parcels-v1")
    from_store = overlay(patches.ids, projected, reopened, layer_name="耕地")
    from_memory = overlay(
        patches.ids, projected, MemoryLayer.from_layer_data(parcels), layer_name="耕地"
    )
    assert from_store == from_memory
    assert store.count == 3


def test_per_feature_overlaps_keep_the_features_attributes(golden, tmp_path):
    patches, parcels = golden
    store = LayerStore.build(parcels, tmp_path / "v1")
    found = feature_overlaps(project(patches.geoms, patches.crs), store)
    pairs = {
        (patches.ids[p], store.ids([f])[0]): a
        for p, f, a in zip(found.patch, found.feature, found.area_m2, strict=True)
    }
    assert pairs[("4303212025000002", "3")] == pytest.approx(625.0)
    names = {a["BSM"]: a["DLMC"] for a in store.attributes(found.feature)}
    assert names == {1: "水田", 2: "旱地", 3: "乔木林地"}


def test_patches_in_another_zone_are_converted_to_the_layers_zone(golden):
    patches, parcels = golden
    prefixed = project(patches.geoms, patches.crs, to=4526)  # same zone, x with prefix
    assert shapely.bounds(prefixed.geoms)[0, 0] > 38_000_000
    rows = overlay(
        patches.ids, prefixed, MemoryLayer.from_layer_data(parcels), layer_name="耕地"
    )
    assert {r.patch_id: round(r.overlap_m2, 2) for r in rows}[
        "4303212025000002"
    ] == 3125.0


def test_area_in_a_geographic_crs_is_refused():
    square = np.array([shapely.box(112.9, 27.8, 112.91, 27.81)])
    with pytest.raises(GisError, match="投影坐标系"):
        area_m2(square, 4490)
    with pytest.raises(GisError, match="投影坐标系"):
        Projected(square, 4490)


def test_rebuilding_a_store_replaces_it_whole_and_a_failed_build_leaves_the_old_one(
    golden, tmp_path
):
    _, parcels = golden
    layers = tmp_path / "layers"  # apart from the evidence folder every test gets
    folder = layers / "v1"
    LayerStore.build(parcels, folder)
    LayerStore.build(parcels, folder)  # a retry of the same version is safe
    assert LayerStore.open(folder).count == 3

    class Boom(Exception):
        pass

    def parts():
        yield from ()
        raise Boom

    with pytest.raises(Boom):
        LayerStore.build_parts(
            parts(), folder, epsg=4547, extent=(0, 0, 1, 1), fields=[]
        )
    assert LayerStore.open(folder).count == 3
    assert sorted(p.name for p in layers.iterdir()) == ["v1"]


def test_a_store_refuses_a_geographic_crs(tmp_path):
    with pytest.raises(GisError):
        LayerStore.build_parts(
            [], tmp_path / "v", epsg=4490, extent=(0, 0, 1, 1), fields=[]
        )
    assert not (tmp_path / "v").exists()


def _grid(n: int, size: float) -> MemoryLayer:
    """A partition of a square into n × n cells."""
    cells = [
        shapely.box(
            X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size
        )
        for i in range(n)
        for j in range(n)
    ]
    return MemoryLayer(
        [str(k) for k in range(len(cells))], Projected(np.array(cells), 4547)
    )


GRID = _grid(8, 50.0)
coords = st.floats(min_value=5, max_value=395, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coords, coords), min_size=3, max_size=8))
def test_overlap_never_exceeds_the_patch_and_a_partition_covers_it_whole(points):
    patch = shapely.make_valid(shapely.Polygon([(X0 + x, Y0 + y) for x, y in points]))
    patch = shapely.union_all(
        [p for p in shapely.get_parts(patch) if p.geom_type == "Polygon"]
        or [shapely.Polygon()]
    )
    if patch.is_empty or patch.area < 1e-3:
        return
    rows = overlay(["P"], Projected(np.array([patch]), 4547), GRID, layer_name="L")
    assert len(rows) == 1
    # At coordinates of ~3e6 m, GEOS is exact to ~1e-8 m² per vertex: slivers of a
    # fraction of a square metre need an absolute margin (results show 0.01 m²).
    assert rows[0].overlap_m2 <= patch.area * (1 + 1e-9) + 1e-4
    # the grid covers every patch
    assert rows[0].overlap_m2 == pytest.approx(patch.area, rel=1e-6, abs=1e-4)


def test_a_feature_of_thousands_of_vertices_gives_the_same_areas_cut_to_each_patch():
    """A red-line zone is cut to each patch's box before the overlay: same areas."""
    t = np.linspace(0, 2 * np.pi, 3000, endpoint=False)
    r = 1000 + 80 * np.sin(7 * t) + 30 * np.sin(41 * t)
    zone = shapely.Polygon(np.column_stack([X0 + r * np.cos(t), Y0 + r * np.sin(t)]))
    rng = np.random.default_rng(7)
    angles = rng.uniform(0, 2 * np.pi, 40)
    patches = np.array([
        shapely.Point(X0 + 1000 * np.cos(a), Y0 + 1000 * np.sin(a)).buffer(60)
        for a in angles] + [shapely.box(X0 - 50, Y0 - 50, X0 + 50, Y0 + 50)],
        dtype=object)
    found = feature_overlaps(Projected(patches, 4547),
                             MemoryLayer(["红线1"], Projected(np.array([zone]), 4547)))
    direct = shapely.area(shapely.intersection(patches, zone))
    assert list(found.patch) == list(np.flatnonzero(direct > 0))
    assert np.allclose(found.area_m2, direct[direct > 0], rtol=1e-9, atol=0)
    assert found.area_m2[-1] == pytest.approx(100 * 100)  # inside: no overlay at all

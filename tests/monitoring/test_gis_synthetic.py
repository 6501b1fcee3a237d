"""The synthetic parcels the benches and demo use: a true partition, the same in parts.

The kinked grid (a province's ten million parcels) must tile its extent exactly —
no gap, no overlap, every cell valid — or the bench's overlaps would be wrong in ways
nobody sees; and the strips it is made in must not change what is made.
"""

from __future__ import annotations

import numpy as np
import shapely

from fazhi.monitoring.gis import synthetic as syn

EXTENT = (380_000.0, 3_070_000.0, 383_000.0, 3_072_000.0)


def _grid(n: int, **kw) -> np.ndarray:
    return np.concatenate([p.geoms for p in syn.grid_parcels_parts(n, extent=EXTENT,
                                                                   **kw)])


def test_grid_parcels_are_valid_and_tile_the_extent_without_gap_or_overlap():
    geoms = _grid(2_000)
    assert shapely.is_valid(geoms).all()
    assert np.isclose(shapely.area(geoms).sum(), shapely.area(shapely.box(*EXTENT)),
                      rtol=1e-12)
    a, _ = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
    assert not len(a)
    outline = shapely.union_all(geoms)
    assert shapely.equals(outline, shapely.box(*EXTENT))


def test_grid_parcels_are_bent_not_plain_squares():
    geoms = _grid(500)
    coords = shapely.get_coordinates(geoms[len(geoms) // 2])
    assert len(coords) == 9
    inner = [g for g in geoms if shapely.within(g, shapely.box(*EXTENT).buffer(-100))]
    assert all(not shapely.equals(g, shapely.envelope(g)) for g in inner)


def test_grid_parcels_are_the_same_whatever_strips_they_are_made_in():
    one = _grid(3_000, part_rows=1_000)
    strips = _grid(3_000, part_rows=7)
    assert len(one) == len(strips)
    assert shapely.equals_exact(one, strips, tolerance=0).all()
    first = [p.attrs for p in syn.grid_parcels_parts(3_000, extent=EXTENT,
                                                     part_rows=7)]
    bsm = np.concatenate([a["BSM"] for a in first])
    assert (bsm == np.arange(1, len(one) + 1)).all()


def test_land_attributes_name_the_town_village_and_land_class():
    part = next(syn.grid_parcels_parts(5_000, extent=EXTENT))
    attrs = part.attrs
    k = 1234
    town = [t for t in syn.TOWNS if attrs["QSDWMC"][k].startswith(t[:-1])]
    assert len(town) == 1
    village = (attrs["BSM"][k] // 500) % syn.VILLAGES + 1
    assert attrs["QSDWMC"][k] == f"{town[0][:-1]}{village}村"
    assert attrs["XZQDM"][k] == f"{syn.XZQDM}{100 + syn.TOWNS.index(town[0]):03d}"
    assert (attrs["DLBM"][k], attrs["DLMC"][k]) in syn.LAND
    assert attrs["TBMJ"][k] == round(float(shapely.area(part.geoms[k])), 2)

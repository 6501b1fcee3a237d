"""Geometry checks and repairs shared by reading and indexing (vectorised, Shapely 2)."""

from __future__ import annotations

import numpy as np
import shapely

POLYGON_TYPES = (3, 6)  # shapely.GeometryType.POLYGON, MULTIPOLYGON


def polygonal_problems(ids: list[str], geoms: np.ndarray) -> list[tuple[str, str]]:
    """Return (feature id, reason) for each empty, non-polygon or invalid geometry."""
    if not len(geoms):
        return []
    kinds = shapely.get_type_id(geoms)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    wrong = ~empty & ~np.isin(kinds, POLYGON_TYPES)
    bad = ~empty & ~wrong & ~shapely.is_valid(geoms)
    found = [(i, "几何为空") for i in np.flatnonzero(empty)]
    found += [(i, f"不是面（{geoms[i].geom_type}）") for i in np.flatnonzero(wrong)]
    reasons = shapely.is_valid_reason(geoms[bad])
    found += [
        (i, _reason(r)) for i, r in zip(np.flatnonzero(bad), reasons, strict=True)
    ]
    return [(ids[i], reason) for i, reason in sorted(found)]


def _reason(text: str) -> str:
    """Put GEOS's reason into a Chinese sentence, keeping its words and the spot."""
    names = {
        "Self-intersection": "自相交",
        "Ring Self-intersection": "环自相交",
        "Too few points": "点数不足",
        "Hole lies outside shell": "内环在外环之外",
        "Nested shells": "外环嵌套",
        "Interior is disconnected": "内部不连通",
        "Invalid Coordinate": "坐标无效",
        "Duplicate Rings": "环重复",
        "Nested holes": "内环嵌套",
    }
    head = text.split("[", 1)[0].strip()
    spot = text[len(head) :].strip()
    return f"{names.get(head, head)}（{head}）{spot}".strip()


def repair_polygonal(
    ids: list[str], geoms: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
    """Return (geometries, keep mask, repaired list) after make_valid, polygons only.

    Features whose geometry is empty, or becomes empty, are not kept.
    """
    out = geoms.copy()
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    repaired = [(ids[i], "几何为空，已忽略") for i in np.flatnonzero(~keep)]
    bad = np.flatnonzero(keep & ~shapely.is_valid(geoms))
    reasons = shapely.is_valid_reason(geoms[bad])
    for i, fixed, reason in zip(
        bad, shapely.make_valid(geoms[bad]), reasons, strict=True
    ):
        out[i] = polygonal_part(fixed)
        if shapely.is_empty(out[i]):
            keep[i] = False
            repaired.append((ids[i], f"{_reason(reason)}，修复后无面积，已忽略"))
        else:
            repaired.append((ids[i], f"{_reason(reason)}，已自动修复"))
    return out, keep, repaired


def polygonal_part(geom):
    """Return only the polygons of a geometry (make_valid may add lines and points)."""
    if shapely.get_type_id(geom) in POLYGON_TYPES:
        return geom
    parts = shapely.get_parts(geom)
    polys = parts[np.isin(shapely.get_type_id(parts), POLYGON_TYPES)]
    if not len(polys):
        return shapely.Polygon()
    return shapely.union_all(polys)

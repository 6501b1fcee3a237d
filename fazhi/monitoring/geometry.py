"""Patch outlines between the delivered CRS, lon/lat for maps and metres for areas.

Pure (no Django). Areas are computed only in a projected CRS: ``area_epsg`` is a
CGCS2000 Gauss–Krüger zone chosen from the data when the file was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer

LONLAT = 4490  # CGCS2000 geographic


@lru_cache(maxsize=32)
def transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(CRS.from_epsg(src), CRS.from_epsg(dst), always_xy=True)


def reproject(geoms, src: int, dst: int):
    """Return ``geoms`` (a shapely geometry or an array of them) in ``dst``."""
    if src == dst:
        return geoms
    tr = transformer(src, dst)

    def move(xy: np.ndarray) -> np.ndarray:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def require_projected(epsg: int) -> None:
    if CRS.from_epsg(epsg).is_geographic:
        raise ValueError(f"EPSG:{epsg} 是地理坐标系，面积和距离须在投影坐标系中计算")


def patch_rows(geoms: Sequence, crs_epsg: int, area_epsg: int) -> list[dict]:
    """Return, per patch, its lon/lat GeoJSON, delivered WKB, area (m²) and centre."""
    require_projected(area_epsg)
    geoms = np.asarray(geoms, dtype=object)
    metric = reproject(geoms, crs_epsg, area_epsg)
    lonlat = reproject(geoms, crs_epsg, LONLAT)
    areas = shapely.area(metric)
    centres = shapely.point_on_surface(lonlat)
    wkb = shapely.to_wkb(geoms)
    return [
        {"geojson": shapely.geometry.mapping(shapely.set_precision(ll, 1e-7)),
         "geom_wkb": bytes(w), "area_m2": float(a),
         "centroid_lon": float(c.x), "centroid_lat": float(c.y)}
        for ll, w, a, c in zip(lonlat, wkb, areas, centres, strict=True)
    ]


def distance_m(outline_lonlat, lon: float, lat: float, area_epsg: int) -> float:
    """Return the distance in metres from a lon/lat point to an outline (0 inside)."""
    require_projected(area_epsg)
    outline = reproject(outline_lonlat, LONLAT, area_epsg)
    point = reproject(shapely.Point(lon, lat), LONLAT, area_epsg)
    return float(shapely.distance(outline, point))

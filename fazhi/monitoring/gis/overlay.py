"""Overlay change patches on a reference layer: overlap area per patch and feature.

Pipeline, vectorised per spatial chunk of patches: candidate pairs from the layer's
index (bbox), exact ``intersects`` with prepared geometries, containment fast paths
(parcel inside patch → the parcel's area; patch inside parcel → the patch's area),
``intersection``/``area`` for the rest. Chunks run on a thread pool: Shapely releases
the GIL inside its vectorised operations, so threads use both cores without copying
geometries between processes.

Assumption: the features of one reference layer do not overlap each other (a land
survey, a red line, approvals of one kind), so overlaps are summed per patch; the
share is clamped at 1 in case a delivered layer breaks that rule.
All areas are m² in a projected CGCS2000 Gauss–Krüger CRS; 1 亩 = 10000/15 m².
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import numpy as np
import shapely

from fazhi.monitoring.gis import crs as crs_mod
from fazhi.monitoring.gis.spatial import hilbert_codes

M2_PER_MU = 10000 / 15
CHUNK = 2000  # patches per chunk: bounds the features read at once
Progress = Callable[[str, int, int], None]


class Source(Protocol):
    """What an overlay needs from a reference layer (a LayerStore or a MemoryLayer)."""

    epsg: int

    def pairs(self, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...
    def geometries(self, features: np.ndarray) -> np.ndarray: ...
    def ids(self, features: np.ndarray) -> list[str]: ...


class MemoryLayer:
    """A reference layer held in memory (small layers, tests), same interface as a store."""

    def __init__(
        self, ids: list[str], projected: crs_mod.Projected, wkb: np.ndarray | None = None
    ) -> None:
        self.epsg = projected.epsg
        self._ids = list(ids)
        self._tree = shapely.STRtree(projected.geoms)
        # Chunks get their own geometries, as from a store: GEOS builds a prepared
        # geometry's indexes lazily, so one prepared polygon met by two threads at
        # once (a red-line zone that several chunks of patches cross) can crash.
        # ``wkb``: the same geometries as WKB, when the caller has it already.
        self._wkb = shapely.to_wkb(projected.geoms) if wkb is None else wkb

    @classmethod
    def from_layer_data(cls, data) -> MemoryLayer:
        """Project a LayerData into its area CRS and index it."""
        return cls(data.ids, crs_mod.project(data.geoms, data.crs))

    def pairs(self, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (row of ``bounds``, feature index) for every bbox overlap."""
        return self._tree.query(shapely.box(*bounds.T))

    def geometries(self, features: np.ndarray) -> np.ndarray:
        """Return fresh geometries of the given feature indices (see ``__init__``)."""
        return shapely.from_wkb(self._wkb[features])

    def ids(self, features: np.ndarray) -> list[str]:
        """Return the ids of the given feature indices."""
        return [self._ids[j] for j in features]


@dataclass
class Overlaps:
    """Overlap of patches with features: one entry per (patch, feature) with area > 0."""

    patch: np.ndarray  # index into the patches given
    feature: np.ndarray  # index into the source
    area_m2: np.ndarray
    patch_area_m2: np.ndarray  # area of every patch given, m²


class OverlapRow(NamedTuple):
    """One patch against one layer: overlap in m² and 亩, share of the patch, features."""

    patch_id: str
    layer: str
    overlap_m2: float
    overlap_mu: float
    share: float
    feature_ids: tuple[str, ...]


def feature_overlaps(
    patches: crs_mod.Projected,
    source: Source,
    *,
    workers: int = 2,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> Overlaps:
    """Return the overlap area (m²) of every patch with every feature it meets.

    Patches are converted into the source's CRS when they are in another zone.
    Use it to keep the overlapping features' attributes (approval or licence numbers).
    """
    if patches.epsg != source.epsg:
        patches = crs_mod.project(patches.geoms, patches.epsg, to=source.epsg)
    geoms = patches.geoms
    areas = patches.areas_m2()
    chunks = _spatial_chunks(geoms, chunk)
    results, done = [], 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for part in pool.map(lambda idx: _chunk_overlaps(geoms, idx, source), chunks):
            results.append(part)
            done += part[3]
            if progress:
                progress("叠加", done, len(geoms))
    return _join(results, areas)


def _spatial_chunks(geoms: np.ndarray, size: int) -> list[np.ndarray]:
    """Split patch indices into runs of nearby patches (Hilbert order)."""
    ok = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if not len(ok):
        return []
    bounds = shapely.bounds(geoms[ok])
    extent = (
        bounds[:, 0].min(),
        bounds[:, 1].min(),
        bounds[:, 2].max(),
        bounds[:, 3].max(),
    )
    order = ok[np.argsort(hilbert_codes(bounds, extent), kind="stable")]
    return [order[i : i + size] for i in range(0, len(order), size)]


def _chunk_overlaps(geoms: np.ndarray, idx: np.ndarray, source: Source):
    """Compute (patch, feature, area) for one chunk of patches."""
    pg = geoms[idx]
    qi, fj = source.pairs(shapely.bounds(pg))
    if not len(qi):
        return idx[qi], fj, np.empty(0), len(idx)
    feats, inverse = np.unique(fj, return_inverse=True)
    fg = source.geometries(feats)
    shapely.prepare(pg)
    shapely.prepare(fg)
    a, b = pg[qi], fg[inverse]
    # The layer's feature goes first: GEOS uses the first argument's prepared form.
    # With the small patch first, a large red-line zone (thousands of vertices) is
    # walked again for every patch, and peak memory grew by ~390 MB on the county
    # bench; feature first, it is indexed once and memory stays flat.
    hit = shapely.intersects(b, a)
    qi, fj, a, b = qi[hit], fj[hit], a[hit], b[hit]
    area = _pair_areas(a, b)
    keep = area > 0
    return idx[qi[keep]], fj[keep], area[keep], len(idx)


def _pair_areas(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return area(a ∩ b) per pair, skipping the overlay where one contains the other."""
    area = np.empty(len(a))
    inner_b = shapely.covers(a, b)
    area[inner_b] = shapely.area(b[inner_b])
    rest = np.flatnonzero(~inner_b)
    inner_a = shapely.covers(b[rest], a[rest])
    area[rest[inner_a]] = shapely.area(a[rest[inner_a]])
    cut = rest[~inner_a]
    area[cut] = shapely.area(shapely.intersection(a[cut], _clipped(b[cut], a[cut])))
    return area


CLIP_VERTICES = 256  # a feature with more vertices is cut to the patch's box first


def _clipped(features: np.ndarray, patches: np.ndarray) -> np.ndarray:
    """Return the features, the large ones cut to the box of the patch they meet.

    A red-line zone of thousands of vertices costs the overlay of every patch on its
    edge a walk round all of them; cut to the patch's box (GEOS's rectangle clip,
    much cheaper than an overlay) it is a few dozen. The patch lies inside its box,
    so the overlap is the same area. The rectangle clip does not promise a valid
    result: where it is not valid the whole feature is used.
    """
    big = np.flatnonzero(shapely.get_num_coordinates(features) > CLIP_VERTICES)
    if not len(big):
        return features
    out = features.copy()
    boxes = shapely.bounds(patches[big])
    cut = np.array([shapely.clip_by_rect(g, *box)
                    for g, box in zip(features[big], boxes, strict=True)], dtype=object)
    ok = shapely.is_valid(cut)
    out[big[ok]] = cut[ok]
    return out


def _join(results: list, areas: np.ndarray) -> Overlaps:
    """Concatenate chunk results, ordered by patch then feature."""
    if not results:
        empty = np.empty(0, dtype=np.intp)
        return Overlaps(empty, empty, np.empty(0), areas)
    patch = np.concatenate([r[0] for r in results])
    feature = np.concatenate([r[1] for r in results])
    area = np.concatenate([r[2] for r in results])
    order = np.lexsort((feature, patch))
    return Overlaps(patch[order], feature[order], area[order], areas)


def overlay(
    patch_ids: list[str],
    patches: crs_mod.Projected,
    source: Source,
    *,
    layer_name: str,
    workers: int = 2,
    progress: Progress | None = None,
) -> list[OverlapRow]:
    """Return one row per patch that overlaps the layer (unrounded m², 亩, share)."""
    found = feature_overlaps(patches, source, workers=workers, progress=progress)
    return rows_from(found, patch_ids, source, layer_name=layer_name)


def rows_from(
    found: Overlaps, patch_ids: list[str], source: Source, *, layer_name: str
) -> list[OverlapRow]:
    """Sum per-feature overlaps into one row per patch."""
    if not len(found.patch):
        return []
    ids = np.array(source.ids(found.feature), dtype=object)
    cuts = np.flatnonzero(np.diff(found.patch)) + 1
    starts = np.concatenate([[0], cuts])
    sums = np.add.reduceat(found.area_m2, starts)
    rows = []
    for start, stop, total in zip(
        starts, np.append(cuts, len(found.patch)), sums, strict=True
    ):
        p = int(found.patch[start])
        whole = found.patch_area_m2[p]
        share = min(1.0, total / whole) if whole > 0 else 0.0
        rows.append(
            OverlapRow(
                patch_ids[p],
                layer_name,
                float(total),
                float(total) / M2_PER_MU,
                share,
                tuple(sorted(ids[start:stop])),
            )
        )
    return rows

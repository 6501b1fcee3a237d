"""Seeded, believable synthetic layers for 湘潭县 (demo, tests and the benchmark).

All geometries are in EPSG:4547 (CGCS2000, CM 114°E, no zone prefix); the county spans
about x 350–420 km, y 3055–3100 km. Farmland parcels are Voronoi cells of a jittered
grid with a kink on every shared edge (computed from the edge alone, so neighbours
stay gap- and overlap-free); red-line zones are a few large polygons with thousands of
vertices; approvals, mining rights and patches are smaller noisy polygons.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import shapely

EPSG = 4547
COUNTY = (350_000.0, 3_055_000.0, 420_000.0, 3_100_000.0)
XZQDM = "430321"
TOWNS = (
    "易俗河镇",
    "花石镇",
    "射埠镇",
    "石鼓镇",
    "乌石镇",
    "排头乡",
    "中路铺镇",
    "茶恩寺镇",
    "河口镇",
    "云湖桥镇",
    "谭家山镇",
    "白石镇",
    "青山桥镇",
    "分水乡",
    "锦石乡",
    "杨嘉桥镇",
)
LAND = (
    ("0101", "水田"),
    ("0102", "水浇地"),
    ("0103", "旱地"),
    ("0201", "果园"),
    ("0301", "乔木林地"),
    ("0404", "其他草地"),
    ("1104", "坑塘水面"),
    ("0702", "农村宅基地"),
)
LAND_WEIGHTS = (0.45, 0.03, 0.17, 0.05, 0.2, 0.03, 0.05, 0.02)
KINK = 0.12  # edge kink as a share of the edge's length
TILE_CELLS = 120  # grid cells per side of one Voronoi tile


@dataclass
class Synthetic:
    """One synthetic layer: geometries (EPSG:4547) and attribute columns."""

    geoms: np.ndarray
    attrs: dict[str, np.ndarray]
    epsg: int = EPSG


def _hash_uniform(*keys: np.ndarray, seed: int) -> np.ndarray:
    """Return a uniform [0, 1) number per row from integer keys (splitmix64)."""
    with np.errstate(over="ignore"):
        h = np.full(
            len(keys[0]),
            np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15),
            dtype=np.uint64,
        )
        for k in keys:
            h ^= (
                k.astype(np.uint64)
                + np.uint64(0x9E3779B97F4A7C15)
                + (h << np.uint64(6))
                + (h >> np.uint64(2))
            )
            h ^= h >> np.uint64(30)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(27)
            h *= np.uint64(0x94D049BB133111EB)
            h ^= h >> np.uint64(31)
    return (h >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def parcel_grid(n_parcels: int, extent=COUNTY) -> tuple[int, int, float]:
    """Return (columns, rows, cell size m) of the jittered grid for ``n_parcels``."""
    minx, miny, maxx, maxy = extent
    cell = float(np.sqrt((maxx - minx) * (maxy - miny) / n_parcels))
    return (
        max(1, round((maxx - minx) / cell)),
        max(1, round((maxy - miny) / cell)),
        cell,
    )


def _points(
    ii: np.ndarray, jj: np.ndarray, cell: float, extent, seed: int
) -> np.ndarray:
    """Return the jittered seed point of grid cells (ii, jj), the same from any tile."""
    ux = _hash_uniform(ii, jj, np.zeros_like(ii), seed=seed)
    uy = _hash_uniform(ii, jj, np.ones_like(ii), seed=seed)
    x = extent[0] + (ii + 0.1 + 0.8 * ux) * cell
    y = extent[1] + (jj + 0.1 + 0.8 * uy) * cell
    return np.column_stack([x, y])


def farmland_parts(
    n_parcels: int, *, seed: int = 1, extent=COUNTY, part_tiles: int = 8
) -> Iterator[Synthetic]:
    """Yield the land-class parcels a few Voronoi tiles at a time (bounded memory)."""
    nx, ny, cell = parcel_grid(n_parcels, extent)
    tiles = [
        (ti, tj) for tj in range(0, ny, TILE_CELLS) for ti in range(0, nx, TILE_CELLS)
    ]
    first = 0
    for k in range(0, len(tiles), part_tiles):
        cells = [
            _voronoi_tile(ti, tj, nx, ny, cell, extent, seed)
            for ti, tj in tiles[k : k + part_tiles]
        ]
        geoms = np.concatenate(cells)
        yield Synthetic(geoms, _land_attrs(geoms, first, seed))
        first += len(geoms)


def farmland(n_parcels: int, *, seed: int = 1, extent=COUNTY) -> Synthetic:
    """Return all land-class parcels at once (small layers)."""
    parts = list(farmland_parts(n_parcels, seed=seed, extent=extent))
    return Synthetic(
        np.concatenate([p.geoms for p in parts]),
        {k: np.concatenate([p.attrs[k] for p in parts]) for k in parts[0].attrs},
    )


def _voronoi_tile(ti, tj, nx, ny, cell, extent, seed) -> np.ndarray:
    """Return the kinked Voronoi cells of one tile's grid points, clipped to the county."""
    m = 3  # margin cells: a jittered grid point's cell never reaches further
    i = np.arange(max(ti - m, 0), min(ti + TILE_CELLS + m, nx))
    j = np.arange(max(tj - m, 0), min(tj + TILE_CELLS + m, ny))
    ii, jj = (a.ravel() for a in np.meshgrid(i, j))
    pts = _points(ii, jj, cell, extent, seed)
    own = (ii >= ti) & (ii < ti + TILE_CELLS) & (jj >= tj) & (jj < tj + TILE_CELLS)
    frame = shapely.box(*extent).buffer(2 * cell, join_style="mitre")
    cells = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.multipoints(pts), extend_to=frame, ordered=True
        )
    )
    kinked = _kink(cells[own], cell, seed)
    return shapely.intersection(kinked, shapely.box(*extent))


def _kink(cells: np.ndarray, cell: float, seed: int) -> np.ndarray:
    """Bend every edge at its midpoint by a deterministic function of the edge."""
    coords, owner = shapely.get_coordinates(cells, return_index=True)
    same = owner[:-1] == owner[1:]
    p, q, own = coords[:-1][same], coords[1:][same], owner[:-1][same]
    key = np.round(np.column_stack([p, q]) * 100).astype(
        np.int64
    )  # cm: both sides agree
    swap = (key[:, 0] > key[:, 2]) | (
        (key[:, 0] == key[:, 2]) & (key[:, 1] > key[:, 3])
    )
    a = np.where(swap[:, None], key[:, 2:], key[:, :2])
    b = np.where(swap[:, None], key[:, :2], key[:, 2:])
    u = _hash_uniform(a[:, 0], a[:, 1], b[:, 0], b[:, 1], seed=seed) * 2 - 1
    d = (b - a) / 100.0
    mid = (p + q) / 2 + KINK * u[:, None] * np.column_stack([-d[:, 1], d[:, 0]])
    out = np.empty((2 * len(p), 2))
    out[0::2], out[1::2] = p, mid
    rings = shapely.linearrings(out, indices=np.repeat(own, 2))
    bent = shapely.polygons(rings)
    ok = shapely.is_valid(bent)
    bent = (
        np.where(ok, bent, cells[np.unique(own)]) if len(bent) == len(cells) else cells
    )
    return _remove_overlaps(bent)


def _remove_overlaps(cells: np.ndarray) -> np.ndarray:
    """Cut overlaps out of the later cell: a kink may reach past a sharp corner."""
    a, b = shapely.STRtree(cells).query(cells, predicate="overlaps")
    later = a > b
    for i in np.unique(a[later]):
        cells[i] = shapely.difference(
            cells[i], shapely.union_all(cells[b[later & (a == i)]])
        )
    return cells


VILLAGES = 30  # 村 per town in the 权属单位 names


def _land_attrs(geoms: np.ndarray, first: int, seed: int) -> dict[str, np.ndarray]:
    """Return 三调-style attributes for parcels numbered from ``first``.

    Text columns are picked from small tables by index (a province's ten million
    rows would spend minutes formatting strings one by one).
    """
    n = len(geoms)
    bsm = np.arange(first + 1, first + n + 1, dtype=np.int64)
    u = _hash_uniform(bsm, seed=seed + 7)
    kind = np.searchsorted(np.cumsum(LAND_WEIGHTS), u * 0.999999)
    town = (_hash_uniform(bsm // 5000, seed=seed + 8) * len(TOWNS)).astype(int)
    villages = np.array(
        [f"{t[:-1]}{v + 1}村" for t in TOWNS for v in range(VILLAGES)], dtype=object
    )
    codes = np.array([f"{XZQDM}{100 + t:03d}" for t in range(len(TOWNS))], object)
    return {
        "BSM": bsm,
        "DLBM": np.array([c for c, _ in LAND], dtype=object)[kind],
        "DLMC": np.array([m for _, m in LAND], dtype=object)[kind],
        "QSDWMC": villages[town * VILLAGES + (bsm // 500) % VILLAGES],
        "XZQDM": codes[town],
        "TBMJ": np.round(shapely.area(geoms), 2),
    }


GRID_JITTER = 0.2  # corner shift as a share of the cell, each axis
GRID_KINK = 0.1  # mid-edge bend as a share of the cell


def grid_parcels_parts(
    n_parcels: int, *, seed: int = 1, extent=COUNTY, part_rows: int | None = None
) -> Iterator[Synthetic]:
    """Yield land-class parcels of a jittered, kinked grid, a strip of rows at a time.

    For a province's ten million parcels, where Voronoi tiles take hours: every
    grid corner is shifted and every shared edge bent at its midpoint by a hash of
    the corner or edge alone, so neighbours share their edges exactly (no gap, no
    overlap) and each cell is a simple octagon. Built with numpy arrays and one
    ``shapely.polygons`` call per strip.
    """
    nx, ny, cell = parcel_grid(n_parcels, extent)
    part_rows = part_rows or max(1, 1_000_000 // nx)
    first = 0
    for j0 in range(0, ny, part_rows):
        geoms = _grid_strip(nx, ny, j0, min(ny, j0 + part_rows), cell, extent, seed)
        yield Synthetic(geoms, _land_attrs(geoms, first, seed))
        first += len(geoms)


def _grid_strip(nx, ny, j0, j1, cell, extent, seed) -> np.ndarray:
    """Return the octagons of grid rows j0…j1-1 (row-major, west to east)."""
    minx, miny, maxx, maxy = extent
    i, j = np.meshgrid(np.arange(nx + 1), np.arange(j0, j1 + 1))
    ux = _hash_uniform(i.ravel(), j.ravel(), np.full(i.size, 2), seed=seed)
    uy = _hash_uniform(i.ravel(), j.ravel(), np.full(i.size, 3), seed=seed)
    vx = minx + (i + GRID_JITTER * (2 * ux.reshape(i.shape) - 1)) * cell
    vy = miny + (j + GRID_JITTER * (2 * uy.reshape(i.shape) - 1)) * cell
    vx[:, 0], vx[:, -1] = minx, maxx  # the outline stays straight
    vy[j == 0], vy[j == ny] = miny, maxy
    corners = np.stack([vx, vy], axis=-1)  # (rows + 1, nx + 1, 2)
    south, north = corners[:-1], corners[1:]
    inner_h = (j[:, :-1] > 0) & (j[:, :-1] < ny)  # edges on the outline stay straight
    h = _bent(corners[:, :-1], corners[:, 1:], i[:, :-1], j[:, :-1], inner_h, 4,
              seed, cell)
    inner_v = (i[:-1] > 0) & (i[:-1] < nx)
    v = _bent(south, north, i[:-1], j[:-1], inner_v, 5, seed, cell)
    ring = np.stack([
        south[:, :-1], h[:-1], south[:, 1:], v[:, 1:],
        north[:, 1:], h[1:], north[:, :-1], v[:, :-1], south[:, :-1],
    ], axis=2)  # (rows, nx, 9, 2), anticlockwise
    return shapely.polygons(ring.reshape(-1, 9, 2))


def _bent(a, b, i, j, inner, salt: int, seed: int, cell: float) -> np.ndarray:
    """Return the midpoints of edges a→b, inner ones moved sideways by their hash."""
    u = _hash_uniform(i.ravel(), j.ravel(), np.full(i.size, salt), seed=seed)
    shift = np.where(inner, GRID_KINK * cell * (2 * u.reshape(i.shape) - 1), 0.0)
    d = b - a
    normal = np.stack([-d[..., 1], d[..., 0]], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    return (a + b) / 2 + shift[..., None] * normal


def noisy_polygon(cx, cy, radius, n_vertices, rng: np.random.Generator, roughness=0.25):
    """Return a star-shaped polygon with a wobbling radius (always simple)."""
    t = np.linspace(0, 2 * np.pi, n_vertices, endpoint=False)
    r = np.ones(n_vertices)
    for k in (2, 3, 5, 9, 17, 41):
        r += (
            roughness
            / k**0.7
            * rng.uniform(-1, 1)
            * np.sin(k * t + rng.uniform(0, 6.3))
        )
    r += roughness * 0.05 * rng.standard_normal(n_vertices)
    r = np.clip(r, 0.2, None) * radius
    return shapely.Polygon(np.column_stack([cx + r * np.cos(t), cy + r * np.sin(t)]))


def _spread(n: int, rng, extent, margin: float) -> np.ndarray:
    """Return ``n`` centres on a jittered coarse grid, so shapes do not overlap."""
    minx, miny, maxx, maxy = extent
    cols = int(np.ceil(np.sqrt(n * (maxx - minx) / (maxy - miny))))
    rows = int(np.ceil(n / cols))
    w, h = (maxx - minx) / cols, (maxy - miny) / rows
    k = rng.permutation(cols * rows)[:n]
    jitter = rng.uniform(-0.5, 0.5, (n, 2)) * np.array([w, h]) * (1 - margin)
    return (
        np.column_stack([minx + (k % cols + 0.5) * w, miny + (k // cols + 0.5) * h])
        + jitter
    )


def red_lines(
    n_zones: int = 12, *, seed: int = 2, vertices: int = 4000, extent=COUNTY
) -> Synthetic:
    """Return ecological red-line zones: few, large, thousands of vertices each."""
    rng = np.random.default_rng(seed)
    centres = _spread(n_zones, rng, extent, 0.6)
    cell = np.sqrt((extent[2] - extent[0]) * (extent[3] - extent[1]) / n_zones)
    geoms = np.array(
        [
            noisy_polygon(x, y, cell * rng.uniform(0.12, 0.22), vertices, rng, 0.35)
            for x, y in centres
        ],
        dtype=object,
    )
    kinds = ("水源涵养", "生物多样性维护", "水土保持")
    names = (
        "昭山",
        "隐山",
        "白石",
        "韶山灌区",
        "涓水",
        "湘江",
        "紫荆山",
        "青山",
        "乌石峰",
        "晓霞山",
    )
    return Synthetic(
        geoms,
        {
            "HXBH": np.array(
                [f"430321-STHX-{i + 1:03d}" for i in range(n_zones)], dtype=object
            ),
            "HXMC": np.array(
                [
                    f"{names[i % len(names)]}{kinds[i % 3]}生态保护红线"
                    for i in range(n_zones)
                ],
                dtype=object,
            ),
            "HXLX": np.array([kinds[i % 3] for i in range(n_zones)], dtype=object),
            "MJ": np.round(shapely.area(geoms), 2),
        },
    )


def approvals(n: int = 400, *, seed: int = 3, extent=COUNTY) -> Synthetic:
    """Return approved construction land with approval numbers (湘政地〔2024〕123号)."""
    rng = np.random.default_rng(seed)
    centres = _spread(n, rng, extent, 0.5)
    geoms = np.array(
        [noisy_polygon(x, y, rng.uniform(60, 160), 24, rng, 0.2) for x, y in centres],
        dtype=object,
    )
    years = rng.integers(2018, 2026, n)
    return Synthetic(
        geoms,
        {
            "PZWH": np.array(
                [f"湘政地〔{y}〕{rng.integers(1, 900)}号" for y in years], dtype=object
            ),
            "PZRQ": np.array(
                [
                    f"{y}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
                    for y in years
                ],
                dtype=object,
            ),
            "XMMC": np.array(
                [
                    f"湘潭县{y}年第{i % 40 + 1}批次城镇建设用地"
                    for i, y in enumerate(years)
                ],
                dtype=object,
            ),
            "PZMJ": np.round(shapely.area(geoms), 2),
        },
    )


def mining_rights(n: int = 40, *, seed: int = 4, extent=COUNTY) -> Synthetic:
    """Return mining-right areas with licence numbers and validity dates."""
    rng = np.random.default_rng(seed)
    centres = _spread(n, rng, extent, 0.5)
    geoms = np.array(
        [
            shapely.affinity.rotate(
                shapely.box(x - a, y - b, x + a, y + b), rng.uniform(0, 90)
            )
            for (x, y), a, b in zip(
                centres, rng.uniform(150, 500, n), rng.uniform(100, 400, n), strict=True
            )
        ],
        dtype=object,
    )
    start = rng.integers(2016, 2024, n)
    minerals = ("建筑石料用灰岩", "砖瓦用页岩", "水泥用灰岩", "建筑用砂")
    return Synthetic(
        geoms,
        {
            "XKZH": np.array(
                [f"C43032120{s}0{rng.integers(10**10, 10**11)}" for s in start],
                dtype=object,
            ),
            "KSMC": np.array(
                [
                    f"湘潭县{TOWNS[i % len(TOWNS)][:-1]}{minerals[i % 4][-2:]}矿"
                    for i in range(n)
                ],
                dtype=object,
            ),
            "KZ": np.array([minerals[i % 4] for i in range(n)], dtype=object),
            "YXQQ": np.array([f"{s}-03-01" for s in start], dtype=object),
            "YXQZ": np.array(
                [f"{s + rng.integers(3, 11)}-02-28" for s in start], dtype=object
            ),
        },
    )


def patches(
    n: int,
    *,
    seed: int = 5,
    extent=COUNTY,
    inside: Synthetic | None = None,
    edges: Synthetic | None = None,
) -> Synthetic:
    """Return change patches: random ones straddling parcels, some inside approved land
    (``inside``), some on red-line boundaries (``edges``)."""
    rng = np.random.default_rng(seed)
    n_in = n // 10 if inside is not None else 0
    n_edge = n // 10 if edges is not None else 0
    centres = [_random_centres(n - n_in - n_edge, rng, extent)]
    if n_in:
        centres.append(
            shapely.get_coordinates(
                shapely.centroid(inside.geoms[rng.integers(0, len(inside.geoms), n_in)])
            )
        )
    if n_edge:
        centres.append(_boundary_points(edges.geoms, n_edge, rng))
    xy = np.concatenate(centres)
    radius = np.concatenate([rng.uniform(20, 90, n - n_in), rng.uniform(10, 35, n_in)])
    radius = np.concatenate(
        [
            radius[: n - n_in - n_edge],
            radius[n - n_in :],
            radius[n - n_in - n_edge : n - n_in],
        ]
    )
    geoms = np.array(
        [
            noisy_polygon(x, y, r, int(rng.integers(8, 24)), rng, 0.3)
            for (x, y), r in zip(xy, radius, strict=True)
        ],
        dtype=object,
    )
    return Synthetic(geoms, _patch_attrs(geoms, rng))


def _random_centres(n: int, rng, extent) -> np.ndarray:
    """Return ``n`` uniform points in the extent, kept 200 m from its edge."""
    minx, miny, maxx, maxy = extent
    return np.column_stack(
        [rng.uniform(minx + 200, maxx - 200, n), rng.uniform(miny + 200, maxy - 200, n)]
    )


def _boundary_points(geoms: np.ndarray, n: int, rng) -> np.ndarray:
    """Return ``n`` points on the boundaries of ``geoms``."""
    rings = shapely.boundary(geoms[rng.integers(0, len(geoms), n)])
    return shapely.get_coordinates(
        shapely.line_interpolate_point(rings, rng.uniform(0, 1, n), normalized=True)
    )


def _patch_attrs(geoms: np.ndarray, rng) -> dict[str, np.ndarray]:
    """Return 卫片 patch attributes: TBBH, XZQDM, JCMJ, QSX, HSX, BHLX."""
    n = len(geoms)
    town = rng.integers(0, len(TOWNS), n)
    kinds = ("耕地变建设用地", "林地变建设用地", "耕地变坑塘", "推土", "设施农用地")
    return {
        "TBBH": np.array([f"{XZQDM}2025{i + 1:06d}" for i in range(n)], dtype=object),
        "XZQDM": np.array([f"{XZQDM}{100 + t:03d}" for t in town], dtype=object),
        "XZQMC": np.array([TOWNS[t] for t in town], dtype=object),
        "JCMJ": np.round(shapely.area(geoms), 2),
        "QSX": np.full(n, "2025-01-15", dtype=object),
        "HSX": np.full(n, "2025-04-10", dtype=object),
        "BHLX": np.array(
            [kinds[k] for k in rng.integers(0, len(kinds), n)], dtype=object
        ),
    }

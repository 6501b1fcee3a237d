"""Benchmark: fazhi's overlay end to end beside geopandas.read_file + geopandas.overlay.

    .venv/bin/python bench/overlay.py              # 2 000 patches × 200 000 parcels
    .venv/bin/python bench/overlay.py --county     # 10 000 × 1 000 000
    .venv/bin/python bench/overlay.py --province   # 100 000 × 10 000 000 (no geopandas)

Synthetic, seeded 湘潭县 data (fazhi.monitoring.gis.synthetic): irregular farmland
parcels, a dozen red-line zones of 4 000 vertices, approvals, mining rights and patches
straddling parcels and boundaries, written as files. Timed apart: the persistent index
build (a layer version is indexed once, when imported), then fazhi end to end (reading
the patch file, opening the indexes, overlaying every layer), then geopandas (reading the
patch file and each layer file, overlay how="intersection", areas summed per patch).
Areas per patch and layer must agree within 1e-6 relative. Needs the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fazhi.monitoring.gis import synthetic as syn  # noqa: E402
from fazhi.monitoring.gis.crs import project  # noqa: E402
from fazhi.monitoring.gis.overlay import feature_overlaps  # noqa: E402
from fazhi.monitoring.gis.read import read  # noqa: E402
from fazhi.monitoring.gis.store import LayerStore  # noqa: E402
from fazhi.monitoring.gis.write import write_layer  # noqa: E402

PROVINCE = (
    250_000.0,
    2_990_000.0,
    750_000.0,
    3_060_000.0,
)  # ≈ 11 × the county, CM 114°E


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(
    folder: Path, n_patches: int, n_parcels: int, extent, fmt: str
) -> dict[str, Path]:
    """Write the synthetic layers to files; return layer name → path (patches first)."""
    t = time.perf_counter()
    paths = {"patches": folder / f"patches.{fmt}"}
    parcels = folder / f"parcels.{fmt}"
    encoding = "GBK" if fmt == "shp" else None
    for k, part in enumerate(syn.farmland_parts(n_parcels, seed=1, extent=extent)):
        write_layer(
            parcels,
            part.geoms,
            part.attrs,
            epsg=syn.EPSG,
            encoding=encoding,
            append=k > 0,
        )
    zones = syn.red_lines(12, seed=2, extent=extent)
    approved = syn.approvals(max(400, n_patches // 10), seed=3, extent=extent)
    mining = syn.mining_rights(40, seed=4, extent=extent)
    patches = syn.patches(
        n_patches, seed=5, extent=extent, inside=approved, edges=zones
    )
    for name, layer in (
        ("patches", patches),
        ("sthx", zones),
        ("pzyd", approved),
        ("cqk", mining),
    ):
        paths[name] = folder / f"{name}.{fmt}"
        write_layer(
            paths[name], layer.geoms, layer.attrs, epsg=syn.EPSG, encoding=encoding
        )
    paths["gd"] = parcels
    print(
        f"generated {n_patches} patches, {n_parcels} parcels in {time.perf_counter() - t:.1f} s"
    )
    return paths


def build_indexes(paths: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Index each reference layer once; return layer name → index folder."""
    stores = {}
    for name, path in paths.items():
        if name == "patches":
            continue
        t = time.perf_counter()
        LayerStore.build_from_file(path, folder / f"{name}-v1")
        stores[name] = folder / f"{name}-v1"
        print(f"index build {name}: {time.perf_counter() - t:.2f} s")
    return stores


def run_fazhi(
    patches: Path, stores: dict[str, Path], workers: int
) -> tuple[float, dict]:
    """Return (seconds, {(patch id, layer): m²}) for fazhi end to end."""
    t = time.perf_counter()
    data = read(patches)
    projected = project(data.geoms, data.crs)
    areas = {}
    for name, folder in stores.items():
        store = LayerStore.open(folder)
        found = feature_overlaps(projected, store, workers=workers)
        sums = np.bincount(found.patch, weights=found.area_m2, minlength=len(data.ids))
        areas.update({(data.ids[p], name): sums[p] for p in np.unique(found.patch)})
    return time.perf_counter() - t, areas


def run_fazhi_without_index(paths: dict[str, Path], workers: int) -> tuple[float, dict]:
    """Return (seconds, areas) reading every layer file whole, as ``fazhi overlay`` does."""
    from fazhi.monitoring.gis.overlay import MemoryLayer

    t = time.perf_counter()
    data = read(paths["patches"])
    projected = project(data.geoms, data.crs)
    areas = {}
    for name, path in paths.items():
        if name == "patches":
            continue
        found = feature_overlaps(
            projected, MemoryLayer.from_layer_data(read(path)), workers=workers
        )
        sums = np.bincount(found.patch, weights=found.area_m2, minlength=len(data.ids))
        areas.update({(data.ids[p], name): sums[p] for p in np.unique(found.patch)})
    return time.perf_counter() - t, areas


def run_geopandas(paths: dict[str, Path]) -> tuple[float, dict]:
    """Return (seconds, {(patch id, layer): m²}) for read_file + overlay."""
    import geopandas

    t = time.perf_counter()
    patches = geopandas.read_file(paths["patches"])[["TBBH", "geometry"]]
    areas = {}
    for name, path in paths.items():
        if name == "patches":
            continue
        layer = geopandas.read_file(path)
        both = geopandas.overlay(
            patches, layer, how="intersection", keep_geom_type=True
        )
        sums = both.geometry.area.groupby(both["TBBH"]).sum()
        areas.update({(pid, name): a for pid, a in sums.items() if a > 0})
    return time.perf_counter() - t, areas


def compare(ours: dict, theirs: dict) -> str:
    """Return a line saying whether the two agree within 1e-6 relative."""
    keys = set(ours) | set(theirs)
    worst = 0.0
    for key in keys:
        a, b = ours.get(key, 0.0), theirs.get(key, 0.0)
        if max(a, b) > 1e-6:  # below a square millimetre GEOS noise decides
            worst = max(worst, abs(a - b) / max(a, b))
    ok = worst <= 1e-6
    return (f"{'agree' if ok else 'DISAGREE'}: {len(keys)} patch–layer areas, "
            f"worst relative diff {worst:.2e}")


def main() -> None:
    """Parse the size, generate, index, time both, compare."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument("--county", action="store_true", help="1e4 patches × 1e6 parcels")
    size.add_argument(
        "--province", action="store_true", help="1e5 patches × 1e7 parcels"
    )
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--dir", type=Path, help="keep the generated files here")
    p.add_argument("--skip-geopandas", action="store_true")
    args = p.parse_args()
    n_patches, n_parcels, extent, fmt = 2_000, 200_000, syn.COUNTY, "shp"
    if args.county:
        n_patches, n_parcels = 10_000, 1_000_000
    if args.province:
        n_patches, n_parcels, extent, fmt = (
            100_000,
            10_000_000,
            PROVINCE,
            "gpkg",
        )  # shp stops at 2 GB
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        paths = generate(folder, n_patches, n_parcels, extent, fmt)
        stores = build_indexes(paths, folder)
        rss_before = peak_rss_mb()
        ours_s, ours = run_fazhi(paths["patches"], stores, args.workers)
        print(
            f"fazhi end to end (read patches + overlay {len(stores)} layers): {ours_s:.2f} s"
        )
        print(
            f"peak RSS so far: {peak_rss_mb():.0f} MB (before the overlay: {rss_before:.0f} MB)"
        )
        if not args.province:
            plain_s, plain = run_fazhi_without_index(paths, args.workers)
            print(
                f"fazhi reading the layer files whole (no index, as the CLI): {plain_s:.2f} s"
            )
            print(compare(ours, plain))
        if args.province or args.skip_geopandas:
            print("geopandas: skipped")
            return
        theirs_s, theirs = run_geopandas(paths)
        print(f"geopandas read_file + overlay: {theirs_s:.2f} s")
        print(f"ratio: fazhi is {theirs_s / ours_s:.1f}× faster")
        print(compare(ours, theirs))


if __name__ == "__main__":
    main()

"""Benchmark: fazhi's overlay end to end beside geopandas.read_file + geopandas.overlay.

    .venv/bin/python bench/overlay.py              # 2 000 patches × 200 000 parcels
    .venv/bin/python bench/overlay.py --county     # 10 000 × 1 000 000
    .venv/bin/python bench/overlay.py --province   # 100 000 × 10 000 000 (no geopandas)
    .venv/bin/python bench/overlay.py --county --cli-only --data /tmp/county --repeat 5

Synthetic, seeded 湘潭县 data (fazhi.monitoring.gis.synthetic): irregular farmland
parcels, a dozen red-line zones of 4 000 vertices, approvals, mining rights and patches
straddling parcels and boundaries, written as GeoPackage, FlatGeobuf and a GBK-encoded
shapefile (``--data`` keeps them and reuses them on the next run).

Per format, in the same run and each in a fresh process (Python start and imports
included, nothing indexed beforehand): ``fazhi overlay`` end to end (reading the patch
file, reading from each layer file what can meet the patches, overlaying, writing the
CSV), then geopandas (reading the patch file and each layer file, overlay
how="intersection", areas summed per patch). Each is run ``--repeat`` times; the
medians of wall time and of CPU time (user + system of the process, which load from
other work on the machine does not inflate the way it does wall time) and the peak
RSS are printed, with the load average. Areas per patch and layer must agree within
1e-6 relative (fazhi's unrounded areas, computed apart, against geopandas').
``--indexed`` also times the persistent index (LayerStore) path, with its build.
Needs the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
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


def generate(
    folder: Path, n_patches: int, n_parcels: int, extent, formats: list[str],
    *, grid: bool = False,
) -> dict[str, dict[str, Path]]:
    """Write the synthetic layers in each format; return format → layer name → path.

    Kept files (same counts) are reused. FlatGeobuf is written in one piece (its index
    needs every feature), so it is left out of a province. ``grid``: parcels from the
    kinked grid (``syn.grid_parcels_parts``, minutes for 1e7) instead of Voronoi
    tiles (hours for 1e7).
    """
    folder.mkdir(parents=True, exist_ok=True)
    kind = "grid" if grid else "voronoi"
    stamp = folder / f"made-{n_patches}-{n_parcels}-{kind}-{'-'.join(formats)}"
    names = ("patches", "sthx", "pzyd", "cqk", "gd")
    paths = {f: {n: folder / f"{n}.{f}" for n in names} for f in formats}
    if stamp.exists():
        return paths
    t = time.perf_counter()
    for f in formats:
        for n in names:
            for part in folder.glob(f"{n}.*"):
                if part.suffix[1:] in (f, "shx", "dbf", "prj", "cpg"):
                    part.unlink()
    whole = [] if "fgb" in formats else None
    parcels = syn.grid_parcels_parts if grid else syn.farmland_parts
    for k, part in enumerate(parcels(n_parcels, seed=1, extent=extent)):
        if k % 10 == 0:
            print(f"  parcels: {k} parts, {time.perf_counter() - t:.0f} s", flush=True)
        for f in formats:
            if f != "fgb":
                write_layer(paths[f]["gd"], part.geoms, part.attrs, epsg=syn.EPSG,
                            encoding="GBK" if f == "shp" else None, append=k > 0)
        if whole is not None:
            whole.append(part)
    if whole is not None:
        write_layer(paths["fgb"]["gd"], np.concatenate([p.geoms for p in whole]),
                    {k: np.concatenate([p.attrs[k] for p in whole])
                     for k in whole[0].attrs}, epsg=syn.EPSG)
        del whole
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
        for f in formats:
            write_layer(paths[f][name], layer.geoms, layer.attrs, epsg=syn.EPSG,
                        encoding="GBK" if f == "shp" else None)
    stamp.touch()
    print(
        f"generated {n_patches} patches, {n_parcels} parcels "
        f"({', '.join(formats)}) in {time.perf_counter() - t:.1f} s"
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


def fazhi_areas(paths: dict[str, Path], workers: int) -> dict:
    """Return {(patch id, layer): m²}, unrounded, through the CLI's own core."""
    from fazhi.monitoring.gis.nearby import overlay_file

    data = read(paths["patches"])
    areas = {}
    for name, path in paths.items():
        if name == "patches":
            continue
        found = overlay_file(data.ids, data.geoms, data.crs, path, layer_name=name,
                             workers=workers)
        areas.update({(r.patch_id, name): r.overlap_m2 for r in found.rows})
    return areas


def geopandas_areas(paths: dict[str, Path]) -> dict:
    """Return {(patch id, layer): m²} from read_file + overlay (the timed child)."""
    import geopandas

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
    return areas


def timed(argv: list[str]) -> tuple[float, float, float]:
    """Run ``argv`` in a fresh process; return (wall s, CPU s, peak RSS MB).

    Through GNU time: a child forked from this (large) process would start its peak
    RSS count at this process's size; one forked from ``time`` starts small.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        ["/usr/bin/time", "-f", "TIMED %e %U %S %M", *argv], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    last = [ln for ln in done.stderr.splitlines() if ln.startswith("TIMED ")]
    if done.returncode or not last:
        raise SystemExit(f"{argv[:4]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    wall, user, system, rss_kb = (float(v) for v in last[-1].split()[1:])
    return wall, user + system, rss_kb / 1024


def cli_argv(paths: dict[str, Path], out: Path, workers: int) -> list[str]:
    """The ``fazhi overlay`` command line over every layer."""
    layers = [f"--layer={n}={p}" for n, p in paths.items() if n != "patches"]
    return [sys.executable, "-m", "fazhi.monitoring.overlay_cli", "--patches",
            str(paths["patches"]), *layers, "--out", str(out), "--workers",
            str(workers)]


def load() -> str:
    """Return the 1-minute load average (other work on the machine)."""
    return f"{os.getloadavg()[0]:.1f}"


def measure(name: str, argv: list[str], repeat: int) -> dict:
    """Run ``argv`` ``repeat`` times; print and return the medians."""
    runs, loads = [], []
    for _ in range(repeat):
        loads.append(load())
        runs.append(timed(argv))
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    print(f"  {name:10s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:6.0f} MB"
          f"   (runs: {', '.join(f'{r[0]:.2f}/{r[1]:.2f}' for r in runs)};"
          f" load {' '.join(loads)})", flush=True)
    return {"wall": wall, "cpu": cpu, "rss": rss}


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


def summary(table: list) -> None:
    """Print every format's CLI and geopandas figures side by side, with the ratios."""
    print(f"\n{'format':6s} | {'fazhi CLI wall / CPU / RSS':28s} | "
          f"{'geopandas wall / CPU / RSS':28s} | ratio wall, CPU | areas")
    for fmt, ours, theirs, agreed in table:
        cells = [f"{r['wall']:6.2f} s / {r['cpu']:6.2f} s / {r['rss']:5.0f} MB"
                 if r else "—" for r in (ours, theirs)]
        ratio = (f"{theirs['wall'] / ours['wall']:4.1f}×, {theirs['cpu'] / ours['cpu']:4.1f}×"
                 if theirs else "—")
        print(f"{fmt:6s} | {cells[0]:28s} | {cells[1]:28s} | {ratio:15s} | {agreed}")
    print(f"(load average now {load()})", flush=True)


def main() -> None:
    """Parse the size, generate, time the CLI and geopandas per format, compare."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument("--county", action="store_true", help="1e4 patches × 1e6 parcels")
    size.add_argument(
        "--province", action="store_true", help="1e5 patches × 1e7 parcels"
    )
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--formats", default="gpkg,fgb,shp")
    p.add_argument("--data", type=Path, help="keep the generated files here, reuse them")
    p.add_argument("--cli-only", action="store_true", help="skip geopandas")
    p.add_argument("--indexed", action="store_true",
                   help="also time the persistent index path (LayerStore)")
    p.add_argument("--child-geopandas", nargs=2, metavar=("DIR", "FMT"),
                   help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_geopandas:
        folder, fmt = Path(args.child_geopandas[0]), args.child_geopandas[1]
        names = ("patches", "sthx", "pzyd", "cqk", "gd")
        areas = geopandas_areas({n: folder / f"{n}.{fmt}" for n in names})
        out = folder / f"geopandas-{fmt}.tsv"
        out.write_text("".join(f"{k[0]}\t{k[1]}\t{v!r}\n" for k, v in areas.items()))
        return
    n_patches, n_parcels, extent = 2_000, 200_000, syn.COUNTY
    formats = args.formats.split(",")
    if args.county:
        n_patches, n_parcels = 10_000, 1_000_000
    if args.province:
        n_patches, n_parcels, extent = 100_000, 10_000_000, PROVINCE
        formats = [f for f in formats if f != "fgb"]
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as tmp:
        folder = args.data or Path(tmp)
        all_paths = generate(folder, n_patches, n_parcels, extent, formats,
                             grid=args.province)
        print(f"{n_patches} patches × {n_parcels} parcels, 4 layers; "
              f"{os.cpu_count()} cores, load {load()}; medians of {args.repeat}")
        table = []
        for fmt in formats:
            paths = all_paths[fmt]
            print(f"{fmt}:", flush=True)
            ours = measure("fazhi CLI", cli_argv(paths, Path(tmp) / f"r-{fmt}.csv",
                                                 args.workers), args.repeat)
            if args.cli_only or args.province:
                table.append((fmt, ours, None, ""))
                continue
            theirs = measure("geopandas", [sys.executable, __file__,
                                           "--child-geopandas", str(folder), fmt],
                             args.repeat)
            print(f"  ratio: fazhi is {theirs['wall'] / ours['wall']:.1f}× faster "
                  f"(wall), {theirs['cpu'] / ours['cpu']:.1f}× (CPU)")
            gp = {}
            for line in (folder / f"geopandas-{fmt}.tsv").read_text().splitlines():
                pid, layer, m2 = line.split("\t")
                gp[(pid, layer)] = float(m2)
            agreed = compare(fazhi_areas(paths, args.workers), gp)
            print("  " + agreed, flush=True)
            table.append((fmt, ours, theirs, agreed.split(":")[0]))
        summary(table)
        if args.indexed:
            paths = all_paths[formats[0]]
            stores = build_indexes(paths, Path(tmp))
            ours_s, ours = run_fazhi(paths["patches"], stores, args.workers)
            print(f"indexed path ({formats[0]}, index built apart): {ours_s:.2f} s; "
                  + compare(ours, fazhi_areas(paths, args.workers)))


if __name__ == "__main__":
    main()

"""A persistent spatial index of one reference-layer version, so overlays read little.

On disk (one folder per layer version), in the layer's projected area CRS and sorted
along a Hilbert curve::

    meta.json         format version, EPSG, feature count, tile size, fields, extent
    bbox.npy          (n, 4) float64 feature bounding boxes
    tiles.npy         (t, 4) float64 bbox of each run of TILE consecutive features
    wkb.bin           the geometries as WKB, back to back; wkb_offsets.npy (n + 1) int64
    ids.npy           feature ids, UTF-8, fixed width
    attrs.bin         one JSON object per feature; attrs_offsets.npy (n + 1) int64

A query meets the few thousand tile boxes first (an STRtree built on open), then the
feature boxes of the tiles hit, then reads only those features' WKB. Files are opened
as memory maps per query, so a province's 1e7 parcels never sit in memory at once.
FlatGeobuf's packed Hilbert R-tree read through ``pyogrio.raw.read(bbox=...)`` was the
alternative: one GDAL call per window and whole features with attributes make it much
slower when thousands of patches are scattered over a county (see bench/overlay.py).

Building writes into a temporary sibling folder and renames it into place, so a failed
build leaves nothing half-written and building the same version again is safe. A
killed build cannot clean up: the next build beside it (and the daily sweep, through
:func:`remove_abandoned_builds`) removes such folders once they sit untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from fazhi.monitoring.gis import crs as crs_mod
from fazhi.monitoring.gis.archive import DEFAULT_LIMITS, ArchiveLimits
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.gis.leftovers import remove_abandoned
from fazhi.monitoring.gis.spatial import (
    boxes_intersect,
    expand_ranges,
    hilbert_codes,
    tile_bounds,
)

FORMAT_VERSION = 1
TILE = 64
# A live build writes its folder at least once per chunk read or merged (seconds to
# a few minutes for a province); one untouched for an hour was killed.
ABANDONED_AFTER = 3600.0  # seconds
LEFTOVERS = (".*.building-*", ".*.old-*")  # see build_parts and _install
Progress = Callable[[str, int, int], None]


@dataclass
class Part:
    """A run of features ready to be written: projected geometries, ids, attributes."""

    ids: list[str]
    geoms: np.ndarray
    attrs: list[dict]


class LayerStore:
    """An opened layer index; see the module docstring for the files."""

    def __init__(self, folder: Path, meta: dict) -> None:
        self.folder = folder
        self.meta = meta
        self.epsg: int = meta["epsg"]
        self.count: int = meta["count"]
        self.tile: int = meta["tile"]
        self._tiles = np.load(folder / "tiles.npy")
        self._tree = (
            shapely.STRtree(shapely.box(*self._tiles.T)) if len(self._tiles) else None
        )
        self._offsets = np.load(folder / "wkb_offsets.npy", mmap_mode="r")

    # -- building ----------------------------------------------------------------
    @classmethod
    def build(
        cls, layer_data, folder: str | Path, *, progress: Progress | None = None
    ) -> LayerStore:
        """Index a whole :class:`~fazhi.monitoring.gis.read.LayerData` into ``folder``."""
        projected = crs_mod.project(layer_data.geoms, layer_data.crs)
        rows = [layer_data.row(i) for i in range(len(layer_data))]
        part = Part(list(layer_data.ids), projected.geoms, rows)
        extent = (
            tuple(shapely.total_bounds(projected.geoms))
            if len(part.ids)
            else (0, 0, 1, 1)
        )
        return cls.build_parts(
            [part],
            folder,
            epsg=projected.epsg,
            extent=extent,
            fields=layer_data.fields,
            progress=progress,
        )

    @classmethod
    def build_parts(
        cls,
        parts: Iterable[Part],
        folder: str | Path,
        *,
        epsg: int,
        extent: tuple[float, float, float, float],
        fields: list[str],
        progress: Progress | None = None,
        source: dict | None = None,
    ) -> LayerStore:
        """Index features arriving part by part (bounded memory) into ``folder``.

        ``extent`` (area CRS) only sets the Hilbert grid; features outside it still
        index correctly, just less compactly. ``source`` (what was read: CRS, encoding,
        fields, repairs) is kept in meta.json as it stands once every part is written.
        """
        crs_mod.Projected(np.empty(0, dtype=object), epsg)  # refuses a geographic CRS
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(folder.parent, LEFTOVERS, older_than=ABANDONED_AFTER)
        tmp = Path(
            tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent)
        )
        try:
            runs = [_write_run(tmp, r, part, extent) for r, part in enumerate(parts)]
            count = _merge_runs(tmp, runs, progress)
            meta = {
                "format": FORMAT_VERSION,
                "epsg": epsg,
                "count": count,
                "tile": TILE,
                "fields": fields,
                "extent": list(extent),
            }
            if source is not None:
                meta["source"] = source
            (tmp / "meta.json").write_text(
                json.dumps(meta, ensure_ascii=False), "utf-8"
            )
            _install(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return cls.open(folder)

    @classmethod
    def build_from_file(
        cls,
        path: str | Path,
        folder: str | Path,
        *,
        encoding: str | None = None,
        crs: str | int | None = None,
        id_field: str | None = None,
        invalid: str = "reject",
        chunk: int = 500_000,
        progress: Progress | None = None,
        limits: ArchiveLimits = DEFAULT_LIMITS,
        workdir: str | Path | None = None,
    ) -> LayerStore:
        """Read a delivered file chunk by chunk and index it (a province's parcels).

        Bad geometries are rejected or repaired per chunk as in
        :func:`fazhi.monitoring.gis.read.read`; memory stays bounded by ``chunk``.
        A zip is unpacked within ``limits`` under ``workdir`` (see ``read.dataset``).
        """
        from fazhi.monitoring.gis import read as read_mod

        shown = Path(path)
        with read_mod.dataset(path, limits=limits, workdir=workdir) as real:
            layer = read_mod.open_layer(
                real, shown=shown, encoding=encoding, crs=crs, id_field=id_field
            )
            assert layer.epsg is not None
            info_bounds = _file_bounds(layer)
            epsg = crs_mod.area_crs_for(
                np.array([shapely.box(*info_bounds)]), layer.epsg
            )
            extent = _extent_in(info_bounds, layer.epsg, epsg)
            source = {
                "epsg": layer.epsg,
                "encoding": layer.encoding,
                "id_field": layer.id_field,
                "fields": layer.fields,
                "field_types": layer.field_types,
                "repaired": [],
            }

            def parts() -> Iterable[Part]:
                for c in layer.chunks(chunk):
                    data = read_mod.check_geometries(
                        read_mod._concat([c], layer), invalid=invalid, shown=shown
                    )
                    source["repaired"] += [list(r) for r in data.repaired]
                    geoms = crs_mod.transform(data.geoms, layer.epsg, epsg)
                    yield Part(data.ids, geoms, [data.row(i) for i in range(len(data))])
                    if progress:
                        progress("读取", c.start + len(c.ids), layer.feature_count)

            store = cls.build_parts(
                parts(),
                folder,
                epsg=epsg,
                extent=extent,
                fields=layer.fields,
                progress=progress,
                source=source,
            )
        if not store.count:
            shutil.rmtree(folder, ignore_errors=True)
            read_mod.refuse_empty(0, shown, repaired=bool(source["repaired"]))
        return store

    @classmethod
    def open(cls, folder: str | Path) -> LayerStore:
        """Open an index built by :meth:`build`."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise GisError(
                "图层索引不存在或已损坏，请重新建立索引", path=folder
            ) from exc
        if meta.get("format") != FORMAT_VERSION:
            raise GisError("图层索引版本不符，请重新建立索引", path=folder)
        return cls(folder, meta)

    # -- querying ----------------------------------------------------------------
    def pairs(self, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (row of ``bounds``, feature index) for every bbox overlap."""
        if self._tree is None or not len(bounds):
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        qi, ti = self._tree.query(shapely.box(*bounds.T))
        starts = ti * self.tile
        owner, feat = expand_ranges(
            qi, starts, np.minimum(starts + self.tile, self.count)
        )
        bbox = np.load(self.folder / "bbox.npy", mmap_mode="r")
        hit = boxes_intersect(bounds[owner], bbox[feat])
        return owner[hit], feat[hit]

    def geometries(self, features: np.ndarray) -> np.ndarray:
        """Return the geometries (area CRS) of the given feature indices."""
        blob = (
            np.memmap(self.folder / "wkb.bin", dtype=np.uint8, mode="r")
            if self.count
            else None
        )
        off = self._offsets
        data = [blob[off[j] : off[j + 1]].tobytes() for j in features]
        return (
            shapely.from_wkb(np.array(data, dtype=object))
            if data
            else np.empty(0, dtype=object)
        )

    def ids(self, features: np.ndarray) -> list[str]:
        """Return the ids of the given feature indices."""
        arr = np.load(self.folder / "ids.npy", mmap_mode="r")
        return [v.decode("utf-8") for v in arr[features]]

    def attributes(self, features: Iterable[int]) -> list[dict]:
        """Return the delivered attributes of the given feature indices."""
        off = np.load(self.folder / "attrs_offsets.npy", mmap_mode="r")
        with open(self.folder / "attrs.bin", "rb") as fh:
            out = []
            for j in features:
                fh.seek(int(off[j]))
                out.append(json.loads(fh.read(int(off[j + 1] - off[j]))))
        return out


def remove_abandoned_builds(
    root: str | Path, *, older_than: float = ABANDONED_AFTER
) -> list[Path]:
    """Remove the temporary folders killed builds left anywhere under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return []
    parents = {p.parent for pattern in LEFTOVERS for p in root.rglob(pattern)}
    return [
        gone
        for parent in sorted(parents)
        for gone in remove_abandoned(parent, LEFTOVERS, older_than=older_than)
    ]


def _file_bounds(layer) -> tuple[float, float, float, float]:
    """Return the layer's total bounds from its header (pyogrio computes them if needed)."""
    import pyogrio

    bounds = pyogrio.read_info(layer.path, force_total_bounds=True).get("total_bounds")
    if bounds is None or not np.all(np.isfinite(bounds)):
        return (0.0, 0.0, 1.0, 1.0)
    return tuple(float(b) for b in bounds)


def _extent_in(bounds, src: int, dst: int) -> tuple[float, float, float, float]:
    """Return ``bounds`` (in ``src``) as a bbox in ``dst``."""
    box = crs_mod.transform(np.array([shapely.box(*bounds)]), src, dst)
    return tuple(float(v) for v in shapely.total_bounds(box))


def _install(tmp: Path, folder: Path) -> None:
    """Move the finished build into place, replacing an earlier build of the version."""
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, folder)


@dataclass
class _Run:
    """One sorted run of features written to the temporary folder."""

    index: int
    codes: np.ndarray
    count: int


def _write_run(tmp: Path, r: int, part: Part, extent) -> _Run:
    """Sort one part along the Hilbert curve and write it as run ``r``."""
    bounds = shapely.bounds(part.geoms)
    codes = hilbert_codes(bounds, extent)
    order = np.argsort(codes, kind="stable")
    wkb = shapely.to_wkb(part.geoms[order])
    attrs = [
        json.dumps(part.attrs[i], ensure_ascii=False, default=str).encode()
        for i in order
    ]
    ids = np.array([part.ids[i].encode("utf-8") for i in order], dtype=object)
    _write_blob(tmp / f"run{r}.wkb", list(wkb))
    _write_blob(tmp / f"run{r}.attrs", attrs)
    np.save(tmp / f"run{r}.bbox.npy", bounds[order])
    np.save(
        tmp / f"run{r}.ids.npy", ids.astype(bytes) if len(ids) else np.empty(0, "S1")
    )
    return _Run(r, codes[order], len(order))


def _write_blob(path: Path, pieces: list[bytes]) -> np.ndarray:
    """Write byte strings back to back, with their (n + 1) offsets beside them."""
    offsets = np.zeros(len(pieces) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(p) for p in pieces])
    with open(path, "wb") as fh:
        fh.write(b"".join(pieces))
    np.save(path.with_suffix(path.suffix + ".off.npy"), offsets)
    return offsets


MERGE_CHUNK = 500_000


def _merge_runs(tmp: Path, runs: list[_Run], progress: Progress | None) -> int:
    """Merge the sorted runs into the final files, MERGE_CHUNK features at a time."""
    codes = np.concatenate([r.codes for r in runs]) if runs else np.empty(0, np.uint64)
    run_of = np.repeat(np.arange(len(runs)), [r.count for r in runs])
    pos_of = (
        np.concatenate([np.arange(r.count) for r in runs])
        if runs
        else np.empty(0, np.intp)
    )
    order = np.argsort(
        codes, kind="stable"
    )  # ties keep run order, so each run stays sorted
    del codes
    width = max(
        [
            np.load(tmp / f"run{r.index}.ids.npy", mmap_mode="r").dtype.itemsize
            for r in runs
        ]
        + [1]
    )
    n = len(order)
    out = _Outputs(tmp, n, width)
    for a in range(0, n, MERGE_CHUNK):
        sel = order[a : a + MERGE_CHUNK]
        out.add(tmp, run_of[sel], pos_of[sel], len(runs))
        if progress:
            progress("建索引", min(a + MERGE_CHUNK, n), n)
    out.close()
    for r in runs:
        for suffix in (
            "wkb",
            "wkb.off.npy",
            "attrs",
            "attrs.off.npy",
            "bbox.npy",
            "ids.npy",
        ):
            (tmp / f"run{r.index}.{suffix}").unlink()
    return n


class _Outputs:
    """The final files, filled in Hilbert order one merge chunk after another."""

    def __init__(self, tmp: Path, n: int, width: int) -> None:
        self.bbox = np.lib.format.open_memmap(
            tmp / "bbox.npy", "w+", np.float64, (n, 4)
        )
        self.ids = np.lib.format.open_memmap(tmp / "ids.npy", "w+", f"S{width}", (n,))
        self.wkb = open(tmp / "wkb.bin", "wb")
        self.attrs = open(tmp / "attrs.bin", "wb")
        self.wkb_off, self.attrs_off = [np.zeros(1, np.int64)], [np.zeros(1, np.int64)]
        self.done = 0
        self.tmp = tmp

    def add(
        self, tmp: Path, run_of: np.ndarray, pos_of: np.ndarray, n_runs: int
    ) -> None:
        """Append the features (run, position) in this order."""
        k = len(run_of)
        wkb, attrs = np.empty(k, dtype=object), np.empty(k, dtype=object)
        for r in np.unique(run_of):
            slots = np.flatnonzero(run_of == r)
            lo, hi = int(pos_of[slots[0]]), int(pos_of[slots[-1]]) + 1
            wkb[slots] = _read_pieces(tmp / f"run{r}.wkb", lo, hi)
            attrs[slots] = _read_pieces(tmp / f"run{r}.attrs", lo, hi)
            self.bbox[self.done + slots] = np.load(
                tmp / f"run{r}.bbox.npy", mmap_mode="r"
            )[lo:hi]
            self.ids[self.done + slots] = np.load(
                tmp / f"run{r}.ids.npy", mmap_mode="r"
            )[lo:hi]
        self._append(self.wkb, self.wkb_off, wkb)
        self._append(self.attrs, self.attrs_off, attrs)
        self.done += k

    @staticmethod
    def _append(fh, offsets: list[np.ndarray], pieces: np.ndarray) -> None:
        """Write pieces and remember where each ends."""
        fh.write(b"".join(pieces))
        ends = np.cumsum([len(p) for p in pieces], dtype=np.int64) + offsets[-1][-1]
        offsets.append(ends)

    def close(self) -> None:
        """Flush everything and write the offsets and tile boxes."""
        self.wkb.close()
        self.attrs.close()
        np.save(self.tmp / "wkb_offsets.npy", np.concatenate(self.wkb_off))
        np.save(self.tmp / "attrs_offsets.npy", np.concatenate(self.attrs_off))
        self.bbox.flush()
        self.ids.flush()
        np.save(self.tmp / "tiles.npy", tile_bounds(np.asarray(self.bbox), TILE))
        del self.bbox, self.ids


def _read_pieces(path: Path, lo: int, hi: int) -> list[bytes]:
    """Read pieces lo..hi-1 of a blob written by :func:`_write_blob`."""
    off = np.load(path.with_suffix(path.suffix + ".off.npy"), mmap_mode="r")
    start, stop = int(off[lo]), int(off[hi])
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(stop - start)
    rel = off[lo : hi + 1] - start
    return [data[rel[i] : rel[i + 1]] for i in range(hi - lo)]

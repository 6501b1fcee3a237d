"""Read from a reference-layer file only the features that can meet given windows.

``fazhi overlay`` on a county (1e4 patches, 1e6 parcels) used to read every parcel with
every attribute, validate it and hold it; the patches meet a few per cent of them. Here
the file's own spatial index says which features' boxes meet the patches' boxes, and
only those are read (geometry, plus the id field when one is named), validated and
held. The id of a feature is its FID unless the caller names a field.

Where the boxes come from, by format:

- GeoPackage: the ``rtree_<table>_<geom>`` R-tree the format keeps (GDAL writes it by
  default). Its leaf boxes are read straight from the R-tree's node blobs (SQLite's
  documented R-tree layout; a few thousand blobs for a million features), and the
  geometries of the features chosen in one SQL statement on the read-only file.
- FlatGeobuf: the packed Hilbert R-tree after the header, whose leaves are the feature
  boxes in file order (leaf i is FID i).
- Shapefile: every polygon record of the .shp starts with its box, found through the
  .shx offsets: 32 bytes a feature, so no .qix or .sbn is needed (nor read).
- Anything else (GeoJSON, a GeoPackage without R-tree, a FlatGeobuf without index):
  geometries only, streamed in chunks; only the features that meet a window are kept.

Features are then read by FID through ``pyogrio`` (FlatGeobuf, Shapefile) or SQL
(GeoPackage). Boxes from an index may be a little larger than the feature (the R-tree
rounds outward to float32): they only choose what to read, the overlay decides exactly.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyogrio import raw

from fazhi.monitoring.gis import encoding as enc
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.gis.spatial import (
    box_columns,
    expand_ranges,
    hilbert_codes,
    pairs_meet,
    tile_bounds,
)

Progress = Callable[[str, int, int], None]
TILE = 32  # feature boxes per tile when a format's boxes come without a tree
STREAM = 200_000  # features per chunk when the whole file must be streamed
FID_BATCH = 50_000  # features read by FID per pyogrio call
WINDOWS = 2_000  # windows matched at once (bounds the box pairs held)


@dataclass
class Found:
    """Features chosen from a file: FIDs, geometries (file CRS), id-field values."""

    fids: np.ndarray
    geoms: np.ndarray
    keys: np.ndarray | None  # the named id field's values, or None (FIDs are the ids)
    how: str  # which index chose them: "rtree", "fgb-index", "shx", "scan"
    wkb: np.ndarray | None = None  # the geometries as read, when 2D WKB


def read_near(
    path: Path,
    windows: np.ndarray,
    *,
    format: str,
    id_field: str | None = None,
    raw_field: str | None = None,
    codec: str | None = None,
) -> Found:
    """Return the features of ``path`` whose boxes meet any of ``windows`` (n, 4).

    ``windows`` are (minx, miny, maxx, maxy) in the file's CRS. ``id_field`` is the
    field's decoded name, ``raw_field`` its name as stored (a shapefile's Latin-1 view),
    ``codec`` the shapefile's text encoding.
    """
    windows = np.asarray(windows, dtype=np.float64).reshape(-1, 4)
    field = raw_field or id_field
    if not len(windows):
        return Found(np.empty(0, np.int64), np.empty(0, object), None, "none")
    if format == "GPKG":
        found = _gpkg(path, windows, field)
        if found is not None:
            return found
    boxes = _index_boxes(path, format)
    if boxes is None:
        return _scan(path, windows, field, format, codec)
    fids, bbox, how = boxes
    chosen = fids[_meeting(bbox, windows, ordered=how != "shx")]
    geoms, keys, wkb = _by_fid(path, chosen, field, format, codec)
    return Found(chosen, geoms, keys, how, wkb)


def _index_boxes(path: Path, format: str):
    """Return (fids, boxes, how) from the file's own index, or None if it has none."""
    try:
        if format == "FlatGeobuf":
            return _fgb_boxes(path)
        if format == "ESRI Shapefile":
            return _shx_boxes(path)
    except (OSError, ValueError, struct.error, IndexError):
        return None  # an index we cannot read: fall back to reading the file
    return None


def _meeting(bbox: np.ndarray, windows: np.ndarray, *, ordered: bool) -> np.ndarray:
    """Return the rows of ``bbox`` that meet any window: tiles of boxes first, then boxes.

    ``ordered`` says the boxes already come in spatial runs (a FlatGeobuf's Hilbert
    order); otherwise they are put in Hilbert order first, so that a tile's box stays
    small whatever order the file keeps.
    """
    if not len(bbox):
        return np.empty(0, np.intp)
    order = None
    if not ordered:
        ext = (bbox[:, 0].min(), bbox[:, 1].min(), bbox[:, 2].max(), bbox[:, 3].max())
        order = np.argsort(hilbert_codes(bbox, ext), kind="stable")
        bbox = bbox[order]
    rows = _in_tiles(tile_bounds(bbox, TILE), TILE, bbox, windows)
    return rows if order is None else np.sort(order[rows])


def _in_tiles(tiles, size: int, bbox, windows: np.ndarray) -> np.ndarray:
    """Return the rows of ``bbox`` meeting a window, tile ``k`` holding rows k*size…"""
    tree = shapely.STRtree(shapely.box(*np.asarray(tiles).T))
    cols = box_columns(bbox)
    found = []
    for a in range(0, len(windows), WINDOWS):
        win = windows[a:a + WINDOWS]
        wi, ti = tree.query(shapely.box(*win.T))
        starts = ti * size
        owner, feat = expand_ranges(wi, starts, np.minimum(starts + size, len(bbox)))
        found.append(np.unique(feat[pairs_meet(box_columns(win), owner, cols, feat)]))
    return np.unique(np.concatenate(found)) if found else np.empty(0, np.intp)


# --- GeoPackage ---------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _gpkg(path: Path, windows: np.ndarray, field: str | None) -> Found | None:
    """Choose through the GeoPackage's R-tree and read by SQL; None without R-tree."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        table, geom = con.execute(
            "SELECT table_name, column_name FROM gpkg_geometry_columns"
        ).fetchone()
        rtree = f"rtree_{table}_{geom}"
        if not con.execute(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)
        ).fetchone():
            return None
        pk = [r[1] for r in con.execute(f"PRAGMA table_info({_quote(table)})")
              if r[5]]
        if len(pk) != 1:
            return None
        chosen = _rtree_meeting(con, rtree, windows)
        return _gpkg_rows(con, table, geom, pk[0], chosen, field)
    except (sqlite3.Error, TypeError, ValueError, struct.error):
        return None
    finally:
        con.close()


def _rtree_meeting(con: sqlite3.Connection, rtree: str, windows: np.ndarray):
    """Return the sorted ids of the R-tree's leaf cells whose boxes meet a window.

    SQLite's R-tree node (all nodes one size): 2 bytes depth (root only), 2 bytes cell
    count, then cells of an 8-byte id and minx, maxx, miny, maxy as 4-byte floats, all
    big-endian. The root is node 1; leaves lie ``depth`` levels below it. The inner
    levels are read whole (a few thousand cells), then only the leaves whose node box
    meets a window.
    """
    table = _quote(rtree + "_node")
    root = con.execute(f"SELECT data FROM {table} WHERE nodeno = 1").fetchone()[0]
    depth = struct.unpack(">H", root[:2])[0]
    if depth > 40:
        raise ValueError("not an R-tree node")
    cells, starts = _cells([root], len(root))
    ids, box = cells["id"].astype(np.int64), _boxes(cells)
    wins = box_columns(windows)
    # (window, cell) pairs whose boxes meet, level by level from the root's cells
    win = np.repeat(np.arange(len(windows)), len(cells))
    cell = np.tile(np.arange(len(cells)), len(windows))
    for level in range(depth + 1):
        keep = pairs_meet(wins, win, box, cell)
        win, cell = win[keep], cell[keep]
        if level == depth:
            break
        nodes, which = np.unique(ids[cell], return_inverse=True)
        blobs = dict(con.execute(
            f"SELECT n.nodeno, n.data FROM json_each(?) j CROSS JOIN {table} n "
            f"ON n.nodeno = j.value", (json.dumps(nodes.tolist()),)))
        cells, starts = _cells([blobs[n] for n in nodes.tolist()], len(root))
        ids, box = cells["id"].astype(np.int64), _boxes(cells)
        win, cell = expand_ranges(win, starts[which], starts[which + 1])
    return np.unique(ids[cell])


CELL = np.dtype([("id", ">i8"), ("minx", ">f4"), ("maxx", ">f4"), ("miny", ">f4"),
                 ("maxy", ">f4")])


def _cells(blobs: list[bytes], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the cells of R-tree node blobs as one CELL array, and where each starts."""
    buf = np.frombuffer(b"".join(blobs), np.uint8).reshape(len(blobs), size)
    counts = buf[:, 2].astype(np.intp) * 256 + buf[:, 3]
    per = (size - 4) // CELL.itemsize
    if len(counts) and counts.max() > per:
        raise ValueError("not an R-tree node")
    cells = np.ascontiguousarray(buf[:, 4:4 + per * CELL.itemsize]).view(CELL)
    starts = np.concatenate([[0], np.cumsum(counts)])
    return cells.reshape(len(blobs), per)[np.arange(per) < counts[:, None]], starts


def _boxes(cells: np.ndarray) -> list[np.ndarray]:
    """Return cells' boxes as float64 columns: minx, miny, maxx, maxy."""
    return [cells[name].astype(np.float64)
            for name in ("minx", "miny", "maxx", "maxy")]


ENVELOPE = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _gpkg_rows(con, table, geom, pk, chosen, field) -> Found | None:
    """Read the chosen rows' geometry (and id field) in one statement."""
    cols = f"t.{_quote(pk)}, t.{_quote(geom)}" + (
        f", t.{_quote(field)}" if field else "")
    rows = con.execute(
        f"SELECT {cols} FROM json_each(?) j CROSS JOIN {_quote(table)} t "
        f"ON t.{_quote(pk)} = j.value", (json.dumps(chosen.tolist()),)).fetchall()
    # A GeoPackage blob is "GP", version, flags (envelope kind in bits 1-3, bit 5 an
    # extended blob), srs id, envelope, then standard WKB. One writer gives every
    # feature the same header: checked once per kind, then cut in one pass.
    heads = {row[1][:4] for row in rows if row[1] is not None}
    skip = {}
    for head in heads:
        kind = (head[3] >> 1) & 7
        if head[:2] != b"GP" or head[3] & 0x20 or kind not in ENVELOPE:
            return None  # an extended or unknown geometry blob: let GDAL read it
        skip[head] = 8 + ENVELOPE[kind]
    if len(skip) == 1:
        (k,) = skip.values()
        wkb = [None if row[1] is None else row[1][k:] for row in rows]
    else:
        wkb = [None if row[1] is None else row[1][skip[row[1][:4]]:] for row in rows]
    fids = np.array([r[0] for r in rows], dtype=np.int64)
    blobs = np.array(wkb, dtype=object)
    geoms = shapely.from_wkb(blobs)
    if len(geoms) and shapely.has_z(geoms).any():
        geoms, blobs = shapely.force_2d(geoms), None
    keys = np.array([r[2] for r in rows], dtype=object) if field else None
    return Found(fids, geoms, keys, "rtree", blobs)


# --- FlatGeobuf ---------------------------------------------------------------------

FGB_MAGIC = b"fgb\x03"
NODE = np.dtype([("minx", "<f8"), ("miny", "<f8"), ("maxx", "<f8"), ("maxy", "<f8"),
                 ("offset", "<u8")])


def _fgb_boxes(path: Path):
    """Return (fids, boxes, "fgb-index") from a FlatGeobuf's packed R-tree, or None."""
    with open(path, "rb") as fh:
        head = fh.read(12)
        if head[:4] != FGB_MAGIC:
            return None
        size = struct.unpack("<I", head[8:12])[0]
        count, node_size = _fgb_header(fh.read(size))
    if not node_size or count < 1:
        return None
    n, total = count, count
    while n != 1:
        n = -(-n // node_size)
        total += n
    leaves = np.memmap(path, NODE, mode="r", offset=12 + size + (total - count) * 40,
                       shape=(count,))
    box = np.column_stack([leaves["minx"], leaves["miny"], leaves["maxx"],
                           leaves["maxy"]])
    return np.arange(count, dtype=np.int64), box, "fgb-index"


def _fgb_header(buf: bytes) -> tuple[int, int]:
    """Return (features_count, index_node_size) from the header flatbuffer."""
    table = struct.unpack_from("<I", buf, 0)[0]
    vtable = table - struct.unpack_from("<i", buf, table)[0]
    vsize = struct.unpack_from("<H", buf, vtable)[0]

    def field(k: int, fmt: str, default: int) -> int:
        at = 4 + 2 * k
        if at >= vsize:
            return default
        off = struct.unpack_from("<H", buf, vtable + at)[0]
        return struct.unpack_from(fmt, buf, table + off)[0] if off else default

    return field(8, "<Q", 0), field(9, "<H", 16)


# --- Shapefile ----------------------------------------------------------------------


def _shx_boxes(path: Path):
    """Return (fids, boxes, "shx") read from each .shp record's header, or None."""
    shx = _sibling(path, ".shx")
    if shx is None:
        return None
    offsets = np.fromfile(shx, dtype=">i4", offset=100).reshape(-1, 2)[:, 0]
    shp = np.memmap(path, dtype=np.uint8, mode="r")
    at = offsets.astype(np.int64) * 2 + 8  # record content: shape type, then the box
    fids, boxes = [], []
    for a in range(0, len(at), STREAM):
        pos = at[a:a + STREAM]
        raw_bytes = shp[pos[:, None] + np.arange(36)]
        kind = raw_bytes[:, :4].copy().view("<i4")[:, 0]
        keep = np.flatnonzero(kind != 0)  # a null shape has no box
        boxes.append(raw_bytes[keep, 4:36].copy().view("<f8"))
        fids.append(keep + a)
    return np.concatenate(fids).astype(np.int64), np.concatenate(boxes), "shx"


def _sibling(path: Path, suffix: str) -> Path | None:
    for s in (suffix, suffix.upper()):
        p = path.with_suffix(s)
        if p.exists():
            return p
    return None


# --- reading by FID, or the whole file --------------------------------------------


def _by_fid(path, fids, field, format, codec):
    """Read the geometries (and the id field) of the given FIDs through pyogrio."""
    geoms, keys, blobs = [], [], []
    shp = format == "ESRI Shapefile"
    for a in range(0, len(fids), FID_BATCH):
        part = fids[a:a + FID_BATCH]
        _meta, _, wkb, data = raw.read(
            path, fids=part, columns=[field] if field else [], force_2d=True,
            encoding=enc.RAW if shp else None)
        geoms.append(shapely.from_wkb(wkb))
        blobs.append(wkb)
        if field:
            keys.append(_decode(data[0], codec, path, field) if shp else data[0])
    g = np.concatenate(geoms) if geoms else np.empty(0, object)
    k = (np.concatenate(keys) if keys else np.empty(0, object)) if field else None
    return g, k, (np.concatenate(blobs) if blobs else None)  # force_2d: 2D WKB


def _decode(column, codec, path, name):
    if column.dtype != object or codec is None:
        return column
    return enc.decode_column(column, codec, path=path, name=name)


def _scan(path, windows, field, format, codec) -> Found:
    """Stream geometries only and keep the features that meet a window."""
    shp = format == "ESRI Shapefile"
    tree = shapely.STRtree(shapely.box(*windows.T))
    fids, geoms, keys, blobs = [], [], [], []
    start = 0
    while True:
        try:
            _meta, fid, wkb, data = raw.read(
                path, columns=[field] if field else [], force_2d=True,
                skip_features=start, max_features=STREAM, return_fids=True,
                encoding=enc.RAW if shp else None)
        except Exception as exc:  # pyogrio's own errors
            raise GisError(f"读取失败（{exc}），请确认文件完整", path=path) from exc
        if wkb is None or not len(wkb):
            break
        g = shapely.from_wkb(wkb)
        ok = np.flatnonzero(~(shapely.is_missing(g) | shapely.is_empty(g)))
        hit = ok[np.unique(tree.query(shapely.box(*shapely.bounds(g[ok]).T))[0])]
        # Empty geometries meet nothing; bad ones are judged on what is kept.
        fids.append(np.asarray(fid)[hit].astype(np.int64))
        geoms.append(g[hit])
        blobs.append(wkb[hit])
        if field:
            col = data[0][hit]
            keys.append(_decode(col, codec, path, field) if shp else col)
        start += len(wkb)
        if len(wkb) < STREAM:
            break
    return Found(
        np.concatenate(fids) if fids else np.empty(0, np.int64),
        np.concatenate(geoms) if geoms else np.empty(0, object),
        (np.concatenate(keys) if keys else np.empty(0, object)) if field else None,
        "scan",
        np.concatenate(blobs) if blobs else None,
    )


# --- overlaying patches on a layer file -------------------------------------------

PATCH_CHUNK = 20_000  # patches overlaid at once: bounds the features held
PAD = {True: 1e-6, False: 0.01}  # window margin: degrees (geographic) or metres


@dataclass
class FileOverlay:
    """What overlaying patches on one layer file found."""

    rows: list  # OverlapRow, in no particular order
    repaired: list[tuple[str, str]]  # (feature id, what was done), once per feature
    read: int  # features read from the file (those whose boxes meet a patch's)
    total: int  # features in the file
    how: str  # which index chose them


def overlay_file(
    patch_ids: list[str],
    patch_geoms: np.ndarray,
    patch_epsg: int,
    path: str | Path,
    *,
    layer_name: str,
    id_field: str | None = None,
    encoding: str | None = None,
    crs: str | int | None = None,
    invalid: str = "reject",
    workers: int = 2,
    progress: Progress | None = None,
    chunk: int = PATCH_CHUNK,
    limits=None,
    workdir: str | Path | None = None,
) -> FileOverlay:
    """Overlay patches (in ``patch_epsg``) on a layer file, reading only what can meet.

    The patches go in spatial chunks of ``chunk``; for each, the features whose boxes
    meet the patches' boxes are read, checked (``invalid`` as in ``read.read``: only
    these features), projected and overlaid, then let go. Feature ids are FIDs unless
    ``id_field`` names a field (its values must be unique and not empty among the
    features read).
    """
    from fazhi.monitoring.gis import crs as crs_mod
    from fazhi.monitoring.gis import read as read_mod
    from fazhi.monitoring.gis.archive import DEFAULT_LIMITS
    from fazhi.monitoring.gis.geometry import polygonal_problems, repair_polygonal
    from fazhi.monitoring.gis.overlay import (
        MemoryLayer,
        _spatial_chunks,
        feature_overlaps,
        rows_from,
    )

    if invalid not in ("reject", "repair"):
        raise ValueError(f"invalid must be 'reject' or 'repair', not {invalid!r}")
    shown = Path(path)
    patch_geoms = np.asarray(patch_geoms, dtype=object)
    with read_mod.dataset(path, limits=limits or DEFAULT_LIMITS, workdir=workdir) as real:
        layer = read_mod.open_layer(real, shown=shown, encoding=encoding, crs=crs,
                                    id_field=id_field, choose_id=False)
        assert layer.epsg is not None
        area = _layer_area_crs(real, layer)
        in_layer = crs_mod.transform(patch_geoms, patch_epsg, layer.epsg)
        projected = crs_mod.transform(patch_geoms, patch_epsg, area)
        windows = _windows(in_layer, layer.epsg in crs_mod.GEOGRAPHIC)
        codec = layer.codec if layer.format == "ESRI Shapefile" else None
        raw_field = layer.raw_names.get(id_field) if id_field else None
        rows, repaired, seen, read_count, how = [], [], set(), 0, "none"
        chunks = _spatial_chunks(projected, chunk)
        done = 0
        for idx in chunks:
            found = read_near(real, windows[idx], format=layer.format,
                              id_field=id_field, raw_field=raw_field, codec=codec)
            how, read_count = found.how, read_count + len(found.fids)
            if found.keys is not None:
                read_mod.refuse_bad_ids(found.keys, id_field, shown)
                ids = [read_mod._id_text(v) for v in found.keys]
            else:
                ids = found.fids.astype(str).tolist()
            geoms, wkb = found.geoms, found.wkb
            problems = polygonal_problems(ids, geoms)
            if problems:
                if invalid == "reject" or any(r.startswith("不是面") for _, r in problems):
                    raise GisError(read_mod._problem_text(problems), path=shown)
                geoms, keep, fixed = repair_polygonal(ids, geoms)
                ids = [i for i, k in zip(ids, keep, strict=True) if k]
                geoms, wkb = geoms[keep], None
                repaired += [r for r in fixed if r[0] not in seen]
                seen.update(r[0] for r in fixed)
            if area != layer.epsg:
                geoms, wkb = crs_mod.transform(geoms, layer.epsg, area), None
            source = MemoryLayer(ids, crs_mod.Projected(geoms, area), wkb)
            part = crs_mod.Projected(projected[idx], area)
            overlaps = feature_overlaps(part, source, workers=workers)
            rows += rows_from(overlaps, [patch_ids[i] for i in idx], source,
                              layer_name=layer_name)
            done += len(idx)
            if progress:
                progress("叠加", done, len(patch_geoms))
            del source, overlaps, geoms, wkb, found
    return FileOverlay(rows, repaired, read_count, layer.feature_count, how)


def _layer_area_crs(path: Path, layer) -> int:
    """Return the layer's area CRS, chosen from its header's extent (as its index is)."""
    from fazhi.monitoring.gis import crs as crs_mod
    from fazhi.monitoring.gis.store import _file_bounds

    return crs_mod.area_crs_for(np.array([shapely.box(*_file_bounds(layer))]),
                                layer.epsg)


def _windows(geoms: np.ndarray, geographic: bool) -> np.ndarray:
    """Return the patches' boxes, a little widened (edges bend between CRSs)."""
    bounds = shapely.bounds(geoms)
    pad = PAD[geographic]
    bounds[:, :2] -= pad
    bounds[:, 2:] += pad
    return bounds

"""Write layers and overlay results: zipped GBK Shapefile, GeoPackage, GeoJSON.

The delivered attribute structure is kept as it came, with result columns added after
it. Shapefile field names hold at most 10 bytes (counted in GBK), so long names are cut
and made unique; :func:`export` returns the names it used.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from pyogrio import raw

from fazhi.monitoring.gis.errors import GisError

DRIVERS = {
    ".zip": "ESRI Shapefile",
    ".shp": "ESRI Shapefile",
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
}
SHAPEFILE_ENCODING = "GBK"
SHAPEFILE_NAME_BYTES = 10
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def write_layer(
    path: str | Path,
    geoms: np.ndarray,
    attrs: dict[str, np.ndarray],
    *,
    epsg: int,
    encoding: str | None = None,
    append: bool = False,
) -> None:
    """Write polygons with attribute columns to ``path`` (driver from the suffix)."""
    path = Path(path)
    driver = DRIVERS.get(path.suffix.lower())
    if driver is None or path.suffix.lower() == ".zip":
        raise GisError("输出文件类型应为 .shp、.gpkg、.geojson 或 .fgb", path=path)
    multi = bool(np.any(shapely.get_type_id(geoms) == 6)) if len(geoms) else False
    names = list(attrs)
    raw.write(
        path,
        shapely.to_wkb(geoms),
        [np.asarray(attrs[n]) for n in names],
        names,
        driver=driver,
        crs=f"EPSG:{epsg}",
        geometry_type="MultiPolygon" if multi else "Polygon",
        encoding=encoding,
        promote_to_multi=multi or None,
        append=append,
    )


def shapefile_names(
    names: list[str], *, encoding: str = SHAPEFILE_ENCODING
) -> dict[str, str]:
    """Map field names to unique names of at most 10 bytes in ``encoding``."""
    used: set[str] = set()
    out = {}
    for name in names:
        short = _cut(name, SHAPEFILE_NAME_BYTES, encoding)
        n = 1
        while short.upper() in used:
            tail = f"_{n}"
            short = _cut(name, SHAPEFILE_NAME_BYTES - len(tail), encoding) + tail
            n += 1
        used.add(short.upper())
        out[name] = short
    return out


def _cut(text: str, limit: int, encoding: str) -> str:
    """Return the longest prefix of ``text`` that encodes into ``limit`` bytes."""
    out = ""
    for ch in text:
        if len((out + ch).encode(encoding, errors="replace")) > limit:
            break
        out += ch
    return out


def export(
    path: str | Path,
    geoms: np.ndarray,
    attrs: dict[str, np.ndarray],
    *,
    epsg: int,
    added: dict[str, np.ndarray] | None = None,
) -> dict[str, str]:
    """Export delivered attributes plus ``added`` result columns; return names used.

    ``path`` ending in ``.zip`` writes a GBK Shapefile (with its ``.cpg``) zipped into
    one archive; ``.gpkg``, ``.geojson`` and ``.fgb`` write those formats (UTF-8).
    """
    path = Path(path)
    columns = {**attrs, **(added or {})}
    if path.suffix.lower() not in (".zip", ".shp"):
        write_layer(path, geoms, columns, epsg=epsg)
        return {n: n for n in columns}
    names = shapefile_names(list(columns))
    renamed = {names[n]: _shapefile_values(v) for n, v in columns.items()}
    if path.suffix.lower() == ".shp":
        write_layer(path, geoms, renamed, epsg=epsg, encoding=SHAPEFILE_ENCODING)
        return names
    with tempfile.TemporaryDirectory(prefix="fazhi-export-") as tmp:
        shp = Path(tmp) / (path.stem + ".shp")
        write_layer(shp, geoms, renamed, epsg=epsg, encoding=SHAPEFILE_ENCODING)
        _zip_shapefile(shp, path)
    return names


def _shapefile_values(values: np.ndarray) -> np.ndarray:
    """Return a column a GBK .dbf can hold (text that GBK lacks becomes '?')."""
    values = np.asarray(values)
    if values.dtype != object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = [
        v.encode(SHAPEFILE_ENCODING, errors="replace").decode(SHAPEFILE_ENCODING)
        if isinstance(v, str)
        else v
        for v in values
    ]
    return out


def _zip_shapefile(shp: Path, target: Path) -> None:
    """Zip a shapefile's parts into ``target`` (written beside it, then renamed)."""
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for suffix in SHAPEFILE_PARTS:
            part = shp.with_suffix(suffix)
            if part.exists():
                archive.write(part, part.name)
    partial.replace(target)


def result_columns(
    rows, patch_ids: list[str], layers: list[str]
) -> dict[str, np.ndarray]:
    """Turn overlap rows into columns per layer: m², 亩 (2 decimals), share, feature ids.

    Column names are ``<layer>_M2``, ``<layer>_MU``, ``<layer>_ZB`` (share, 4 decimals)
    and ``<layer>_ID`` (ids joined with ';'); patches without overlap get 0 and ''.
    """
    where = {pid: i for i, pid in enumerate(patch_ids)}
    out: dict[str, np.ndarray] = {}
    for layer in layers:
        m2, mu, share = (np.zeros(len(patch_ids)) for _ in range(3))
        ids = np.full(len(patch_ids), "", dtype=object)
        for row in (r for r in rows if r.layer == layer):
            i = where[row.patch_id]
            m2[i], mu[i], share[i] = (
                round(row.overlap_m2, 2),
                round(row.overlap_mu, 2),
                round(row.share, 4),
            )
            ids[i] = ";".join(row.feature_ids)
        out.update(
            {
                f"{layer}_M2": m2,
                f"{layer}_MU": mu,
                f"{layer}_ZB": share,
                f"{layer}_ID": ids,
            }
        )
    return out

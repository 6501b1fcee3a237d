"""One outline (a project's extent) from what an applicant hands in, as GeoJSON.

A permit window receives the extent of a project as a zipped shapefile, a KML from
Google Earth or 奥维, a GeoJSON, or a surveyor's coordinate table (界址点坐标表,
CSV or Excel). Files go through the layer reader every import uses (``read``: the
same formats, zip limits, CRS and geometry checks, Chinese messages); a table is
read here. The result is a Polygon or MultiPolygon in CGCS2000 lon/lat (EPSG:4490),
the system the platform stores outlines in. Pure: no Django.

A coordinate table holds one ring, its points in order (the first point repeated
at the end or not). Its columns are found by name: 经度/纬度 or lon/lat in degrees;
X/Y (or 北坐标/东坐标) in CGCS2000 3-degree Gauss–Krüger metres. Chinese surveying
writes X for the northing and Y for the easting; which is which is read from the
values, not the names (a northing here is millions of metres, an easting with its
zone prefix tens of millions). An easting without the zone prefix does not say its
zone, so it is refused with the fix.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

from fazhi.monitoring.gis import crs as crs_mod
from fazhi.monitoring.gis.archive import DEFAULT_LIMITS, ArchiveLimits
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.gis.geometry import polygonal_problems
from fazhi.monitoring.gis.read import read

TABLE_SUFFIXES = (".csv", ".xlsx")
OUTLINE_SUFFIXES = (".zip", ".kml", ".geojson", ".json", ".gpkg", *TABLE_SUFFIXES)
LON_NAMES = ("经度", "lon", "lng", "longitude")
LAT_NAMES = ("纬度", "lat", "latitude")
X_NAMES = ("x", "x坐标", "北坐标", "纵坐标", "x(北)")
Y_NAMES = ("y", "y坐标", "东坐标", "横坐标", "y(东)")
ACCEPTED = "压缩的 Shapefile（.zip）、KML、GeoJSON、GeoPackage，或坐标表（.csv、.xlsx）"


def outline_read(path: str | Path, *, shown: str | None = None,
                 limits: ArchiveLimits = DEFAULT_LIMITS,
                 workdir: str | Path | None = None) -> dict:
    """Read the outline in ``path`` as a GeoJSON geometry in EPSG:4490 lon/lat.

    ``shown`` is the file's name as the person chose it (for messages). Raises
    GisError saying what is wrong and how to fix it.
    """
    path = Path(path)
    name = shown or path.name
    suffix = Path(name).suffix.lower()
    if suffix not in OUTLINE_SUFFIXES:
        raise GisError(f"不支持的文件类型，请上传{ACCEPTED}", path=name)
    if suffix in TABLE_SUFFIXES:
        geom, epsg = _from_table(path, suffix, name)
    else:
        data = read(path, limits=limits, workdir=workdir)
        geom, epsg = shapely.union_all(data.geoms), data.crs
    return _as_lonlat(geom, epsg, name)


def _as_lonlat(geom, epsg: int, name: str) -> dict:
    problems = polygonal_problems(["范围"], np.array([geom], dtype=object))
    if problems:
        raise GisError(f"项目范围不是有效的面：{problems[0][1]}", path=name)
    crs_mod.check_plausible(tuple(shapely.bounds(geom)), epsg, path=name)
    lonlat = crs_mod.transform(np.array([geom], dtype=object), epsg, 4490)[0]
    return mapping(shapely.set_precision(lonlat, 1e-8))


# --- coordinate tables ----------------------------------------------------------------


def _from_table(path: Path, suffix: str, name: str):
    rows = _xlsx_rows(path, name) if suffix == ".xlsx" else _csv_rows(path, name)
    header, body = _header(rows, name)
    lon, lat = _column(header, LON_NAMES), _column(header, LAT_NAMES)
    if lon is not None and lat is not None:
        points = _numbers(body, lon, lat, name)
        return _ring(points, name), 4490
    x, y = _column(header, X_NAMES), _column(header, Y_NAMES)
    if x is None or y is None:
        raise GisError("坐标表须有“经度、纬度”两列，或“X、Y”两列（CGCS2000 高斯投影，米）",
                       path=name)
    points = _numbers(body, x, y, name)
    east_north, epsg = _gauss_kruger(points, name)
    return _ring(east_north, name), epsg


def _csv_rows(path: Path, name: str) -> list[list[str]]:
    raw = path.read_bytes()
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise GisError("坐标表的文字编码无法识别，请另存为 UTF-8 或 GBK 的 CSV", path=name)
    return [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]


def _xlsx_rows(path: Path, name: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise GisError("无法打开该 Excel 文件，请确认是 .xlsx 格式且未损坏", path=name) from exc
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    book.close()
    return [row for row in rows if any(c.strip() for c in row)]


def _header(rows: list[list[str]], name: str):
    if len(rows) < 2:
        raise GisError("坐标表是空的：第一行为列名，其后每行一个界址点", path=name)
    header = ["".join(c.split()).lower().replace("（", "(").replace("）", ")")
              for c in rows[0]]
    return header, rows[1:]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if h in names), None)


def _numbers(body, a: int, b: int, name: str) -> np.ndarray:
    points = []
    for n, row in enumerate(body, start=2):
        try:
            points.append((float(row[a].replace(",", "")), float(row[b].replace(",", ""))))
        except (IndexError, ValueError):
            raise GisError(f"第 {n} 行的坐标不是数字，请检查", path=name) from None
    return np.array(points, dtype=float)


def _gauss_kruger(points: np.ndarray, name: str) -> tuple[np.ndarray, int]:
    """(easting, northing) and the zone's EPSG code, whichever column held which."""
    first, second = points[:, 0], points[:, 1]
    easting_first = first.min() > 10_000_000  # an easting with its zone prefix
    east, north = (first, second) if easting_first else (second, first)
    if east.min() < 10_000_000:
        raise GisError("坐标表的东坐标（Y）须带 3 度带带号（如 38512345.67），"
                       "否则无法确定所在投影带；或改用经纬度", path=name)
    zones = np.unique((east // 1_000_000).astype(int))
    if len(zones) != 1 or not crs_mod.is_supported(crs_mod.prefixed_code(int(zones[0]))):
        raise GisError("坐标表的东坐标带号不一致或不是 CGCS2000 3 度带（25–45 带）",
                       path=name)
    return np.column_stack([east, north]), crs_mod.prefixed_code(int(zones[0]))


def _ring(points: np.ndarray, name: str):
    if len(points) and np.array_equal(points[0], points[-1]):
        points = points[:-1]
    if len(points) < 3:
        raise GisError("坐标表至少要有三个不同的界址点才能围成范围", path=name)
    return shapely.Polygon(points)

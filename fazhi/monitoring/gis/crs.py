"""CGCS2000 coordinate systems: recognise them, check coordinates, choose the area zone.

Supported: EPSG:4490 (CGCS2000 geographic), EPSG:4326 (WGS 84, what a GeoJSON without a
``crs`` member means; within centimetres of CGCS2000) and the CGCS2000 3-degree
Gauss–Krüger zones, with the zone number prefixed to x (EPSG:4513–4533, zones 25–45) and
without it (EPSG:4534–4554, central meridians 75°E…135°E). Areas are only ever computed
in a Gauss–Krüger zone (m²): :class:`Projected` refuses a geographic CRS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyproj
import shapely

from fazhi.monitoring.gis.archive import siblings
from fazhi.monitoring.gis.errors import GisError

GEOGRAPHIC = frozenset({4490, 4326})
PREFIXED_FIRST, PREFIXED_LAST = 4513, 4533  # zones 25..45, x = zone * 1e6 + 500 km
PLAIN_FIRST, PLAIN_LAST = 4534, 4554  # central meridians 75..135°E, x = 500 km
FIRST_ZONE, LAST_ZONE = 25, 45
CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)
SUPPORTED_HINT = (
    "EPSG:4490（CGCS2000 经纬度）或 CGCS2000 3 度带高斯投影（EPSG:4513–4554）"
)


def prefixed_code(zone: int) -> int:
    """Return the EPSG code of 3-degree zone ``zone`` with the zone prefix on x."""
    return PREFIXED_FIRST + zone - FIRST_ZONE


def plain_code(zone: int) -> int:
    """Return the EPSG code of 3-degree zone ``zone`` (CM = 3 × zone °E) without prefix."""
    return PLAIN_FIRST + zone - FIRST_ZONE


def zone_of(epsg: int) -> int | None:
    """Return the 3-degree zone number of a Gauss–Krüger code, None for other codes."""
    if PREFIXED_FIRST <= epsg <= PREFIXED_LAST:
        return epsg - PREFIXED_FIRST + FIRST_ZONE
    if PLAIN_FIRST <= epsg <= PLAIN_LAST:
        return epsg - PLAIN_FIRST + FIRST_ZONE
    return None


def is_prefixed(epsg: int) -> bool:
    """Tell whether x of this Gauss–Krüger code carries the zone number (38 500 000)."""
    return PREFIXED_FIRST <= epsg <= PREFIXED_LAST


def is_supported(epsg: int) -> bool:
    """Tell whether fazhi accepts data in this CRS."""
    return epsg in GEOGRAPHIC or zone_of(epsg) is not None


def describe(epsg: int) -> str:
    """Return a short Chinese name of a supported code for messages."""
    if epsg in GEOGRAPHIC:
        return f"EPSG:{epsg}（经纬度）"
    zone = zone_of(epsg)
    if zone is None:
        return f"EPSG:{epsg}"
    kind = (
        f"带号 {zone}，x 含带号"
        if is_prefixed(epsg)
        else f"中央经线 {3 * zone}°E，x 不含带号"
    )
    return f"EPSG:{epsg}（CGCS2000 3 度带，{kind}）"


def parse_stated(stated: str | int, *, path: str | Path | None = None) -> int:
    """Read a CRS the user typed (``EPSG:4547``, ``4547``) and check fazhi supports it."""
    match = re.fullmatch(r"\s*(?:EPSG:)?(\d{4,5})\s*", str(stated), flags=re.IGNORECASE)
    if not match:
        raise GisError(
            f"坐标系“{stated}”无法识别，请写成 EPSG:4547 这样的代码", path=path
        )
    epsg = int(match.group(1))
    if not is_supported(epsg):
        raise GisError(f"不支持坐标系 EPSG:{epsg}，请使用 {SUPPORTED_HINT}", path=path)
    return epsg


def epsg_from_definition(text: str) -> int | None:
    """Return the supported EPSG code a WKT (OGC or ESRI) or ``EPSG:n`` text means."""
    try:
        crs = pyproj.CRS.from_user_input(text.strip())
    except pyproj.exceptions.CRSError:
        return None
    code = crs.to_epsg(min_confidence=70)
    if code is not None and is_supported(code):
        return code
    return _gk_from_parameters(crs)


def _gk_from_parameters(crs: pyproj.CRS) -> int | None:
    """Recognise a CGCS2000 Gauss–Krüger zone by its parameters when no code matches."""
    if "2000" not in (crs.datum.name if crs.datum else ""):
        return None
    if crs.is_geographic:
        return 4490
    op = crs.coordinate_operation
    if not crs.is_projected or op is None or "Mercator" not in op.method_name:
        return None
    params = {p.name: p.value for p in op.params}
    cm = params.get("Longitude of natural origin")
    easting = params.get("False easting")
    if (
        cm is None
        or easting is None
        or cm % 3
        or params.get("Scale factor at natural origin") != 1
    ):
        return None
    zone = int(cm // 3)
    if not FIRST_ZONE <= zone <= LAST_ZONE:
        return None
    if easting == 500000:
        return plain_code(zone)
    return prefixed_code(zone) if easting == zone * 1_000_000 + 500000 else None


def resolve_crs(
    path: str | Path, *, stated: str | int | None = None, reported: str | None = None
) -> int:
    """Return the EPSG code of a dataset: stated by the user, else its .prj or header.

    ``reported`` is what GDAL read from a non-shapefile header (pyogrio's ``crs``).
    A shapefile without a readable ``.prj`` is refused unless the user stated the CRS.
    """
    path = Path(path)
    if stated is not None and str(stated).strip():
        return parse_stated(stated, path=path)
    if path.suffix.lower() == ".shp":
        return _crs_of_prj(path)
    if not reported:
        raise GisError(
            f"文件未声明坐标系，请指定坐标系（如 --crs EPSG:4547），应为 {SUPPORTED_HINT}",
            path=path,
        )
    code = epsg_from_definition(reported)
    if code is None:
        raise GisError(
            f"坐标系不受支持（{_short(reported)}），请先转换为 {SUPPORTED_HINT}，或指定坐标系",
            path=path,
        )
    return code


def _crs_of_prj(shp: Path) -> int:
    """Read a shapefile's ``.prj`` beside it (any letter case)."""
    prj = next((p for p in siblings(shp) if p.suffix.lower() == ".prj"), None)
    if prj is None:
        raise GisError(
            f"缺少坐标系文件 {shp.stem}.prj，请补上该文件，或在导入时指定坐标系（如 EPSG:4547）",
            path=shp,
        )
    text = prj.read_text(encoding="utf-8", errors="replace")
    code = epsg_from_definition(text)
    if code is None:
        raise GisError(
            f"坐标系文件 {prj.name} 无法识别或不是 CGCS2000（{_short(text)}），"
            f"请转换为 {SUPPORTED_HINT}，或在导入时指定坐标系",
            path=shp,
        )
    return code


def _short(text: str) -> str:
    """Cut a CRS definition to its first words for a message."""
    return text.strip()[:60] + ("…" if len(text.strip()) > 60 else "")


def check_plausible(
    bounds: tuple[float, float, float, float], epsg: int, *, path=None
) -> None:
    """Refuse coordinates that contradict the CRS (degrees vs metres, zone prefix, zone).

    ``bounds`` is (minx, miny, maxx, maxy) of the data in the file's own CRS.
    """
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite(bounds)):
        return  # an empty layer has nothing to contradict
    if epsg in GEOGRAPHIC:
        _check_degrees(minx, miny, maxx, maxy, epsg, path)
    else:
        _check_gauss_kruger(minx, miny, maxx, maxy, epsg, path)


def _check_degrees(minx, miny, maxx, maxy, epsg, path) -> None:
    """Check lon/lat lie within China, else say what the numbers look like."""
    lon_ok = CHINA_LON[0] <= minx and maxx <= CHINA_LON[1]
    lat_ok = CHINA_LAT[0] <= miny and maxy <= CHINA_LAT[1]
    if lon_ok and lat_ok:
        return
    hint = ""
    if minx > 1_000_000 and maxx < 50_000_000:
        zone = int(minx // 1_000_000)
        if FIRST_ZONE <= zone <= LAST_ZONE:
            hint = f"；坐标像含带号 {zone} 的高斯投影，应为 EPSG:{prefixed_code(zone)}"
    elif 100_000 < minx and maxx < 900_000:
        hint = "；坐标像不含带号的高斯投影（EPSG:4534–4554），请按中央经线指定，湘潭为 EPSG:4547"
    raise GisError(
        f"坐标系为 {describe(epsg)}，但坐标范围 x {minx:.6g}–{maxx:.6g}、y {miny:.6g}–{maxy:.6g} "
        f"不在中国经纬度范围内{hint}",
        path=path,
    )


def _check_gauss_kruger(minx, miny, maxx, maxy, epsg, path) -> None:
    """Check x carries (or lacks) the zone prefix the code says, and y is in China."""
    zone = zone_of(epsg)
    assert zone is not None
    if maxx <= 180 and minx >= -180 and -90 <= miny and maxy <= 90:
        raise GisError(
            f"坐标系为 {describe(epsg)}，但坐标像经纬度（x {minx:.6g}–{maxx:.6g}），应为 EPSG:4490",
            path=path,
        )
    if not (0 <= miny and maxy <= 6_100_000):
        raise GisError(
            f"坐标系为 {describe(epsg)}，但 y {miny:.0f}–{maxy:.0f} 不在中国范围内",
            path=path,
        )
    data_zone = int(minx // 1_000_000)
    if is_prefixed(epsg):
        if data_zone == zone and int(maxx // 1_000_000) == zone:
            return
        if maxx < 1_000_000:
            raise GisError(
                f"坐标系为 {describe(epsg)}，但 x 值（{minx:.0f}–{maxx:.0f}）不含带号，"
                f"应为 EPSG:{plain_code(zone)}（中央经线 {3 * zone}°E，不含带号）",
                path=path,
            )
        raise GisError(_wrong_zone(epsg, data_zone, minx, maxx), path=path)
    if maxx < 1_000_000 and minx >= 0:
        return
    if FIRST_ZONE <= data_zone <= LAST_ZONE:
        raise GisError(
            f"坐标系为 {describe(epsg)}，但 x 值（{minx:.0f}–{maxx:.0f}）含带号 {data_zone}，"
            f"应为 EPSG:{prefixed_code(data_zone)}（带号 {data_zone}，x 含带号）",
            path=path,
        )
    raise GisError(
        f"坐标系为 {describe(epsg)}，但 x 值 {minx:.0f}–{maxx:.0f} 不合理", path=path
    )


def _wrong_zone(epsg: int, data_zone: int, minx: float, maxx: float) -> str:
    """Say that x carries another zone number than the code."""
    hint = (
        f"，应为 EPSG:{prefixed_code(data_zone)}"
        if FIRST_ZONE <= data_zone <= LAST_ZONE
        else ""
    )
    return f"坐标系为 {describe(epsg)}，但 x 值（{minx:.0f}–{maxx:.0f}）的带号是 {data_zone}{hint}"


def area_crs_for(geoms: np.ndarray, epsg: int) -> int:
    """Return the projected CRS to compute areas (m²) of ``geoms`` given in ``epsg``.

    Gauss–Krüger data stay in their own zone. Geographic data get the 3-degree zone of
    their centroid's longitude (zone = round(lon / 3)), without the x prefix — never one
    fixed zone, so data from another county or province get their own.
    """
    if zone_of(epsg) is not None:
        return epsg
    if epsg not in GEOGRAPHIC:
        raise GisError(f"不支持坐标系 EPSG:{epsg}，请使用 {SUPPORTED_HINT}")
    minx, _, maxx, _ = shapely.total_bounds(geoms)
    if not np.isfinite(minx):
        raise GisError("没有可用的几何，无法确定投影带")
    zone = round((minx + maxx) / 2 / 3)
    if not FIRST_ZONE <= zone <= LAST_ZONE:
        raise GisError(f"数据中心经度 {(minx + maxx) / 2:.3f}°E 不在中国 3 度带范围内")
    return plain_code(zone)


def transform(geoms: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Return ``geoms`` converted from EPSG ``src`` to EPSG ``dst`` (x = east, y = north)."""
    if src == dst:
        return geoms
    tr = pyproj.Transformer.from_crs(src, dst, always_xy=True)
    return shapely.transform(
        geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
    )


@dataclass(frozen=True)
class Projected:
    """Geometries in a projected Gauss–Krüger CRS: the only kind areas come from."""

    geoms: np.ndarray
    epsg: int

    def __post_init__(self) -> None:
        if zone_of(self.epsg) is None:
            raise GisError(
                f"面积只能在投影坐标系（CGCS2000 3 度带）中计算，EPSG:{self.epsg} 不是；"
                "请先用 crs.project() 转换"
            )

    def areas_m2(self) -> np.ndarray:
        """Return each geometry's area in m²."""
        return shapely.area(self.geoms)


def project(geoms: np.ndarray, epsg: int, *, to: int | None = None) -> Projected:
    """Return ``geoms`` (in ``epsg``) in ``to`` or their own area CRS, ready for areas."""
    dst = to if to is not None else area_crs_for(geoms, epsg)
    return Projected(transform(geoms, epsg, dst), dst)


def area_m2(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Return areas in m²; raise for a geographic CRS, where an area means nothing legal."""
    return Projected(geoms, epsg).areas_m2()

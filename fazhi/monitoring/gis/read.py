"""Read delivered layers (GeoJSON, GeoPackage, FlatGeobuf, KML, Shapefile, zipped shapefile).

Reading goes through ``pyogrio.raw`` only (no geopandas at run time). A layer is opened
once (format, fields, encoding, CRS, id field), then read whole (:func:`read`) or chunk
by chunk (:meth:`Layer.chunks`, for a province's parcels). Only polygon layers are
accepted; geometries come back in the file's own CRS.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from pyogrio import raw

from fazhi.monitoring.gis import crs as crs_mod
from fazhi.monitoring.gis import encoding as enc
from fazhi.monitoring.gis.archive import (
    DEFAULT_LIMITS,
    EXTRACT_PREFIX,
    ArchiveLimits,
    check_shapefile_parts,
    find_datasets,
    safe_extract,
)
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.gis.geometry import polygonal_problems, repair_polygonal

FORMATS = {
    ".shp": "ESRI Shapefile",
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
    ".kml": "KML",  # Google Earth and 奥维 outlines: WGS 84 lon/lat by the format
}
CHUNK = 200_000
PREVIEW_ROWS = 10
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Chunk:
    """A run of consecutive features: ids, attribute columns, geometries (file CRS)."""

    start: int
    ids: list[str]
    attrs: dict[str, np.ndarray]
    geoms: np.ndarray


@dataclass
class Layer:
    """An opened dataset: what a file holds, before its geometries are read."""

    path: Path
    shown: Path
    format: str
    feature_count: int
    fields: list[str]
    field_types: list[str]
    text_fields: list[str]
    codec: str
    encoding_source: str
    geometry_type: str
    epsg: int | None = None
    crs_problem: str | None = None
    id_field: str | None = None
    raw_names: dict[str, str] = field(
        default_factory=dict
    )  # decoded → as pyogrio reads

    def decode_names(self) -> None:
        """Decode a shapefile's field names (stored in the .dbf's codec too)."""
        if self.format != "ESRI Shapefile":
            self.raw_names = {f: f for f in self.fields}
            return
        names = enc.decode_column(
            np.array(self.fields, dtype=object), self.codec, path=self.shown, name="名"
        )
        self.raw_names = dict(zip(names, self.fields, strict=True))
        self.text_fields = [
            n for n, r in self.raw_names.items() if r in self.text_fields
        ]
        self.fields = list(names)

    @property
    def encoding(self) -> str:
        """Return the encoding's usual name (GBK, UTF-8)."""
        return enc.display_name(self.codec)

    def chunks(self, size: int = CHUNK, *, geometry: bool = True) -> Iterator[Chunk]:
        """Yield the features ``size`` at a time, text decoded, ids assigned."""
        for start in range(0, max(self.feature_count, 1), size):
            chunk = self._read(start, size, geometry)
            if chunk is not None:
                yield chunk

    def _read(self, start: int, size: int, geometry: bool) -> Chunk | None:
        """Read one chunk through pyogrio."""
        codec = enc.RAW if self.format == "ESRI Shapefile" else None
        try:
            meta, _, wkb, data = raw.read(
                self.path,
                encoding=codec,
                skip_features=start,
                max_features=size,
                read_geometry=geometry,
                force_2d=True,
                datetime_as_string=True,
            )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise GisError(
                f"读取失败（{exc}），请确认文件完整", path=self.shown
            ) from exc
        if not len(data) and wkb is None:
            return None
        attrs = self._attrs(meta["fields"], data, decode=True)
        n = len(wkb) if wkb is not None else len(next(iter(attrs.values()), []))
        geoms = shapely.from_wkb(wkb) if wkb is not None else np.empty(0, dtype=object)
        return Chunk(start, self._ids(attrs, start, n), attrs, geoms)

    def _attrs(self, names, data, *, decode: bool) -> dict[str, np.ndarray]:
        """Key columns by their decoded names, decoding text unless told not to."""
        back = {r: n for n, r in self.raw_names.items()} or {n: n for n in names}
        return {
            back[r]: self._decode(back[r], col) if decode else col
            for r, col in zip(names, data, strict=True)
        }

    def _decode(self, name: str, column: np.ndarray) -> np.ndarray:
        """Decode a shapefile's text column from its Latin-1 view."""
        if self.format != "ESRI Shapefile" or name not in self.text_fields:
            return column
        return enc.decode_column(column, self.codec, path=self.shown, name=name)

    def _ids(self, attrs: dict[str, np.ndarray], start: int, n: int) -> list[str]:
        """Return the feature ids: the id field's values, else the feature index."""
        if self.id_field is None:
            return [str(i) for i in range(start, start + n)]
        return [_id_text(v) for v in attrs[self.id_field]]

    def column(self, name: str) -> np.ndarray:
        """Return one attribute column for all features (no geometry read)."""
        parts = [c.attrs[name] for c in self._columns([name])]
        return np.concatenate(parts) if parts else np.empty(0, dtype=object)

    def _columns(self, names: list[str], *, decode: bool = True) -> Iterator[Chunk]:
        """Yield chunks of the named columns only (Latin-1 views unless ``decode``)."""
        codec = enc.RAW if self.format == "ESRI Shapefile" else None
        for start in range(0, self.feature_count, CHUNK * 5):
            meta, _, _, data = raw.read(
                self.path,
                encoding=codec,
                columns=[self.raw_names.get(n, n) for n in names],
                read_geometry=False,
                skip_features=start,
                max_features=CHUNK * 5,
                datetime_as_string=True,
            )
            attrs = self._attrs(meta["fields"], data, decode=decode)
            yield Chunk(start, [], attrs, np.empty(0, dtype=object))


def _id_text(value) -> str:
    """Return an id value as text (integers without '.0')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@contextmanager
def dataset(
    path: str | Path,
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    workdir: str | Path | None = None,
) -> Iterator[Path]:
    """Yield the dataset file to read: the file itself, or the one inside a zip.

    A zip is unpacked within ``limits`` into a working folder under ``workdir`` (the
    system's temporary folder if None), removed when the block ends.
    """
    path = Path(path)
    if not path.exists():
        raise GisError("文件不存在，请检查路径", path=path)
    if path.suffix.lower() != ".zip":
        _check_format(path)
        yield path
        return
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=EXTRACT_PREFIX, dir=workdir) as tmp:
        safe_extract(path, tmp, limits=limits)
        found = find_datasets(tmp)
        if len(found) != 1:
            names = "、".join(p.name for p in found) or "无"
            raise GisError(
                f"压缩包内应恰好有一个图层，实际为：{names}；请每个图层单独打包",
                path=path,
            )
        yield found[0]


def _check_format(path: Path) -> None:
    """Refuse a file type fazhi does not read, and a shapefile missing its parts."""
    if path.suffix.lower() not in FORMATS:
        raise GisError(
            "不支持的文件类型，请上传 Shapefile（.shp 或 .zip）、GeoPackage、GeoJSON、"
            "FlatGeobuf 或 KML",
            path=path,
        )
    if path.suffix.lower() == ".shp":
        check_shapefile_parts(path)


def open_layer(
    path: Path,
    *,
    shown: Path | None = None,
    encoding: str | None = None,
    crs: str | int | None = None,
    id_field: str | None = None,
    strict: bool = True,
    choose_id: bool = True,
) -> Layer:
    """Open a dataset file: format, fields, encoding, CRS and id field.

    With ``strict`` a CRS problem raises; otherwise it is kept in ``crs_problem``.
    Without ``choose_id`` no column is read: a named id field is only looked up (its
    values are checked where they are read), and no name means the FID is the id.
    A file without a single feature is refused: it would land as a layer or batch
    in which every later overlay silently finds nothing.
    """
    shown = shown or path
    info = _info(path, shown)
    layer = _layer_from_info(path, shown, info)
    refuse_empty(layer.feature_count, shown)
    _check_polygonal(layer)
    layer.codec, layer.encoding_source = _encoding(layer, encoding)
    layer.decode_names()
    try:
        layer.epsg = crs_mod.resolve_crs(path, stated=crs, reported=info.get("crs"))
        bounds = info.get("total_bounds")
        if bounds is not None:
            crs_mod.check_plausible(tuple(bounds), layer.epsg, path=shown)
    except GisError as exc:
        if strict:
            raise
        layer.crs_problem = str(exc)
    if choose_id:
        layer.id_field = choose_id_field(layer, id_field)
    elif id_field:
        layer.id_field = _named_field(layer, id_field)
    return layer


def _info(path: Path, shown: Path) -> dict:
    """Read the dataset's header, refusing a multi-layer GeoPackage."""
    try:
        layers = pyogrio.list_layers(path)
        if len(layers) > 1:
            names = "、".join(str(n) for n, _ in layers)
            raise GisError(
                f"文件含多个图层（{names}），请每个图层单独导出后上传", path=shown
            )
        codec = enc.RAW if path.suffix.lower() == ".shp" else None
        return pyogrio.read_info(
            path, encoding=codec, force_feature_count=True, force_total_bounds=True
        )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise GisError(
            f"无法打开（{exc}），请确认文件完整且格式正确", path=shown
        ) from exc


def _layer_from_info(path: Path, shown: Path, info: dict) -> Layer:
    """Build the Layer description from pyogrio's info."""
    fields = [str(f) for f in info["fields"]]
    types = list(info.get("ogr_types") or ["OFTString"] * len(fields))
    text = [f for f, t in zip(fields, types, strict=True) if t == "OFTString"]
    return Layer(
        path=path,
        shown=shown,
        format=info.get("driver") or FORMATS[path.suffix.lower()],
        feature_count=int(info["features"]),
        fields=fields,
        field_types=types,
        text_fields=text,
        codec=enc.UTF8,
        encoding_source="format",
        geometry_type=str(info.get("geometry_type") or "Unknown"),
    )


def _check_polygonal(layer: Layer) -> None:
    """Refuse a layer of points or lines: only polygons have areas."""
    kind = layer.geometry_type
    if "Polygon" in kind or kind.startswith("Unknown"):
        return
    raise GisError(
        f"图层几何类型为 {kind}，只接受面（Polygon/MultiPolygon）图层", path=layer.shown
    )


def _encoding(layer: Layer, stated: str | None) -> tuple[str, str]:
    """Return (codec, source): stated, the .cpg, detected, or the format's own."""
    if stated:
        return enc.normalise(stated, path=layer.shown), "stated"
    if layer.format != "ESRI Shapefile":
        return (
            enc.UTF8,
            "format",
        )  # GeoPackage, GeoJSON and FlatGeobuf are UTF-8 by spec
    cpg = enc.read_cpg(layer.path)
    if cpg is not None:
        return cpg, "cpg"
    detector = enc.Detector()
    detector.feed([np.array(layer.fields, dtype=object)])
    if layer.text_fields:
        for chunk in layer._columns(layer.text_fields, decode=False):
            detector.feed(chunk.attrs.values())
    return detector.result(layer.shown), "detected"


def choose_id_field(layer: Layer, requested: str | None) -> str | None:
    """Return the id field: the one asked for, else the first unique integer/text field."""
    if requested:
        _named_field(layer, requested)
        refuse_bad_ids(layer.column(requested), requested, layer.shown)
        return requested
    for name, kind in zip(layer.fields, layer.field_types, strict=True):
        if kind in ("OFTInteger", "OFTInteger64", "OFTString") and _unique(
            layer.column(name)
        ):
            return name
    return None


def _named_field(layer: Layer, name: str) -> str:
    """Return ``name`` if the layer has such a field; refuse it otherwise."""
    if name not in layer.fields:
        names = "、".join(layer.fields)
        raise GisError(f"没有字段 {name}，可选字段：{names}", path=layer.shown)
    return name


def refuse_bad_ids(values: np.ndarray, field: str, shown: Path) -> None:
    """Refuse an id field whose values (those read) repeat or are empty."""
    if not _unique(values):
        raise GisError(
            f"字段 {field} 的值有重复或空值，不能作为编号字段，请换一个字段",
            path=shown,
        )


def _unique(values: np.ndarray) -> bool:
    """Tell whether a column has no empty and no repeated value."""
    if values.dtype != object:
        return len(np.unique(values)) == len(values)
    texts = [_id_text(v) for v in values if v is not None]
    return (
        len(texts) == len(values) and "" not in texts and len(set(texts)) == len(texts)
    )


@dataclass
class Inspection:
    """What a user confirms before an import: format, encoding, preview, CRS, problems."""

    format: str
    feature_count: int
    fields: list[str]
    encoding: str
    encoding_source: str  # "cpg", "detected", "stated" or "format"
    preview: list[dict[str, object]]
    crs: int | None
    crs_problem: str | None
    id_field: str | None
    geometry_type: str
    problems: list[tuple[str, str]] = field(default_factory=list)


def inspect(
    path: str | Path,
    *,
    encoding: str | None = None,
    crs: str | int | None = None,
    id_field: str | None = None,
    progress: Progress | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    workdir: str | Path | None = None,
) -> Inspection:
    """Describe a file for the user to confirm: decoded preview, CRS, bad geometries."""
    with dataset(path, limits=limits, workdir=workdir) as real:
        layer = open_layer(
            real,
            shown=Path(path),
            encoding=encoding,
            crs=crs,
            id_field=id_field,
            strict=False,
        )
        preview: list[dict[str, object]] = []
        problems: list[tuple[str, str]] = []
        for chunk in layer.chunks():
            if len(preview) < PREVIEW_ROWS:
                preview += _rows(chunk, PREVIEW_ROWS - len(preview))
            problems += polygonal_problems(chunk.ids, chunk.geoms)
            _report(progress, "检查", chunk.start + len(chunk.ids), layer.feature_count)
    return Inspection(
        format=layer.format,
        feature_count=layer.feature_count,
        fields=layer.fields,
        encoding=layer.encoding,
        encoding_source=layer.encoding_source,
        preview=preview,
        crs=layer.epsg,
        crs_problem=layer.crs_problem,
        id_field=layer.id_field,
        geometry_type=layer.geometry_type,
        problems=problems,
    )


def _rows(chunk: Chunk, n: int) -> list[dict[str, object]]:
    """Return the first ``n`` rows of a chunk as dicts (for a preview)."""
    count = min(n, len(chunk.ids))
    return [{k: _plain(v[i]) for k, v in chunk.attrs.items()} for i in range(count)]


def _plain(value):
    """Return a numpy scalar as a plain Python value."""
    return value.item() if isinstance(value, np.generic) else value


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Tell the caller how far we are, if it asked."""
    if progress is not None:
        progress(stage, done, total)


@dataclass
class LayerData:
    """A whole layer in memory: ids, attribute columns, geometries in the source CRS."""

    ids: list[str]
    attrs: dict[str, np.ndarray]
    geoms: np.ndarray
    crs: int
    encoding: str
    fields: list[str]
    field_types: list[str]
    id_field: str | None = None
    repaired: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, i: int) -> dict[str, object]:
        """Return feature ``i``'s attributes as a dict."""
        return {k: _plain(v[i]) for k, v in self.attrs.items()}


def read(
    path: str | Path,
    *,
    encoding: str | None = None,
    crs: str | int | None = None,
    id_field: str | None = None,
    invalid: str = "reject",
    progress: Progress | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    workdir: str | Path | None = None,
) -> LayerData:
    """Read a whole polygon layer; bad geometries raise, or are repaired with ``repair``.

    ``invalid="reject"`` raises a GisError listing every bad feature (id, reason);
    ``invalid="repair"`` applies make_valid, keeps the polygonal parts, drops empty
    features, and lists what it did in ``repaired``. A layer with no feature (left)
    is refused (see :func:`open_layer`); ``limits`` and ``workdir`` as in
    :func:`dataset`.
    """
    if invalid not in ("reject", "repair"):
        raise ValueError(f"invalid must be 'reject' or 'repair', not {invalid!r}")
    with dataset(path, limits=limits, workdir=workdir) as real:
        layer = open_layer(
            real, shown=Path(path), encoding=encoding, crs=crs, id_field=id_field
        )
        chunks = []
        for chunk in layer.chunks():
            chunks.append(chunk)
            _report(progress, "读取", chunk.start + len(chunk.ids), layer.feature_count)
    data = _concat(chunks, layer)
    data = check_geometries(data, invalid=invalid, shown=Path(path))
    refuse_empty(len(data), Path(path), repaired=bool(data.repaired))
    return data


def refuse_empty(count: int, shown: Path, *, repaired: bool = False) -> None:
    """Refuse a layer without a single feature (left after repair, if ``repaired``)."""
    if count:
        return
    if repaired:
        raise GisError(
            "自动修复后没有剩下任何有效的面要素，不能导入；"
            "请在 GIS 软件中修复后重新上传",
            path=shown,
        )
    raise GisError(
        "文件中没有任何要素（0 个图斑或地块），不能导入；"
        "请确认导出的是含有数据的图层后重新上传",
        path=shown,
    )


def _concat(chunks: list[Chunk], layer: Layer) -> LayerData:
    """Join chunks into one LayerData."""
    ids = [i for c in chunks for i in c.ids]
    attrs = {
        name: np.concatenate([c.attrs[name] for c in chunks])
        if chunks
        else np.empty(0, dtype=object)
        for name in layer.fields
    }
    geoms = (
        np.concatenate([c.geoms for c in chunks])
        if chunks
        else np.empty(0, dtype=object)
    )
    assert layer.epsg is not None
    return LayerData(
        ids=ids,
        attrs=attrs,
        geoms=geoms,
        crs=layer.epsg,
        encoding=layer.encoding,
        fields=layer.fields,
        field_types=layer.field_types,
        id_field=layer.id_field,
    )


def check_geometries(data: LayerData, *, invalid: str, shown: Path) -> LayerData:
    """Reject or repair the layer's bad geometries (see :func:`read`)."""
    problems = polygonal_problems(data.ids, data.geoms)
    if not problems:
        return data
    if invalid == "reject" or any(
        reason.startswith("不是面") for _, reason in problems
    ):
        raise GisError(_problem_text(problems), path=shown)
    geoms, keep, repaired = repair_polygonal(data.ids, data.geoms)
    return _subset(data, geoms, keep, repaired)


def _problem_text(problems: list[tuple[str, str]]) -> str:
    """Say which features are bad and why, and what to do."""
    shown = "；".join(f"{fid}：{reason}" for fid, reason in problems[:20])
    more = f" 等 {len(problems)} 个" if len(problems) > 20 else ""
    return (f"有 {len(problems)} 个要素几何无效（{shown}{more}），"
            "请在 GIS 软件中修复，或选择自动修复后重试")


def _subset(
    data: LayerData, geoms: np.ndarray, keep: np.ndarray, repaired
) -> LayerData:
    """Return the layer with repaired geometries and without the dropped features."""
    return LayerData(
        ids=[i for i, k in zip(data.ids, keep, strict=True) if k],
        attrs={k: v[keep] for k, v in data.attrs.items()},
        geoms=geoms[keep],
        crs=data.crs,
        encoding=data.encoding,
        fields=data.fields,
        field_types=data.field_types,
        id_field=data.id_field,
        repaired=repaired,
    )

"""Results of a batch in the delivered structure, ready to report upward.

The delivered attributes come first, in the delivered order and names; the check
results follow in short field names (Shapefile fields hold at most 10 bytes).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse

from fazhi.core.exports import XLSX, attachment, xlsx_bytes
from fazhi.monitoring.models import LayerKind, PatchBatch

# Overlap area (m²) per layer kind, in the export.
AREA_FIELDS = {
    LayerKind.BASIC_FARMLAND: "JBNTMJ", LayerKind.FARMLAND: "GDMJ",
    LayerKind.ECO_REDLINE: "STHXMJ", LayerKind.DEV_BOUNDARY: "KFBJMJ",
    LayerKind.APPROVED_LAND: "PDMJ", LayerKind.MINING_RIGHT: "CKMJ",
    LayerKind.LAND_SURVEY: "DCMJ",
}
RESULT_FIELDS = [
    ("YPJG", "预判结果"), ("PDJG", "判定结果"), ("HFYJ", "合法依据文号"),
    ("PDSM", "判定说明"), ("PDRQ", "判定日期"), ("HCZT", "核查状态"),
    ("XSBH", "违法线索编号"), ("ZGZT", "整改状态"),
] + [(f, f"{LayerKind(k).label}重叠面积（平方米）") for k, f in AREA_FIELDS.items()]
PREJUDGEMENT_WORDS = {"probably_legal": "疑似合法", "suspected_illegal": "疑似违法",
                      "needs_check": "待核实"}


def _results(batch: PatchBatch):
    from fazhi.monitoring.services import verdict_kinds

    words = {k: v.label for k, v in verdict_kinds().items()}
    patches = batch.patches.select_related("lead").prefetch_related(
        "overlaps__layer_version__layer", "rectifications").order_by("code")
    for p in patches.iterator(chunk_size=500):
        areas = dict.fromkeys(AREA_FIELDS.values(), 0.0)
        for ov in p.overlaps.all():
            field = AREA_FIELDS[ov.layer_version.layer.kind]
            areas[field] = round(areas[field] + ov.overlap_m2, 2)
        rect = next(iter(p.rectifications.all()), None)
        yield p, {
            "YPJG": PREJUDGEMENT_WORDS.get(p.prejudgement, ""),
            "PDJG": words.get(p.verdict, p.verdict), "HFYJ": p.verdict_basis,
            "PDSM": p.verdict_note[:254],
            "PDRQ": p.verdict_on.isoformat() if p.verdict_on else "",
            "HCZT": p.get_state_display(), "XSBH": p.lead.number if p.lead else "",
            "ZGZT": rect.get_state_display() if rect else "", **areas}


def _delivered(batch: PatchBatch) -> list[str]:
    names = [f["name"] for f in batch.fields]
    return names or sorted({k for p in batch.patches.all()[:1] for k in p.attrs})


def batch_xlsx(batch: PatchBatch) -> bytes:
    names = _delivered(batch)
    headers = names + [label for _, label in RESULT_FIELDS]
    rows = ([p.attrs.get(n) for n in names] + [r[f] for f, _ in RESULT_FIELDS]
            for p, r in _results(batch))
    return xlsx_bytes(f"{batch.code}核查结果", headers, rows)


def batch_export_response(batch: PatchBatch, fmt: str) -> HttpResponse:
    """Send the batch's results as .xlsx, a zipped Shapefile or a GeoPackage."""
    stem = f"{batch.code}核查结果"
    if fmt == "xlsx":
        response = HttpResponse(batch_xlsx(batch), content_type=XLSX)
        name = f"{stem}.xlsx"
    elif fmt in ("shp", "gpkg"):
        path = batch_geodata(batch, fmt, Path(tempfile.mkdtemp(prefix="fazhi-export-")))
        response = FileResponse(path.open("rb"), content_type=(
            "application/zip" if fmt == "shp" else "application/geopackage+sqlite3"))
        name = f"{stem}{'.zip' if fmt == 'shp' else '.gpkg'}"
    else:
        raise Http404("不支持的导出格式")
    return attachment(response, name)


def _column(values: list):
    """A numeric column stays numeric (areas); anything else is text or null."""
    import numpy as np

    if all((isinstance(v, int | float) and not isinstance(v, bool)) or v is None
           for v in values) and any(v is not None for v in values):
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    return np.array(values, dtype=object)


def batch_geodata(batch: PatchBatch, fmt: str, folder: Path) -> Path:
    """Write the batch's outlines, delivered attributes and results to ``folder``."""
    import shapely

    from fazhi.monitoring.gis import write as gis_write

    names = _delivered(batch)
    rows, geoms = [], []
    for p, r in _results(batch):
        rows.append({**{n: p.attrs.get(n) for n in names}, **r})
        geoms.append(shapely.from_wkb(bytes(p.geom_wkb)))
    import numpy as np

    columns = {n: _column([r.get(n) for r in rows]) for n in rows[0]} if rows else {}
    target = folder / f"{batch.code}{'.zip' if fmt == 'shp' else '.gpkg'}"
    gis_write.export(target, np.array(geoms, dtype=object), columns,
                     epsg=batch.crs_epsg)
    return target

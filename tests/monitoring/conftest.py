"""Builders for monitoring tests: small layers and batches near 湘潭县 (EPSG:4547).

Shapes are in CGCS2000 3-degree Gauss–Krüger, central meridian 114°E, without the
zone prefix (x ≈ 391 km, y ≈ 3 080 km is in 湘潭县). Dates are 2025 ones, so the
holiday table is exact.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import shapely
import time_machine

X0, Y0 = 391_000.0, 3_080_000.0
RECEIVED = dt.date(2025, 11, 3)  # a Monday
CHECKED = dt.date(2025, 11, 10)


def on(day: dt.date):
    """Freeze 'today' at 10:00 local time on ``day``."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def box(x: float, y: float, w: float, h: float):
    """A rectangle ``w`` × ``h`` metres whose lower-left corner is (X0 + x, Y0 + y)."""
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def geojson_file(path: Path, features: list[tuple[dict, object]], epsg: int = 4547) -> Path:
    """Write ``features`` [(properties, shapely geometry)] as a GeoJSON file with a CRS."""
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
           "features": [{"type": "Feature", "properties": props,
                         "geometry": shapely.geometry.mapping(geom)}
                        for props, geom in features]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


# Three patches: P1 on basic farmland (100 × 50 m, 60 % on parcel F1), P2 inside the
# approved land A1, P3 touching nothing.
PATCHES = [
    ({"TBBH": "430321202511001", "XZQDM": "430321", "XZQMC": "易俗河镇", "JCMJ": 5000.0},
     box(0, 0, 100, 50)),
    ({"TBBH": "430321202511002", "XZQDM": "430321", "XZQMC": "花石镇", "JCMJ": 2500.0},
     box(1000, 0, 50, 50)),
    ({"TBBH": "430321202511003", "XZQDM": "430321", "XZQMC": "射埠镇", "JCMJ": 400.0},
     box(5000, 5000, 20, 20)),
]
FARMLAND = [({"BH": "F1", "DLMC": "水田"}, box(40, -100, 200, 300)),
            ({"BH": "F2", "DLMC": "旱地"}, box(-300, -300, 100, 100))]
APPROVED = [({"BH": "A1", "PZWH": "湘政地〔2024〕123号"}, box(900, -100, 300, 300))]


def meta(**overrides):
    from fazhi.monitoring.services import BatchMeta

    values = {"code": "WP-2025-11", "period": "2025-10", "source": "satellite",
              "received_on": RECEIVED, "imagery_before": dt.date(2025, 8, 1),
              "imagery_after": dt.date(2025, 10, 15),
              "check_due_on": dt.date(2025, 11, 28)}
    return BatchMeta(**{**values, **overrides})


def import_layer(actor, path: Path, **params):
    from fazhi.monitoring import importing
    from fazhi.monitoring.gis import read

    data = read.read(path, id_field=params.pop("id_field", "BH"))
    return importing.layer_version_create(
        actor=actor, params=params, data=data,
        source={"name": path.name, "sha256": "0" * 64})


def import_batch(actor, path: Path, **overrides):
    from fazhi.monitoring import importing
    from fazhi.monitoring.gis import read

    data = read.read(path, id_field="TBBH")
    return importing.batch_import(actor=actor, meta=meta(**overrides), data=data,
                                  source={"name": path.name, "sha256": "1" * 64})


@pytest.fixture
def officer(people):
    return people["xt_officer"]


@pytest.fixture
def layers(officer, tmp_path):
    """Basic farmland and approved land of 湘潭县, one version each."""
    with on(RECEIVED):
        farm = import_layer(officer, geojson_file(tmp_path / "jbnt.geojson", FARMLAND),
                            kind="basic_farmland", name="永久基本农田")
        appr = import_layer(officer, geojson_file(tmp_path / "pd.geojson", APPROVED),
                            kind="approved_land", name="批准建设用地", key_field="PZWH")
    return {"farmland": farm, "approved": appr}


@pytest.fixture
def batch(officer, layers, tmp_path):
    """A batch of the three PATCHES, overlaid on ``layers``."""
    with on(RECEIVED):
        return import_batch(officer, geojson_file(tmp_path / "tb.geojson", PATCHES))


@pytest.fixture
def patch(batch):
    """P1: on basic farmland, suspected illegal, high priority."""
    return batch.patches.get(code="430321202511001")


@pytest.fixture
def task(patch, officer):
    """A field check of P1 sent to xt_officer."""
    from fazhi.monitoring import services

    with on(RECEIVED):
        return services.task_assign(patch=patch, assignee=officer, actor=officer)

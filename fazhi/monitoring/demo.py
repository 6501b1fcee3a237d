"""Demo data for 湘潭县: synthetic reference layers and one 卫片 batch in every state;
for 湘乡市 one drone flight's patches, two of them sent out and now late.

The shapes come from ``gis.synthetic`` (Voronoi farmland with kinked edges, noisy
red-line zones, approvals and mining rights), written to files and imported through
the same path a bureau's files take; then officers check, judge and rectify some of
the patches on past days (``on_day(day)``, as in the other modules' demos).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import shapely
from django.core.files.base import ContentFile
from django.utils import timezone

from fazhi.core.demo import on_day
from fazhi.core.models import User
from fazhi.monitoring import field, importing, services
from fazhi.monitoring.gis import read, synthetic
from fazhi.monitoring.models import PatchBatch

# Five by four kilometres north of 易俗河镇, where the county seat meets farmland.
EXTENT = (386_000.0, 3_079_000.0, 391_000.0, 3_083_000.0)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"%s" + b"\xff\xd9"
LAYERS = [  # kind, name, id field, key field, validity field
    ("basic_farmland", "永久基本农田", "BSM", "", ""),
    ("farmland", "耕地（非永久基本农田）", "BSM", "", ""),
    ("eco_redline", "生态保护红线", "HXBH", "", ""),
    ("approved_land", "批准建设用地", "PZWH", "PZWH", ""),
    ("mining_right", "采矿权", "XKZH", "XKZH", "YXQZ"),
]
# 湘乡市 lies some 150 km west of 114°E, in the same EPSG:4547 frame: a flight over
# the edge of its city, where no layers of its own are loaded yet.
XX_EXTENT = (352_500.0, 3_067_000.0, 357_500.0, 3_071_000.0)
XX_TOWNS = ("东山街道", "新湘路街道", "山枣镇", "棋梓镇", "月山镇", "泉塘镇")


def _write(path: Path, data: synthetic.Synthetic) -> Path:
    features = [{"type": "Feature", "geometry": shapely.geometry.mapping(g),
                 "properties": {k: _plain(v[i]) for k, v in data.attrs.items()}}
                for i, g in enumerate(data.geoms)]
    path.write_text(json.dumps({
        "type": "FeatureCollection", "features": features,
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}},
    }, ensure_ascii=False), encoding="utf-8")
    return path


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _layers() -> dict[str, synthetic.Synthetic]:
    parcels = synthetic.farmland(2500, seed=11, extent=EXTENT)
    codes = parcels.attrs["DLBM"]
    cultivated = np.flatnonzero(np.isin(codes, ["0101", "0102", "0103"]))
    basic, other = cultivated[cultivated % 3 != 0], cultivated[cultivated % 3 == 0]

    def subset(idx):
        attrs = {k: v[idx] for k, v in parcels.attrs.items()}
        attrs["BSM"] = np.array([f"430321-{i:07d}" for i in idx], dtype=object)
        return synthetic.Synthetic(parcels.geoms[idx], attrs)

    return {"basic_farmland": subset(basic), "farmland": subset(other),
            "eco_redline": synthetic.red_lines(2, seed=12, vertices=1500, extent=EXTENT),
            "approved_land": synthetic.approvals(25, seed=13, extent=EXTENT),
            "mining_right": synthetic.mining_rights(4, seed=14, extent=EXTENT)}


def load(*, prefix: str) -> int:
    """Load the layers and one batch of 40 patches for 湘潭县 (prefix ``xt``), a
    drone flight of six for 湘乡市 (``xx``)."""
    if prefix not in ("xt", "xx"):
        return 0  # the synthetic shapes lie in these two counties only
    officer = User.objects.get(username=f"{prefix}_officer")
    if PatchBatch.objects.filter(org_unit=officer.org_unit).exists():
        return 0
    if prefix == "xx":
        return _flight(officer, timezone.localdate())
    other = User.objects.filter(username=f"{prefix}_officer2").first() or officer
    today = timezone.localdate()
    received = _working_day_before(today, 30)
    layers = _layers()
    with tempfile.TemporaryDirectory(prefix="fazhi-demo-") as tmp, on_day(received):
        for kind, name, id_field, key, valid in LAYERS:
            path = _write(Path(tmp) / f"{kind}.geojson", layers[kind])
            importing.layer_version_create(
                actor=officer, data=read.read(path, id_field=id_field),
                params={"kind": kind, "name": name, "key_field": key,
                        "valid_until_field": valid},
                source={"name": path.name, "sha256": _sha(path)})
        tb = synthetic.patches(40, seed=15, extent=EXTENT,
                               inside=layers["approved_land"],
                               edges=layers["eco_redline"])
        batch = _batch(officer, Path(tmp), tb, services.BatchMeta(
            code=f"430321-{received:%Y%m}-WP", period=f"{received:%Y-%m}",
            source="satellite", source_detail="湘潭市自然资源和规划局转发（演示数据）",
            received_on=received, imagery_before=received - dt.timedelta(days=120),
            imagery_after=received - dt.timedelta(days=20),
            check_due_on=received + dt.timedelta(days=25)))
    _play(batch, officer, other, received, today)
    return batch.patches.count()


def _flight(officer, today: dt.date) -> int:
    """湘乡市's drone flight: six patches, two sent to the officer the day after and
    now past the batch's deadline for the checks, the rest still to send."""
    received = _working_day_before(today, 20)
    tb = synthetic.patches(6, seed=16, extent=XX_EXTENT)
    towns = [XX_TOWNS[i % len(XX_TOWNS)] for i in range(len(tb.geoms))]
    tb.attrs.update(
        TBBH=np.array([f"430381{received:%Y}{i + 1:06d}" for i in range(len(towns))],
                      dtype=object),
        XZQDM=np.full(len(towns), "430381", dtype=object),
        XZQMC=np.array(towns, dtype=object))
    with tempfile.TemporaryDirectory(prefix="fazhi-demo-") as tmp, on_day(received):
        batch = _batch(officer, Path(tmp), tb, services.BatchMeta(
            code=f"430381-{received:%Y%m}-UAV", period=f"{received:%Y-%m}",
            source="drone", source_detail="湘乡市自然资源局无人机巡查（演示数据）",
            received_on=received, check_due_on=received + dt.timedelta(days=10)))
    with on_day(received + dt.timedelta(days=1)):
        for patch in batch.patches.order_by("code")[:2]:
            services.task_assign(patch=patch, assignee=officer, actor=officer)
    return batch.patches.count()


def _batch(officer, tmp: Path, tb: synthetic.Synthetic, meta: services.BatchMeta):
    """Import the patches ``tb`` as a bureau's file of them would be."""
    path = _write(tmp / "patches.geojson", tb)
    return importing.batch_import(actor=officer, data=read.read(path, id_field="TBBH"),
                                  meta=meta, source={"name": path.name,
                                                     "sha256": _sha(path)})


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _working_day_before(day: dt.date, days: int) -> dt.date:
    """A weekday about ``days`` before ``day`` (no deadline hangs on it)."""
    start = day - dt.timedelta(days=days)
    while start.weekday() >= 5:
        start += dt.timedelta(days=1)
    return start


def _play(batch, officer, other, received, today) -> None:
    """Take the high-priority patches furthest: checked, judged, rectified."""
    patches = list(batch.patches.order_by("priority", "code"))
    high = [p for p in patches if p.priority == "high"]
    rest = [p for p in patches if p.priority != "high"]
    assigned = high[:8] + rest[:10]
    assign_day = received + dt.timedelta(days=1)
    check_day = received + dt.timedelta(days=6)
    decide_day = received + dt.timedelta(days=8)
    for i, patch in enumerate(assigned):
        who = officer if i % 2 == 0 else other
        with on_day(assign_day):
            task = services.task_assign(patch=patch, assignee=who, actor=officer,
                                        due_on=batch.check_due_on)
        if i % 3 == 2:
            continue  # still out in the field
        with on_day(check_day):
            _check(task, who, patch, i)
        if i % 3 == 1 and i < 10:
            continue  # waiting for the verdict
        patch.refresh_from_db()
        with on_day(decide_day):
            _decide(patch, officer, i)
    _rectify(batch, officer, decide_day, today)


def _check(task, who, patch, i: int) -> None:
    for n in range(2):
        body = JPEG.replace(b"%s", f"{patch.code}-{n}".encode())
        field.task_photo_add(
            task=task, actor=who, file=ContentFile(body, name=f"现场{n + 1}.jpg"),
            sha256=hashlib.sha256(body).hexdigest(),
            client_uid=f"demo-{patch.code}-{n}", latitude=patch.centroid_lat,
            longitude=patch.centroid_lon + (0.03 if i == 4 and n else 0.0),
            accuracy_m=8.0, heading=90.0 * n,
            taken_at=timezone.now().isoformat())
    use = "在建厂房" if patch.priority == "high" else "硬化场地"
    field.task_submit(task=task, actor=who, findings=f"现场核实：{use}，四至与图斑一致。",
                      observed_use=use)


def _decide(patch, officer, i: int) -> None:
    if patch.prejudgement == "probably_legal":
        key = next((f["key"] for ov in patch.overlaps.all() for f in ov.features
                    if f.get("key")), "")
        if key:
            services.patch_decide(patch=patch, actor=officer, verdict="legal", basis=key)
            return
    if patch.priority == "high" or i % 4 == 0:
        services.patch_decide(patch=patch, actor=officer, verdict="illegal",
                              note="未经批准占用土地建设，现场已责令停止建设。")
    else:
        services.patch_decide(patch=patch, actor=officer, verdict="facility_agri",
                              basis="湘潭县设施农业用地备案〔2025〕17号")


def _rectify(batch, officer, day, today) -> None:
    illegal = list(batch.patches.filter(verdict="illegal").order_by("code")[:2])
    for k, patch in enumerate(illegal):
        with on_day(day):
            rect = services.rectification_order(
                patch=patch, actor=officer, measure="demolish" if k == 0 else "reclaim",
                requirement="限期拆除违法建筑，恢复耕作条件。",
                deadline=day + dt.timedelta(days=30))
        if k == 0 and day + dt.timedelta(days=10) <= today:
            done = day + dt.timedelta(days=10)
            with on_day(done):
                services.rectification_complete(
                    rect=rect, actor=officer, done_on=done, result="违法建筑已拆除，已复耕。",
                    photos=[ContentFile(JPEG.replace(b"%s", b"after"), name="整改后.jpg")])

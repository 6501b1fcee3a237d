"""Monitoring patches of a year's monthly batches: waiting to be sent, out for a
field check, checked, judged, being rectified or rectified."""

from __future__ import annotations

import datetime as dt

from fazhi.core.bulk import insert, with_ids
from fazhi.core.role_names import ENFORCEMENT_OFFICER
from fazhi.monitoring.models import CheckTask, Patch, PatchBatch, Rectification
from fazhi.monitoring.workflow import TABLE
from fazhi.province.context import Fill, spread

START = "pending"
# state → weight over a year: most judged; the recent batches still in the field.
STATES = {"pending": 10, "assigned": 15, "checked": 7, "decided": 45,
          "rectifying": 8, "rectified": 15}
STEPS = {"pending": [], "assigned": ["assign"], "checked": ["assign", "submit"]}
STEPS["decided"] = [*STEPS["checked"], "decide"]
STEPS["rectifying"] = [*STEPS["decided"], "rectify"]
STEPS["rectified"] = [*STEPS["rectifying"], "rectified"]
RECENT = ("pending", "assigned")  # in a batch of the last two months
# The issuing unit's check period and the rectification period an order sets are
# the batch's and the order's own dates, not statute: these are sample values.
CHECK_DAYS, RECTIFY_DAYS = 30, 60
SQUARE = {"type": "Polygon", "coordinates": [[[112.9, 27.8], [112.901, 27.8],
                                              [112.901, 27.801], [112.9, 27.8]]]}


def batches(f: Fill, officer) -> list[PatchBatch]:
    """One batch a month, received on the month's first day."""
    made, day = [], f.first.replace(day=1)
    while day <= f.today:
        made.append(PatchBatch(
            org_unit=f.org, code=f"省演{f.code}-{day:%Y%m}", period=f"{day:%Y-%m}",
            source="satellite", received_on=day,
            check_due_on=day + dt.timedelta(days=CHECK_DAYS),
            source_name=f"{day:%Y%m}.zip", source_sha256="0" * 64, crs_epsg=4490,
            area_epsg=4526, id_field="TBBH", imported_by=officer,
            imported_at=f.at(day)))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return with_ids(PatchBatch, made)


def fill(f: Fill, n: int, *, states: dict[str, int] = STATES, officers=None) -> list:
    """``n`` patches of ``f.org`` in ``states`` (by weight) with their checks and
    orders, checked in turn by ``officers`` (default: the county's)."""
    officers = officers or f.staff[ENFORCEMENT_OFFICER]
    months = batches(f, officers[0])
    recent = [b for b in months
              if b.received_on >= f.today - dt.timedelta(days=60)] or months[-1:]
    for b in months:
        f.event(b, "monitoring.batch_import", f"导入图斑批次 {b.code}",
                day=b.received_on, actor=officers[0], after={"code": b.code})
    picks = f.rng.choices(list(states), weights=list(states.values()), k=n)
    patches, tasks, orders = [], [], []
    for i, state in enumerate(picks):
        batch = f.rng.choice(recent if state in RECENT else months)
        officer = officers[i % len(officers)]
        patch = Patch(
            batch_id=batch.pk, org_unit=f.org, code=f"{f.code}{i:07d}",
            geojson=SQUARE, geom_wkb=b"", area_m2=f.rng.randrange(100, 20000),
            centroid_lon=112.9, centroid_lat=27.8, location=f"某镇某村{i % 97}组",
            state=state, priority=f.rng.choice(["high", "normal", "low"]))
        patch._batch, patch._officer = batch, officer
        patches.append(patch)
    with_ids(Patch, patches)
    for patch in patches:
        batch, officer = patch._batch, patch._officer
        actions = STEPS[patch.state]
        days = spread(batch.received_on, f.later(batch.received_on, 5, 90),
                      len(actions))
        on = dict(zip(actions, days, strict=True))
        if "assign" in on:
            tasks.append(CheckTask(
                patch_id=patch.pk, org_unit=f.org, assignee=officer,
                assigned_by=officers[0], assigned_on=on["assign"],
                due_on=batch.check_due_on,
                state="submitted" if "submit" in on else "open",
                findings="现场已建房" if "submit" in on else "",
                submitted_at=f.at(on["submit"]) if "submit" in on else None))
        if "decide" in on:
            illegal = "rectify" in on
            patch.verdict = "illegal" if illegal else "legal"
            patch.verdict_basis = "" if illegal else "湘政土批〔2025〕1号"
            patch.verdict_by, patch.verdict_on = officers[0], on["decide"]
        if "rectify" in on:
            done = on.get("rectified")
            orders.append(Rectification(
                patch_id=patch.pk, org_unit=f.org, measure="demolish",
                requirement="限期拆除", ordered_on=on["rectify"],
                deadline=on["rectify"] + dt.timedelta(days=RECTIFY_DAYS),
                state="done" if done else "open", done_on=done,
                result="已拆除复耕" if done else "", created_by=officers[0]))
        f.steps(patch, TABLE, START, actions, days=days,
                actor_for=lambda t, officer=officer: officer)
    insert(PatchBatch, months)
    insert(Patch, patches)
    insert(CheckTask, tasks)
    insert(Rectification, orders)
    return patches

"""Satellite-patch metrics over a batch imported, checked, judged and rectified through
the monitoring services: each patch counted once, on the date of its step, and only
in its bureau's subtree."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile

from fazhi.monitoring import field, services
from fazhi.reports.metrics import metric_value
from tests.monitoring.conftest import (  # noqa: F401
    PATCHES,
    RECEIVED,
    batch,
    geojson_file,
    import_batch,
    layers,
    officer,
    on,
)

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"site" + b"\xff\xd9"
CHECK_DAY = dt.date(2025, 11, 5)
DECIDE_DAY = dt.date(2025, 11, 10)
DONE_DAY = dt.date(2025, 12, 20)


def value(metric_id, org, period=Y2025):
    return metric_value(metric_id, org_unit=org, start=period[0], end=period[1])


def ids(mv) -> set[int]:
    return {int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in mv.records}


def check(patch, officer, day, uid):  # noqa: F811
    with on(day):
        task = services.task_assign(patch=patch, assignee=officer, actor=officer)
        field.task_photo_add(
            task=task, actor=officer, file=ContentFile(JPEG, name=f"{uid}.jpg"),
            sha256=hashlib.sha256(JPEG).hexdigest(), client_uid=uid,
            latitude=patch.centroid_lat, longitude=patch.centroid_lon,
            taken_at=f"{day.isoformat()}T10:00:00+08:00")
        field.task_submit(task=task, actor=officer, findings="现场已建成厂房一栋",
                          observed_use="工业厂房")
    patch.refresh_from_db()
    return patch


@pytest.fixture
def worked(batch, officer):  # noqa: F811
    """P1 checked, judged illegal and rectified; P2 checked and legal; P3 untouched."""
    p1, p2, p3 = (batch.patches.get(code=props["TBBH"]) for props, _ in PATCHES)
    p1 = check(p1, officer, CHECK_DAY, "p1-photo")
    p2 = check(p2, officer, CHECK_DAY, "p2-photo")
    with on(DECIDE_DAY):
        services.patch_decide(patch=p1, actor=officer, verdict="illegal",
                              note="违法占地")
        services.patch_decide(patch=p2, actor=officer, verdict="legal",
                              basis="湘政地〔2024〕123号")
        rect = services.rectification_order(
            patch=p1, actor=officer, measure="demolish", requirement="拆除厂房并复耕",
            deadline=dt.date(2025, 12, 31))
    with on(DONE_DAY):
        services.rectification_complete(
            rect=rect, actor=officer, done_on=DONE_DAY, result="厂房已拆除，已复耕",
            photos=[ContentFile(JPEG, name="after.jpg")])
    return p1, p2, p3


def test_patches_received_are_the_batch_patches_by_the_batch_date(worked, orgs):
    mv = value("patches.received", orgs["xt"])
    assert ids(mv) == {p.pk for p in worked} and mv.value == 3
    assert all(r.on == RECEIVED for r in mv.records)
    assert all(r.url.startswith("/monitoring/patches/") for r in mv.records)


def test_checked_illegal_and_rectified_each_count_their_patches(worked, orgs):
    p1, p2, _ = worked
    checked = value("patches.checked", orgs["xt"])
    assert ids(checked) == {p1.pk, p2.pk}
    assert all(r.on == CHECK_DAY for r in checked.records)
    illegal = value("patches.illegal", orgs["xt"])
    assert ids(illegal) == {p1.pk} and illegal.records[0].on == DECIDE_DAY
    rectified = value("patches.rectified", orgs["xt"])
    assert ids(rectified) == {p1.pk} and rectified.records[0].on == DONE_DAY


def test_a_patch_checked_twice_counts_once_in_its_first_period(worked, orgs, officer):  # noqa: F811
    _, _, p3 = worked
    check(p3, officer, dt.date(2025, 11, 6), "p3-a")
    november = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert value("patches.checked", orgs["xt"], november).value == 3
    december = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert value("patches.checked", orgs["xt"], december).value == 0
    assert value("patches.rectified", orgs["xt"], november).value == 0


def test_another_countys_batch_is_not_counted(worked, orgs, people, tmp_path):
    with on(RECEIVED):
        import_batch(people.xx_officer, geojson_file(tmp_path / "xx.geojson",
                                                      PATCHES), code="WP-XX-2025-11")
    assert value("patches.received", orgs["xt"]).value == 3
    assert value("patches.received", orgs["xx"]).value == 3
    assert value("patches.received", orgs["city"]).value == 6
    assert value("patches.illegal", orgs["xx"]).value == 0

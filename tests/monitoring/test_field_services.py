"""Field checks on the phone: photos checked by hash, retries, distance, submission."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from pyproj import Transformer

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent, Evidence
from fazhi.core.transitions import NotAllowedNow
from fazhi.monitoring import field, services
from fazhi.monitoring.models import FieldPhoto, PatchState, TaskState

from .conftest import X0, Y0

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"field one" + b"\xff\xd9"
JPEG2 = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"field two" + b"\xff\xd9"
TAKEN = "2025-11-05T10:00:00+08:00"
_TO_LONLAT = Transformer.from_crs(4547, 4490, always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """CGCS2000 lon/lat of a point (x, y) metres from the conftest origin."""
    return _TO_LONLAT.transform(X0 + x, Y0 + y)


INSIDE = lonlat(50, 25)  # the middle of P1 (100 × 50 m)
KM_NORTH = lonlat(50, 1050)  # 1 000 m north of P1's northern edge
NEAR = lonlat(50, 150)  # 100 m north: near enough


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def add(task, actor, *, data=JPEG, claimed=None, uid="uid-0001", where=INSIDE, **kw):
    lon, lat = where if where else (None, None)
    return field.task_photo_add(
        task=task, actor=actor, file=ContentFile(data, name="IMG_0001.jpg"),
        sha256=claimed or sha(data), client_uid=uid, latitude=lat, longitude=lon,
        accuracy_m=8, heading=90, taken_at=TAKEN, **kw)


def evidence_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- photos ----------------------------------------------------------------------


def test_photo_inside_the_patch_is_at_distance_zero_and_not_far(task, officer):
    photo, created = add(task, officer)
    assert created and photo.distance_m == 0 and photo.far is False
    assert photo.evidence.sha256 == sha(JPEG) and photo.evidence.kind == "photo"
    assert photo.evidence.matter == task
    assert (photo.heading, photo.accuracy_m) == (90, 8)
    assert field.photo_place_label(photo) == "在图斑内"


def test_photo_a_kilometre_away_is_flagged_far(task, officer):
    photo, _ = add(task, officer, where=KM_NORTH)
    assert photo.distance_m == pytest.approx(1000, abs=1)
    assert photo.far is True
    assert field.photo_place_label(photo) == "距图斑 1000 米，远离图斑"


def test_photo_within_the_threshold_is_not_far(task, officer):
    photo, _ = add(task, officer, where=NEAR)
    assert photo.distance_m == pytest.approx(100, abs=1) and photo.far is False


def test_bureau_may_widen_the_far_threshold_in_its_rules_folder(
        task, officer, settings, tmp_path):
    (tmp_path / "rules" / "monitoring").mkdir(parents=True)
    (tmp_path / "rules" / "monitoring" / "field.toml").write_text(
        "far_m = 2000\n", encoding="utf-8")
    settings.RULES_DIRS = [tmp_path / "rules"]
    assert field.field_rules().far_m == 2000
    assert field.field_rules().fix_max_age_s == 120  # the shipped value stays
    photo, _ = add(task, officer, where=KM_NORTH)
    assert photo.far is False


def test_photo_without_a_position_is_accepted_and_marked(task, officer):
    photo, created = add(task, officer, where=None)
    assert created and photo.latitude is None and photo.distance_m is None
    assert photo.far is False and photo.accuracy_m is None
    assert field.photo_place_label(photo) == "无定位"


def test_hash_mismatch_is_refused_and_nothing_is_stored(task, officer, settings):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        add(task, officer, claimed=sha(JPEG2))
    assert "传输中损坏" in caught.value.message_dict["file"][0]
    assert not FieldPhoto.objects.exists() and not Evidence.objects.exists()
    assert evidence_files(settings) == []
    assert AuditEvent.objects.count() == events


def test_retry_with_the_same_client_uid_stores_once(task, officer, settings):
    first, created = add(task, officer)
    again, created_again = add(task, officer)
    assert created and not created_again and again.pk == first.pk
    assert FieldPhoto.objects.count() == 1 and Evidence.objects.count() == 1
    assert AuditEvent.objects.filter(action="monitoring.field_photo_add").count() == 1
    assert len(evidence_files(settings)) == 1


def test_same_client_uid_with_other_bytes_is_refused(task, officer):
    add(task, officer)
    with pytest.raises(ValidationError) as caught:
        add(task, officer, data=JPEG2)
    assert "已用于另一张照片" in caught.value.message_dict["client_uid"][0]
    assert FieldPhoto.objects.count() == 1 and Evidence.objects.count() == 1


def test_photo_add_writes_the_audit_chain_with_the_hash(task, officer):
    photo, _ = add(task, officer, where=KM_NORTH)
    event = AuditEvent.objects.get(action="monitoring.field_photo_add")
    assert event.evidence == sha(JPEG) and event.object_id == str(photo.pk)
    assert "远离图斑" in event.payload
    assert verify().ok


def test_only_the_assignee_may_add_photos(task, people):
    with pytest.raises(PermissionDenied):
        add(task, people["xt_officer2"])
    with pytest.raises(PermissionDenied):
        add(task, people["xx_officer"])
    assert not FieldPhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(task, officer):
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with pytest.raises(ValidationError) as caught:
        field.task_photo_add(
            task=task, actor=officer, file=ContentFile(pdf, name="scan"),
            sha256=sha(pdf), client_uid="uid-pdf", taken_at=TAKEN)
    assert "不是照片" in caught.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("kw", "field_name"), [
    ({"latitude": 95, "longitude": 112.9}, "latitude"),
    ({"latitude": 27.8, "longitude": None}, "latitude"),
    ({"latitude": "北纬", "longitude": 112.9}, "latitude"),
    ({"heading": 400}, "heading"),
    ({"taken_at": "昨天"}, "taken_at"),
    ({"sha256": "abc"}, "sha256"),
    ({"client_uid": "has space"}, "client_uid"),
    ({"purpose": "selfie"}, "purpose"),
])
def test_wrong_values_name_their_field(task, officer, kw, field_name):
    args = {"task": task, "actor": officer, "file": ContentFile(JPEG, name="a.jpg"),
            "sha256": sha(JPEG), "client_uid": "uid-bad", "taken_at": TAKEN, **kw}
    with pytest.raises(ValidationError) as caught:
        field.task_photo_add(**args)
    assert field_name in caught.value.message_dict
    assert not Evidence.objects.exists()


def test_naive_taken_at_is_read_as_beijing_time(task, officer):
    photo, _ = field.task_photo_add(
        task=task, actor=officer, file=ContentFile(JPEG, name="a.jpg"),
        sha256=sha(JPEG), client_uid="uid-naive", taken_at="2025-11-05T10:00:00")
    photo.refresh_from_db()
    assert photo.taken_at == dt.datetime(2025, 11, 5, 2, 0, tzinfo=dt.UTC)


# --- submission --------------------------------------------------------------------


def submit(task, actor, findings="现场新建砖房一栋，约 200 平方米",
           use="农村宅基地建房"):
    return field.task_submit(task=task, actor=actor, findings=findings,
                             observed_use=use)


def test_submit_moves_the_patch_to_checked_and_writes_the_audit(task, officer):
    add(task, officer)
    done = submit(task, officer)
    assert done.state == TaskState.SUBMITTED and done.submitted_at is not None
    assert done.findings.startswith("现场新建砖房")
    assert done.observed_use == "农村宅基地建房"
    done.patch.refresh_from_db()
    assert done.patch.state == PatchState.CHECKED
    event = AuditEvent.objects.get(action="monitoring.task_submit")
    assert event.evidence == sha(JPEG) and event.object_id == str(task.pk)
    patch_event = AuditEvent.objects.get(action="monitoring.submit")
    assert patch_event.object_id == str(task.patch.pk)
    assert '"checked"' in patch_event.payload
    assert verify().ok


def test_submit_needs_a_photo_findings_and_the_observed_use(task, officer):
    with pytest.raises(ValidationError) as caught:
        submit(task, officer)
    assert "photos" in caught.value.message_dict
    add(task, officer)
    for kw, name in (({"findings": "  "}, "findings"), ({"use": ""}, "observed_use")):
        with pytest.raises(ValidationError) as caught:
            submit(task, officer, **kw)
        assert name in caught.value.message_dict
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_submitting_the_same_findings_again_changes_nothing(task, officer):
    add(task, officer)
    submit(task, officer)
    events = AuditEvent.objects.count()
    again = submit(task, officer)
    assert again.state == TaskState.SUBMITTED and AuditEvent.objects.count() == events
    with pytest.raises(NotAllowedNow):
        submit(task, officer, findings="另一种说法")


def test_after_submission_no_more_check_photos_but_a_retry_is_answered(task, officer):
    first, _ = add(task, officer)
    submit(task, officer)
    again, created = add(task, officer)  # the phone never heard the first answer
    assert again.pk == first.pk and not created
    with pytest.raises(NotAllowedNow):
        add(task, officer, uid="uid-late", data=JPEG2)


def test_a_cancelled_task_cannot_be_submitted(task, officer):
    add(task, officer)
    services.task_cancel(task=task, actor=officer, reason="图斑派错")
    task.refresh_from_db()
    with pytest.raises(NotAllowedNow):
        submit(task, officer)


def test_only_the_assignee_may_submit(task, officer, people):
    add(task, officer)
    with pytest.raises(PermissionDenied):
        submit(task, people["xt_officer2"])


# --- selectors ---------------------------------------------------------------------


def test_my_task_list_holds_only_my_open_tasks(task, officer, people):
    assert list(field.task_list_mine(actor=officer)) == [task]
    assert list(field.task_list_mine(actor=people["xt_officer2"])) == []
    assert list(field.task_list_mine(actor=people["xx_officer"])) == []
    add(task, officer)
    submit(task, officer)
    assert list(field.task_list_mine(actor=officer)) == []

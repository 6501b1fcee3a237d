"""Layers, batch import with overlay and pre-judgement, verdicts, leads, rectification."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from fazhi.core.models import AuditEvent
from fazhi.enforcement.models import Lead, LeadSource
from fazhi.monitoring import field, importing, services
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.models import LayerVersion, Patch, PatchBatch, PatchOverlap

from .conftest import CHECKED, PATCHES, RECEIVED, box, geojson_file, import_batch, on

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"site" + b"\xff\xd9"


def photo(task, officer, uid="photo-0001", lon=None, lat=None):
    patch = task.patch
    return field.task_photo_add(
        task=task, actor=officer, file=ContentFile(JPEG, name=f"{uid}.jpg"),
        sha256=hashlib.sha256(JPEG).hexdigest(), client_uid=uid,
        latitude=lat if lat is not None else patch.centroid_lat,
        longitude=lon if lon is not None else patch.centroid_lon,
        taken_at="2025-11-05T10:00:00+08:00")


def checked(task, officer):
    with on(dt.date(2025, 11, 5)):
        photo(task, officer)
        field.task_submit(task=task, actor=officer, findings="现场已建成厂房一栋",
                          observed_use="工业厂房")
    task.patch.refresh_from_db()
    return task.patch


def test_overlay_measures_the_part_of_a_patch_on_basic_farmland(batch):
    p1 = batch.patches.get(code="430321202511001")
    ov = p1.overlaps.get()
    # P1 is 100 × 50 m; parcel F1 covers x 40..100 of it: 60 × 50 = 3000 m².
    assert ov.overlap_m2 == pytest.approx(3000.0)
    assert ov.share == pytest.approx(0.6)
    assert [f["id"] for f in ov.features] == ["F1"]
    assert p1.area_m2 == pytest.approx(5000.0)


def test_patch_on_basic_farmland_is_suspected_illegal_with_high_priority(patch):
    assert (patch.prejudgement, patch.priority) == ("suspected_illegal", "high")
    assert "永久基本农田 3000.00 平方米（4.50 亩）" in patch.prejudgement_reasons[0]


def test_patch_inside_approved_land_is_probably_legal_and_names_the_approval(batch):
    p2 = batch.patches.get(code="430321202511002")
    assert (p2.prejudgement, p2.priority) == ("probably_legal", "low")
    assert p2.overlaps.get().features[0]["key"] == "湘政地〔2024〕123号"


def test_patch_touching_no_layer_needs_a_check(batch):
    p3 = batch.patches.get(code="430321202511003")
    assert p3.prejudgement == "needs_check"
    assert not p3.overlaps.exists()


def test_batch_keeps_delivered_attributes_and_lonlat_outline(patch):
    assert patch.attrs["XZQMC"] == "易俗河镇"
    assert patch.location == "易俗河镇"
    lon, lat = patch.geojson["coordinates"][0][0]
    assert 112.5 < lon < 113.2 and 27.5 < lat < 28.1


def test_duplicate_patch_ids_land_nothing(officer, layers, tmp_path):
    doubled = [*PATCHES, ({"TBBH": "430321202511001"}, box(9000, 0, 10, 10))]
    with on(RECEIVED), pytest.raises(GisError, match="TBBH 的值有重复"):
        import_batch(officer, geojson_file(tmp_path / "d.geojson", doubled))
    assert not PatchBatch.objects.exists() and not Patch.objects.exists()


def test_same_batch_code_twice_is_refused(batch, officer, tmp_path):
    with on(RECEIVED), pytest.raises(ValidationError, match="已导入"):
        import_batch(officer, geojson_file(tmp_path / "again.geojson", PATCHES))


def test_a_new_layer_version_becomes_current_and_keeps_the_old(layers, officer, tmp_path):
    from .conftest import FARMLAND, import_layer

    with on(RECEIVED):
        v2 = import_layer(officer, geojson_file(tmp_path / "v2.geojson", FARMLAND[:1]),
                          kind="basic_farmland", name="永久基本农田")
    assert v2.version == 2 and v2.is_current
    layers["farmland"].refresh_from_db()
    assert not layers["farmland"].is_current
    assert LayerVersion.objects.filter(layer=v2.layer).count() == 2


def test_layer_import_failure_leaves_no_index_folder(officer, tmp_path, settings):
    from .conftest import FARMLAND, import_layer

    with on(RECEIVED), pytest.raises(ValidationError, match="没有字段"):
        import_layer(officer, geojson_file(tmp_path / "f.geojson", FARMLAND),
                     kind="basic_farmland", name="基本农田", key_field="NOPE")
    assert not list(settings.MONITORING_ROOT.rglob("meta.json"))


def test_decide_needs_a_field_check_first(patch, officer):
    with on(CHECKED), pytest.raises(ValidationError, match="待派发"):
        services.patch_decide(patch=patch, actor=officer, verdict="illegal",
                              note="", decided_on=CHECKED)


def test_illegal_verdict_opens_a_lead_linked_back(task, officer):
    patch = checked(task, officer)
    with on(CHECKED):
        services.patch_decide(patch=patch, actor=officer, verdict="illegal",
                              note="未经批准占用永久基本农田建厂房")
    patch.refresh_from_db()
    lead = Lead.objects.get(pk=patch.lead_id)
    assert lead.source == LeadSource.PATCH
    assert lead.external_ref == f"{patch.batch.code}/{patch.code}"
    assert "外业核查：现场已建成厂房一栋" in lead.description
    assert patch.state == "decided"
    assert AuditEvent.objects.filter(action="monitoring.decide",
                                     object_id=str(patch.pk)).exists()


def test_legal_verdict_needs_the_approval_number(task, officer):
    patch = checked(task, officer)
    with on(CHECKED), pytest.raises(ValidationError, match="批准文号"):
        services.patch_decide(patch=patch, actor=officer, verdict="legal")
    with on(CHECKED):
        services.patch_decide(patch=patch, actor=officer, verdict="legal",
                              basis="湘政地〔2024〕123号")
    assert Patch.objects.get(pk=patch.pk).lead_id is None


def test_another_countys_officer_may_not_decide(task, officer, people):
    patch = checked(task, officer)
    outsider = next(u for u in people.values()
                    if u.has_role("enforcement_officer") and u.org_unit != officer.org_unit)
    with on(CHECKED), pytest.raises(PermissionDenied):
        services.patch_decide(patch=patch, actor=outsider, verdict="illegal")


def test_rectification_needs_after_photos_and_closes_the_patch(task, officer):
    patch = checked(task, officer)
    with on(CHECKED):
        services.patch_decide(patch=patch, actor=officer, verdict="illegal",
                              note="违法占地")
        rect = services.rectification_order(
            patch=patch, actor=officer, measure="demolish", requirement="拆除厂房并复耕",
            deadline=dt.date(2025, 12, 31))
    with on(dt.date(2025, 12, 20)):
        with pytest.raises(ValidationError, match="整改后的现场照片"):
            services.rectification_complete(rect=rect, actor=officer,
                                            done_on=dt.date(2025, 12, 20),
                                            result="已拆除", photos=[])
        services.rectification_complete(
            rect=rect, actor=officer, done_on=dt.date(2025, 12, 20),
            result="厂房已拆除，已复耕", photos=[ContentFile(JPEG, name="after.jpg")])
    assert Patch.objects.get(pk=patch.pk).state == "rectified"


def test_overlay_refresh_replaces_overlaps_and_is_safe_to_repeat(batch, officer):
    before = PatchOverlap.objects.filter(patch__batch=batch).count()
    with on(RECEIVED):
        assert importing.batch_overlay_refresh(batch=batch, actor=officer) == before
        assert importing.batch_overlay_refresh(batch=batch, actor=officer) == before
    assert PatchOverlap.objects.filter(patch__batch=batch).count() == before


def test_geographic_patches_get_their_area_in_the_zone_of_the_data(officer, layers,
                                                                   tmp_path):
    from fazhi.monitoring import geometry

    lonlat = geometry.reproject(box(0, 0, 100, 50), 4547, 4490)
    path = geojson_file(tmp_path / "ll.geojson", [({"TBBH": "G1"}, lonlat)], epsg=4490)
    with on(RECEIVED):
        b = import_batch(officer, path, code="WP-LL")
    assert b.area_epsg == 4547
    assert b.patches.get().area_m2 == pytest.approx(5000.0, rel=1e-4)


def test_missing_crs_is_an_error_naming_the_file(officer, tmp_path):
    path = tmp_path / "nocrs.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature",'
                    '"properties":{"TBBH":"X"},"geometry":{"type":"Polygon",'
                    '"coordinates":[[[391000,3080000],[391010,3080000],[391010,3080010],'
                    '[391000,3080000]]]}}]}', encoding="utf-8")
    with on(RECEIVED), pytest.raises(GisError, match="nocrs"):
        import_batch(officer, path, code="WP-X")

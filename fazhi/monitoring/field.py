"""Field checks on the phone (外业核查): my tasks, site photos, the findings.

Who may act: only the task's assignee, an active enforcement officer of the task's
bureau. Another officer of the same bureau may open the task (it lies in their
subtree) but may not add photos or findings to it: the findings are signed by the
officer sent, and a check done by someone else is first sent to that officer
(``services.task_assign``), so the record always names who stood on the site.

A photo arrives with the SHA-256 the phone computed when it was taken: the bytes
that arrived must have that hash, or nothing is stored. The phone's ``client_uid``
makes a retried upload idempotent; the same uid with other bytes is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from shapely.geometry import shape

from fazhi.core import audit
from fazhi.core.evidence import Refused, evidence_store, sniff
from fazhi.core.matters import advance
from fazhi.core.roles import Role
from fazhi.core.rule_folders import module_rules
from fazhi.core.ruledata import (
    RuleFileError,
    Table,
    merge_keys,
    read_toml,
    rule_files,
    rule_folders,
)
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.core.transitions import NotAllowedNow
from fazhi.deadlines.overdue import by_due
from fazhi.monitoring import geometry
from fazhi.monitoring.models import (
    CheckTask,
    FieldPhoto,
    PatchState,
    Priority,
    TaskState,
)
from fazhi.monitoring.workflow import TABLE

RULES_FILE = Path(__file__).with_name("rules") / "field.toml"
PURPOSES = {"check": "核查", "after": "整改后"}
FINDINGS_MAX = 2000
OBSERVED_USE_MAX = 100  # CheckTask.observed_use
_UID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


# --- rules ---------------------------------------------------------------------------


FieldRuleError = RuleFileError
"""The name older callers catch: field.toml is unreadable or wrong."""


@dataclass(frozen=True)
class FieldRules:
    """The bureau's field-check settings (``rules/field.toml``)."""

    far_m: float  # metres from the outline beyond which a photo is 远离图斑
    fix_max_age_s: int  # seconds a GPS fix stays usable for a photo


def field_rules() -> FieldRules:
    """Return the shipped rules, overridden key by key by the bureau's folders."""
    return module_rules("monitoring", load_field_rules)


def load_field_rules(extra_dirs: Sequence[Path] = ()) -> FieldRules:
    """Read the shipped field.toml; each folder's file replaces the keys it writes."""
    files = rule_files(rule_folders(RULES_FILE.parent, extra_dirs), RULES_FILE.name)
    data: dict = {}
    for path in files:
        data = merge_keys(data, read_toml(path))
    where = f"{'、'.join(map(str, files))}（合并后）"
    table = Table(data, where, path=files[-1])
    table.keys({"far_m", "fix_max_age_s"})
    far = table.decimal("far_m", above=Decimal(0))
    fix_age = table.integer("fix_max_age_s", minimum=1)
    return FieldRules(far_m=float(far), fix_max_age_s=fix_age)


# --- selectors -----------------------------------------------------------------------

_PRIORITY_RANK = Case(
    When(patch__priority=Priority.HIGH, then=Value(0)),
    When(patch__priority=Priority.NORMAL, then=Value(1)),
    default=Value(2), output_field=IntegerField(),
)


def task_list_mine(*, actor) -> QuerySet[CheckTask]:
    """Return the caller's open check tasks: soonest due first, then by priority."""
    qs = scoped(CheckTask.objects, actor).filter(assignee=actor, state=TaskState.OPEN)
    return (qs.select_related("patch", "patch__batch")
            .annotate(priority_rank=_PRIORITY_RANK)
            .order_by(by_due("due_on")[0], "priority_rank", "pk"))


def task_get(*, actor, pk) -> CheckTask:
    """Return one check task of the caller's subtree, or raise Http404."""
    qs = CheckTask.objects.select_related(
        "patch", "patch__batch", "assignee", "org_unit")
    return get_scoped_or_404(qs, actor, pk=pk)


def task_photos(task: CheckTask) -> QuerySet[FieldPhoto]:
    """Return the task's uploaded photos in the order they were taken."""
    return task.photos.select_related("evidence").order_by("taken_at", "pk")


def task_overlaps(task: CheckTask):
    """Return the patch's overlaps with the reference layers, largest first."""
    return (task.patch.overlaps.select_related("layer_version__layer")
            .order_by("-overlap_m2"))


def may_act(actor, task: CheckTask) -> bool:
    """Tell whether ``actor`` may add photos to and submit ``task``."""
    # The officer's stand-in during their leave does it for them (请假代理).
    return bool(
        getattr(actor, "is_active", False)
        and (actor.pk == task.assignee_id
             or task.assignee_id in getattr(actor, "stands_in_for", ()))
        and actor.org_unit_id == task.org_unit_id
        and actor.has_role(Role.ENFORCEMENT_OFFICER))


def _require_assignee(actor, task: CheckTask) -> None:
    if not may_act(actor, task):
        raise PermissionDenied(
            f"只有本任务的核查人（{task.assignee}）可以上传照片和提交核查结果")
    if actor.pk != task.assignee_id:  # a stand-in: the audit says for whom
        actor._acting_now = (task.assignee_id, str(task.assignee))


# --- photos --------------------------------------------------------------------------


def task_photo_add(
    *, task: CheckTask, actor, file, sha256: str, client_uid: str,
    latitude=None, longitude=None, accuracy_m=None, heading=None, taken_at,
    purpose: str = "check",
) -> tuple[FieldPhoto, bool]:
    """Store one site photo of ``task``; return it and whether it is new.

    The same ``client_uid`` with the same bytes returns the stored photo (a retry);
    with other bytes, or bytes that do not hash to ``sha256``, nothing is stored.
    """
    _require_assignee(actor, task)
    claimed, uid = _sha256_arg(sha256), _uid_arg(client_uid)
    place = _place_args(latitude, longitude, accuracy_m, heading)
    when, purpose = _taken_at_arg(taken_at), _purpose_arg(purpose)
    _check_bytes(file, claimed)
    existing = _existing(uid, task, claimed)
    if existing is not None:
        return existing, False
    _check_open_for(task, purpose)
    _check_image(file)
    distance = _distance(task, place)
    far = distance is not None and distance > field_rules().far_m
    try:
        photo = _photo_store(task, actor, file, claimed, uid, place, when, purpose,
                             distance, far)
    except IntegrityError:
        # Two uploads of one photo raced; the other one's row stands.
        existing = _existing(uid, task, claimed)
        if existing is None:
            raise
        return existing, False
    return photo, True


def _photo_store(task, actor, file, sha, uid, place, when, purpose, distance, far):
    with transaction.atomic():
        evidence = evidence_store(
            file=file, actor=actor, org_unit=task.org_unit, kind="photo",
            matter=task,
            description=f"图斑 {task.patch.code} {PURPOSES[purpose]}现场照片")
        photo = FieldPhoto.objects.create(
            task=task, evidence=evidence, client_uid=uid, taken_at=when,
            purpose=purpose, distance_m=distance, far=far, **place)
        audit.record(
            actor=actor, obj=photo, org_unit=task.org_unit,
            action="monitoring.field_photo_add", evidence=[sha],
            summary=f"图斑 {task.patch.code} 上传{PURPOSES[purpose]}现场照片"
                    f"（{photo_place_label(photo)}）",
            after={"task": task.pk, "patch": task.patch.code, "client_uid": uid,
                   "sha256": sha, "evidence": evidence.pk, "taken_at": when,
                   "distance_m": distance, "far": far, "purpose": purpose, **place})
    return photo


def photo_place_label(photo: FieldPhoto) -> str:
    """Say where the photo was taken relative to the patch, in Chinese."""
    if photo.latitude is None:
        return "无定位"
    if photo.distance_m is None:
        return "距离未计算"
    if photo.distance_m == 0:
        return "在图斑内"
    label = f"距图斑 {photo.distance_m:.0f} 米"
    return f"{label}，远离图斑" if photo.far else label


def _sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(_CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _check_bytes(file, claimed: str) -> None:
    if file is None:
        raise ValidationError({"file": "请选择要上传的照片"})
    actual = _sha256_of(file)
    if actual != claimed:
        raise ValidationError({"file": (
            "照片在传输中损坏或不完整：手机上计算的 SHA-256 为 "
            f"{claimed[:12]}…，服务器收到的为 {actual[:12]}…，未保存。"
            "请重新拍摄或重新上传")})


def _existing(uid: str, task: CheckTask, sha: str) -> FieldPhoto | None:
    photo = FieldPhoto.objects.select_related("evidence").filter(client_uid=uid).first()
    if photo is None:
        return None
    if photo.task_id != task.pk or photo.evidence.sha256 != sha:
        raise ValidationError({"client_uid": (
            f"照片编号 {uid} 已用于另一张照片，本次上传的内容与之不同，拒绝保存。"
            "请重新拍摄")})
    return photo


def _check_open_for(task: CheckTask, purpose: str) -> None:
    if purpose == "check" and task.state != TaskState.OPEN:
        raise NotAllowedNow(
            f"核查任务{task.get_state_display()}，不能再上传核查照片")
    if purpose == "after" and task.patch.state != PatchState.RECTIFYING:
        raise NotAllowedNow("图斑不在整改中，不能上传整改后照片")


def _check_image(file) -> None:
    name = getattr(file, "name", "") or "photo"
    try:
        media_type = sniff(file, name)
    except Refused as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not media_type.startswith("image/"):
        raise ValidationError({"file": f"“{name}”不是照片，请用相机拍摄后上传"})


def _distance(task: CheckTask, place: dict) -> float | None:
    """Metres from the photo to the patch outline, in the batch's projected zone.

    A phone's WGS 84 position differs from CGCS2000 by centimetres, far below its
    own error, so it is used as CGCS2000 as it comes.
    """
    if place["latitude"] is None:
        return None
    geojson = task.patch.geojson
    if geojson.get("type") == "Feature":
        geojson = geojson["geometry"]
    metres = geometry.distance_m(shape(geojson), place["longitude"], place["latitude"],
                                 task.patch.batch.area_epsg)
    return round(metres, 1)


# --- argument parsing: a phone sends text; a wrong value names its field --------------


def _sha256_arg(value) -> str:
    text = str(value or "").strip().lower()
    if not _SHA256.fullmatch(text):
        raise ValidationError({"sha256": "缺少照片的 SHA-256 校验值（64 位十六进制）"})
    return text


def _uid_arg(value) -> str:
    text = str(value or "").strip()
    if not _UID.fullmatch(text):
        raise ValidationError(
            {"client_uid": "照片编号应为 1 至 64 位字母、数字、连字符或下划线"})
    return text


def _number(value, field: str, label: str, low: float, high: float) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label}应为数字，收到“{value}”"}) from None
    if not low <= number <= high:  # also refuses NaN
        raise ValidationError({field: f"{label}应在 {low:g} 至 {high:g} 之间"})
    return number


def _place_args(latitude, longitude, accuracy_m, heading) -> dict:
    lat = _number(latitude, "latitude", "纬度", -90, 90)
    lon = _number(longitude, "longitude", "经度", -180, 180)
    if (lat is None) != (lon is None):
        raise ValidationError({"latitude": "经度和纬度须同时提供或同时留空"})
    accuracy = _number(accuracy_m, "accuracy_m", "定位精度（米）", 0, 100000)
    return {"latitude": lat, "longitude": lon,
            "accuracy_m": accuracy if lat is not None else None,
            "heading": _number(heading, "heading", "拍摄方向（度）", 0, 360)}


def _taken_at_arg(value) -> dt.datetime:
    when = value if isinstance(value, dt.datetime) else None
    if when is None and value:
        try:
            when = parse_datetime(str(value).strip())
        except ValueError:
            when = None
    if when is None:
        raise ValidationError(
            {"taken_at": "拍摄时间应为 ISO 8601 格式，如 2025-10-08T09:30:00+08:00"})
    if timezone.is_naive(when):
        when = timezone.make_aware(when)  # a phone without a zone: Beijing time
    return when


def _purpose_arg(value) -> str:
    purpose = str(value or "check")
    if purpose not in PURPOSES:
        raise ValidationError(
            {"purpose": "照片用途应为 check（核查）或 after（整改后）"})
    return purpose


# --- submission ----------------------------------------------------------------------


def task_submit(
    *, task: CheckTask, actor, findings: str, observed_use: str,
) -> CheckTask:
    """Submit the findings of ``task``: the task is done, the patch awaits a verdict.

    Sending the same findings again after a lost reply returns the task unchanged.
    """
    _require_assignee(actor, task)
    findings, observed_use = _findings_args(findings, observed_use)
    if (task.state == TaskState.SUBMITTED and task.findings == findings
            and task.observed_use == observed_use):
        return task  # the phone retried a submission that had landed
    if task.state != TaskState.OPEN:
        raise NotAllowedNow(f"核查任务{task.get_state_display()}，不能再提交")
    photos = list(task.photos.filter(purpose="check")
                  .values_list("evidence__sha256", flat=True))
    if not photos:
        raise ValidationError({"photos": "请至少上传一张现场照片后再提交核查结果"})
    TABLE.check("submit", task.patch.state, actor.roles)
    _submit_write(task, actor, findings, observed_use, photos)
    task.refresh_from_db()
    task.patch.refresh_from_db()
    return task


def _submit_write(task, actor, findings, observed_use, photos) -> None:
    now = timezone.now()
    conflict = "任务或图斑的状态已被他人改变，请刷新后重试"
    with transaction.atomic():
        done = CheckTask.objects.filter(pk=task.pk, state=TaskState.OPEN).update(
            state=TaskState.SUBMITTED, findings=findings, observed_use=observed_use,
            submitted_at=now)
        if not done:
            raise NotAllowedNow(conflict)
        after = {"findings": findings, "observed_use": observed_use,
                 "submitted_at": now, "photos": len(photos)}
        audit.record(actor=actor, obj=task, action="monitoring.task_submit",
                     summary=f"图斑 {task.patch.code} 提交外业核查结果",
                     before={"state": TaskState.OPEN}, after={
                         "state": TaskState.SUBMITTED, **after}, evidence=photos)
        try:
            # Someone else moved the patch since it was read: raising rolls the
            # task's update back too.
            advance(task.patch, TABLE, "submit", actor,
                    summary=f"图斑 {task.patch.code} 外业核查结果已提交，待判定")
        except ValidationError as exc:
            raise NotAllowedNow(conflict) from exc


def _findings_args(findings, observed_use) -> tuple[str, str]:
    findings = str(findings or "").strip()
    observed_use = str(observed_use or "").strip()
    if not findings:
        raise ValidationError({"findings": "请填写现场情况"})
    if len(findings) > FINDINGS_MAX:
        raise ValidationError({"findings": f"现场情况不能超过 {FINDINGS_MAX} 字"})
    if not observed_use:
        raise ValidationError({"observed_use": "请填写现状用途"})
    if len(observed_use) > OBSERVED_USE_MAX:
        raise ValidationError(
            {"observed_use": f"现状用途不能超过 {OBSERVED_USE_MAX} 字"})
    return findings, observed_use

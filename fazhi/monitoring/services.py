"""Every action on patches, field checks, verdicts and rectification.

Each checks the actor's role in the patch's own bureau, asks the state table,
changes the patch with an optimistic update, and writes the audit chain — all in
one transaction. Imports (reading files, indexing, overlay) live in
``importing.py``; they call ``batch_create`` here once everything is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit, dates, matters
from fazhi.core.errors import field_error as _err
from fazhi.core.evidence import evidence_store_files
from fazhi.core.matters import advance
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.rule_folders import module_rules
from fazhi.enforcement.leads.services import lead_open_from_patch
from fazhi.monitoring import geometry, judging
from fazhi.monitoring.models import (
    CheckTask,
    Patch,
    PatchBatch,
    Rectification,
    RectificationState,
    TaskState,
)
from fazhi.monitoring.workflow import TABLE

OFFICER = Role.ENFORCEMENT_OFFICER
NOTE_MAX = 2000


def _day(field: str, label: str, day: dt.date | None, earliest: dt.date | None = None,
         *, future_ok: bool = False) -> dt.date:
    if day is None:
        raise _err(field, f"请填写{label}")
    dates.date_check(day, field=field, label=label,
                     future_days=dates.FUTURE_DAYS_SCHEDULED if future_ok else 0)
    if earliest is not None and day < earliest:
        raise _err(field, f"{label}不能早于{earliest}")
    return day


def verdict_kinds() -> dict[str, judging.VerdictKind]:
    """Return the verdict categories (shipped, or the bureau's override)."""
    return module_rules("monitoring", judging.verdict_kinds_load)


def rectification_measures() -> dict[str, str]:
    return module_rules("monitoring", judging.measures_load)


def prejudge_rules() -> judging.PrejudgeRules:
    return module_rules("monitoring", judging.prejudge_rules_load)


# --- batches ------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchMeta:
    """What the person importing a batch tells about it."""

    code: str
    period: str
    source: str
    received_on: dt.date
    imagery_before: dt.date | None = None
    imagery_after: dt.date | None = None
    source_detail: str = ""
    check_due_on: dt.date | None = None


@dataclass(frozen=True)
class Features:
    """Patches as read from the delivered file, before anything is stored."""

    ids: Sequence[str]
    attrs: Sequence[dict]
    geoms: Sequence  # shapely geometries in ``crs_epsg``
    crs_epsg: int
    area_epsg: int
    fields: Sequence[dict] = ()
    encoding: str = ""
    id_field: str = ""
    repaired: Sequence = ()
    source_name: str = ""
    source_sha256: str = ""


def batch_meta_check(*, actor, meta: BatchMeta) -> None:
    """Refuse a batch's description before any file is read (names the field)."""
    require_role(actor, actor.org_unit, OFFICER)
    if not meta.code.strip():
        raise _err("code", "请填写批次编号")
    if PatchBatch.objects.filter(org_unit=actor.org_unit, code=meta.code.strip()).exists():
        raise _err("code", f"批次 {meta.code} 已导入；如需重新导入，请换用新的批次编号")
    if not meta.period.strip():
        raise _err("period", "请填写监测期，例如 2025-10")
    _day("received_on", "收到日期", meta.received_on)
    if meta.imagery_before and meta.imagery_after and (
            meta.imagery_after < meta.imagery_before):
        raise _err("imagery_after", "后时相日期不能早于前时相日期")
    if meta.check_due_on and meta.check_due_on < meta.received_on:
        raise _err("check_due_on", "核查截止日期不能早于收到日期")


def batch_create(*, actor, meta: BatchMeta, features: Features,
                 evidence=None) -> PatchBatch:
    """Store a batch and its patches in one transaction (the import's last step)."""
    batch_meta_check(actor=actor, meta=meta)
    if not features.ids:
        raise _err("file", "文件中没有图斑")
    dupes = _duplicates(features.ids)
    if dupes:
        raise _err("id_field", f"图斑编号重复：{'、'.join(dupes[:10])}；请选择唯一的编号字段")
    rows = geometry.patch_rows(features.geoms, features.crs_epsg, features.area_epsg)
    with transaction.atomic():
        batch = PatchBatch.objects.create(
            org_unit=actor.org_unit, code=meta.code.strip(), period=meta.period.strip(),
            imagery_before=meta.imagery_before, imagery_after=meta.imagery_after,
            source=meta.source, source_detail=meta.source_detail,
            received_on=meta.received_on, check_due_on=meta.check_due_on,
            source_name=features.source_name, source_sha256=features.source_sha256,
            evidence=evidence, crs_epsg=features.crs_epsg,
            area_epsg=features.area_epsg, encoding=features.encoding,
            id_field=features.id_field, fields=list(features.fields),
            repaired=[list(r) for r in features.repaired], imported_by=actor)
        Patch.objects.bulk_create([
            Patch(batch=batch, org_unit=batch.org_unit, code=str(code),
                  attrs=_plain(attrs), location=_location(attrs), **row)
            for code, attrs, row in zip(features.ids, features.attrs, rows, strict=True)
        ], batch_size=500)
        matters.changed(Patch, batch.patches.values_list("pk", flat=True))
        audit.record(actor=actor, obj=batch, action="monitoring.batch_import",
                     summary=f"导入图斑批次 {batch.code}（{len(rows)} 个图斑）",
                     after={"code": batch.code, "patches": len(rows),
                            "source_sha256": features.source_sha256,
                            "repaired": len(features.repaired)})
    return batch


def _duplicates(ids: Sequence[str]) -> list[str]:
    seen, dupes = set(), []
    for i in ids:
        if i in seen and i not in dupes:
            dupes.append(str(i))
        seen.add(i)
    return dupes


def _plain(attrs: dict) -> dict:
    """Keep attributes JSON-friendly (dates as ISO text, numbers as numbers)."""
    out = {}
    for key, value in attrs.items():
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif hasattr(value, "item"):  # numpy scalars
            value = value.item()
        out[str(key)] = value
    return out


_LOCATION_FIELDS = ("XZQMC", "ZLDWMC", "位置", "坐落", "TBWZ", "XMC", "XZMC")


def _location(attrs: dict) -> str:
    parts = [str(attrs[f]) for f in _LOCATION_FIELDS if attrs.get(f)]
    return " ".join(parts)[:200]


# --- field checks -------------------------------------------------------------------


def task_assign(*, patch: Patch, assignee, actor, due_on: dt.date | None = None,
                assigned_on: dt.date | None = None) -> CheckTask:
    """Send a field check of ``patch`` to ``assignee`` (an officer of the bureau)."""
    require_role(actor, patch, OFFICER)
    if not (assignee.is_active and assignee.has_role(OFFICER)
            and assignee.org_unit_id == patch.org_unit_id):
        raise _err("assignee", "核查人须为本机关在职的执法人员")
    assigned_on = _day("assigned_on", "派发日期", assigned_on or dates.today(),
                       patch.batch.received_on)
    if due_on is not None:
        dates.date_check(due_on, field="due_on", label="核查期限",
                         future_days=dates.FUTURE_DAYS_SCHEDULED,
                         not_before=assigned_on, not_before_label="派发日期")
    elif patch.batch.check_due_on and patch.batch.check_due_on < assigned_on:
        # The batch's deadline is the default only while it lies ahead: a task
        # born overdue would be a deadline nobody set.
        raise _err("due_on", f"本批次核查截止日期 {patch.batch.check_due_on} 已过，"
                             "请填写本次核查期限")
    with transaction.atomic():
        replaced = list(patch.tasks.filter(state=TaskState.OPEN)
                        .values_list("pk", flat=True))
        patch.tasks.filter(pk__in=replaced).update(state=TaskState.CANCELLED)
        task = CheckTask.objects.create(
            patch=patch, org_unit=patch.org_unit, assignee=assignee, assigned_by=actor,
            assigned_on=assigned_on, due_on=due_on or patch.batch.check_due_on)
        who = assignee.get_full_name() or assignee
        advance(patch, TABLE, "assign", actor,
                summary=f"派发图斑 {patch.code} 外业核查给 {who}")
        audit.record(actor=actor, obj=task, action="monitoring.task_assign",
                     summary=f"核查任务：图斑 {patch.code}",
                     after={"assignee": assignee.pk, "replaced": replaced,
                            "due_on": task.due_on and task.due_on.isoformat()})
    return task


def task_cancel(*, task: CheckTask, actor, reason: str) -> CheckTask:
    """Withdraw an open field check with a reason; the patch waits to be sent again."""
    require_role(actor, task, OFFICER)
    if not reason.strip():
        raise _err("reason", "请写明撤回理由")
    with transaction.atomic():
        if not CheckTask.objects.filter(pk=task.pk, state=TaskState.OPEN).update(
                state=TaskState.CANCELLED):
            raise _err("state", "该任务已提交或已撤回")
        task.state = TaskState.CANCELLED
        advance(task.patch, TABLE, "cancel", actor,
                summary=f"撤回图斑 {task.patch.code} 的核查任务：{reason}")
    return task


# --- verdicts and what follows ------------------------------------------------------


def patch_decide(*, patch: Patch, actor, verdict: str, basis: str = "",
                 note: str = "", decided_on: dt.date | None = None) -> Patch:
    """Record the officer's verdict; an illegal patch opens an enforcement lead."""
    require_role(actor, patch, OFFICER)
    kind = verdict_kinds().get(verdict)
    if kind is None:
        raise _err("verdict", "请选择判定结果")
    if kind.requires_basis and not basis.strip():
        raise _err("basis", f"判定为“{kind.label}”须填写{kind.basis_label or '依据文号'}")
    if kind.requires_note and not note.strip():
        raise _err("note", f"判定为“{kind.label}”须写明理由")
    if len(note) > NOTE_MAX:
        raise _err("note", f"判定说明不超过{NOTE_MAX}字")
    checked = patch.tasks.filter(state=TaskState.SUBMITTED).order_by("-submitted_at").first()
    earliest = timezone.localdate(checked.submitted_at) if checked else None
    decided_on = _day("decided_on", "判定日期", decided_on or dates.today(), earliest)
    with transaction.atomic():
        lead = None
        if kind.opens_lead:
            lead = lead_open_from_patch(
                actor=actor, patch_ref=f"{patch.batch.code}/{patch.code}",
                location=patch.location or f"图斑 {patch.code}",
                description=_lead_text(patch, note, checked),
                received_on=decided_on, violation_type="illegal_occupation")
        advance(patch, TABLE, "decide", actor,
                summary=f"判定图斑 {patch.code}：{kind.label}",
                verdict=verdict, verdict_basis=basis.strip()[:200],
                verdict_note=note.strip(), verdict_by=actor, verdict_on=decided_on,
                lead=lead)
    return patch


def _lead_text(patch: Patch, note: str, checked: CheckTask | None) -> str:
    lines = [f"卫片图斑 {patch.batch.code}/{patch.code}，面积 {patch.area_m2:.2f} 平方米"
             f"（{patch.area_mu:.2f} 亩）。"]
    if patch.prejudgement_reasons:
        lines.append("叠加分析：" + "；".join(patch.prejudgement_reasons))
    if checked and checked.findings:
        lines.append(f"外业核查：{checked.findings}")
    if note.strip():
        lines.append(f"判定说明：{note.strip()}")
    return "\n".join(lines)


def rectification_order(*, patch: Patch, actor, measure: str, requirement: str,
                        deadline: dt.date, ordered_on: dt.date | None = None
                        ) -> Rectification:
    """Order demolition, reclamation or restoration of an illegal patch by a deadline."""
    require_role(actor, patch, OFFICER)
    kind = verdict_kinds().get(patch.verdict)
    if kind is None or not kind.rectification:
        raise _err("verdict", "只有判定为违法的图斑才需整改")
    if measure not in rectification_measures():
        raise _err("measure", "请选择整改措施")
    if not requirement.strip():
        raise _err("requirement", "请写明整改要求")
    ordered_on = _day("ordered_on", "下达日期", ordered_on or dates.today(), patch.verdict_on)
    _day("deadline", "整改期限", deadline, ordered_on + dt.timedelta(days=1),
         future_ok=True)
    with transaction.atomic():
        rect = Rectification.objects.create(
            patch=patch, org_unit=patch.org_unit, measure=measure,
            requirement=requirement.strip(), ordered_on=ordered_on, deadline=deadline,
            created_by=actor)
        measure_label = rectification_measures()[measure]
        advance(patch, TABLE, "rectify", actor,
                summary=f"图斑 {patch.code} 下达整改：{measure_label}，期限 {deadline}")
    return rect


def rectification_complete(*, rect: Rectification, actor, done_on: dt.date,
                           result: str, photos: Sequence) -> Rectification:
    """Close a rectification with its result and after-photos (at least one)."""
    require_role(actor, rect, OFFICER)
    if not photos:
        raise _err("photos", "请上传整改后的现场照片")
    if not result.strip():
        raise _err("result", "请写明整改结果")
    done_on = _day("done_on", "完成日期", done_on, rect.ordered_on)
    with transaction.atomic():
        if not Rectification.objects.filter(pk=rect.pk,
                                            state=RectificationState.OPEN).update(
                state=RectificationState.DONE, done_on=done_on, result=result.strip()):
            raise _err("state", "该整改已完成")
        photo_hashes = evidence_store_files(photos, matter=rect, actor=actor,
                                            kind="photo", description="整改后照片")
        rect.state, rect.done_on, rect.result = RectificationState.DONE, done_on, result
        late = "（逾期）" if done_on > rect.deadline else ""
        what = result.strip()[:100]
        advance(rect.patch, TABLE, "rectified", actor,
                summary=f"图斑 {rect.patch.code} 整改完成{late}：{what}",
                evidence=photo_hashes)
    return rect


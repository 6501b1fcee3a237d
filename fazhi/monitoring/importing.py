"""Imports of layer versions and patch batches: read, check, index, overlay, land.

An import runs in two phases, each safe to run again: *inspect* reads the file and
shows the person the decoded names, the coordinate system and any bad geometries;
*import* (after the person confirms) reads it for real, indexes a layer version or
overlays a batch on the current layers, and then lands everything in one
transaction — or nothing. Progress goes to the ImportJob row as it happens, outside
that transaction, so the web page and the CLI can show it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from fazhi.core import audit
from fazhi.core.permissions import require_role
from fazhi.monitoring import files, judging, services
from fazhi.monitoring.cleanup import UPLOAD_GONE, unpacking_dir, upload_remove
from fazhi.monitoring.gis import crs as gis_crs
from fazhi.monitoring.gis import read as gis_read
from fazhi.monitoring.gis.archive import ArchiveLimits
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.models import (
    ImportJob,
    JobState,
    LayerKind,
    LayerVersion,
    Patch,
    PatchBatch,
    PatchOverlap,
    PatchState,
    ReferenceLayer,
)

Progress = Callable[[str, int, int], None]
STALE_AFTER = dt.timedelta(minutes=2)  # a running job silent this long was cut off
KEY_ATTRS = 8  # attributes of an overlapped feature kept beside the overlap


def _root() -> Path:
    return Path(settings.MONITORING_ROOT)


# --- jobs ---------------------------------------------------------------------------


def job_create(*, actor, kind: str, file, params: dict) -> ImportJob:
    """Keep the uploaded file and open a job to inspect it."""
    require_role(actor, actor.org_unit, services.OFFICER)
    if kind not in ("layer", "batch"):
        raise ValidationError({"kind": "导入类别应为图层或图斑批次"})
    if kind == "batch":
        services.batch_meta_check(actor=actor, meta=_meta(params))
    name = Path(str(file.name)).name or "upload"
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    upload_path = files.upload_save(name, file)
    with transaction.atomic():
        job = ImportJob.objects.create(
            org_unit=actor.org_unit, kind=kind, params=params, created_by=actor,
            upload_path=upload_path, message="等待读取文件")
        audit.record(actor=actor, obj=job, action="monitoring.import_upload",
                     summary=f"上传待导入文件“{name}”",
                     after={"kind": kind, "sha256": digest.hexdigest()})
    return job


def job_confirm(*, job: ImportJob, actor, choices: dict) -> ImportJob:
    """Record the person's confirmation of the preview and queue the import proper."""
    _own(job, actor)
    if job.state != JobState.INSPECTED:
        raise ValidationError({"state": "该导入不在待确认状态"})
    params = {**job.params, **{k: v for k, v in choices.items() if k != "confirmed"}}
    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, state=JobState.INSPECTED).update(
                params=params, phase="import", state=JobState.QUEUED, done=0, total=0,
                message="等待导入", updated_at=timezone.now()):
            raise ValidationError({"state": "该导入刚被他人确认"})
        audit.record(actor=actor, obj=job, action="monitoring.import_confirm",
                     summary="确认导入", after={"choices": choices})
    job.refresh_from_db()
    return job


def job_retry(*, job: ImportJob, actor) -> ImportJob:
    """Queue a failed or cut-off job again (each phase may safely run again)."""
    _own(job, actor)
    if job.state != JobState.FAILED and not job_is_stale(job):
        raise ValidationError({"state": "该导入正在进行或已完成，不需重试"})
    if not files.exists(job.upload_path):
        raise ValidationError({"state": UPLOAD_GONE})
    with transaction.atomic():
        # Conditional on what we saw: the daily sweep may have just removed the file.
        if not ImportJob.objects.filter(pk=job.pk, state=job.state,
                                        updated_at=job.updated_at).update(
                state=JobState.QUEUED, error="", message="等待重试",
                updated_at=timezone.now()):
            raise ValidationError({"state": "该导入刚有变化，请刷新后再看"})
        audit.record(actor=actor, obj=job, action="monitoring.import_retry",
                     summary="重试导入", before={"state": job.state, "error": job.error})
    job.refresh_from_db()
    return job


def _stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "MONITORING_IMPORT_STALE_SECONDS",
                                        STALE_AFTER.total_seconds()))


def job_is_stale(job: ImportJob) -> bool:
    return (job.state == JobState.RUNNING
            and timezone.now() - job.updated_at > _stale_after())


def _own(job: ImportJob, actor) -> None:
    if actor.pk != job.created_by_id:
        raise PermissionDenied("只有上传文件的人可以确认或重试这次导入")


def job_start(job: ImportJob) -> None:
    """Run the job's next phase: inline (tests, CLI) or in a task queue's worker."""
    if getattr(settings, "MONITORING_IMPORT_INLINE", False):
        job_run(job.pk)
        return
    # After the commit, so the worker finds the job as queued.
    transaction.on_commit(lambda: import_job_run.enqueue(job.pk), robust=False)


# The worker holds this session lock (PostgreSQL) on a job while it runs it: the lock
# dies with the worker's connection, so a job RUNNING but unlocked was cut off.
_LOCK_SPACE = 19_0001


def _session_lock(pk: int, *, wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        fn = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        cursor.execute(f"SELECT {fn}(%s, %s)", [_LOCK_SPACE, pk])
        got = cursor.fetchone()[0]
    return got is None or bool(got)  # pg_advisory_lock returns void (None)


def _session_unlock(pk: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, pk])


def jobs_reclaim() -> list[int]:
    """Queue again the jobs a killed worker (kill -9, a lost machine) left running.

    On PostgreSQL a running job whose worker's session lock is free was cut off,
    whatever its age; on SQLite (one machine) a job silent past the stale time.
    Each phase is safe to run again: nothing lands before the last transaction.
    Called when a worker starts (fazhi.cli) and by the daily sweep.
    """
    requeued = []
    for job in ImportJob.objects.filter(state=JobState.RUNNING).only("pk", "updated_at"):
        if connection.vendor == "postgresql":
            if not _session_lock(job.pk, wait=False):
                continue  # its worker is alive
            _session_unlock(job.pk)
        elif timezone.now() - job.updated_at <= _stale_after():
            continue
        with transaction.atomic():
            if ImportJob.objects.filter(pk=job.pk, state=JobState.RUNNING,
                                        updated_at=job.updated_at).update(
                    state=JobState.QUEUED, message="工作进程中断，等待重新导入",
                    updated_at=timezone.now()):
                requeued.append(job.pk)
                _task_rows_cut_off(job.pk)
                job_start(job)
    return requeued


def jobs_reclaim_sweep(*, as_of) -> int:
    """The daily sweep's hook: on PostgreSQL, reclaim what a lost worker left.

    On SQLite it leaves this to a worker starting: there a job is judged only by its
    silence, and a long silent phase of a live worker must not be run twice.
    """
    if connection.vendor != "postgresql":
        return 0
    return len(jobs_reclaim())


def _task_rows_cut_off(pk: int) -> None:
    """Mark the queue's row of the killed run failed, so the queue tells the truth."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        task_path=f"{__name__}.import_job_run")
    for row in rows.only("pk", "args_kwargs"):
        if (row.args_kwargs or {}).get("args") == [pk]:
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now())


@task()
def import_job_run(pk: int) -> str:
    """The worker's task: run an import job's next phase (reading, or indexing/overlay
    and landing). The job's own row holds the state and progress; a worker killed
    mid-run leaves it RUNNING, and the next worker to start queues it again
    (jobs_reclaim)."""
    return job_run(pk).state


def job_run(pk: int, *, echo: Progress | None = None) -> ImportJob:
    """Claim a queued job and run its phase; a failure is recorded, never raised."""
    _session_lock(pk, wait=True)
    try:
        if not ImportJob.objects.filter(pk=pk, state=JobState.QUEUED).update(
                state=JobState.RUNNING, updated_at=timezone.now()):
            return ImportJob.objects.get(pk=pk)
        job = ImportJob.objects.select_related("created_by", "org_unit").get(pk=pk)
        report = _reporter(job, echo)
        try:
            if job.phase == "inspect":
                _inspect(job, report)
            else:
                result = _import(job, report)
                _finish(job, state=JobState.DONE, result_id=result.pk,
                        message="导入完成", finished_at=timezone.now())
                upload_remove(job)  # the delivered file is kept under sources/
        except (GisError, ValidationError, PermissionDenied, OSError) as exc:
            _finish(job, state=JobState.FAILED, error=_text(exc), message="未导入",
                    finished_at=timezone.now())
        job.refresh_from_db()
        return job
    finally:
        _session_unlock(pk)


def _text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _finish(job: ImportJob, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **fields)


def _reporter(job: ImportJob, echo: Progress | None) -> Progress:
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        if echo is not None:
            echo(stage, done, total)
        now = time.monotonic()
        if now - last[0] < 0.3 and done < total:
            return
        last[0] = now
        _finish(job, done=done, total=total, message=stage[:255])

    return report




def _reading(params: dict) -> dict:
    limits = ArchiveLimits(max_bytes=settings.MONITORING_UNZIP_MAX_BYTES,
                           max_ratio=settings.MONITORING_UNZIP_MAX_RATIO)
    return {"encoding": params.get("encoding") or None,
            "crs": params.get("crs") or None,
            "id_field": params.get("id_field") or None, "limits": limits,
            "workdir": unpacking_dir()}


def _inspect(job: ImportJob, report: Progress) -> None:
    with files.local_copy(job.upload_path) as path:
        found = gis_read.inspect(path, progress=report, **_reading(job.params))
    inspection = {
        "format": found.format, "feature_count": found.feature_count,
        "fields": found.fields, "encoding": found.encoding,
        "encoding_source": found.encoding_source,
        "preview": [{k: _show(v) for k, v in row.items()} for row in found.preview],
        "crs": found.crs, "crs_problem": found.crs_problem, "id_field": found.id_field,
        "geometry_type": found.geometry_type,
        "problems": [list(p) for p in found.problems[:200]],
        "problem_count": len(found.problems),
    }
    params = {**job.params, "inspection": inspection,
              "encoding": job.params.get("encoding") or found.encoding,
              "id_field": job.params.get("id_field") or found.id_field or ""}
    _finish(job, state=JobState.INSPECTED, params=params, message="请核对预览后确认导入")


def _show(value) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    return value


def _import(job: ImportJob, report: Progress):
    p = job.params
    with files.local_copy(job.upload_path) as path:
        if job.kind == "layer":
            # Indexed chunk by chunk straight from the file: a province's ten million
            # parcels are never all in memory (LayerStore.build_from_file).
            return layer_version_create(actor=job.created_by, params=p, path=path,
                                        reading=_reading(p), progress=report)
        data = gis_read.read(path, invalid=p.get("invalid", "reject"),
                             progress=report, **_reading(p))
        source = _keep_source(path)
    return batch_import(actor=job.created_by, meta=_meta(p), data=data, source=source,
                        progress=report)


def _keep_source(path: Path) -> dict:
    """Keep the delivered file by its hash (written once), for the record."""
    sha = files.sha256(path)
    files.source_keep(path, sha)
    return {"name": path.name, "sha256": sha}


def _meta(p: dict) -> services.BatchMeta:
    day = lambda k: dt.date.fromisoformat(p[k]) if p.get(k) else None  # noqa: E731
    return services.BatchMeta(
        code=p.get("code", ""), period=p.get("period", ""),
        source=p.get("source", "satellite"), received_on=day("received_on"),
        imagery_before=day("imagery_before"), imagery_after=day("imagery_after"),
        source_detail=p.get("source_detail", ""), check_due_on=day("check_due_on"))


# --- layers -------------------------------------------------------------------------


@dataclass
class LayerFacts:
    """What a layer version records of the file it was indexed from."""

    count: int
    crs: int
    encoding: str
    id_field: str | None
    fields: list[str]
    field_types: list[str]
    repaired: list

    @classmethod
    def of_data(cls, data) -> LayerFacts:
        return cls(len(data), data.crs, data.encoding, data.id_field, data.fields,
                   data.field_types, [list(r) for r in data.repaired])

    @classmethod
    def of_store(cls, store) -> LayerFacts:
        s = store.meta["source"]
        return cls(store.count, s["epsg"], s["encoding"], s["id_field"], s["fields"],
                   s["field_types"], s["repaired"])


def layer_version_create(*, actor, params: dict, data=None, path: Path | None = None,
                         source: dict | None = None, reading: dict | None = None,
                         progress: Progress | None = None) -> LayerVersion:
    """Index a layer as the next version of a layer, and make it current.

    Either ``data`` (a LayerData in memory, with ``source``) or ``path``, the delivered
    file, indexed chunk by chunk (``reading``: encoding, CRS, id field, limits) and
    kept by its hash once indexed.
    """
    from fazhi.monitoring.gis.store import LayerStore

    require_role(actor, actor.org_unit, services.OFFICER)
    kind, name = params.get("kind", ""), (params.get("name") or "").strip()
    if kind not in LayerKind.values:
        raise ValidationError({"kind": "请选择图层类别"})
    if not name:
        raise ValidationError({"name": "请填写图层名称"})
    known = data.fields if data is not None else (
        (params.get("inspection") or {}).get("fields"))
    if known is not None:
        _check_named_fields(params, known)
    layer = ReferenceLayer.objects.filter(org_unit=actor.org_unit, kind=kind,
                                          name=name).first()
    version = 1 + (LayerVersion.objects.filter(layer=layer).aggregate(
        v=Max("version"))["v"] or 0 if layer else 0)
    rel = f"layers/{actor.org_unit.division_code}/{kind}/{uuid.uuid4().hex[:12]}-v{version}"
    folder = _root() / rel
    if data is not None:
        store = LayerStore.build(data, folder, progress=progress)
        facts = LayerFacts.of_data(data)
    else:
        store = LayerStore.build_from_file(
            path, folder, invalid=params.get("invalid", "reject"), chunk=gis_read.CHUNK,
            progress=progress, **(reading or {}))
        facts = LayerFacts.of_store(store)
    area_epsg = store.epsg
    if files.remote():
        # Every node reads the index from object storage (files.index_local).
        try:
            files.index_publish(folder, rel)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    try:
        _check_named_fields(params, facts.fields)
        if source is None:
            source = _keep_source(path)
        with transaction.atomic():
            return _layer_version_save(actor, params, facts, source, layer, version,
                                       rel, area_epsg)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        if files.remote():
            files.index_delete(rel)
        raise


def _check_named_fields(params: dict, fields: list[str]) -> None:
    for field in ("key_field", "valid_until_field"):
        if params.get(field) and params[field] not in fields:
            raise ValidationError({field: f"文件中没有字段 {params[field]}；现有字段："
                                          f"{'、'.join(fields)}"})


def _layer_version_save(actor, params, data: LayerFacts, source, layer, version,
                        rel: str, area_epsg) -> LayerVersion:
    kind, name = params["kind"], params["name"].strip()
    if layer is None:
        layer = ReferenceLayer.objects.create(org_unit=actor.org_unit, kind=kind,
                                              name=name)
    layer.key_field = params.get("key_field", "") or layer.key_field
    layer.valid_until_field = (params.get("valid_until_field", "")
                               or layer.valid_until_field)
    layer.save(update_fields=["key_field", "valid_until_field"])
    layer.versions.filter(is_current=True).update(is_current=False)
    lv = LayerVersion.objects.create(
        layer=layer, version=version, source_name=source["name"],
        source_sha256=source["sha256"], feature_count=data.count, crs_epsg=data.crs,
        area_epsg=area_epsg, encoding=data.encoding, id_field=data.id_field or "",
        fields=[{"name": n, "type": t} for n, t in zip(data.fields, data.field_types,
                                                       strict=True)],
        repaired=[list(r) for r in data.repaired], note=params.get("note", ""),
        store_path=rel, imported_by=actor)
    audit.record(actor=actor, obj=lv, action="monitoring.layer_import",
                 org_unit=layer.org_unit,
                 summary=f"导入图层“{layer.name}”第{version}版（{data.count} 个要素）",
                 after={"layer": layer.pk, "version": version,
                        "source_sha256": source["sha256"], "features": data.count,
                        "repaired": len(data.repaired)})
    return lv


def layer_store(version: LayerVersion):
    from fazhi.monitoring.gis.store import LayerStore

    return LayerStore.open(files.index_local(version.store_path))


# --- batches ------------------------------------------------------------------------


def batch_import(*, actor, meta: services.BatchMeta, data, source: dict,
                 progress: Progress | None = None) -> PatchBatch:
    """Overlay the patches on the current layers, pre-judge them, and land the batch."""
    services.batch_meta_check(actor=actor, meta=meta)
    area_epsg = gis_crs.area_crs_for(data.geoms, data.crs)
    versions = list(LayerVersion.objects.filter(
        layer__org_unit=actor.org_unit, is_current=True).select_related("layer"))
    overlaps = _overlay_all(data.ids, data.geoms, data.crs, versions, progress)
    features = services.Features(
        ids=data.ids, attrs=[data.row(i) for i in range(len(data))], geoms=data.geoms,
        crs_epsg=data.crs, area_epsg=area_epsg,
        fields=[{"name": n, "type": t} for n, t in zip(data.fields, data.field_types,
                                                       strict=True)],
        encoding=data.encoding, id_field=data.id_field or "", repaired=data.repaired,
        source_name=source["name"], source_sha256=source["sha256"])
    with transaction.atomic():
        batch = services.batch_create(actor=actor, meta=meta, features=features)
        _land_overlaps(batch, overlaps, versions)
    return batch


def batch_overlay_refresh(*, batch: PatchBatch, actor,
                          progress: Progress | None = None) -> int:
    """Overlay a batch again on the current layers (after a layer changed).

    Pre-judgements of patches not yet sent out are renewed; verdicts never change.
    Safe to run again: the batch's overlaps are replaced in one transaction.
    """
    import shapely

    require_role(actor, batch, services.OFFICER)
    patches = list(batch.patches.only("pk", "code", "geom_wkb"))
    geoms = np.array([shapely.from_wkb(bytes(p.geom_wkb)) for p in patches], dtype=object)
    versions = list(LayerVersion.objects.filter(
        layer__org_unit=batch.org_unit, is_current=True).select_related("layer"))
    overlaps = _overlay_all([p.code for p in patches], geoms, batch.crs_epsg, versions,
                            progress)
    with transaction.atomic():
        PatchOverlap.objects.filter(patch__batch=batch).delete()
        n = _land_overlaps(batch, overlaps, versions)
        audit.record(actor=actor, obj=batch, action="monitoring.batch_overlay",
                     summary=f"批次 {batch.code} 重新叠加分析（{n} 条重叠记录）",
                     after={"versions": [v.pk for v in versions], "overlaps": n})
    return n


def _overlay_all(ids, geoms, epsg: int, versions, progress) -> dict:
    """Overlay patches on each layer version: {version pk: {patch id: (m2, share, feats)}}."""
    from fazhi.monitoring.gis.overlay import feature_overlaps

    projected = gis_crs.project(np.asarray(geoms, dtype=object), epsg)
    result = {}
    for i, version in enumerate(versions, start=1):
        if progress:
            progress(f"叠加分析：{version.layer.name}（{i}/{len(versions)}）", i - 1,
                     len(versions))
        store = layer_store(version)
        found = feature_overlaps(projected, store)
        result[version.pk] = _per_patch(list(ids), found, store, version)
    if progress and versions:
        progress("叠加分析完成", len(versions), len(versions))
    return result


def _per_patch(ids: list[str], found, store, version) -> dict:
    """Group per-feature overlaps by patch, keeping the proving attributes."""
    layer = version.layer
    fids = store.ids(found.feature)
    attrs = store.attributes(found.feature)
    grouped: dict[str, list] = {}
    for k, p in enumerate(found.patch):
        grouped.setdefault(ids[int(p)], []).append(
            _feature_entry(fids[k], int(found.feature[k]), float(found.area_m2[k]),
                           attrs[k], layer))
    # One pass over the pairs, not one mask per patch (that was patches × pairs).
    totals = np.bincount(found.patch, weights=found.area_m2, minlength=len(ids))
    out = {}
    for p in np.unique(found.patch).tolist():
        feats = sorted(grouped[ids[p]], key=lambda f: -f["overlap_m2"])
        total = float(totals[p])
        whole = float(found.patch_area_m2[p])
        out[ids[p]] = (total, min(1.0, total / whole) if whole > 0 else 0.0, feats)
    return out


def _feature_entry(fid, index: int, m2: float, attrs: dict,
                   layer: ReferenceLayer) -> dict:
    valid = judging.parse_day(attrs.get(layer.valid_until_field)) if (
        layer.valid_until_field) else None
    return {"id": str(fid), "index": index, "overlap_m2": round(m2, 2),
            "key": str(attrs.get(layer.key_field) or "") if layer.key_field else "",
            "valid_until": valid.isoformat() if valid else "",
            "attrs": {k: services._plain({k: v})[k]
                      for k, v in list(attrs.items())[:KEY_ATTRS]}}


def _land_overlaps(batch: PatchBatch, overlaps: dict, versions) -> int:
    rules = services.prejudge_rules()
    patches = {p.code: p for p in batch.patches.only("pk", "code", "state")}
    rows, facts = [], {code: [] for code in patches}
    for version in versions:
        for code, (m2, share, feats) in overlaps.get(version.pk, {}).items():
            patch = patches[code]
            rows.append(PatchOverlap(patch=patch, layer_version=version,
                                     overlap_m2=m2, share=share, features=feats))
            facts[code].append(judging.Overlap(
                kind=version.layer.kind, m2=m2, share=share,
                valid_until=tuple(judging.parse_day(f["valid_until"]) for f in feats)))
    PatchOverlap.objects.bulk_create(rows, batch_size=500)
    on = batch.imagery_after or batch.received_on
    for code, patch in patches.items():
        if patch.state != PatchState.PENDING:
            continue
        pj = judging.prejudge(rules, facts[code], on)
        Patch.objects.filter(pk=patch.pk).update(
            prejudgement=pj.result, prejudgement_reasons=list(pj.reasons),
            priority=pj.priority)
    return len(rows)


def overlap_outlines(overlap: PatchOverlap) -> list[dict]:
    """Outlines (lon/lat GeoJSON) of the features a patch overlaps, for its map."""
    import shapely

    try:
        store = layer_store(overlap.layer_version)
    except (GisError, OSError):
        return []
    feats = [f for f in overlap.features[:50] if "index" in f]
    if not feats:
        return []
    geoms = store.geometries(np.array([f["index"] for f in feats], dtype=np.intp))
    lonlat = gis_crs.transform(geoms, store.epsg, 4490)
    layer = overlap.layer_version.layer
    return [{"type": "Feature", "geometry": shapely.geometry.mapping(g),
             "properties": {"role": "layer", "layer": layer.name, "code": f["id"],
                            "kind": layer.kind}}
            for f, g in zip(feats, lonlat, strict=True)]

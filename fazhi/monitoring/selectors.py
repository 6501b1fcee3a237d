"""Read queries for layers, batches and patches, scoped to the caller's subtree."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from fazhi.core.filters import narrow, search
from fazhi.core.models import AuditEvent, Evidence
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.core.selectors import staff_for_work
from fazhi.monitoring.models import (
    CheckTask,
    FieldPhoto,
    ImportJob,
    LayerVersion,
    Patch,
    PatchBatch,
    PatchState,
    Priority,
    Rectification,
    ReferenceLayer,
)

READ_ROLES = (Role.ENFORCEMENT_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR,
              Role.LEGAL_REVIEWER)
WORK_ROLES = (Role.ENFORCEMENT_OFFICER,)
STATES = [s for s, _ in PatchState.choices]


@dataclass(frozen=True)
class PatchFilters:
    state: str = ""
    priority: str = ""
    prejudgement: str = ""
    verdict: str = ""
    q: str = ""


def layer_list(*, actor) -> QuerySet:
    return scoped(ReferenceLayer.objects.select_related("org_unit"), actor)


def layer_versions_current(*, org_unit) -> list[LayerVersion]:
    """The current version of each layer of ``org_unit`` (what a new batch meets)."""
    return list(LayerVersion.objects.filter(layer__org_unit=org_unit, is_current=True)
                .select_related("layer"))


def batch_list(*, actor) -> QuerySet:
    """Batches of the subtree with their patches counted by state."""
    counts = {f"n_{s}": Count("patches", filter=Q(patches__state=s)) for s in STATES}
    return scoped(PatchBatch.objects.select_related("org_unit"), actor).annotate(
        n_total=Count("patches"),
        n_high=Count("patches", filter=Q(patches__priority=Priority.HIGH)),
        n_illegal=Count("patches", filter=Q(patches__verdict="illegal")), **counts)


def batch_get(*, actor, pk) -> PatchBatch:
    return get_scoped_or_404(PatchBatch.objects.select_related("org_unit"), actor, pk=pk)


def batch_progress(batch: PatchBatch) -> dict:
    """Count the batch's patches by state, pre-judgement and verdict."""
    patches = batch.patches.all()
    by = lambda f: dict(patches.values_list(f).annotate(n=Count("pk")).order_by(f))  # noqa: E731
    states = by("state")
    total = sum(states.values())
    decided = total - sum(states.get(s, 0) for s in (
        PatchState.PENDING, PatchState.ASSIGNED, PatchState.CHECKED))
    return {"total": total, "states": states, "prejudgements": by("prejudgement"),
            "verdicts": {k: v for k, v in by("verdict").items() if k},
            "priorities": by("priority"), "decided": decided,
            "percent": int(100 * decided / total) if total else 0}


def patch_list(*, actor, batch: PatchBatch | None = None,
               filters: PatchFilters | None = None) -> QuerySet:
    f = filters or PatchFilters()
    qs = scoped(Patch.objects.select_related("batch", "org_unit"), actor).defer(
        "geom_wkb", "geojson")
    if batch is not None:
        qs = qs.filter(batch=batch)
    qs = narrow(qs, state=f.state, priority=f.priority, prejudgement=f.prejudgement,
                verdict=f.verdict)
    return search(qs, f.q, "code", "location").order_by(_priority_order(), "code")


def _priority_order():
    from django.db.models import Case, IntegerField, Value, When

    return Case(When(priority=Priority.HIGH, then=Value(0)),
                When(priority=Priority.NORMAL, then=Value(1)),
                default=Value(2), output_field=IntegerField())


def patch_get(*, actor, pk) -> Patch:
    return get_scoped_or_404(Patch.objects.select_related("batch", "org_unit", "lead",
                                                          "verdict_by"), actor, pk=pk)


def patch_tasks(patch: Patch) -> list[CheckTask]:
    return list(patch.tasks.select_related("assignee").order_by("-pk"))


def patch_photos(patch: Patch) -> list[FieldPhoto]:
    return list(FieldPhoto.objects.filter(task__patch=patch)
                .select_related("evidence", "task__assignee"))


def patch_rectifications(patch: Patch) -> list[Rectification]:
    return list(patch.rectifications.all())


def rectification_get(*, actor, pk) -> Rectification:
    return get_scoped_or_404(Rectification.objects.select_related("patch__batch"),
                             actor, pk=pk)


def rectification_photos(rect: Rectification) -> list[Evidence]:
    from django.contrib.contenttypes.models import ContentType

    return list(Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(rect), object_id=str(rect.pk)))


def patch_timeline(patch: Patch) -> QuerySet:
    return AuditEvent.objects.filter(object_type=Patch._meta.label,
                                     object_id=str(patch.pk)).select_related(
        "actor").order_by("seq")


def officers(*, org_unit) -> QuerySet:
    return staff_for_work(org_unit=org_unit, roles=[Role.ENFORCEMENT_OFFICER])


def job_get(*, actor, pk) -> ImportJob:
    return get_scoped_or_404(ImportJob.objects.all(), actor, pk=pk)


def subtree_progress(*, actor) -> list[dict]:
    """Per bureau of the subtree: patches received, checked, decided, illegal, rectified."""
    rows = (scoped(Patch.objects.all(), actor).values("org_unit__name", "org_unit__path")
            .annotate(total=Count("pk"),
                      checked=Count("pk", filter=~Q(state__in=[PatchState.PENDING,
                                                                PatchState.ASSIGNED])),
                      decided=Count("pk", filter=Q(verdict__gt="")),
                      illegal=Count("pk", filter=Q(verdict="illegal")),
                      rectified=Count("pk", filter=Q(state=PatchState.RECTIFIED)))
            .order_by("org_unit__path"))
    return list(rows)

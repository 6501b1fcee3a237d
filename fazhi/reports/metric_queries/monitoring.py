"""Satellite-patch metrics."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q
from django.utils import timezone

from fazhi.reports.metric_queries.base import (
    Period,
    RecordRef,
    day_bounds,
    in_subtree,
    refs,
    url_maker,
    values_of,
)

# --- satellite patches (fazhi.monitoring) -------------------------------------------


def _patch_refs(qs, on, *fields: str) -> list[RecordRef]:
    rows = sorted(values_of(qs, "code", "batch__code", *fields),
                  key=lambda x: (on(x) or dt.date.min, x.pk))
    return refs(rows, url_maker("monitoring:patch_detail"),
                 lambda x: f"{x.batch__code} 图斑 {x.code}", on)


def _patches(org):
    from fazhi.monitoring.models import Patch

    return Patch.objects.filter(in_subtree(org))


def _patches_received(org, p: Period) -> list[RecordRef]:
    rows = _patches(org).filter(batch__received_on__range=p)
    return _patch_refs(rows, lambda x: x.batch__received_on, "batch__received_on")


def _patches_checked(org, p: Period) -> list[RecordRef]:
    from fazhi.monitoring.models import TaskState

    first, after = day_bounds(p)
    submitted = Q(tasks__state=TaskState.SUBMITTED)
    rows = (_patches(org).annotate(checked_at=Min("tasks__submitted_at",
                                                  filter=submitted))
            .filter(checked_at__gte=first, checked_at__lt=after))
    return _patch_refs(rows, lambda x: timezone.localdate(x.checked_at), "checked_at")


def _patches_illegal(org, p: Period) -> list[RecordRef]:
    rows = _patches(org).filter(verdict="illegal", verdict_on__range=p)
    return _patch_refs(rows, lambda x: x.verdict_on, "verdict_on")


def _patches_rectified(org, p: Period) -> list[RecordRef]:
    from fazhi.monitoring.models import PatchState, RectificationState

    done = Q(rectifications__state=RectificationState.DONE)
    rows = (_patches(org).filter(state=PatchState.RECTIFIED)
            .annotate(rectified_on=Min("rectifications__done_on", filter=done))
            .filter(rectified_on__range=p))
    return _patch_refs(rows, lambda x: x.rectified_on, "rectified_on")


MONITORING = {"patches.received": _patches_received,
              "patches.checked": _patches_checked,
              "patches.illegal": _patches_illegal,
              "patches.rectified": _patches_rectified}

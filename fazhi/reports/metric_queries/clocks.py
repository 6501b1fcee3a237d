"""The bureau's overdue matters (deadlines.overdue), the one figure every page shows."""

from __future__ import annotations

from django.utils import timezone

from fazhi.reports.metric_queries.base import (
    Period,
    RecordRef,
    in_subtree,
    url_maker,
)


def _overdue(org, p: Period) -> list[RecordRef]:
    """One record per matter overdue at the period's end (today, while it runs)."""
    from fazhi.core import matter_kinds
    from fazhi.deadlines.models import Clock
    from fazhi.deadlines.overdue import one_per_matter, overdue_on_q

    today = timezone.localdate()
    day = min(p[1], today)
    clocks = one_per_matter(Clock.objects.filter(
        overdue_on_q(day, today), in_subtree(org)).order_by("due_date", "pk"))
    rows = clocks.order_by("due_date", "pk").values_list(
        "pk", "title", "due_date", "content_type__app_label")
    url = url_maker("web:clock_detail")
    return [RecordRef(label=f"{title}（届满 {due}）", url=url(pk), on=due,
                      key=matter_kinds.module_label(app)) for pk, title, due, app in rows]


CLOCKS = {"clocks.overdue": _overdue}

"""The dashboards' deadline figures: running clocks as of today, by module or unit.

Three windows (``CLOCK_KINDS``): past the due date (the module's 超期 matters), due
within the next seven days, and turned red since Monday. A paused clock is in none:
it is not counting. Each count links to the list of the clocks it counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from fazhi.core import matter_kinds
from fazhi.core.models import OrgUnit
from fazhi.deadlines.models import Clock, ClockState

SOON_DAYS = 7  # "turning red this week": due within the next seven days
CLOCK_KINDS = {"overdue": "已超期", "soon": "7日内届满", "turned": "本周转为超期"}


def clock_windows(today: dt.date) -> dict[str, Q]:
    """Filters of running clocks: past due, due within 7 days, turned red this week.

    A clock turns red the day after its due date (engine.clock_status), so one that
    turned red since Monday fell due between the Sunday before and yesterday.
    """
    monday = today - dt.timedelta(days=today.weekday())
    return {
        "overdue": Q(due_date__lt=today),
        "soon": Q(due_date__gte=today, due_date__lte=today + dt.timedelta(SOON_DAYS)),
        "turned": Q(due_date__gte=monday - dt.timedelta(days=1), due_date__lt=today),
    }


def clock_queryset(*, org: OrgUnit, today: dt.date, kind: str,
                   modules: Sequence[str] = ()) -> QuerySet[Clock]:
    """The running clocks of ``org``'s subtree in one window, soonest first."""
    qs = Clock.objects.filter(org_unit__path__startswith=org.path,
                              state=ClockState.RUNNING).filter(clock_windows(today)[kind])
    if modules:
        qs = qs.filter(content_type__app_label__in=modules)
    return qs.order_by("due_date", "pk")


@dataclass
class ClockRow:
    """Counts of one module's clocks (or of one unit under a city)."""

    label: str
    module: str  # app label, "" for a total
    counts: dict[str, int] = field(default_factory=dict)
    hrefs: dict[str, str] = field(default_factory=dict)


def clocks_url(org: OrgUnit, kind: str, module: str = "",
               modules: Sequence[str] = ()) -> str:
    query = {"org": org.division_code, "kind": kind}
    if module:
        query["module"] = module
    elif modules:
        query["module"] = ",".join(modules)
    return f"{reverse('reports:dashboard_clocks')}?{urlencode(query)}"


def clock_counts(*, org: OrgUnit, today: dt.date,
                 modules: Sequence[str] = ()) -> list[ClockRow]:
    """Per module: running clocks past due, due within 7 days, turned red this week;
    the last row is the total. One grouped query."""
    qs = Clock.objects.filter(org_unit__path__startswith=org.path,
                              state=ClockState.RUNNING)
    if modules:
        qs = qs.filter(content_type__app_label__in=modules)
    aggs = {k: Count("pk", filter=q) for k, q in clock_windows(today).items()}
    grouped = {r["content_type__app_label"]: r for r in
               qs.values("content_type__app_label").order_by().annotate(**aggs)}
    labels = list(modules) or sorted(grouped, key=_module_order)
    rows = []
    for app in labels:
        counts = {k: grouped.get(app, {}).get(k, 0) for k in CLOCK_KINDS}
        rows.append(ClockRow(matter_kinds.module_label(app), app, counts,
                             {k: clocks_url(org, k, app) for k in CLOCK_KINDS}))
    total = {k: sum(r.counts[k] for r in rows) for k in CLOCK_KINDS}
    rows.append(ClockRow("合计", "", total,
                         {k: clocks_url(org, k, modules=modules) for k in CLOCK_KINDS}))
    return rows


def _module_order(app: str) -> tuple[int, str]:
    """The modules in the matter registry's order; any other app after them."""
    order = list(dict.fromkeys(k.app_label for k in matter_kinds.kinds()))
    return (order.index(app) if app in order else len(order), app)


def clock_counts_by_unit(*, org: OrgUnit, units: Sequence[OrgUnit], today: dt.date,
                         modules: Sequence[str] = ()) -> dict[int, dict[str, int]]:
    """Counts of each unit's subtree (by unit pk; units lie under ``org``, which
    may be one of them), from one query grouped by bureau."""
    qs = Clock.objects.filter(org_unit__path__startswith=org.path,
                              state=ClockState.RUNNING)
    if modules:
        qs = qs.filter(content_type__app_label__in=modules)
    aggs = {k: Count("pk", filter=q) for k, q in clock_windows(today).items()}
    out = {u.pk: dict.fromkeys(CLOCK_KINDS, 0) for u in units}
    for row in qs.values("org_unit__path").order_by().annotate(**aggs):
        for u in units:
            if row["org_unit__path"].startswith(u.path):
                for k in CLOCK_KINDS:
                    out[u.pk][k] += row[k]
    return out

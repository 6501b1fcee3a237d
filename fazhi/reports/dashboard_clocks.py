"""The dashboards' deadline figures: the bureau's running duties as of today, by
module or unit, counted in matters.

Three windows (``CLOCK_KINDS``): past the due date (the module's 超期 matters, as
``deadlines.overdue`` means it everywhere), due within the next seven days, and
turned red since Monday. Only the bureau's own statutory duties count: a party's
window or the bureau's own promise is never its 超期. A paused clock is in none: it
is not counting. A matter counts once however many of its clocks are in a window,
and each count links to the list of those matters (one clock each).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from fazhi.core import matter_kinds
from fazhi.core.models import OrgUnit
from fazhi.deadlines.models import Clock, ClockState
from fazhi.deadlines.overdue import bureau_q, one_per_matter

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


def _running(org: OrgUnit, modules: Sequence[str]) -> QuerySet[Clock]:
    qs = Clock.objects.filter(bureau_q(), org_unit__path__startswith=org.path,
                              state=ClockState.RUNNING)
    if modules:
        qs = qs.filter(content_type__app_label__in=modules)
    return qs


def clock_queryset(*, org: OrgUnit, today: dt.date, kind: str,
                   modules: Sequence[str] = ()) -> QuerySet[Clock]:
    """One running duty per matter of ``org``'s subtree in one window, soonest
    first."""
    qs = _running(org, modules).filter(clock_windows(today)[kind])
    return one_per_matter(qs.order_by("due_date", "pk")).order_by("due_date", "pk")


def _matters(qs: QuerySet[Clock], today: dt.date) -> dict[str, set]:
    """Per window: the matters (app, path, content type, object) with a clock in it."""
    out: dict[str, set] = {}
    for kind, window in clock_windows(today).items():
        out[kind] = set(qs.filter(window).values_list(
            "content_type__app_label", "org_unit__path", "content_type_id",
            "object_id"))
    return out


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
    """Per module: matters with a duty past due, due within 7 days, turned red this
    week; the last row is the total. One query per window."""
    matters = _matters(_running(org, modules), today)
    grouped: dict[str, dict[str, int]] = {}
    for kind, keys in matters.items():
        for app, *_ in keys:
            counts = grouped.setdefault(app, dict.fromkeys(CLOCK_KINDS, 0))
            counts[kind] += 1
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
    """Counts of matters of each unit's subtree (by unit pk; units lie under
    ``org``, which may be one of them), one query per window."""
    out = {u.pk: dict.fromkeys(CLOCK_KINDS, 0) for u in units}
    for kind, keys in _matters(_running(org, modules), today).items():
        for _, path, *_ in keys:
            for u in units:
                if path.startswith(u.path):
                    out[u.pk][kind] += 1
    return out

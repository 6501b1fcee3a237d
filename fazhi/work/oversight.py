"""What heads see beside their own work: their people's overdue items, and above a
county the items waiting in each bureau of the subtree.

The principal and the supervisor oversee the whole bureau, the head of the
disclosure office its officers (``core.role_names.OVERSEES``). A city or province
user handles no county's matters, so they see counts per bureau, not the items.
Both are derived like the person's own list: a few queries per kind of matter.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Count, Q

from fazhi.core import matter_kinds
from fazhi.core.models import OrgLevel, OrgUnit
from fazhi.core.role_names import OVERSEES, ROLE_LABELS
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.deadlines.models import Clock
from fazhi.deadlines.overdue import overdue_q
from fazhi.work.items import (
    OPEN_CLOCKS,
    WorkItem,
    clock_items,
    extensions_pending,
    kind_items,
    order,
    role_clocks_q,
    tabled_kinds,
    waiting_q,
    with_due,
)


def overseen_roles(user) -> frozenset[str]:
    """The roles whose work ``user`` oversees in their bureau (empty: none)."""
    found: set[str] = set()
    for role in user.roles:
        if role in OVERSEES:
            found |= OVERSEES[role] if OVERSEES[role] is not None else BUSINESS_ROLES
    return frozenset(found)


def people_overdue(user, today: dt.date, *, mine: Iterable[WorkItem] = ()
                   ) -> list[WorkItem]:
    """The overdue items of the people ``user`` oversees, each saying whose it is;
    the person's own items (``mine``) are left out."""
    roles = overseen_roles(user)
    if not roles or user.org_unit_id is None:
        return []
    own = {i.key for i in mine}
    items = []
    for kind in tabled_kinds():
        where = waiting_q(kind, roles)
        if where is not None:
            found = kind_items(kind, Q(org_unit_id=user.org_unit_id) & where, today,
                               late=True)
            items += _named(kind, [i for i in found if i.key not in own])
    listed = own | {i.key for i in items}
    clocks = (Clock.objects.filter(
        Q(assignee__isnull=False, assignee__role_grants__role__in=roles)
        | (Q(assignee__isnull=True) & role_clocks_q(roles)),
        overdue_q(today), org_unit_id=user.org_unit_id)
        .exclude(assignee=user).select_related("content_type", "assignee")
        .distinct().order_by())
    items += clock_items(clocks, today, listed=listed, who=_whose)
    return order(items)


def _whose(clock: Clock) -> str:
    """The person a clock is given to, else the role its kind gives it to."""
    if clock.assignee is not None:
        return str(clock.assignee)
    kind = matter_kinds.kind_of(clock.content_type.model_class())
    return ROLE_LABELS.get(kind.clock_roles.get(clock.rule_id) if kind else None, "")


def _named(kind, items: list[WorkItem]) -> list[WorkItem]:
    """``items`` saying whose they are: the people they are given to, else the
    role they wait on. One query per kind of assignment."""
    names: dict[str, list[str]] = defaultdict(list)
    for given in kind.assigned:
        pks = [i.key[1] for i in items if kind.assignment(i.state) is given]
        if not pks:
            continue
        rows = (kind.model()._default_manager.filter(pk__in=pks, **given.lookups)
                .order_by().values_list("pk", given.path(given.person) + "__full_name"))
        for pk, name in rows:
            if name:
                names[str(pk)].append(name)
    return [replace(i, who="、".join(names.get(i.key[1], ()))
                    or ROLE_LABELS[kind.table.waits_on(i.state)]) for i in items]


@dataclass(frozen=True)
class UnitCounts:
    """The items waiting in one bureau of the subtree, per module."""

    unit: OrgUnit
    waiting: Counter  # module → items waiting on someone in the bureau
    late: Counter  # module → of which past their due date

    @property
    def total(self) -> int:
        return sum(self.waiting.values())

    @property
    def total_late(self) -> int:
        return sum(self.late.values())

    def cells(self, modules: Iterable[str]) -> list[tuple[int, int]]:
        return [(self.waiting[m], self.late[m]) for m in modules]


def modules() -> list[str]:
    """The modules whose matters wait on people, in the registry's order."""
    return list(dict.fromkeys(k.app_label for k in tabled_kinds()))


def counts_by_unit(user, today: dt.date) -> list[UnitCounts]:
    """For a city or province user, the items waiting in each bureau below theirs
    (empty for a county user): one query per kind, and one for extensions."""
    org = user.org_unit
    if org is None or org.level == OrgLevel.COUNTY:
        return []
    below = Q(org_unit__path__startswith=org.path) & ~Q(org_unit=org)
    waiting: dict[int, Counter] = defaultdict(Counter)
    late: dict[int, Counter] = defaultdict(Counter)
    for kind in tabled_kinds():
        waits = waiting_q(kind, BUSINESS_ROLES)
        if waits is None:
            continue
        rows = (with_due(kind, kind.model()._default_manager.filter(below & waits))
                .order_by().values("org_unit").annotate(n=Count("pk"),
                                             late=Count("pk", filter=Q(due__lt=today)))
                .values_list("org_unit", "n", "late"))
        for unit, n, n_late in rows:
            waiting[unit][kind.app_label] += n
            late[unit][kind.app_label] += n_late
    deciding = [k for k in matter_kinds.kinds() if k.extensions]
    if deciding:
        rows = (extensions_pending(Q(clock__org_unit__path__startswith=org.path)
                                   & ~Q(clock__org_unit=org), deciding)
                .values("clock__org_unit", "clock__content_type__app_label")
                .annotate(n=Count("pk")).values_list(
                    "clock__org_unit", "clock__content_type__app_label", "n"))
        for unit, module, n in rows:
            waiting[unit][module] += n
    rows = (Clock.objects.filter(role_clocks_q(BUSINESS_ROLES), below,
                                 assignee__isnull=True, state__in=OPEN_CLOCKS)
            .values("org_unit", "content_type__app_label")
            .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(today)))
            .values_list("org_unit", "content_type__app_label", "n", "late"))
    for unit, module, n, n_late in rows:
        waiting[unit][module] += n
        late[unit][module] += n_late
    units = OrgUnit.objects.filter(path__startswith=org.path).exclude(pk=org.pk)
    return [UnitCounts(u, waiting[u.pk], late[u.pk]) for u in units.order_by("path")]


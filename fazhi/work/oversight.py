"""What heads see beside their own work: their people's overdue items, and above a
county the items waiting in each bureau of the subtree.

The principal and the supervisor oversee the whole bureau, the head of the
disclosure office its officers (``core.role_names.OVERSEES``). A city or province
user handles no county's matters, so they see counts per bureau, not the items.
Both read the work items' table like the person's own list: grouped queries on
its indexes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from fazhi.core import matter_kinds
from fazhi.core.approvals import extension_role
from fazhi.core.models import OrgLevel, OrgUnit
from fazhi.core.role_names import OVERSEES, ROLE_LABELS
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.deadlines.models import Clock
from fazhi.deadlines.overdue import overdue_q
from fazhi.work.items import OPEN_CLOCKS, Work, tabled_kinds
from fazhi.work.models import Waiting
from fazhi.work.sources import (
    ClockSource,
    extensions_pending,
    role_clocks_q,
    unlisted,
)
from fazhi.work.table import LateBut, TableSource
from fazhi.work.workitem import WorkItem


def overseen_roles(user) -> frozenset[str]:
    """The roles whose work ``user`` oversees in their bureau (empty: none)."""
    found: set[str] = set()
    for role in user.roles:
        if role in OVERSEES:
            found |= OVERSEES[role] if OVERSEES[role] is not None else BUSINESS_ROLES
    return frozenset(found)


def people_overdue(user, today: dt.date, *, mine: Work) -> Work:
    """The overdue items of the people ``user`` oversees, each saying whose it is;
    the person's own items (``mine``) are left out."""
    roles = overseen_roles(user)
    if not roles or user.org_unit_id is None:
        return Work()
    # each matter once (its lead row), whoever of the roles it waits on; every
    # row waits on a business role (``waiting.waiting_states``): overseeing them
    # all, the partial index on (bureau, module, due date) of the lead rows alone
    where = Q(org_unit_id=user.org_unit_id, lead=True)
    if not roles >= BUSINESS_ROLES:
        where &= Q(role__in=sorted(roles))
    theirs = TableSource(where, today)
    late = LateBut(where, today, _own(mine))
    holders = get_user_model().objects.filter(role_grants__role__in=roles)
    clocks = (Clock.objects.filter(
        Q(assignee__in=holders) | (Q(assignee__isnull=True) & role_clocks_q(roles)),
        overdue_q(today), org_unit_id=user.org_unit_id)
        .exclude(assignee=user))
    # a matter listed above, or of the person's own, is not listed again: one with
    # an overdue clock is late in the table (its due date is its soonest running
    # clock's), so the late rows alone are read
    clocks = unlisted(clocks, [_late(s).clock_q() for s in [theirs, *mine.sources]])
    return Work([late, ClockSource(clocks, today, named=True)], finish=_named)


def _late(source):
    """Of a source reading the table, its late rows alone; another as it is."""
    if not isinstance(source, TableSource):
        return source
    return TableSource(source.where, source.today, late=True, field=source.field)


def _own(mine: Work) -> Q:
    """The rows of the matters among the person's own items that may be late: each
    source's keys read once per content type (``keys_q``/``clock_q``), not probed
    for every row; of the matters listed from the table, the late ones alone (a
    matter's rows share its due date: one not late has no late row to leave out)."""
    found = [source.keys_q() if isinstance(source, TableSource) else source.clock_q()
             for source in map(_late, mine.sources)]
    return reduce(or_, found) if found else Q(pk__in=[])


def _named(items: list[WorkItem]) -> list[WorkItem]:
    """``items`` saying whose they are (those of a matter's state; a clock's says
    already): one query per kind of assignment."""
    by_kind: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        if item.state:
            by_kind[item.key[0]].append(item)
    named = {}
    for name, group in by_kind.items():
        named |= {i.key: i for i in _named_kind(matter_kinds.kind(name), group)}
    return [named.get(i.key, i) if i.state else i for i in items]


def _named_kind(kind, items: list[WorkItem]) -> list[WorkItem]:
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
    units = OrgUnit.objects.filter(path__startswith=org.path).exclude(pk=org.pk)
    below = Q(org_unit__in=units.values("pk"))  # listed once, not joined per row
    waiting: dict[int, Counter] = defaultdict(Counter)
    late: dict[int, Counter] = defaultdict(Counter)
    # every row waits on a business role (``waiting.waiting_states``): read from
    # the partial index on (bureau, module, due date) of the lead rows alone
    rows = (Waiting.objects.filter(below, lead=True).order_by().values("org_unit", "module")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)))
            .values_list("org_unit", "module", "n", "late"))
    for unit, module, n, n_late in rows:
        waiting[unit][module] += n
        late[unit][module] += n_late
    deciding = [k for k in matter_kinds.kinds() if extension_role(k)]
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
    return [UnitCounts(u, waiting[u.pk], late[u.pk]) for u in units.order_by("path")]


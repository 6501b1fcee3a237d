"""A person's work items: the matters waiting on them, read from the work items'
table, and the extension requests and clocks, read from the clocks.

A work item exists while a matter sits in a state its table says waits on a role
(``Table.waits_on``) — for the person of that role the matter is given to
(``MatterKind.assigned``), or for every holder of the role in the matter's bureau
when it is given to nobody — and while an extension request of its clock waits
for the role that decides it (``core.approvals.extension_role``). It is gone as
soon as anyone entitled takes the action: the matters' rows of the table
(``work.models.Waiting``) are recomputed in the transaction of every change
(``work.waiting``), and ``fazhi work_items --check`` compares them with a full
derivation. Each item says what is to be done (法制审核：<number>), since when (the
audit event that brought the matter into its state), due when (the matter's
running clock of the bureau's duty, else the date its assigned row is owed by)
and where it is done.

The items come from sources that count them in the database and dress only those
a page shows: grouped queries on the table's indexes (``work.table``), one or two
for the extension requests and for the person's clocks (``work.sources``), and
one audit query per kind for the items shown. Neither the queries nor the rows
read grow with the number of matters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.approvals import extension_role
from fazhi.core.matter_kinds import MatterKind
from fazhi.core.models import Approval, ApprovalState, AuditEvent, Opinion, SignOff
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.deadlines.models import OPEN_STATES, Clock
from fazhi.work import standins
from fazhi.work.models import Waiting
from fazhi.work.sources import (
    ClockSource,
    Entry,
    ExtensionSource,
    role_clocks_q,
    tabled_kinds,  # noqa: F401 (callers read it here)
    unlisted,
)
from fazhi.work.table import TableSource, same_matter, waiting_rows
from fazhi.work.workitem import WorkItem

OPEN_CLOCKS = OPEN_STATES  # the deadlines app's meaning of an open clock


class Work:
    """What waits on someone, from ``sources``: counted in full, dressed only as
    far as a page shows it (``finish`` completes the dressed items)."""

    def __init__(self, sources: Sequence = (), finish=None) -> None:
        self.sources, self.finish = list(sources), finish
        self._counts: list[Counter[str]] | None = None

    @property
    def counts(self) -> Counter[str]:
        """How many items wait in each module (app label)."""
        return sum(self._each(), Counter())

    def count(self, module: str = "") -> int:
        counts = self.counts
        return counts[module] if module else sum(counts.values())

    def first(self, n: int, *, module: str = "", field_first: bool = False
              ) -> list[WorkItem]:
        """The first ``n`` items (of ``module``), overdue first, then the soonest
        due; ``field_first``: those done in the field (on the phone) before all."""
        sources = [s for s, c in zip(self.sources, self._each(), strict=True)
                   if (c[module] if module else sum(c.values()))]
        if not field_first:
            return self._dressed(sources, n, module)
        pairs = [s.split() if isinstance(s, TableSource) else (None, s)
                 for s in sources]
        field = self._dressed([f for f, _ in pairs if f], n, module)
        return field + self._dressed([r for _, r in pairs], n - len(field), module)

    def _each(self) -> list[Counter[str]]:
        if self._counts is None:
            self._counts = [s.counts() for s in self.sources]
        return self._counts

    def _dressed(self, sources: list, n: int, module: str) -> list[WorkItem]:
        """The first ``n`` entries of ``sources``, each dressed by its source."""
        if n <= 0:
            return []
        entries: list[Entry] = sorted(
            (e for s in sources for e in s.first(n, module)), key=lambda e: e.rank)[:n]
        places: dict[int, list[int]] = defaultdict(list)
        for i, entry in enumerate(entries):
            places[id(entry.source)].append(i)
        items: list = [None] * len(entries)
        for group in places.values():
            dressed = entries[group[0]].source.dress([entries[i] for i in group])
            for i, item in zip(group, dressed, strict=True):
                items[i] = item
        return self.finish(items) if self.finish else items


# --- what waits on a person --------------------------------------------------------


def _for_person(user) -> bool:
    return bool(getattr(user, "org_unit_id", None) and user.roles & BUSINESS_ROLES)


def sources_mine(user, today: dt.date, *, besides=None) -> list:
    """The sources of ``user``'s items: the matters of each kind waiting on them,
    the extension requests they decide, their clocks of other matters.

    ``besides``: a person whose items are listed already (a stand-in, listing the
    items of whom they stand in for): theirs are left out, so none is listed or
    counted twice.
    """
    org = user.org_unit_id
    where = waiting_rows(user)
    if besides is not None:  # what the stand-in's own list holds is not listed again
        where &= ~same_matter(Waiting.objects.filter(waiting_rows(besides)))
    matters = [TableSource(where, today)]
    deciding = [k for k in matter_kinds.kinds() if extension_role(k) in user.roles
                and not (besides is not None and extension_role(k) in besides.roles)]
    asked = [user, besides] if besides is not None else user
    extensions = [ExtensionSource(deciding, org, asked, today)] if deciding else []
    mine = clocks_mine(user)
    if besides is not None:
        mine = mine.exclude(pk__in=clocks_mine(besides).values("pk"))
    # a clock of a matter listed for its state is not listed again
    clocks = unlisted(mine, [s.clock_q() for s in matters])
    return [*matters, *extensions, ClockSource(clocks, today, keys=mine)]


def clocks_mine(user) -> QuerySet[Clock]:
    """The person's own open clocks, and those of their bureau given to nobody whose
    rule the kind gives to one of their roles (``MatterKind.clock_roles``)."""
    return Clock.objects.filter(
        Q(assignee=user, org_unit__path__startswith=user.org_unit.path)
        | (Q(assignee__isnull=True, org_unit_id=user.org_unit_id)
           & role_clocks_q(user.roles)), state__in=OPEN_CLOCKS)


# --- the list ---------------------------------------------------------------------


def items_mine(user, today: dt.date | None = None) -> Work:
    """Everything waiting on ``user``: the matters waiting on them, the extension
    requests they decide, and their own clocks of other matters; for a stand-in,
    also those of the people they stand in for (marked 代<name>).

    Kept on the user object for the request, as ``User.roles`` is: every menu
    entry's count reads what the page's own list (or the first entry) counted.
    """
    work = getattr(user, "_work", None)
    if work is None:
        today = today or timezone.localdate()
        if not _for_person(user):
            work = Work(())
        elif user.acting:  # a stand-in: theirs, then those of whom they stand in for
            work = Work(standins.sources_acting(user, today, sources_mine))
        else:
            work = Work(sources_mine(user, today))
        user._work = work
    return work


def count_of(module: str):
    """A menu entry's count: the items waiting on the person in ``module``
    (every module when "")."""

    def count(user) -> int:
        return items_mine(user).count(module)

    return count


def with_since(items: Sequence[WorkItem]) -> list[WorkItem]:
    """``items`` with ``since`` filled for those their matter's state makes: the
    day of the last audit event of an action leading into that state, else of the
    matter's first event (it was created in it). One query per kind."""
    by_kind: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        if item.state and item.since is None:
            by_kind[item.key[0]].append(item)
    since: dict[tuple[str, str], dt.date] = {}
    for name, group in by_kind.items():
        since |= _entered(matter_kinds.kind(name), group)
    return [replace(i, since=since[i.key]) if i.key in since and i.state else i
            for i in items]


def _entered(kind: MatterKind, group: list[WorkItem]) -> dict[tuple[str, str], dt.date]:
    events = (AuditEvent.objects.filter(object_type=kind.model()._meta.label,
                                        object_id__in=[i.key[1] for i in group])
              .order_by().values_list("object_id", "action")
              .annotate(last=Max("at"), first=Min("at")))
    seen: dict[str, dict[str, tuple]] = defaultdict(dict)
    for oid, action, last, first in events:
        seen[oid][action] = (last, first)
    found = {}
    for item in group:
        into = {f"{kind.app_label}.{a}" for a, t in kind.table.transitions.items()
                if t.target == item.state}
        mine = seen.get(item.key[1], {})
        lasts = [mine[a][0] for a in into if a in mine]
        when = max(lasts) if lasts else min((f for _, f in mine.values()),
                                            default=None)
        if when is not None:
            found[item.key] = timezone.localdate(when)
    return found


def with_returns(items: Sequence[WorkItem]) -> list[WorkItem]:
    """``items`` with ``note`` filled for a matter whose newest round of sign-offs
    came back to its proposer: which step disagreed and why (批准不同意，理由：…).
    Two queries, whatever the number of items."""
    keys = {i.key for i in items if i.state}
    if not keys:
        return list(items)
    cts = {name: ContentType.objects.get_for_model(matter_kinds.kind(name).model()).pk
           for name in {k for k, _ in keys}}
    by_ct: dict[int, set[str]] = defaultdict(set)
    for name, pk in keys:
        by_ct[cts[name]].add(pk)
    rounds = (Approval.objects.filter(reduce(or_, (
        Q(content_type_id=ct, object_id__in=pks) for ct, pks in by_ct.items())))
        .order_by("round").values_list("pk", "content_type_id", "object_id", "chain",
                                       "state"))
    newest = {(ct, oid, chain): (pk, state) for pk, ct, oid, chain, state in rounds}
    back = {pk: (ct, oid) for (ct, oid, _), (pk, state) in newest.items()
            if state == ApprovalState.RETURNED}
    notes = {back[a]: f"退回：{label}不同意，理由：{reasons}"
             for a, label, reasons in SignOff.objects.filter(
                 approval_id__in=back, opinion=Opinion.DISAGREE)
             .values_list("approval_id", "label", "reasons")}
    return [replace(i, note=notes.get((cts[i.key[0]], i.key[1]), ""))
            if i.state and i.key in keys else i for i in items]

"""The matters waiting on someone, read from the work items' table (``Waiting``).

``waiting_rows`` says which rows are a person's: of their bureau, of a role they
hold, given to them or to nobody, never a matter their kind bars them from (a
reviewer who took part in the case). ``TableSource`` counts such rows per module
and hands over the first few in the list's order (overdue first, then the soonest
due, undated last, the title breaking ties), read from the table's indexes: the
number of matters in the bureau changes neither the queries nor the rows read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import BigIntegerField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Collate
from django.urls import reverse

from fazhi.core import matter_kinds
from fazhi.deadlines import duty
from fazhi.work.models import Waiting
from fazhi.work.sources import Entry, rank, tabled_kinds
from fazhi.work.workitem import WorkItem, badge


def waiting_rows(person, roles: Iterable[str] | None = None) -> Q:
    """The rows waiting on ``person`` (as holder of ``roles``, default their roles):
    in their bureau, of one of the roles, given to them or to nobody."""
    roles = set(person.roles if roles is None else roles)
    q = (Q(org_unit_id=person.org_unit_id, role__in=sorted(roles))
         & (Q(person=person) | Q(person__isnull=True)))
    for kind in tabled_kinds():
        for barred in (b for b in kind.barred if b.role in roles):
            rows = barred.rows(kind.model(), Cast(OuterRef("object_id"),
                                                  BigIntegerField()))
            q &= ~(Q(kind=kind.kind, role=barred.role)
                   & Exists(rows.filter(**{barred.person: person})))
    return q


def same_matter(rows: QuerySet) -> Exists:
    """Whether the row's matter has a row among ``rows``."""
    return Exists(rows.filter(kind=OuterRef("kind"), object_id=OuterRef("object_id")))


def _title_order():
    # Python compares titles by code point: so does SQLite, PostgreSQL under "C".
    return Collate("title", "C") if connection.vendor == "postgresql" else "title"


class TableSource:
    """The rows matching ``where`` (``late``: only those past due; ``field``: only
    those with, or only those without, a row done on the phone)."""

    def __init__(self, where: Q, today: dt.date, *, late: bool = False,
                 field: bool | None = None) -> None:
        self.where, self.today, self.late, self.field = where, today, late, field

    def rows(self) -> QuerySet[Waiting]:
        qs = Waiting.objects.filter(self.where)
        if self.late:
            qs = qs.filter(due_date__lt=self.today)
        if self.field is not None:
            qs = qs.filter(task_pk__isnull=not self.field)
        return qs.order_by()

    def counts(self) -> Counter[str]:
        if getattr(self, "_counts", None) is None:
            rows = (self.rows().values("module").annotate(n=Count("pk"))
                    .values_list("module", "n"))
            self._counts = Counter(dict(rows))
        return self._counts

    def split(self) -> tuple[TableSource, TableSource]:
        """This source as (its matters done on the phone, the others)."""
        return (TableSource(self.where, self.today, late=self.late, field=True),
                TableSource(self.where, self.today, late=self.late, field=False))

    def first(self, n: int, module: str = "") -> list[Entry]:
        """The first ``n`` in the list's order."""
        rows = self.rows().filter(module=module) if module else self.rows()
        found: list[dict] = []
        for part, late in ((Q(due_date__lt=self.today), True),
                           (Q(due_date__gte=self.today), False),
                           (Q(due_date__isnull=True), False)):
            if len(found) >= n or (late is False and self.late):
                break
            qs = rows.filter(part).order_by("due_date", _title_order(), "pk")
            found += [r | {"late": late} for r in qs.values(
                "pk", "kind", "module", "object_id", "state", "number", "title",
                "due_date", "paused", "task_pk", "org_unit_id")[:n - len(found)]]
        return [Entry(rank(r["late"], r["due_date"], r["title"]), r["module"], self, r)
                for r in found]

    def dress(self, entries: list[Entry]) -> list[WorkItem]:
        return [_item(e.row, self.today) for e in entries]

    def matter_q(self, kind) -> Q | None:
        """The matters of ``kind`` among the rows."""
        keys = self.rows().filter(kind=kind.kind).annotate(
            matter_pk=Cast("object_id", BigIntegerField())).values("matter_pk")
        return Q(pk__in=keys)

    def clock_q(self) -> Q:
        """The clocks of the matters among the rows (an index probe per clock)."""
        return Q(Exists(self.rows().filter(content_type=OuterRef("content_type"),
                                           object_id=OuterRef("object_id"))))

    def keys_q(self) -> Q:
        """The rows or clocks (both name a matter by content type and object id)
        whose matters are among these rows: one list of keys per content type, read
        once, as the clock sources' ``clock_q`` — never a probe for every row,
        which SQLite made into a scan per row of a county's late matters."""
        rows = self.rows()
        cts = list(rows.values_list("content_type", flat=True).distinct())
        return reduce(or_, [Q(content_type=ct, object_id__in=rows.filter(
            content_type=ct).values("object_id")) for ct in cts], Q(pk__in=[]))


_FIELDS = ("pk", "kind", "module", "content_type_id", "object_id", "state", "number",
           "title", "due_date", "paused", "task_pk", "org_unit_id")


class LateBut(TableSource):
    """The late rows of ``where`` (lead rows: each matter once) but those of the
    matters ``own`` names — what ``TableSource(where & ~own, late=True)`` lists, in
    the same order, read from the partial index on (bureau, module, due date):
    counted per module less the late rows of ``own`` (read once as keys), and the
    first few read per module in the index's order of due date, the own dropped
    as they come. Neither sorts nor probes every late row of a county."""

    def __init__(self, where: Q, today: dt.date, own: Q, *,
                 field: bool | None = None) -> None:
        super().__init__(where, today, late=True, field=field)
        self.own = own

    def owned(self) -> dict[tuple[int, str], str]:
        """(content type, object id) → module of the late rows of ``own`` (read
        once)."""
        if getattr(self, "_owned", None) is None:
            rows = self.rows().filter(self.own).values_list(
                "content_type_id", "object_id", "module")
            self._owned = {(ct, oid): module for ct, oid, module in rows}
        return self._owned

    def counts(self) -> Counter[str]:
        if getattr(self, "_counts", None) is None:
            found = super().counts()
            found.subtract(Counter(self.owned().values()))
            self._counts = +found  # a module left with none is not listed
        return self._counts

    def split(self) -> tuple[LateBut, LateBut]:
        return (LateBut(self.where, self.today, self.own, field=True),
                LateBut(self.where, self.today, self.own, field=False))

    def first(self, n: int, module: str = "") -> list[Entry]:
        counts, owned = self.counts(), self.owned()
        found: list[dict] = []
        for name in [module] if module else sorted(counts):
            want = min(n, counts[name])
            if want <= 0:
                continue
            own = sum(1 for m in owned.values() if m == name)
            qs = (self.rows().filter(module=name)
                  .order_by("due_date", _title_order(), "pk").values(*_FIELDS))
            size = want + min(own, want)
            while True:  # ``want + own`` rows hold ``want`` that are not the own
                rows = list(qs[:size])
                kept = [r for r in rows
                        if (r["content_type_id"], r["object_id"]) not in owned]
                if len(kept) >= want or len(rows) < size:
                    break
                size = min(4 * size, want + own)
            found += kept[:want]
        # titles compared by code point, as the database compared them
        found.sort(key=lambda r: (r["due_date"], r["title"], r["pk"]))
        return [Entry(rank(True, r["due_date"], r["title"]), r["module"], self,
                      r | {"late": True}) for r in found[:n]]


def _item(row: dict, today: dt.date) -> WorkItem:
    kind = matter_kinds.kind(row["kind"])
    phone = next((a for a in kind.assigned if a.phone_page), None)
    return WorkItem(
        module=row["module"], task=kind.table.todo_label(row["state"]),
        number=row["number"], url=kind.url(row["object_id"]), due=row["due_date"],
        badge=badge(row["due_date"], today) or (duty.PAUSED if row["paused"] else None),
        key=(kind.kind, row["object_id"]), state=row["state"],
        phone_url=reverse(phone.phone_page, args=[row["task_pk"]])
        if phone is not None and row["task_pk"] else "",
        org_unit_id=row["org_unit_id"])

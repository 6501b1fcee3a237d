"""Where work items come from, as queries that count in the database and hand over
only the first few.

A source is one kind of matter waiting on someone (``MatterSource``), the extension
requests waiting for a decision (``ExtensionSource``) or a set of clocks
(``ClockSource``). Each counts its items per module and gives its first ``n`` as
entries — enough to order them — which it dresses as work items only once the
list has been cut: a bureau with 100,000 open matters sends the page its 200 most
urgent, and the database never returns the rest.

A matter's due date is the soonest running clock of the bureau's duty, else the
date its assigned row is owed by (``Assigned.due``), else none; it is overdue (超期)
when that date is past. The soonest dates are found from the clocks' side (an index
on the matter, the state and the due date), never by a subquery for every matter.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Collate, Concat
from django.urls import reverse
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import MatterKind
from fazhi.core.role_names import ROLE_LABELS
from fazhi.deadlines import duty
from fazhi.deadlines.models import Clock, ClockExtension, ClockState, ExtensionState
from fazhi.deadlines.overdue import bureau_q, overdue_q
from fazhi.work.workitem import EXTENSION_TASK, WorkItem, badge, clock_item


class Entry(NamedTuple):
    """A work item before it is dressed: what orders, counts and filters it."""

    rank: tuple  # the order's key (see ``rank``)
    module: str
    source: object  # the source that dresses it
    row: dict  # what the source dresses it from


def rank(overdue: bool, due: dt.date | None, title: str) -> tuple:
    """Overdue first, then the soonest due; undated last; the title breaks ties."""
    return (not overdue, due is None, due or dt.date.max, title)


def top(qs: QuerySet, n: int, *fields: str) -> list[dict]:
    """The first ``n`` rows of ``qs`` (ordered by ``fields`` first) and every row
    tied with the last of them on ``fields``: an order finished in Python (by
    title) then cuts the list where it would have cut the whole."""
    rows = list(qs[:2 * n])
    if len(rows) <= n:
        return rows
    edge = {f: rows[n - 1][f] for f in fields}

    def tied(row: dict) -> bool:
        return all(row[f] == edge[f] for f in fields)

    if len(rows) < 2 * n or not tied(rows[-1]):  # every tie is among the rows read
        return rows[:n] + [r for r in rows[n:] if tied(r)]
    return [r for r in rows[:n] if not tied(r)] + list(qs.filter(**edge))


def as_pks(qs: QuerySet, field: str = "object_id") -> QuerySet:
    """The matter keys a clock (or extension) query names, as primary keys."""
    return qs.annotate(matter_pk=Cast(field, BigIntegerField())).values("matter_pk")


def tabled_kinds() -> tuple[MatterKind, ...]:
    """The kinds whose matters move through a state table."""
    return tuple(k for k in matter_kinds.kinds() if k.table is not None)


def ct_of(kind: MatterKind) -> ContentType:
    return ContentType.objects.get_for_model(kind.model())


# --- whose matters ----------------------------------------------------------------


def waiting_q(kind: MatterKind, roles: Iterable[str], person=None) -> Q | None:
    """The kind's matters waiting on one of ``roles`` (None: on none of them).

    With ``person``, only those given to that person or to nobody of the role, and
    none the kind bars them from (``MatterKind.barred``).
    """
    model = kind.model()
    parts = []
    for role in sorted(kind.table.roles_waited_on & set(roles)):
        for given, states in kind.assignments(role):
            q = Q(state__in=states)
            if person is not None and given is not None:
                to = given.path(given.person)
                # Given to a person who has left, it waits on the role again.
                if single(model, to):  # the matter's own row: no subquery per matter
                    q &= (Q(**given.lookups, **{to: person})
                          | ~Q(**given.lookups, **{f"{to}__is_active": True}))
                elif (found := given_rows(model, given)) is not None:
                    rows, key, who = found  # a case's officers, a patch's checks
                    # the person's matters listed once; a matter asks for an active
                    # person of its own rows only when it is not among them
                    q &= (Q(pk__in=rows.filter(**{who: person}).values(key))
                          | ~Exists(rows.filter(**{key: OuterRef("pk"),
                                                   f"{who}__is_active": True})))
                else:
                    rows = model._default_manager.filter(pk=OuterRef("pk"),
                                                         **given.lookups)
                    q &= (Exists(rows.filter(**{to: person}))
                          | ~Exists(rows.filter(**{f"{to}__is_active": True})))
            for barred in kind.barring(role) if person is not None else ():
                q &= ~Exists(barred.rows(model, OuterRef("pk"))
                             .filter(**{barred.person: person}))
            parts.append(q)
    return reduce(or_, parts) if parts else None


def given_rows(model, given) -> tuple[QuerySet, str, str] | None:
    """The rows naming the people ``given`` gives a matter to, read without the
    matter: (the rows that count, the field naming their matter, the field naming
    the person) — the related rows (a patch's checks) or a many-to-many's own
    table (a case's officers); None for another shape."""
    if given.via:
        rel = model._meta.get_field(given.via)
        if not rel.one_to_many or "__" in given.person:
            return None
        return (rel.related_model._default_manager.filter(**given.where).order_by(),
                rel.field.attname, given.person)
    field = model._meta.get_field(given.person)
    if not field.many_to_many or given.where or field.remote_field.through is None:
        return None
    through = field.remote_field.through
    return (through._default_manager.order_by(), f"{field.m2m_field_name()}_id",
            field.m2m_reverse_field_name())


def single(model, path: str) -> bool:
    """Whether the lookup ``path`` from ``model`` names one value per row (forward
    foreign keys only, no many-to-many or reverse relation)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return False
        model = field.related_model if field.is_relation else model
    return True


def running_clocks(kind: MatterKind) -> QuerySet[Clock]:
    """The running clocks of the bureau's duty of the kind's matters."""
    return Clock.objects.filter(bureau_q(), content_type=ct_of(kind),
                                state=ClockState.RUNNING)


def _rows(kind: MatterKind, given) -> QuerySet:
    """The matter's assigned rows that count, for ``Exists`` (one per matter)."""
    return kind.model()._default_manager.filter(pk=OuterRef("pk"), **given.lookups)


def _has_date(kind: MatterKind, given) -> Q:
    """The matters ``given`` dates: in one of its states, with a dated row."""
    dated = Exists(_rows(kind, given).exclude(
        **{f"{given.path(given.due)}__isnull": True}))
    return Q(state__in=given.states) & dated if given.states else Q(dated)


def _has_clock(kind: MatterKind) -> Exists:
    return Exists(running_clocks(kind).filter(
        object_id=Cast(OuterRef("pk"), CharField())))


def assigned_rows(kind: MatterKind, given) -> tuple[QuerySet, str, str]:
    """The rows ``given`` assigns that count (``Assigned.where``), the field of a
    row naming its matter and the lookup of its date: the related rows when many
    name the matter (a patch's field checks), else the matters themselves (a
    patch's batch, read through the matter)."""
    rel = kind.model()._meta.get_field(given.via) if given.via else None
    if rel is None or not rel.one_to_many:
        return (kind.model()._default_manager.filter(**given.lookups), "pk",
                given.path(given.due))
    return (rel.related_model._default_manager.filter(**given.where),
            rel.field.attname, given.due)


def dated_by(kind: MatterKind) -> list[tuple[object, Q]]:
    """The assignments that give a matter its due date when no clock runs, each with
    the matters it may date: in its states, no running clock, no date from an
    earlier assignment."""
    before, found = ~_has_clock(kind), []
    for given in (a for a in kind.assigned if a.due):
        found.append((given, before & Q(state__in=given.states) if given.states
                      else before))
        before = before & ~_has_date(kind, given)
    return found


def undated_q(kind: MatterKind) -> Q:
    """The kind's matters without a due date: no running clock, no assigned date."""
    q = ~_has_clock(kind)
    for given in (a for a in kind.assigned if a.due):
        q &= ~_has_date(kind, given)
    return q


def late_q(kind: MatterKind, today: dt.date) -> Q:
    """The kind's matters past their due date on ``today`` (the late clocks and rows
    listed once, before asking anything of a matter)."""
    q = Q(pk__in=as_pks(Clock.objects.filter(overdue_q(today),
                                             content_type=ct_of(kind))))
    for given, before in dated_by(kind):
        rows, key, due = assigned_rows(kind, given)
        late = rows.filter(**{f"{due}__lt": today}).values(key)
        q |= Q(pk__in=late) & before
    return q


def soonest(qs: QuerySet, key: str, due: str, n: int) -> dict:
    """The first ``n`` distinct ``key``s of ``qs`` by their soonest ``due``, and
    those tied with the n-th: key → that date. The rows are read in order of the
    date (from its index) only as far as needed."""
    stream = qs.order_by(due, "pk").values_list(key, due)
    size = 2 * n  # a matter may have several rows
    while True:
        rows = list(stream[:size])
        found: dict = {}
        for name, day in rows:
            found.setdefault(name, day)
        if len(found) >= n or len(rows) < size:
            break
        size *= 4
    if len(found) < n:
        return found
    edge = list(found.values())[n - 1]
    if len(rows) < size or rows[-1][1] > edge:  # every tie is among the rows read
        return {name: day for name, day in found.items() if day <= edge}
    found = {name: day for name, day in found.items() if day < edge}
    ties = stream.filter(**{due: edge}).values_list(key, flat=True)
    return found | {name: edge for name in ties if name not in found}


# --- the sources ------------------------------------------------------------------


class MatterSource:
    """The matters of one kind matching ``where`` (``late``: only those past their
    due date; ``field``: only those with, or only those without, an open row done
    on the phone).

    The matters with a date are found from their clocks and assigned rows, read in
    order of the date, each asking whether its matter is one of these (by primary
    key): a list of the soonest never reads all the matters.
    """

    def __init__(self, kind: MatterKind, where: Q, today: dt.date, *,
                 late: bool = False, field: bool | None = None) -> None:
        self.kind, self.where, self.today = kind, where, today
        self.late, self.field = late, field
        self.phone = next((a for a in kind.assigned if a.phone_page), None)

    def matters(self) -> QuerySet:
        """The matters of ``where``, late or not."""
        qs = self.kind.model()._default_manager.filter(self.where)
        if self.field is not None and self.phone is not None:
            on_phone = Exists(_rows(self.kind, self.phone))
            qs = qs.filter(on_phone if self.field else ~on_phone)
        elif self.field:
            qs = qs.none()
        return qs.order_by()

    def split(self) -> tuple[MatterSource | None, MatterSource]:
        """This source as (its matters done on the phone, the others)."""
        if self.phone is None:
            return None, self
        return (MatterSource(self.kind, self.where, self.today, late=self.late,
                             field=True),
                MatterSource(self.kind, self.where, self.today, late=self.late,
                             field=False))

    def _listed(self, key: str, also: Q | None = None) -> Exists:
        """Whether the matter a row names in ``key`` is one of these (each row asks
        for its matter by primary key)."""
        matters = self.matters().filter(also) if also is not None else self.matters()
        return Exists(matters.filter(pk=Cast(OuterRef(key), BigIntegerField())))

    def clocks(self) -> QuerySet[Clock]:
        """The running clocks of the bureau's duty of the matters (past due when
        late): those that date them."""
        clocks = running_clocks(self.kind).filter(self._listed("object_id"))
        return clocks.filter(due_date__lt=self.today) if self.late else clocks

    def dated_rows(self) -> list[tuple[QuerySet, str, str]]:
        """For each assignment with a date: its rows with a date (past, when late)
        of the matters it dates, the field naming their matter, and the date."""
        found = []
        for given, before in dated_by(self.kind):
            rows, key, due = assigned_rows(self.kind, given)
            if key == "pk":  # the matters themselves, read through the matter
                rows = self.matters().filter(before, **given.lookups)
            else:
                rows = rows.filter(self._listed(key, before))
            rows = rows.exclude(**{f"{due}__isnull": True})
            if self.late:
                rows = rows.filter(**{f"{due}__lt": self.today})
            found.append((rows, key, due))
        return found

    def counts(self) -> Counter[str]:
        return Counter({self.kind.app_label: self.count()})

    def count(self) -> int:
        """How many matters the source lists (read once). The late are counted in
        the database from the late clocks and rows: a matter is dated by its
        clocks or by one assignment's rows, never by two (``dated_by``), so the
        counts of each add up, and no row is read."""
        if getattr(self, "_count", None) is None:
            if not self.late:
                self._count = self.matters().count()
            elif not self.matters().exists():  # a bureau with no such matters
                self._count = 0
            else:
                self._count = self.clocks().values("object_id").distinct().count()
                for rows, key, _ in self.dated_rows():
                    self._count += rows.values(key).distinct().count()
        return self._count

    def matter_q(self, kind: MatterKind) -> Q | None:
        """The matters of ``kind`` this source lists (None: of another kind)."""
        if kind != self.kind:
            return None
        return self.where if self.field is None else Q(
            pk__in=self.matters().values("pk"))

    def clock_q(self) -> Q:
        """The clocks of the matters this source lists."""
        return Q(content_type=ct_of(self.kind)) & self._listed("object_id")

    def first(self, n: int, module: str = "") -> list[Entry]:
        """The first ``n``, soonest due first (ties by title)."""
        if module and module != self.kind.app_label:
            return []
        if self.late and not self.count():  # a bureau with no such matters
            return []
        to_pk = self.kind.model()._meta.pk.to_python
        dues = {to_pk(k): day for k, day in self._by_clock(n).items()}
        for rows, key, due in self.dated_rows():
            dues |= soonest(rows, key, due, n)
        undated = self.matters().none()
        if len(dues) < n and not self.late:  # only then can one be among the first
            undated = self.matters().filter(undated_q(self.kind))
        return self._entries(self._cut(dues, n), undated, n - len(dues))

    def _cut(self, dues: dict, n: int) -> dict:
        """The first ``n`` of ``dues`` (key → date) by date, those tied on the
        n-th date chosen by title in the database: thousands of matters sharing a
        date (a batch of patches) are never read to be cut."""
        if len(dues) <= n:
            return dues
        edge = sorted(dues.values())[n - 1]
        found = {key: day for key, day in dues.items() if day < edge}
        tied = [key for key, day in dues.items() if day == edge]
        if len(found) + len(tied) > n:
            tied = list(self.kind.model()._default_manager.filter(pk__in=tied)
                        .annotate(title=title_of(self.kind)).order_by("title", "pk")
                        .values_list("pk", flat=True)[:n - len(found)])
        return found | dict.fromkeys(tied, edge)

    def _by_clock(self, n: int) -> dict:
        """The matters dated by a clock, soonest first: the kind's clocks read in
        order of date when the matters are many among them (about every
        ``running / count``-th clock is one of theirs), else each matter's soonest
        clock, and those sorted."""
        running = Clock.objects.filter(content_type=ct_of(self.kind),
                                       state=ClockState.RUNNING)
        if self.late or self.count() ** 2 >= n * running.count():
            return soonest(self.clocks(), "object_id", "due_date", n)
        keys = self.matters().values(key=Cast("pk", CharField()))
        each = (running_clocks(self.kind).filter(object_id__in=keys)
                .values("object_id").annotate(due=Min("due_date"))
                .order_by("due", "object_id"))
        return {r["object_id"]: r["due"] for r in top(each, n, "due")}

    def _entries(self, dues: dict, undated: QuerySet, room: int = 0) -> list[Entry]:
        """Entries of the matters ``dues`` dates and of the first ``room`` of
        ``undated`` by title."""
        kind, fields = self.kind, ["pk", "state", "org_unit_id"]
        fields += [kind.number_field] if kind.number_field else []
        dated = kind.model()._default_manager.filter(pk__in=list(dues)).order_by()
        undated = undated.annotate(paused=Exists(Clock.objects.filter(
            bureau_q(), content_type=ct_of(kind), state=ClockState.PAUSED,
            object_id=Cast(OuterRef("pk"), CharField())))).annotate(
            title_key=title_of(kind)).order_by("title_key", "pk")
        entries = []
        for qs, more in ((dated, []), (undated, ["paused"])):
            if self.phone is not None:
                qs = qs.annotate(task_pk=_rows(kind, self.phone).values(
                    self.phone.path("pk"))[:1])
            qs = qs[:max(room, 0)] if more else qs
            for row in qs.values(*fields, *more,
                                 *(["task_pk"] if self.phone else [])):
                row["due"] = due = dues.get(row["pk"])
                row["title"] = title = _title(kind, row)
                overdue = due is not None and due < self.today
                entries.append(Entry(rank(overdue, due, title), kind.app_label, self,
                                     row))
        return entries

    def dress(self, entries: list[Entry]) -> list:
        kind, page = self.kind, self.phone.phone_page if self.phone else ""
        rows = [e.row for e in entries]
        return [WorkItem(
            module=kind.app_label, task=kind.table.todo_label(row["state"]),
            number=str(row.get(kind.number_field, "")), url=kind.url(row["pk"]),
            due=row["due"], badge=badge(row["due"], self.today) or (
                duty.PAUSED if row.get("paused") else None),
            key=(kind.kind, str(row["pk"])), state=row["state"],
            phone_url=reverse(page, args=[row["task_pk"]]) if row.get("task_pk")
            else "", org_unit_id=row["org_unit_id"]) for row in rows]


def title_of(kind: MatterKind):
    """A matter's title (``_title``) computed in the database, compared as Python
    compares strings (by code point)."""
    number = kind.number_field
    whens = []
    for state in kind.table.states:
        label = kind.table.todo_label(state)
        if number:
            whens += [When(Q(state=state) & Q(**{number: ""}), then=Value(label)),
                      When(state=state, then=Concat(Value(f"{label}："),
                                                    Cast(number, CharField())))]
        else:
            whens.append(When(state=state, then=Value(label)))
    title = Case(*whens, default=Value(""), output_field=CharField())
    return Collate(title, "C") if connection.vendor == "postgresql" else title


def _title(kind: MatterKind, row: dict) -> str:
    number = str(row.get(kind.number_field, "")) if kind.number_field else ""
    return title_text(kind, row["state"], number)


def title_text(kind: MatterKind, state: str, number: str) -> str:
    """What is to be done on a matter in ``state`` numbered ``number``, in words
    (法制审核：<number>; the task alone when it has no number)."""
    task = kind.table.todo_label(state)
    return f"{task}：{number}" if number else task


class _Dated:
    """A source of rows with a clock's due date, the overdue ones first."""

    today: dt.date
    clock = ""  # the row's link to its clock ("": the row is the clock)

    def at(self, name: str) -> str:
        """The lookup of the clock's field ``name`` from a row."""
        return f"{self.clock}__{name}" if self.clock else name

    def rows(self) -> QuerySet:
        raise NotImplementedError

    @property
    def module(self) -> str:
        """The lookup of a row's module (app label)."""
        return self.at("content_type__app_label")

    def counts(self) -> Counter[str]:
        by = (self.rows().order_by().values(self.module)
              .annotate(n=Count("pk")).values_list(self.module, "n"))
        return Counter(dict(by))

    def keys(self) -> QuerySet:
        """The rows whose matters the source lists (see ``ClockSource``)."""
        return self.rows()

    def content_types(self) -> list[int]:
        """The content types of the rows' matters (read once)."""
        if getattr(self, "_cts", None) is None:
            self._cts = list(self.keys().order_by().values_list(
                self.at("content_type"), flat=True).distinct())
        return self._cts

    def matter_q(self, kind: MatterKind) -> Q | None:
        """The matters of ``kind`` whose clocks are among the rows."""
        ct = ct_of(kind).pk
        if ct not in self.content_types():
            return None
        rows = self.keys().filter(**{self.at("content_type"): ct})
        return Q(pk__in=as_pks(rows, self.at("object_id")))

    def clock_q(self) -> Q:
        """The clocks of the matters whose clocks are among the rows: one list of
        keys per content type, read once (never a subquery for every clock)."""
        return reduce(or_, [Q(content_type=ct, object_id__in=self.keys().filter(
            **{self.at("content_type"): ct}).values(self.at("object_id")))
            for ct in self.content_types()], Q(pk__in=[]))

    def first_rows(self, n: int, module: str, *fields: str) -> list[dict]:
        """The first ``n`` rows (and ties) of ``module`` with ``fields``: the
        overdue by due date, then the others."""
        overdue = (Q(overdue_q(self.today)) if not self.clock else Exists(
            Clock.objects.filter(overdue_q(self.today), pk=OuterRef(self.clock))))
        rows = self.rows().filter(**{self.module: module}) if module else self.rows()
        found: list[dict] = []
        for late in (True, False):
            qs = (rows.filter(overdue if late else ~overdue)
                  .annotate(due=F(self.at("due_date")), module=F(self.module))
                  .order_by("due", "pk").values("pk", "due", "module", *fields))
            found += [r | {"late": late} for r in top(qs, n - len(found), "due")]
            if len(found) >= n:
                break
        return found


class ExtensionSource(_Dated):
    """The extension requests of ``kinds``' clocks in the bureau waiting for a
    decision, never one asked by ``person`` (nobody decides their own; a list: by
    none of them, as a stand-in never decides their own for the absent head)."""

    clock = "clock"

    def __init__(self, kinds: list[MatterKind], org_unit_id: int, person,
                 today: dt.date) -> None:
        self.kinds, self.org_unit_id = kinds, org_unit_id
        self.person, self.today = person, today

    def rows(self) -> QuerySet[ClockExtension]:
        people = self.person if isinstance(self.person, list) else [self.person]
        return extensions_pending(Q(clock__org_unit_id=self.org_unit_id),
                                  self.kinds).exclude(requested_by__in=people)

    def content_types(self) -> list[int]:
        return [ct_of(kind).pk for kind in self.kinds]

    def first(self, n: int, module: str = "") -> list[Entry]:
        rows = self.first_rows(n, module, "clock__content_type_id", "clock__object_id",
                               "clock__rule_id", "clock__state", "requested_at")
        for row in rows:
            row["kind"] = _kind_of_ct(row["clock__content_type_id"])
        numbers = _numbers((r["kind"], r["clock__object_id"]) for r in rows)
        entries = []
        for row in rows:
            row["number"] = number = numbers.get(
                (row["kind"].kind, row["clock__object_id"]), "")
            title = f"{EXTENSION_TASK}：{number}" if number else EXTENSION_TASK
            entries.append(Entry(rank(row["late"], row["due"], title), row["module"],
                                 self, row))
        return entries

    def dress(self, entries: list[Entry]) -> list:
        return [WorkItem(
            module=r["kind"].app_label, task=EXTENSION_TASK, number=r["number"],
            url=r["kind"].url(r["clock__object_id"]), due=r["due"],
            badge=badge(r["due"], self.today, rule_id=r["clock__rule_id"],
                        state=r["clock__state"]),
            key=(r["kind"].kind, r["clock__object_id"]),
            since=timezone.localdate(r["requested_at"]),
            org_unit_id=self.org_unit_id) for r in (e.row for e in entries)]


class ClockSource(_Dated):
    """Clocks as work items (``named``: each saying whose it is). Their matters
    are those of ``keys`` (default: the clocks), a plainer query when the clocks
    leave out some of a person's own."""

    def __init__(self, clocks: QuerySet[Clock], today: dt.date, *,
                 named: bool = False, keys: QuerySet[Clock] | None = None) -> None:
        self.clocks, self.today, self.named = clocks, today, named
        self._keys = keys

    def rows(self) -> QuerySet[Clock]:
        return self.clocks

    def keys(self) -> QuerySet[Clock]:
        return self._keys if self._keys is not None else self.clocks

    def first(self, n: int, module: str = "") -> list[Entry]:
        return [Entry(rank(r["late"], r["due"], r["title"]), r["module"], self, r)
                for r in self.first_rows(n, module, "title")]

    def dress(self, entries: list[Entry]) -> list:
        clocks = Clock.objects.filter(pk__in=[e.row["pk"] for e in entries])
        found = {c.pk: c for c in clocks.select_related(
            "content_type", *(["assignee"] if self.named else []))}
        return [clock_item(c, self.today, who=whose(c) if self.named else "")
                for c in (found[e.row["pk"]] for e in entries)]


def whose(clock: Clock) -> str:
    """The person a clock is given to, else the role its kind gives it to."""
    if clock.assignee is not None:
        return str(clock.assignee)
    kind = matter_kinds.kind_of(clock.content_type.model_class())
    return ROLE_LABELS.get(kind.clock_roles.get(clock.rule_id) if kind else None, "")


def role_clocks_q(roles: Iterable[str]) -> Q:
    """Clocks of the rules the kinds give to one of ``roles`` (nothing when none)."""
    parts = [Q(content_type=ct_of(kind), rule_id__in=rules)
             for kind in matter_kinds.kinds()
             if (rules := [r for r, role in kind.clock_roles.items() if role in roles])]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def unlisted(clocks: QuerySet[Clock], listed: list[Q]) -> QuerySet[Clock]:
    """``clocks`` but for those given to a person of a matter ``listed`` already (its
    state's item is due on its clock). A clock given to a role (a complaint's
    answer) is a duty of its own: listed whatever else its matter waits on."""
    if not listed:
        return clocks
    return clocks.exclude(Q(assignee__isnull=False) & reduce(or_, listed))


# --- extension requests -----------------------------------------------------------


def extensions_pending(org_q: Q, kinds: Iterable[MatterKind]) -> QuerySet:
    """The extension requests waiting for a decision on clocks of ``kinds``."""
    cts = ContentType.objects.get_for_models(*(k.model() for k in kinds)).values()
    return ClockExtension.objects.filter(
        org_q, state=ExtensionState.PENDING,
        clock__content_type__in=[ct.pk for ct in cts]).order_by()


def _kind_of_ct(ct_id: int) -> MatterKind | None:
    return matter_kinds.kind_of(ContentType.objects.get_for_id(ct_id).model_class())


def _numbers(keys: Iterable[tuple[MatterKind, str]]) -> dict[tuple[str, str], str]:
    """The numbers of the matters ``keys`` name: one query per kind."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, pk in keys:
        by_kind[kind.kind].add(pk)
    found = {}
    for name, pks in by_kind.items():
        kind = matter_kinds.kind(name)
        if not kind.number_field:
            continue
        rows = kind.model()._default_manager.filter(pk__in=pks).order_by()
        for pk, number in rows.values_list("pk", kind.number_field):
            found[(kind.kind, str(pk))] = str(number)
    return found

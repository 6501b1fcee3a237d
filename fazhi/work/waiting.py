"""The work items' table kept right: each matter's rows recomputed from its truth.

``derive`` reads, for a list of matters of one kind, what ``sources`` defines:
the role the matter's state waits on (``Table.waits_on``), the active people of
that role it is given to (``MatterKind.assigned``; none left: the role), its due
date (the soonest running clock of the bureau's duty, else the date its assigned
row is owed by, ``sources.dated_by``), whether its duty's clock is paused, the
row done on the phone, and what is to be done in words. ``refresh`` replaces the
rows of the matters named, and is called in the transaction of every change
(``core.matters.changed``: the moves, the matters created, the clocks' services,
工作交接, a field check sent or withdrawn; ``person_changed``: an account disabled
or enabled). ``rebuild`` fills the whole table in chunks; ``differences`` is what
``fazhi work_items --check`` prints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction
from django.db.models import BigIntegerField, Exists, Min, OuterRef
from django.db.models.functions import Cast

from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import MatterKind
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.deadlines.models import Clock, ClockState
from fazhi.deadlines.overdue import bureau_q
from fazhi.work.models import Waiting
from fazhi.work.sources import (
    assigned_rows,
    ct_of,
    running_clocks,
    tabled_kinds,
    title_text,
)

CHUNK = 2000  # matters derived per query round on a rebuild or a check
# The fields that say what a row is; ``differences`` compares them.
FIELDS = ("org_unit_id", "module", "kind", "content_type_id", "object_id", "role",
          "person_id", "state", "number", "title", "due_date", "paused", "task_pk", "lead")


def waiting_states(kind: MatterKind) -> list[str]:
    """The open states in which the kind's matters wait on a bureau's role (its
    business roles: the table holds no other)."""
    return [s for s in kind.table.open_states
            if kind.table.waits_on(s) in kind.table.roles_waited_on & BUSINESS_ROLES]


# --- deriving -----------------------------------------------------------------------


def derive(kind: MatterKind, pks: Iterable | None = None) -> Iterator[Waiting]:
    """The rows of the kind's matters ``pks`` (None: all of them), unsaved, in order
    of the matter."""
    fields = ["pk", "state", "org_unit_id"]
    fields += [kind.number_field] if kind.number_field else []
    matters = kind.model()._default_manager.filter(
        state__in=waiting_states(kind)).order_by("pk")
    if pks is not None:
        matters = matters.filter(pk__in=list(pks))
    rows = list(matters.values(*fields))
    if not rows:
        return
    keys = [r["pk"] for r in rows]
    people, dues = _people(kind, keys), _dues(kind, rows)
    paused = _paused(kind, keys) if any(dues.get(k) is None for k in keys) else set()
    tasks, ct = _tasks(kind, keys), ct_of(kind).pk
    for row in rows:
        pk, state = row["pk"], row["state"]
        role = kind.table.waits_on(state)
        given = kind.assignment(state)
        who = sorted(people.get((id(given), pk), ())) if given is not None else []
        due = dues.get(pk)
        number = str(row.get(kind.number_field, "")) if kind.number_field else ""
        for i, person in enumerate(who or [None]):
            yield Waiting(
                org_unit_id=row["org_unit_id"], module=kind.app_label, kind=kind.kind,
                content_type_id=ct, object_id=str(pk), role=role, person_id=person, state=state,
                number=number, title=title_text(kind, state, number), due_date=due,
                paused=due is None and pk in paused, task_pk=tasks.get(pk),
                lead=i == 0)


def _people(kind: MatterKind, keys: list) -> dict[tuple, set[int]]:
    """(assignment, matter pk) → the active people it gives the matter to."""
    found: dict[tuple, set[int]] = defaultdict(set)
    model = kind.model()
    for given in kind.assigned:
        to = given.path(given.person)
        rows = (model._default_manager.filter(
            pk__in=keys, **given.lookups, **{f"{to}__is_active": True})
            .order_by().values_list("pk", to))
        for pk, person in rows:
            if person is not None:
                found[(id(given), pk)].add(person)
    return found


def _dues(kind: MatterKind, rows: list[dict]) -> dict:
    """Matter pk → its due date: its soonest running clock of the bureau's duty,
    else the first assignment dating it in its state (``sources.dated_by``)."""
    to_pk = kind.model()._meta.pk.to_python
    clocks = (running_clocks(kind).filter(object_id__in=[str(r["pk"]) for r in rows])
              .order_by().values("object_id").annotate(due=Min("due_date"))
              .values_list("object_id", "due"))
    found = {to_pk(oid): due for oid, due in clocks}
    keys = [r["pk"] for r in rows]
    dated = [(given, _dated(kind, given, keys)) for given in kind.assigned if given.due]
    for row in rows:
        if row["pk"] in found:
            continue
        for given, dates in dated:
            if given.states and row["state"] not in given.states:
                continue
            if dates.get(row["pk"]) is not None:
                found[row["pk"]] = dates[row["pk"]]
                break
    return found


def _dated(kind: MatterKind, given, keys: list) -> dict:
    """Matter pk → the soonest date of its rows ``given`` assigns."""
    rows, key, due = assigned_rows(kind, given)
    return dict(rows.filter(**{f"{key}__in": keys}).exclude(**{f"{due}__isnull": True})
                .order_by().values(key).annotate(day=Min(due)).values_list(key, "day"))


def _paused(kind: MatterKind, keys: list) -> set:
    """The matters with a paused clock of the bureau's duty."""
    to_pk = kind.model()._meta.pk.to_python
    rows = Clock.objects.filter(bureau_q(), content_type=ct_of(kind),
                                state=ClockState.PAUSED,
                                object_id__in=[str(k) for k in keys])
    return {to_pk(oid) for oid in rows.values_list("object_id", flat=True)}


def _tasks(kind: MatterKind, keys: list) -> dict:
    """Matter pk → its open row done on the phone (a patch's field check)."""
    phone = next((a for a in kind.assigned if a.phone_page), None)
    if phone is None:
        return {}
    rows = (kind.model()._default_manager.filter(pk__in=keys, **phone.lookups)
            .order_by().values("pk").annotate(task=Min(phone.path("pk")))
            .values_list("pk", "task"))
    return {pk: task for pk, task in rows if task is not None}


# --- keeping it right ---------------------------------------------------------------


def refresh(matter) -> None:
    """Recompute ``matter``'s rows from its state, clocks and people."""
    refresh_keys(type(matter), [matter.pk])


def refresh_keys(model, pks: Iterable) -> None:
    """Recompute the rows of the matters ``pks`` of ``model`` (nothing for a model
    that is not a matter with a state table)."""
    kind = matter_kinds.kind_of(model) if model is not None else None
    if kind is None or kind.table is None:
        return
    keys = [kind.model()._meta.pk.to_python(pk) for pk in pks]
    with transaction.atomic():
        Waiting.objects.filter(kind=kind.kind,
                               object_id__in=[str(k) for k in keys]).delete()
        Waiting.objects.bulk_create(derive(kind, keys))


def refresh_person(user) -> None:
    """Recompute the rows of every open matter given to ``user`` (their account
    was disabled or enabled: the matter waits on them, or on the role again)."""
    for kind in tabled_kinds():
        model = kind.model()
        for given in kind.assigned:
            pks = (model._default_manager.filter(
                state__in=waiting_states(kind), **given.lookups,
                **{given.path(given.person): user})
                .order_by().values_list("pk", flat=True).distinct())
            refresh_keys(model, list(pks))


def _chunks(kind: MatterKind) -> Iterator[list]:
    """The kind's waiting matters' keys, ``CHUNK`` at a time."""
    keys = (kind.model()._default_manager.filter(state__in=waiting_states(kind))
            .order_by("pk").values_list("pk", flat=True))
    last = None
    while True:
        page = list((keys.filter(pk__gt=last) if last is not None else keys)[:CHUNK])
        if not page:
            return
        yield page
        last = page[-1]


def rebuild(progress: Callable[[str], None] | None = None) -> int:
    """Fill the table anew from every matter, a chunk per transaction (safe to run
    again, or after one interrupted: each kind is cleared first); return the rows."""
    total = 0
    for kind in tabled_kinds():
        Waiting.objects.filter(kind=kind.kind).delete()
        done = 0
        for page in _chunks(kind):
            with transaction.atomic():
                # a matter that moved since it was deleted above has fresh rows
                Waiting.objects.filter(kind=kind.kind,
                                       object_id__in=[str(k) for k in page]).delete()
                rows = list(derive(kind, page))
                Waiting.objects.bulk_create(rows, batch_size=500)
            done += len(page)
            total += len(rows)
            if progress:
                progress(f"{kind.label}：已处理 {done} 件")
    Waiting.objects.exclude(kind__in=[k.kind for k in tabled_kinds()]).delete()
    with connection.cursor() as cursor:  # the planner learns the new table's sizes
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Waiting._meta.db_table)}")
    return total


def _row(w: Waiting) -> tuple:
    return tuple(getattr(w, f) for f in FIELDS)


def differences(limit: int = 50) -> tuple[int, list[str]]:
    """Compare the table with a full derivation: (how many rows differ, the first
    ``limit`` of them in words)."""
    kinds = tabled_kinds()
    stray = Waiting.objects.exclude(kind__in=[k.kind for k in kinds])
    found = stray.count()
    shown = [f"多余：{w.kind} {w.object_id} {w.title}" for w in stray[:limit]]
    for kind in kinds:
        for page in _chunks(kind):
            n, lines = _compare(kind, page, Waiting.objects.filter(
                kind=kind.kind, object_id__in=[str(k) for k in page]))
            found += n
            shown += lines[:max(limit - len(shown), 0)]
        gone = Waiting.objects.filter(kind=kind.kind).exclude(Exists(
            kind.model()._default_manager.filter(
                state__in=waiting_states(kind),
                pk=Cast(OuterRef("object_id"), BigIntegerField()))))
        found += gone.count()
        shown += [f"多余：{kind.label} {w.object_id} {w.title}（不再等待办理）"
                  for w in gone[:max(limit - len(shown), 0)]]
    return found, shown


def _compare(kind: MatterKind, page: list, stored) -> tuple[int, list[str]]:
    want = Counter(_row(w) for w in derive(kind, page))
    have = Counter(_row(w) for w in stored)
    missing, wrong = want - have, have - want
    lines = [f"缺少：{kind.label} {_words(r)}" for r in sorted(missing, key=str)]
    lines += [f"不符：{kind.label} {_words(r)}" for r in sorted(wrong, key=str)]
    return sum(missing.values()) + sum(wrong.values()), lines


def _words(row: tuple) -> str:
    """A row of ``FIELDS`` as the check lists it: matter, task, whose, due."""
    r = dict(zip(FIELDS, row, strict=True))
    return (f"{r['object_id']} {r['title']}（{r['person_id'] or r['role']}，"
            f"期限 {r['due_date'] or '无'}）")


def fill_after_migrate(sender, plan=None, **kwargs) -> None:
    """Fill the table on the migration that creates it (existing databases: the
    demo's, a bench's); later migrations leave it to the hooks."""
    if any(m.app_label == "work" and m.name == "0001_initial" and not backwards
           for m, backwards in plan or ()):
        rebuild()

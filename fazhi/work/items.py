"""A person's work items, derived from the matters' state on every read.

Nothing is stored, so nothing can drift: a work item exists while a matter sits
in a state its table says waits on a role (``Table.waits_on``) — for the person of
that role the matter is given to (``MatterKind.assigned``), or for every holder
of the role in the matter's bureau when it is given to nobody — and while an
extension request of its clock waits for the role that decides it
(``MatterKind.extensions``). It is gone as soon as anyone entitled takes the
action. Each item says what is to be done (法制审核：<number>), since when (the
audit event that brought the matter into its state), due when (the matter's
running clock of the bureau's duty, else the date its assigned row is owed by)
and where it is done.

One query per kind of matter, one for the extension requests (and one per kind
they name), one for the person's clocks, and one audit query per kind for the
items shown: the count never grows with the number of matters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import MatterKind
from fazhi.core.models import AuditEvent
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.deadlines import duty
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import Clock, ClockExtension, ClockState, ExtensionState
from fazhi.deadlines.overdue import bureau_q, clock_badge, rule_duty

EXTENSION_TASK = "审批延期申请"
OPEN_CLOCKS = (ClockState.RUNNING, ClockState.PAUSED)
_YELLOW = Clock._meta.get_field("yellow_days").default


@dataclass(frozen=True)
class WorkItem:
    """One thing to be done: what, on which matter, since and due when, where."""

    module: str  # the app label of the matter's module: "enforcement"
    task: str  # what is to be done, in words: 法制审核
    number: str  # the matter's number ("" when the task names it)
    url: str  # the page where it is done
    due: dt.date | None
    badge: duty.Badge | None  # the clock's standing as of today (None: no date)
    key: tuple[str, str]  # the matter: its kind and primary key
    state: str = ""  # the matter's state, for an item its state makes
    since: dt.date | None = None
    who: str = ""  # whose it is, on a head's list of their people's items
    phone_url: str = ""  # the phone page of a field task ("" for other work)
    org_unit_id: int | None = None

    @property
    def title(self) -> str:
        return f"{self.task}：{self.number}" if self.number else self.task

    @property
    def module_label(self) -> str:
        return matter_kinds.module_label(self.module)

    @property
    def in_field(self) -> bool:
        return bool(self.phone_url)

    @property
    def overdue(self) -> bool:
        """The bureau's duty past due (the one meaning of 超期)."""
        return self.badge is not None and self.badge.overdue


def badge(due: dt.date | None, today: dt.date, *, rule_id: str = "",
          state: str = ClockState.RUNNING) -> duty.Badge | None:
    """The standing of a work item due on ``due``: its clock's badge (of the clock's
    rule, or the bureau's duty when it has none), None without a date."""
    if due is None:
        return None
    return duty.clock_badge(
        duty=rule_duty(rule_id) if rule_id else duty.BUREAU, state=state, due=due,
        today=today, calendar=calendar_from_db(True), yellow_days=_YELLOW)


def order(items: Iterable[WorkItem]) -> list[WorkItem]:
    """Overdue first, then the soonest due; items without a due date last."""
    return sorted(items, key=lambda i: (not i.overdue, i.due is None,
                                        i.due or dt.date.max, i.title))


def tabled_kinds() -> tuple[MatterKind, ...]:
    """The kinds whose matters move through a state table."""
    return tuple(k for k in matter_kinds.kinds() if k.table is not None)


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
                rows = model._default_manager.filter(pk=OuterRef("pk"), **given.lookups)
                to = given.path(given.person)
                q &= (Exists(rows.filter(**{to: person}))
                      | ~Exists(rows.filter(**{f"{to}__isnull": False})))
            for barred in kind.barring(role) if person is not None else ():
                q &= ~Exists(barred.rows(model, OuterRef("pk"))
                             .filter(**{barred.person: person}))
            parts.append(q)
    return reduce(or_, parts) if parts else None


def with_due(kind: MatterKind, qs: QuerySet) -> QuerySet:
    """``qs`` annotated with ``due`` (the soonest running clock of the bureau's duty,
    else the date the assigned row is owed by), ``paused`` (a clock of the bureau's
    duty is paused) and ``task_pk`` (the assigned row with a phone page)."""
    model = kind.model()
    clocks = Clock.objects.filter(
        bureau_q(), content_type=ContentType.objects.get_for_model(model),
        object_id=Cast(OuterRef("pk"), CharField()))
    due = [Subquery(clocks.filter(state=ClockState.RUNNING).order_by("due_date")
                    .values("due_date")[:1])]
    extra = {"paused": Exists(clocks.filter(state=ClockState.PAUSED))}
    for given in kind.assigned:
        rows = model._default_manager.filter(pk=OuterRef("pk"), **given.lookups)
        if given.due:
            date = given.path(given.due)
            owed = Subquery(rows.exclude(**{f"{date}__isnull": True})
                            .order_by(date).values(date)[:1])
            due.append(Case(When(state__in=given.states, then=owed))
                       if given.states else owed)
        if given.phone_page:
            extra["task_pk"] = Subquery(rows.values(given.path("pk"))[:1])
    return qs.annotate(due=Coalesce(*due) if len(due) > 1 else due[0], **extra)


def kind_items(kind: MatterKind, where: Q, today: dt.date, *,
               late: bool = False) -> list[WorkItem]:
    """The kind's matters matching ``where`` as work items (``late``: only those
    past their due date)."""
    model = kind.model()
    qs = with_due(kind, model._default_manager.filter(where)).order_by()
    qs = qs.filter(due__lt=today) if late else qs
    fields = ["pk", "state", "due", "paused", "org_unit_id"]
    fields += [kind.number_field] if kind.number_field else []
    phone = next((a.phone_page for a in kind.assigned if a.phone_page), "")
    fields += ["task_pk"] if phone else []
    items = []
    for row in qs.values(*fields):
        task_pk = row.get("task_pk")
        items.append(WorkItem(
            module=kind.app_label, task=kind.table.todo_label(row["state"]),
            number=str(row.get(kind.number_field, "")), url=kind.url(row["pk"]),
            due=row["due"], badge=badge(row["due"], today) or (
                duty.PAUSED if row["paused"] else None),
            key=(kind.kind, str(row["pk"])), state=row["state"],
            phone_url=reverse(phone, args=[task_pk]) if task_pk else "",
            org_unit_id=row["org_unit_id"]))
    return items


def _for_person(user) -> bool:
    return bool(getattr(user, "org_unit_id", None) and user.roles & BUSINESS_ROLES)


def state_items(user, today: dt.date) -> list[WorkItem]:
    """The matters of the person's bureau waiting on them, of every kind."""
    items = []
    for kind in tabled_kinds():
        where = waiting_q(kind, user.roles, user)
        if where is not None:
            items += kind_items(kind, Q(org_unit_id=user.org_unit_id) & where, today)
    return items


# --- extension requests and clocks ------------------------------------------------


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


def _kind_of_ct(ct_id: int) -> MatterKind | None:
    return matter_kinds.kind_of(ContentType.objects.get_for_id(ct_id).model_class())


def extensions_pending(org_q: Q, kinds: Sequence[MatterKind]) -> QuerySet:
    """The extension requests waiting for a decision on clocks of ``kinds``."""
    cts = ContentType.objects.get_for_models(*(k.model() for k in kinds)).values()
    return ClockExtension.objects.filter(
        org_q, state=ExtensionState.PENDING,
        clock__content_type__in=[ct.pk for ct in cts]).order_by()


def extension_items(user, today: dt.date) -> list[WorkItem]:
    """The extension requests of the person's bureau waiting on their decision:
    never their own (nobody decides their own request)."""
    kinds = [k for k in matter_kinds.kinds() if k.extensions in user.roles]
    if not kinds:
        return []
    rows = list(extensions_pending(Q(clock__org_unit_id=user.org_unit_id), kinds)
                .exclude(requested_by=user).values_list(
                    "clock__content_type_id", "clock__object_id", "clock__due_date",
                    "clock__state", "clock__rule_id", "requested_at"))
    found = [(_kind_of_ct(ct), oid) for ct, oid, *_ in rows]
    numbers = _numbers(found)
    return [WorkItem(
        module=kind.app_label, task=EXTENSION_TASK,
        number=numbers.get((kind.kind, oid), ""), url=kind.url(oid), due=due,
        badge=badge(due, today, rule_id=rule, state=state), key=(kind.kind, oid),
        since=timezone.localdate(asked), org_unit_id=user.org_unit_id)
        for (kind, oid), (_, _, due, state, rule, asked) in zip(found, rows,
                                                               strict=True)]


def clock_item(clock: Clock, today: dt.date, who: str = "") -> WorkItem:
    """A clock as a work item: its title, from its start to its due date."""
    model = clock.content_type.model_class()
    kind = matter_kinds.kind_of(model) if model is not None else None
    direct = kind is not None and kind.url_name and not kind.owner
    url = (kind.url(clock.object_id) if direct
           else reverse("web:clock_detail", args=[clock.pk]))
    return WorkItem(
        module=clock.content_type.app_label, task=clock.title, number="", url=url,
        due=clock.due_date, key=(kind.kind if kind else "", clock.object_id),
        badge=clock_badge(clock, today),
        since=clock.start_date, who=who, org_unit_id=clock.org_unit_id)


def clock_items(clocks: Iterable[Clock], today: dt.date, *, listed: set,
                who=lambda clock: "") -> list[WorkItem]:
    """``clocks`` as work items, but for those of a matter ``listed`` already (its
    state's item is due on its clock). A clock given to a role (a complaint's
    answer) is a duty of its own: listed whatever else its matter waits on."""
    return [item for clock in clocks
            if (item := clock_item(clock, today, who(clock))).key not in listed
            or clock.assignee_id is None]


def clocks_mine(user) -> QuerySet[Clock]:
    """The person's own open clocks, and those of their bureau given to nobody whose
    rule the kind gives to one of their roles (``MatterKind.clock_roles``)."""
    return (Clock.objects.filter(
        Q(assignee=user, org_unit__path__startswith=user.org_unit.path)
        | (Q(assignee__isnull=True, org_unit_id=user.org_unit_id)
           & role_clocks_q(user.roles)), state__in=OPEN_CLOCKS)
        .select_related("content_type").order_by())


def role_clocks_q(roles: Iterable[str]) -> Q:
    """Clocks of the rules the kinds give to one of ``roles`` (nothing when none)."""
    parts = [Q(content_type=ContentType.objects.get_for_model(kind.model()),
               rule_id__in=rules)
             for kind in matter_kinds.kinds()
             if (rules := [r for r, role in kind.clock_roles.items() if role in roles])]
    return reduce(or_, parts) if parts else Q(pk__in=[])


# --- the list ---------------------------------------------------------------------


def items_mine(user, today: dt.date | None = None) -> list[WorkItem]:
    """Everything waiting on ``user``, in order: the matters waiting on them, the
    extension requests they decide, and their own clocks of other matters."""
    if not _for_person(user):
        return []
    today = today or timezone.localdate()
    items = state_items(user, today) + extension_items(user, today)
    items += clock_items(clocks_mine(user), today,
                         listed={i.key for i in items if i.state})
    user._work_counts = Counter(i.module for i in items)
    return order(items)


def counts_mine(user) -> Counter[str]:
    """How many items wait on ``user`` in each module (app label).

    Kept on the user object for the request, as ``User.roles`` is: every menu
    entry's count reads what the page's own list (or the first entry) counted.
    """
    counts = getattr(user, "_work_counts", None)
    if counts is None:
        items_mine(user)
        counts = getattr(user, "_work_counts", Counter())
    return counts


def count_of(module: str):
    """A menu entry's count: the items waiting on the person in ``module``
    (every module when "")."""

    def count(user) -> int:
        counts = counts_mine(user)
        return counts[module] if module else sum(counts.values())

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

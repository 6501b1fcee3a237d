"""The matter registry: which kinds of matter the bureau handles, and how to find one.

Each app lists its kinds in its ``MatterAppConfig.matters``, registered when the app
is ready. Code that must name a matter
of another app — a reconsideration's challenged act, the matter a clock runs for,
a figure's record — asks here instead of importing that app's models: the kind
(``"enforcement.case"``: app label and model name, as ``ContentType`` and
``Model._meta.label_lower`` spell them) gives the model, the number a person
types, the page and what staff call it.

A kind with a state table (``table``) also says who its waiting matters wait on:
the table names the role each state waits on, ``assigned`` the person of that
role the matter is given to (a case's officers, a request's handling officer),
``barred`` who of that role may not act on it (a reviewer who took part in the
case), ``clock_roles`` the role acting on a clock of a rule given to nobody (a
bad rating's answer), and ``extensions`` the role that decides its clocks'
extension requests (or ``extension_chain`` the chain of sign-offs in the rule
data that names it). The work items of ``fazhi.work`` (我的待办) are derived from
these and the matters' state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.urls import reverse

from fazhi.core.numbers import doc_number_normalise
from fazhi.core.transitions import Table


@dataclass(frozen=True)
class Assigned:
    """Who of ``role`` a matter waiting on that role is given to.

    ``person`` is the user field or many-to-many naming them, on the matter or, with
    ``via``, on its related rows (a patch's field checks), of which only those
    matching ``where`` count (the open one). ``due`` is that row's own date the
    person owes the work by, when the matter has no clock, and ``phone_page`` the
    URL name of the row's page (its pk) where it is done on a phone. ``states``
    limits it to some of the states waiting on the role (a patch waits on the
    officer of its field check while it is out, on the batch's officer before and
    after). A matter given to nobody waits on every holder of the role in its
    bureau.
    """

    role: str
    person: str
    via: str = ""  # the relation to the assigned rows ("" : the matter itself)
    where: Mapping[str, object] = field(default_factory=dict)
    due: str = ""
    phone_page: str = ""
    states: frozenset[str] = frozenset()  # empty: every state waiting on the role

    def path(self, name: str) -> str:
        """The lookup of ``name`` on the assigned row, from the matter."""
        return f"{self.via}__{name}" if self.via else name

    @property
    def lookups(self) -> dict[str, object]:
        """The filter keeping the assigned rows that count."""
        return {self.path(k): v for k, v in self.where.items()}


@dataclass(frozen=True)
class Barred:
    """Who of ``role`` may not act on a matter: the people the user field or
    many-to-many ``person`` names on it or, with ``via``, on its related rows, but
    for the rows matching ``unless``. The law keeps whoever took part in a case out
    of its legal review (行政处罚法第五十八条): the table's guard refuses them, and
    their 我的待办 never offers the matter."""

    role: str
    person: str
    via: str = ""  # the reverse relation to the rows ("": the matter itself)
    unless: Mapping[str, object] = field(default_factory=dict)

    def rows(self, model: type[Model], matter) -> QuerySet:
        """The rows of the matter ``matter`` (a pk, or an ``OuterRef``) naming
        people this bars."""
        if self.via:
            relation = model._meta.get_field(self.via)
            rows = relation.related_model._default_manager.filter(
                **{relation.field.name: matter})
        else:
            rows = model._default_manager.filter(pk=matter)
        return rows.exclude(**self.unless).order_by()


@dataclass(frozen=True)
class MatterKind:
    """One kind of matter: its model, number, page and names."""

    kind: str  # "<app label>.<model name>", e.g. "enforcement.case"
    label: str  # what staff call one: 执法案件
    module: str  # the module's name on lists and dashboards: 行政执法
    url_name: str = ""  # the page of one, reversed with ``url_args`` and its pk
    url_args: tuple = ()
    number_field: str = "number"  # what a person types to name one ("" when none)
    owner: str = ""  # a part of another matter: the field naming that matter
    # An administrative act a reconsideration or lawsuit may challenge (the
    # disputes module looks it up by number).
    challengeable: bool = False
    # What a correction by reconsideration or court does to it, when more than an
    # entry in its audit trail: called with matter, actor, note, on (the date).
    corrected: Callable[..., object] | None = None
    # Its state table, and who of the roles it waits on the matter is given to.
    table: Table | None = None
    assigned: tuple[Assigned, ...] = ()
    barred: tuple[Barred, ...] = ()  # who of the roles it waits on may not act
    # The role acting on an open clock of a rule (rule id → role) given to nobody.
    clock_roles: Mapping[str, str] = field(default_factory=dict)
    extensions: str = ""  # the role deciding extension requests of its clocks
    # Or, when the rule data says who decides: the code of the chain of sign-offs
    # its clocks' extensions follow, in the app's ``rules/approvals.toml`` (the
    # deciding role is then the chain's, ``core.approvals.extension_role``).
    extension_chain: str = ""

    def assignment(self, state: str) -> Assigned | None:
        """To whom of the role it waits on a matter in ``state`` is given, if anyone."""
        role = self.table.waits_on(state)
        return next((a for a in self.assigned
                     if a.role == role and (not a.states or state in a.states)), None)

    def assignments(self, role: str) -> list[tuple[Assigned | None, tuple[str, ...]]]:
        """The states waiting on ``role``, grouped by how a matter in them is given
        (None: to nobody, so to every holder of the role)."""
        groups: list[tuple[Assigned | None, list[str]]] = []
        for state in self.table.waiting_on(role):
            given = self.assignment(state)
            group = next((g for g in groups if g[0] is given), None)
            if group is None:
                groups.append(group := (given, []))
            group[1].append(state)
        return [(given, tuple(states)) for given, states in groups]

    def barring(self, role: str) -> tuple[Barred, ...]:
        return tuple(b for b in self.barred if b.role == role)

    @property
    def app_label(self) -> str:
        return self.kind.split(".", 1)[0]

    def model(self) -> type[Model]:
        return apps.get_model(self.kind)

    def url(self, pk) -> str:
        """The page of the matter with primary key ``pk`` (a kind with a page)."""
        return reverse(self.url_name, args=[*self.url_args, pk])

    def number(self, matter: Model) -> str:
        return str(getattr(matter, self.number_field)) if self.number_field else ""


_KINDS: dict[str, MatterKind] = {}


def register(*kinds: MatterKind) -> None:
    """Add ``kinds`` (an app's ``ready()``); registering the same kind again is a
    no-op, a different kind under a taken name an error."""
    for kind in kinds:
        known = _KINDS.setdefault(kind.kind, kind)
        if known != kind:
            raise ImproperlyConfigured(f"matter kind {kind.kind} registered twice")


class MatterAppConfig(AppConfig):
    """An app that handles kinds of matter: it lists them, ready() registers them.

    Subclass it as ``matter_kinds.MatterAppConfig``: with a second AppConfig class
    imported by name into an app's ``apps.py`` Django falls back to a plain
    AppConfig, and the app's kinds and menu entries go missing.
    """

    matters: tuple[MatterKind, ...] = ()

    def ready(self) -> None:
        register(*self.matters)


def kinds(*, challengeable: bool | None = None) -> tuple[MatterKind, ...]:
    """Every registered kind, in the order the apps registered them."""
    return tuple(k for k in _KINDS.values()
                 if challengeable is None or k.challengeable == challengeable)


def kind(name: str) -> MatterKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no matter kind {name!r}; registered: "
                          f"{', '.join(_KINDS)}") from None


def kind_of(matter: Model | type[Model]) -> MatterKind | None:
    """The kind of a matter (or of a model), None for a record that is not one."""
    return _KINDS.get(matter._meta.label_lower)


def barred_from(matter: Model, role: str) -> set[int]:
    """The people ``matter``'s kind bars from acting on it in ``role`` (pks)."""
    found = kind_of(matter)
    model = found.model()
    ids: set[int] = set()
    for barred in found.barring(role):
        ids |= set(barred.rows(model, matter.pk).values_list(barred.person, flat=True))
    return ids - {None}


def matter_url(matter: Model | None) -> str:
    """The page of ``matter`` (of the matter it is a part of), "" when it has none."""
    found = kind_of(matter) if matter is not None else None
    if found is None:
        return ""
    if found.owner:
        return matter_url(getattr(matter, found.owner))
    return found.url(matter.pk) if found.url_name else ""


def matter_title(matter: Model) -> str:
    """What staff call ``matter``: its kind and number ("执法案件 <number>")."""
    found = kind_of(matter)
    if found is None:
        return str(matter)
    if found.owner:
        return f"{found.label}（{matter_title(getattr(matter, found.owner))}）"
    return " ".join(x for x in (found.label, found.number(matter)) if x)


def module_label(app_label: str) -> str:
    """The module's name for ``app_label`` (the app label itself when no kind says)."""
    return next((k.module for k in _KINDS.values() if k.app_label == app_label),
                app_label)


def find_by_number(number: str, *, org_unit, among: Iterable[MatterKind]
                   ) -> Model | None:
    """The bureau's own matter of one of ``among`` numbered ``number`` (as typed:
    any brackets around the year, full-width digits), or None."""
    number = doc_number_normalise(number)
    for found in among:
        matter = found.model()._default_manager.filter(
            org_unit=org_unit, **{found.number_field: number}).first()
        if matter is not None:
            return matter
    return None


def numbers_recent(*, org_unit, among: Iterable[MatterKind], n: int = 100
                   ) -> list[tuple[str, str]]:
    """The bureau's latest ``n`` numbers of each of ``among`` with what they are
    (number, "执法案件"), to offer as one types a number."""
    found = []
    for kind_ in among:
        if not kind_.number_field:
            continue
        numbers = (kind_.model()._default_manager.filter(org_unit=org_unit)
                   .exclude(**{kind_.number_field: ""}).order_by("-pk")
                   .values_list(kind_.number_field, flat=True)[:n])
        found += [(str(number), kind_.label) for number in numbers]
    return found


def labels(among: Iterable[MatterKind], last: str = "或") -> str:
    """The kinds' labels as a sentence lists them: 执法案件、许可申请或行政复议."""
    names = [k.label for k in among]
    if len(names) < 2:
        return "".join(names)
    return f"{'、'.join(names[:-1])}{last}{names[-1]}"

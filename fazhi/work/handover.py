"""工作交接: a head hands a person's open matters to another of the same role.

A matter given to a person (``MatterKind.assigned``: a request's handling officer,
a permit's clerk, a case's officers, a patch's open field check) stays theirs
until it is closed. When they move post, fall ill for long or leave, the head over
their work (the principal over everyone, the section head over the window, the
disclosure office's head over its officers: ``role_names.OVERSEES``) gives those
matters to another active holder of the same role in the same bureau, with the
reason. Each matter moved is one audit event (``work.hand_over``) and one
notification to the new person; the person's open clocks of the matter move
with it.

A matter given to someone who has left (an inactive account) is not lost in the
meantime: it waits on every holder of the role in its bureau again
(``work.waiting``, ``notices.waiting_people``), and this page lists such
matters first.

Only assignments held on the matter itself or on its own rows move: a patch
waiting on the officer who imported its batch is not reassigned (who imported a
batch is a fact of its history), it falls back to the role when they leave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet

from fazhi.core import audit, matter_kinds, matters
from fazhi.core.matter_kinds import Assigned, MatterKind
from fazhi.core.models import NoticeKind, User
from fazhi.core.notices import Notice, notify
from fazhi.core.role_names import HEADS, OVERSEES, ROLE_LABELS
from fazhi.core.selectors import staff_for_work
from fazhi.deadlines.models import OPEN_STATES, Clock


@dataclass(frozen=True)
class Held:
    """One open matter given to ``person`` through ``given``."""

    kind: MatterKind
    given: Assigned
    matter: Model
    person: User

    @property
    def key(self) -> str:
        """What the form posts to pick it: kind:pk."""
        return f"{self.kind.kind}:{self.matter.pk}"

    @property
    def title(self) -> str:
        return matter_kinds.matter_title(self.matter)

    @property
    def url(self) -> str:
        return matter_kinds.matter_url(self.matter)

    @property
    def state_label(self) -> str:
        return self.kind.table.label(self.matter.state)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.given.role]


def movable(kind: MatterKind) -> list[Assigned]:
    """The kind's assignments a head may move: on the matter, or on its own rows."""
    model = kind.model()
    return [g for g in kind.assigned
            if not g.via or model._meta.get_field(g.via).one_to_many]


def _held(person_q: dict, org_unit_id: int) -> list[Held]:
    found = []
    for kind in matter_kinds.kinds():
        if kind.table is None:
            continue
        model = kind.model()
        for given in movable(kind):
            at = given.path(given.person)
            states = [s for s in kind.table.open_states
                      if not given.states or s in given.states]
            rows = (model._default_manager.filter(
                org_unit_id=org_unit_id, state__in=states, **given.lookups,
                **{f"{at}__{k}" if k else at: v for k, v in person_q.items()})
                .values_list("pk", at).distinct())
            pairs = sorted(rows)
            matters = model._default_manager.in_bulk([pk for pk, _ in pairs])
            people = User.objects.in_bulk({who for _, who in pairs})
            found += [Held(kind, given, matters[pk], people[who])
                      for pk, who in pairs]
    return found


def held_by(person: User) -> list[Held]:
    """The open matters given to ``person`` in their bureau."""
    return _held({"": person}, person.org_unit_id)


def orphaned(org_unit) -> list[Held]:
    """The open matters of the bureau given to someone who has left."""
    return _held({"is_active": False}, org_unit.pk)


def roles_overseen(actor, org_unit_id) -> frozenset[str] | None:
    """The roles whose matters ``actor`` may hand over in the bureau (None: every
    role's), or an empty set: not a head there."""
    if not (actor is not None and actor.is_active and actor.org_unit_id == org_unit_id):
        return frozenset()
    found: set[str] = set()
    for head in actor.granted_roles & HEADS:
        if OVERSEES[head] is None:
            return None
        found |= OVERSEES[head]
    return frozenset(found)


def may_hand_over(actor) -> bool:
    """Tell whether ``actor`` heads some work of their bureau."""
    return roles_overseen(actor, getattr(actor, "org_unit_id", None)) != frozenset()


def people_of(actor) -> QuerySet[User]:
    """The people of ``actor``'s bureau (those who left too, they may hold work)."""
    return (User.objects.filter(org_unit_id=actor.org_unit_id)
            .exclude(pk=actor.pk).order_by("-is_active", "username"))


def successors(person: User, held: Iterable[Held]) -> QuerySet[User]:
    """Who may take over ``held``: active members of the person's bureau holding
    every role the matters are given by."""
    qs = staff_for_work(org_unit_ids=[person.org_unit_id]).exclude(pk=person.pk)
    for role in {h.given.role for h in held}:
        qs = qs.filter(role_grants__role=role)
    return qs.distinct().order_by("username")


def hand_over(*, person: User, to: User, reason: str, actor,
              keys: Iterable[str] | None = None) -> list[Held]:
    """Give ``person``'s open matters (those of ``keys``, else all of them) to
    ``to``, for ``reason``; return what moved. Audited per matter; ``to`` is told."""
    overseen = roles_overseen(actor, person.org_unit_id)
    if overseen == frozenset():
        raise PermissionDenied(f"只有{person.org_unit}的负责人或科室负责人可以办理工作交接")
    held = held_by(person)
    if keys is not None:
        keys = set(keys)
        held = [h for h in held if h.key in keys]
    reason = (reason or "").strip()
    if not held:
        raise ValidationError({"keys": "请选择要交接的事项"})
    barred = {h.given.role for h in held if overseen is not None
              and h.given.role not in overseen}
    if barred:
        raise PermissionDenied("您不能交接" + "、".join(ROLE_LABELS[r] for r in barred)
                               + "的事项")
    if not reason:
        raise ValidationError({"reason": "请写明交接理由"})
    if to.pk == person.pk or to.org_unit_id != person.org_unit_id or not to.is_active:
        raise ValidationError({"to": f"接手人须为{person.org_unit}在岗的其他人员"})
    lacking = {h.given.role for h in held} - to.granted_roles
    if lacking:
        raise ValidationError({"to": "接手人须担任"
                               + "、".join(ROLE_LABELS[r] for r in lacking)})
    with transaction.atomic():
        for h in held:
            _move(h, to)
            event = audit.record(
                actor=actor, obj=h.matter, action="work.hand_over",
                summary=f"工作交接：{h.title}的{h.role_label}由{person}改为{to}，"
                        f"理由：{reason}",
                before={"assignee": person.pk}, after={"assignee": to.pk})
            notify([to], Notice(
                NoticeKind.WORK, f"handover:{event.seq}",
                f"新待办：工作交接 {h.title}（原由{person}承办）", h.url),
                org_unit=h.matter.org_unit)
    return held


def _move(h: Held, to: User) -> None:
    model, given, person = h.kind.model(), h.given, h.person
    if given.via:
        relation = model._meta.get_field(given.via)
        rows = relation.related_model._default_manager.filter(
            **{relation.field.name: h.matter}, **given.where, **{given.person: person})
        rows.update(**{given.person: to})
    elif model._meta.get_field(given.person).many_to_many:
        team = getattr(h.matter, given.person)
        if team.filter(pk=to.pk).exists():
            raise ValidationError({"to": f"{to}已是{h.title}的承办人员，请另选接手人"})
        team.remove(person)
        team.add(to)
    else:
        model._default_manager.filter(pk=h.matter.pk).update(**{given.person: to})
    Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(h.matter.pk), assignee=person, state__in=OPEN_STATES,
    ).update(assignee=to)
    matters.changed(model, [h.matter.pk])

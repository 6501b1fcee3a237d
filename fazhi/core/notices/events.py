"""What the platform tells people, and whom: the events that make a notification.

- ``work_arrived``: a matter moved into a state that waits on a role (its table's
  ``waits_on``): the person of that role it is given to (``MatterKind.assigned``),
  else every active holder of the role in the matter's own bureau, is told
  新待办：<what> <number>. Exactly those who find it on 我的待办 (``fazhi.work``),
  never the person who made the move. ``matters.advance`` calls it once the move
  commits, for every module, and ``matters.opened`` for a matter created waiting.
- ``decision_reached``: a decision about what a person asked (their extension
  request decided, a sign-off refusing their proposal): the asker is told, once
  per decision.

The clocks' notices (an extension asked or decided, a clock turning yellow or red,
a duty of the bureau past due) are written by ``fazhi.deadlines.notices`` through
the same ``work_notice``, ``decision_reached`` and ``notify``.
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Model
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.models import NoticeKind, StandIn, User
from fazhi.core.notices.send import Notice, notify, people_with_role
from fazhi.core.transitions import PARTY, SYSTEM


def waiting_people(matter: Model, state: str) -> list[User]:
    """The people a matter in ``state`` waits on: the active holders of the role it
    waits on in its bureau it is given to there, or all of them when it is given to
    nobody; never one its kind bars (a reviewer who took part in the case)."""
    kind = matter_kinds.kind_of(matter)
    role = kind.table.waits_on(state)
    barred = matter_kinds.barred_from(matter, role)
    holders = [p for p in people_with_role(matter.org_unit, role)
               if p.pk not in barred]
    given = kind.assignment(state)
    if given is None:
        return holders
    rows = type(matter)._default_manager.filter(pk=matter.pk, **given.lookups)
    person = given.path(given.person)
    # Given to someone who has left: it waits on every holder of the role again.
    ids = set(rows.filter(**{f"{person}__is_active": True})
              .values_list(person, flat=True))
    return [p for p in holders if p.pk in ids] if ids else holders


def work_arrived(model: type[Model], pk, state: str, *, event: str, actor=None
                 ) -> list:
    """Tell the people a matter now waits on, after the move into ``state``;
    ``event`` names the move once (``work:<audit seq>``, ``work:new:<kind>:<pk>``).
    Nothing once the matter has moved on."""
    kind = matter_kinds.kind_of(model)
    matter = model._default_manager.filter(pk=pk, state=state).first()
    if kind is None or kind.table is None or matter is None:
        return []
    role = kind.table.waits_on(state)
    if role in (None, PARTY, SYSTEM):
        return []
    people = [p for p in waiting_people(matter, state) if p.pk != _pk(actor)]
    notice = work_notice(event, kind.table.todo_label(state), matter)
    told = notify(people, notice, org_unit=matter.org_unit)
    for standin, absent in stand_ins(people, matter.org_unit):
        if standin.pk != _pk(actor):
            told += notify([standin], replace(notice, message=f"{notice.message}（代{absent}）"),
                           org_unit=matter.org_unit)
    return told


def stand_ins(people, org_unit) -> list[tuple[User, User]]:
    """(stand-in, absent person) for each of ``people`` on leave today (请假代理):
    the stand-in is told of the absent person's new work too."""
    periods = (StandIn.objects.on(timezone.localdate())
               .filter(absent__in=[p.pk for p in people], org_unit=org_unit,
                       standin__is_active=True, standin__org_unit=org_unit)
               .select_related("standin", "absent").order_by("pk"))
    return [(p.standin, p.absent) for p in periods]


def decision_reached(asker, *, event: str, message: str, link: str, org_unit) -> list:
    """Tell ``asker`` of a decision about their request, once per ``event`` (e.g.
    ``approval:<pk>:refused``): a sign-off refusing their proposal, with the
    reasons in ``message``."""
    if asker is None or not asker.is_active:
        return []
    notice = Notice(NoticeKind.DECISION, event, message, link)
    return notify([asker], notice, org_unit=org_unit)


def work_notice(event: str, what: str, matter: Model) -> Notice:
    """新待办：<what> <the matter's number>, linking to the matter's page."""
    kind = matter_kinds.kind_of(matter)
    number = kind.number(matter) if kind is not None else ""
    name = number or matter_kinds.matter_title(matter)
    return Notice(NoticeKind.WORK, event, f"新待办：{what} {name}".strip(),
                  matter_kinds.matter_url(matter))


def _pk(actor):
    return getattr(actor, "pk", None)

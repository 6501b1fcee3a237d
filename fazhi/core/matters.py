"""Moving a matter through its state table: one way for every module.

``advance`` is the last step of every service that changes a matter's state: it
asks the pure table (``fazhi.core.transitions``) whether this person may take the
action now, moves the matter with an optimistic ``filter(pk, state=old).update``
so two clerks cannot both win, and writes the audit event in the same
transaction. Once the move commits, the people the matter now waits on are told
(``notices.work_arrived``): every module's moves notify from here, and what is
derived from a matter (the work items' table) is refreshed in the same
transaction (``changed``; the clocks' services and the people's call it too).
Refusals reach
the caller the same way from every module: a role that may not act is
``PermissionDenied``; a state or legal precondition that stands in the way is
``ValidationError({"state": ...})``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from fazhi.core import audit, notices
from fazhi.core.permissions import acting
from fazhi.core.transitions import SYSTEM, NotAllowedNow, RoleNotAllowed, Table


def state_choices(name: str, table: Table, module: str) -> type[models.TextChoices]:
    """The model's state ``TextChoices``, built from the table's states and labels:
    ``Choices.FILED == "filed"``; the comment on each state is in the table."""
    members = [(str(code).upper(), (str(code), label))
               for code, label in table.states.items()]
    return models.TextChoices(name, members, module=module)


def state_field(states: type[models.TextChoices], default: str, *,
                max_length: int = 20) -> models.CharField:
    """The matter's state column: labelled 状态, indexed (every list and sweep
    filters on it), one of ``states``."""
    return models.CharField("状态", max_length=max_length, choices=states.choices,
                            default=default, db_index=True)


def check(matter: models.Model, table: Table, action: str, actor,
          facts: Any = None) -> str:
    """Return the state ``action`` leads the matter to, or raise why it may not.

    ``actor`` None is the daily sweep, which acts under the role ``SYSTEM``.
    """
    roles = actor.roles if actor is not None else {SYSTEM}
    with refusals():
        target = table.check(action, matter.state, roles, facts)
    acting(actor, table.roles_for(action), matter)
    return target


def check_state(matter: models.Model, table: Table, action: str,
                facts: Any = None) -> str:
    """Like ``check``, for the state alone: the person is checked elsewhere, by a
    chain of sign-offs in the rule data (whose roles a bureau changes without
    code), so the table's role for ``action`` is only the shipped default."""
    with refusals():
        return table.check(action, matter.state, table.roles_for(action), facts)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn the kits' refusals into Django's: a ``RoleNotAllowed`` (this person may
    not) into ``PermissionDenied``, a ``NotAllowedNow`` (not now) into
    ``ValidationError({"state": ...})``. The transition and sign-off kits raise
    them; pages, the API and commands already show Django's."""
    try:
        yield
    except RoleNotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except NotAllowedNow as error:
        raise ValidationError({"state": str(error)}) from error


def advance(
    matter: models.Model,
    table: Table,
    action: str,
    actor,
    *,
    facts: Any = None,
    note: str = "",
    summary: str = "",
    audit_action: str = "",
    evidence: Iterable[str] = (),
    **fields,
) -> models.Model:
    """Move ``matter`` through ``action`` and record it, all or nothing.

    ``fields`` are stored with the new state. The audit event's summary is
    ``summary``, or the action's label followed by ``note``; its action is
    ``audit_action``, or ``<app label>.<action>``. Runs inside the caller's
    transaction when there is one.
    """
    old = matter.state
    fields["state"] = check(matter, table, action, actor, facts)
    with transaction.atomic():
        if not type(matter)._default_manager.filter(pk=matter.pk, state=old).update(
                **fields):
            raise ValidationError(
                {"state": f"该{table.noun}刚被他人处理，请刷新页面后重试"})
        for name, value in fields.items():
            setattr(matter, name, value)
        event = audit.record(
            actor=actor, obj=matter,
            action=audit_action or f"{matter._meta.app_label}.{action}",
            summary=summary or f"{table.action_label(action)} {note}".strip(),
            before={"state": old}, after=_plain(fields), evidence=evidence)
        changed(type(matter), [matter.pk])
        if fields["state"] != old:
            _tell_on_commit(matter, f"work:{event.seq}", actor)
    return matter


def opened(matter: models.Model, actor) -> None:
    """Tell the people a matter just created waits on (a case awaiting the
    principal's filing approval, an application given to another clerk), once the
    creation commits. The service creating it calls this in its transaction."""
    changed(type(matter), [matter.pk])
    _tell_on_commit(matter, f"work:new:{matter._meta.label_lower}:{matter.pk}", actor)


# What is derived from matters registers here (the work app, above core): called
# with (model, pks) for matters that changed, and with a person whose account
# changed (the matters given to them).
_WATCHERS: list[tuple[Callable, Callable]] = []


def watch(on_matters: Callable, on_person: Callable) -> None:
    """Have ``on_matters(model, pks)`` and ``on_person(user)`` called on every
    change (an app's ``ready()``; registering the same pair again is a no-op)."""
    if (on_matters, on_person) not in _WATCHERS:
        _WATCHERS.append((on_matters, on_person))


def changed(model: type[models.Model], pks: Iterable) -> None:
    """Refresh what is derived from the matters ``pks`` of ``model`` (their state,
    clocks or people changed), inside the caller's transaction. Any model may be
    named: what is not a matter with a state table is ignored by the watchers."""
    pks = list(pks)
    for on_matters, _ in _WATCHERS:
        on_matters(model, pks)


def person_changed(user) -> None:
    """Refresh what is derived from the matters given to ``user`` (their account
    was disabled or enabled again)."""
    for _, on_person in _WATCHERS:
        on_person(user)


def _tell_on_commit(matter: models.Model, event: str, actor) -> None:
    # Robust: a notice that fails is logged and never undoes the move; read after
    # the commit, it sees the matter as the whole transaction left it.
    transaction.on_commit(partial(notices.work_arrived, type(matter), matter.pk,
                                  matter.state, event=event, actor=actor),
                          robust=True)


def _plain(fields: dict) -> dict:
    """The stored values as the audit chain keeps them: records by their id."""
    return {name: _value(value) for name, value in fields.items()}


def _value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

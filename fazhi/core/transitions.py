"""The one shape of a matter's state table (pure: no Django, no database).

Every matter — a case, a permit application, a disclosure request, a patch —
declares its workflow as data in this shape: its states (code → label, and which
of them close the matter) and its transitions. A transition is one action staff
take: its label, the states it may start from, the state it leads to (``None``:
the matter stays where it is), the roles that may take it, the guards the law puts
on it, and whose move it is once the matter lands in the target state
(``waits_on``). A state no row leads into (where a matter is created) says whose
move it is in ``starts``, and ``todo`` names in staff's words what the one waited
on does there (法制审核, 审批立案): the work items of ``fazhi.work`` read both.
``Table`` answers the questions the services and pages ask: may this person take
this action now (``check``), which actions are open, and which are held back and
why.

Refusals come in two kinds, never confused: ``NotAllowedNow`` (the matter's state
or a legal precondition stands in the way; the fix is to do something else first)
and ``RoleNotAllowed`` (this person may never take the action; the message names
who may). The Django side, ``fazhi.core.matters``, maps them to ``ValidationError``
and ``PermissionDenied`` respectively.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.role_names import ROLE_LABELS

PARTY = "party"  # outside the bureau: the party, a third party, a court
SYSTEM = "system"  # the daily sweep, acting without a person
ACTOR_LABELS = {**ROLE_LABELS, SYSTEM: "系统自动处理", PARTY: "当事人或其他机关"}


# --- errors ------------------------------------------------------------------------


class WorkflowError(Exception):
    """An action cannot be taken; the message says why in Chinese."""


class UnknownAction(ValueError):
    """The action or state is not in the table: a programming error."""


class NotAllowedNow(WorkflowError):
    """The action is not open to the matter in its present state or circumstances."""


class GuardFailed(NotAllowedNow):
    """A legal precondition of the action is not met."""


class RoleNotAllowed(WorkflowError):
    """The acting role may not take this action; the message names who may."""


# --- the shape ---------------------------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """A precondition: ``test(facts)`` holds, or ``error(reason)`` is raised.

    ``message`` says what is missing in staff's words and ``article`` the law that
    requires it; the reason shown is both. ``only_from``: the guard applies only
    when the action starts from one of these states (empty: from any).
    """

    test: Callable[[Any], bool]
    message: str
    article: str = ""
    error: type[GuardFailed] = GuardFailed
    only_from: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "only_from", frozenset(self.only_from))

    @property
    def reason(self) -> str:
        """The message with its article, as staff read it (no rule data filled in)."""
        return self.reason_for(None)

    def reason_for(self, facts: Any) -> str:
        """The message with the periods ``facts.words`` gives (rule data the pure
        table may not read: ``{payment_period}`` → （罚款为收到决定书之日起十五日）),
        a period the facts do not give left out, and the article."""
        words = _Words(getattr(facts, "words", None) or {})
        message = self.message.format_map(words)
        return f"{message}（{self.article}）" if self.article else message

    def failure(self, state: str, facts: Any) -> GuardFailed | None:
        """Return the error to raise, or None when the guard holds."""
        if self.only_from and state not in self.only_from:
            return None
        return None if self.test(facts) else self.error(self.reason_for(facts))


class _Words(dict):
    """A guard's periods: one the facts do not give is left out, never printed as
    its name."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Transition:
    """One action: where it may start, where it leads, who may take it, and when."""

    label: str
    sources: frozenset[str]
    target: str | None  # None: the matter stays in its state
    roles: frozenset[str]
    guards: tuple[Guard, ...] = ()
    waits_on: str | None = None  # who acts next in ``target`` (a role, PARTY, None)


def step(
    label: str,
    sources: Iterable[str],
    target: str | None,
    roles: str | Iterable[str],
    *guards: Guard,
    waits_on: str | None = None,
) -> Transition:
    """Build one row of a table: label, sources, target, roles, guards in order."""
    return Transition(label, frozenset(sources), target, _roles(roles), guards,
                      waits_on)


@dataclass(frozen=True)
class Table:
    """A matter's states and transitions, and the questions asked of them.

    ``states`` maps each code to its label in display order; ``closed`` names the
    states in which the matter is finished (no clock of the bureau runs; a closed
    state may still allow later actions, e.g. changing an issued permit).
    ``transitions`` are in display order.
    """

    states: Mapping[str, str]
    transitions: Mapping[str, Transition]
    closed: frozenset[str] = frozenset()
    noun: str = "事项"  # what the matter is called: 案件, 申请, 图斑
    # Who acts in a state no row leads into: where a matter starts (立案待批).
    starts: Mapping[str, str | None] = field(default_factory=dict)
    # What the one waited on does in a state, in staff's words (法制审核).
    todo: Mapping[str, str] = field(default_factory=dict)
    waiting: Mapping[str, str | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "closed", frozenset(self.closed))
        object.__setattr__(self, "waiting", self._check_shape())

    # --- reading the table --------------------------------------------------------

    def label(self, state: str) -> str:
        """The state's label, as pages and messages show it."""
        return self.states[self._state(state)]

    def action_label(self, action: str) -> str:
        """The action's label."""
        return self._transition(action).label

    @property
    def action_labels(self) -> dict[str, str]:
        """Every action with its label, in display order."""
        return {action: t.label for action, t in self.transitions.items()}

    @property
    def open_states(self) -> tuple[str, ...]:
        """The states in which the matter is still being handled, in order."""
        return tuple(s for s in self.states if s not in self.closed)

    @property
    def terminal(self) -> frozenset[str]:
        """States no action leads out of."""
        exits = set().union(*(t.sources for t in self.transitions.values()
                              if t.target is not None))
        return frozenset(self.states) - exits

    def roles_for(self, action: str) -> frozenset[str]:
        """The roles that may take ``action``."""
        return self._transition(action).roles

    def waits_on(self, state: str) -> str | None:
        """Who must act next on a matter in ``state``: a role, PARTY, or None."""
        return self.waiting.get(self._state(state))

    def waiting_on(self, role: str) -> tuple[str, ...]:
        """The open states in which the matter waits on ``role``, in order."""
        return tuple(s for s in self.open_states if self.waiting.get(s) == role)

    @property
    def roles_waited_on(self) -> frozenset[str]:
        """The bureau's roles some open state waits on (not the party, not the
        sweep)."""
        return frozenset(r for s in self.open_states
                         if (r := self.waiting.get(s)) not in (None, PARTY, SYSTEM))

    def todo_label(self, state: str) -> str:
        """What the one waited on does in ``state``, in words: the table's ``todo``,
        else the first action open to that role there."""
        here = self._state(state)
        if here in self.todo:
            return self.todo[here]
        role = self.waiting.get(here)
        return next((t.label for t in self.transitions.values()
                     if here in t.sources and role in t.roles), self.states[here])

    # --- questions ----------------------------------------------------------------

    def check(
        self, action: str, state: str, roles: str | Iterable[str], facts: Any = None
    ) -> str:
        """Return the state ``action`` leads to, or raise why it may not be taken.

        ``roles`` is one role code or the set a person holds. Checked in order: the
        state (NotAllowedNow), the role (RoleNotAllowed), then each guard (a
        GuardFailed, itself a NotAllowedNow) in table order.
        """
        transition, here = self._transition(action), self._state(state)
        if here not in transition.sources:
            raise NotAllowedNow(
                f"当前状态为“{self.states[here]}”，不能{transition.label}")
        if not transition.roles & _roles(roles):
            needed = "或".join(ACTOR_LABELS[r] for r in sorted(transition.roles)
                              if r != SYSTEM)
            raise RoleNotAllowed(f"“{transition.label}”须由{needed}办理")
        for guard in transition.guards:
            if (error := guard.failure(here, facts)) is not None:
                raise error
        return here if transition.target is None else transition.target

    def actions_open(
        self, state: str, roles: str | Iterable[str], facts: Any = None
    ) -> list[str]:
        """Actions these roles may take now, in display order."""
        return [a for a in self.transitions
                if self._why_not(a, state, roles, facts) is None]

    def actions_blocked(
        self, state: str, roles: str | Iterable[str], facts: Any = None
    ) -> dict[str, str]:
        """Actions these roles could take in this state but a guard holds back, with
        the reason (the message and its article)."""
        blocked = {}
        for action in self.transitions:
            error = self._why_not(action, state, roles, facts)
            if isinstance(error, GuardFailed):
                blocked[action] = str(error)
        return blocked

    # --- helpers ------------------------------------------------------------------

    def _why_not(
        self, action: str, state: str, roles: str | Iterable[str], facts: Any
    ) -> WorkflowError | None:
        try:
            self.check(action, state, roles, facts)
        except WorkflowError as error:
            return error
        return None

    def _transition(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise UnknownAction(f"未知的操作 {action!r}") from None

    def _state(self, state: str) -> str:
        if state not in self.states:
            raise UnknownAction(f"未知的状态 {state!r}")
        return str(state)

    def _check_shape(self) -> dict[str, str | None]:
        """Refuse a table that names unknown states or disagrees on who acts next;
        return who acts next in each state a transition leads to."""
        unknown = (self.closed | set(self.starts) | set(self.todo)) - set(self.states)
        waiting: dict[str, str | None] = dict(self.starts)
        for action, t in self.transitions.items():
            unknown |= (t.sources | {t.target or next(iter(t.sources))}) - set(
                self.states)
            if t.target is None:
                continue
            if waiting.setdefault(t.target, t.waits_on) != t.waits_on:
                raise ValueError(f"{action}: waits_on differs from other rows into "
                                 f"{t.target}")
        if unknown:
            raise ValueError(f"states not in the table: {sorted(unknown)}")
        return waiting


def _roles(role: str | Iterable[str]) -> frozenset[str]:
    return frozenset({role}) if isinstance(role, str) else frozenset(role)

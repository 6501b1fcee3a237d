"""The one state-table shape every matter uses (pure: no database)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fazhi.core.transitions import (
    PARTY,
    SYSTEM,
    Guard,
    GuardFailed,
    NotAllowedNow,
    RoleNotAllowed,
    Table,
    UnknownAction,
    step,
)
from tests.purity import assert_runs_without_django

CLERK, HEAD = "window_clerk", "principal"


@dataclass(frozen=True)
class Facts:
    signed: bool = False


SIGNED = Guard(lambda f: f.signed, "须有当事人签名", "某某法第一条")


def table(**changes) -> Table:
    """A small matter: open, waiting on the party, then approved and closed."""
    rows = {
        "ask": step("补正告知", ["open"], "waiting", CLERK, waits_on=PARTY),
        "note": step("登记备注", ["open", "waiting"], None, CLERK),
        "approve": step("批准", ["open"], "done", HEAD, SIGNED),
        "drop": step("视为放弃", ["waiting"], "dropped", (CLERK, SYSTEM)),
    }
    rows.update(changes)
    return Table({"open": "办理中", "waiting": "待补正", "done": "已批准",
                  "dropped": "视为放弃"}, rows, closed={"done", "dropped"},
                 noun="申请")


def test_an_action_leads_to_its_target_or_stays_where_it_is():
    t = table()
    assert t.check("ask", "open", CLERK) == "waiting"
    assert t.check("note", "waiting", CLERK) == "waiting"


def test_the_state_is_judged_before_the_role_and_the_role_before_the_guards():
    t = table()
    with pytest.raises(NotAllowedNow, match="当前状态为“待补正”，不能批准"):
        t.check("approve", "waiting", CLERK, Facts())
    with pytest.raises(RoleNotAllowed, match="“批准”须由负责人办理"):
        t.check("approve", "open", CLERK, Facts())
    with pytest.raises(GuardFailed, match="须有当事人签名（某某法第一条）"):
        t.check("approve", "open", HEAD, Facts())
    assert t.check("approve", "open", HEAD, Facts(signed=True)) == "done"


def test_a_role_refusal_is_not_a_state_refusal():
    assert not issubclass(RoleNotAllowed, NotAllowedNow)
    assert issubclass(GuardFailed, NotAllowedNow)


def test_a_person_holding_several_roles_acts_under_any_of_them():
    assert table().check("approve", "open", {CLERK, HEAD}, Facts(True)) == "done"


def test_the_daily_sweep_acts_only_where_the_table_names_it():
    t = table()
    assert t.check("drop", "waiting", SYSTEM) == "dropped"
    with pytest.raises(RoleNotAllowed, match="须由审批窗口工作人员办理"):
        t.check("ask", "open", SYSTEM)


def test_open_and_blocked_actions_tell_the_page_what_to_offer_and_why_not():
    t = table()
    assert t.actions_open("open", {CLERK, HEAD}, Facts()) == ["ask", "note"]
    assert t.actions_blocked("open", {CLERK, HEAD}, Facts()) == {
        "approve": "须有当事人签名（某某法第一条）"}
    assert t.actions_blocked("open", CLERK, Facts()) == {}
    assert t.actions_open("done", {CLERK, HEAD}, Facts(True)) == []


def test_closed_open_terminal_states_and_who_acts_next():
    t = table()
    assert t.open_states == ("open", "waiting")
    assert t.terminal == {"done", "dropped"}
    assert t.waits_on("waiting") == PARTY
    assert t.waits_on("done") is None
    assert t.label("waiting") == "待补正"
    assert t.action_labels["approve"] == "批准"


def test_a_starting_state_says_who_acts_and_each_waiting_state_what_they_do():
    t = Table({"new": "待受理", "open": "办理中", "done": "已办结"}, {
        "take": step("受理", ["new"], "open", CLERK, waits_on=HEAD),
        "approve": step("批准", ["open"], "done", HEAD),
        "reject": step("不予批准", ["open"], "done", HEAD),
    }, closed={"done"}, starts={"new": CLERK}, todo={"open": "审批"})
    assert t.waits_on("new") == CLERK
    assert t.waiting_on(HEAD) == ("open",) and t.waiting_on(CLERK) == ("new",)
    assert t.roles_waited_on == {CLERK, HEAD}
    assert t.todo_label("open") == "审批"
    assert t.todo_label("new") == "受理"  # no words given: the first action of the role
    assert table().roles_waited_on == frozenset()  # only the party is waited on


def test_a_table_with_an_unknown_state_or_disagreeing_on_who_acts_next_is_refused():
    with pytest.raises(ValueError, match="lost"):
        table(lose=step("丢失", ["open"], "lost", CLERK))
    with pytest.raises(ValueError, match="waits_on"):
        table(ask_again=step("再次告知", ["open"], "waiting", CLERK, waits_on=HEAD))
    with pytest.raises(ValueError, match="waits_on"):
        Table({"open": "办理中", "waiting": "待补正"},
              {"ask": step("补正告知", ["open"], "waiting", CLERK, waits_on=PARTY)},
              starts={"waiting": CLERK})
    with pytest.raises(ValueError, match="lost"):
        Table({"open": "办理中"}, {}, todo={"lost": "找回"})


def test_unknown_actions_and_states_are_programming_errors():
    with pytest.raises(UnknownAction):
        table().check("fly", "open", CLERK)
    with pytest.raises(UnknownAction):
        table().check("ask", "lost", CLERK)


def test_a_guard_may_apply_only_from_some_states():
    only = Guard(lambda f: f.signed, "须签名", only_from=("waiting",))
    t = table(drop=step("视为放弃", ["open", "waiting"], "dropped", CLERK, only))
    assert t.check("drop", "open", CLERK, Facts()) == "dropped"
    with pytest.raises(GuardFailed):
        t.check("drop", "waiting", CLERK, Facts())


SCRIPT = """
from fazhi.core import transitions, role_names
from fazhi.disclosure import workflow as disclosure
from fazhi.enforcement.cases import workflow as enforcement
from fazhi.monitoring import workflow as monitoring
from fazhi.permits import workflow as permits
for module in (disclosure, enforcement, monitoring, permits):
    assert isinstance(module.TABLE, transitions.Table)
permits.TABLE.check("accept", "received", role_names.WINDOW_CLERK)
"""


def test_the_kit_and_every_state_table_import_and_run_without_django():
    assert_runs_without_django(SCRIPT)


@pytest.mark.parametrize("module", ["disclosure", "enforcement.cases", "monitoring",
                                    "permits"])
def test_every_state_has_a_label_and_every_role_a_name(module):
    from importlib import import_module

    from fazhi.core.transitions import ACTOR_LABELS

    t = import_module(f"fazhi.{module}.workflow").TABLE
    assert all(t.states.values())
    for row in t.transitions.values():
        assert row.roles <= set(ACTOR_LABELS)
        assert row.waits_on is None or row.waits_on in ACTOR_LABELS
        assert row.target is None or row.target in t.states
    # Every state waiting on a person of the bureau says what they do there.
    for role in t.roles_waited_on:
        assert all(state in t.todo for state in t.waiting_on(role))

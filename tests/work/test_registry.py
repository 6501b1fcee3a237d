"""The registry's data on who is waited on holds together for every kind."""

from __future__ import annotations

from fazhi.core.role_names import ROLE_LABELS
from fazhi.deadlines.registry import rules_registry
from fazhi.work.items import tabled_kinds


def test_every_kind_with_a_table_gives_its_matters_by_roles_it_waits_on(db):
    assert {k.kind for k in tabled_kinds()} == {
        "enforcement.case", "permits.application", "disclosure.disclosurerequest",
        "monitoring.patch"}
    for kind in tabled_kinds():
        model = kind.model()
        assert "state" in {f.name for f in model._meta.get_fields()}, kind
        for given in kind.assigned:
            assert given.role in kind.table.roles_waited_on, (kind, given)
            assert given.states <= set(kind.table.waiting_on(given.role)), given
            rows = model._default_manager.filter(**given.lookups)
            # The paths name real fields: the queries compile and run.
            assert list(rows.values(given.path(given.person))) == []
            if given.due:
                assert list(rows.values(given.path(given.due))) == []
        for barred in kind.barred:
            assert barred.role in kind.table.roles_waited_on, (kind, barred)
            assert list(barred.rows(model, 0).values(barred.person)) == []
        for rule, role in kind.clock_roles.items():
            assert rule in rules_registry() and role in ROLE_LABELS, (kind, rule)
        assert kind.extensions == "" or kind.extensions in ROLE_LABELS


def test_a_patch_waits_on_the_officer_of_its_open_field_check_else_its_batchs(db):
    from fazhi.core import matter_kinds
    from fazhi.monitoring.models import PatchState, TaskState

    kind = matter_kinds.kind("monitoring.patch")
    given = kind.assignment(PatchState.ASSIGNED)
    assert (given.via, dict(given.where)) == ("tasks", {"state": TaskState.OPEN})
    for state in (PatchState.PENDING, PatchState.CHECKED):
        assert kind.assignment(state).path(kind.assignment(state).person) == (
            "batch__imported_by")


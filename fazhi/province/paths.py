"""The steps behind a matter in a state: a path through its kind's state table."""

from __future__ import annotations

from fazhi.core.transitions import Table


def walk(table: Table, start: str, actions: list[str]) -> list[tuple[str, str, str]]:
    """``actions`` taken in turn from ``start``, as (action, before, after); each
    must be open from the state the one before left (refused otherwise)."""
    steps, here = [], start
    for action in actions:
        t = table.transitions[action]
        if here not in t.sources:
            raise ValueError(f"{action} does not leave {here}")
        after = t.target or here
        steps.append((action, here, after))
        here = after
    return steps

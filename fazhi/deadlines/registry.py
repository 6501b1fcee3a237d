"""Where the deadline rules come from: the shipped files, then the bureau's folders."""

from __future__ import annotations

from fazhi.core.rule_folders import module_rules
from fazhi.deadlines.rules import Rule, load_rules


def rules_registry() -> dict[str, Rule]:
    """Return every deadline rule: shipped files, then the bureau's override dirs."""
    return module_rules("deadlines", load_rules)

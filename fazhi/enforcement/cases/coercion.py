"""When the court may be asked to enforce a penalty decision (pure: no Django).

行政强制法 Art. 53: when the party, within the statutory periods, neither applies
for reconsideration nor sues, and does not perform, the bureau may apply to the
court within three months from the day those periods end. The periods (60 days
for reconsideration, six months for a suit) and the three months are rule data
(``rules/execution.toml``); this module only counts.

Counting follows 民法典 Arts. 201–203: the day of service is not counted; a period
in months ends on the same-numbered day of the last month, or on that month's last
day when it has no such day. (Moving a period's end off a holiday is the deadline
engine's work for working-day rules; these long periods are not moved here.)
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from fazhi.core.ruledata import (
    Citation,
    RuleFileError,
    Table,
    read_replaced,
)

RULES_FILE = Path(__file__).parents[1] / "rules" / "execution.toml"

ExecutionRuleError = RuleFileError
"""The name older callers catch: execution.toml is unreadable or wrong."""


@dataclass(frozen=True)
class ExecutionRules:
    """The periods (days, months) and their citations."""

    reconsideration_days: int
    litigation_months: int
    court_months: int
    citations: tuple[str, ...]


@dataclass(frozen=True)
class Windows:
    """The last day to challenge the decision and the last day to apply to court."""

    reconsideration_ends: date
    litigation_ends: date
    challenge_ends: date  # the later of the two
    court_last_day: date


def add_months(day: date, months: int) -> date:
    """Return the same-numbered day ``months`` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def windows(served_on: date, rules: ExecutionRules) -> Windows:
    """Return the challenge and court-application windows of a decision served on
    ``served_on`` (calendar days and months, the service day not counted)."""
    reconsideration = served_on + timedelta(days=rules.reconsideration_days)
    litigation = add_months(served_on, rules.litigation_months)
    challenge = max(reconsideration, litigation)
    return Windows(
        reconsideration,
        litigation,
        challenge,
        add_months(challenge, rules.court_months),
    )


def load_execution_rules(extra_dirs: Sequence[Path] = ()) -> ExecutionRules:
    """Read the shipped execution.toml, replaced whole by a later folder's file."""
    top = read_replaced(RULES_FILE, extra_dirs)
    top.keys({"reconsideration", "litigation", "court_application"})
    parts = [
        _period(top.sub("reconsideration"), "days"),
        _period(top.sub("litigation"), "months"),
        _period(top.sub("court_application"), "months"),
    ]
    return ExecutionRules(
        reconsideration_days=parts[0][0],
        litigation_months=parts[1][0],
        court_months=parts[2][0],
        citations=tuple(str(cite) for _, cite in parts),
    )


def _period(table: Table, unit: str) -> tuple[int, Citation]:
    """Return a period's length (in ``unit``, at least 1) and its article."""
    table.keys({unit, "law", "version", "article"})
    law = Citation(table.text("law"), table.text("version"), "", "")
    return table.integer(unit, minimum=1), law.at(table.text("article"))

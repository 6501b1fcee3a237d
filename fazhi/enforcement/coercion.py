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
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

RULES_FILE = Path(__file__).with_name("rules") / "execution.toml"


class ExecutionRuleError(ValueError):
    """An unreadable execution.toml; the message names the file and key."""


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
    path = RULES_FILE
    for folder in map(Path, extra_dirs):
        if (Path(folder) / RULES_FILE.name).is_file():
            path = Path(folder) / RULES_FILE.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        parts = (data["reconsideration"], data["litigation"], data["court_application"])
        rules = ExecutionRules(
            reconsideration_days=int(parts[0]["days"]),
            litigation_months=int(parts[1]["months"]),
            court_months=int(parts[2]["months"]),
            citations=tuple(
                f"《{p['law'].removeprefix('中华人民共和国')}》"
                f"（{p['version']}）{p['article']}"
                for p in parts
            ),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as e:
        raise ExecutionRuleError(f"{path}：执行期限规则无法读取（{e!r}）") from e
    if (
        min(rules.reconsideration_days, rules.litigation_months, rules.court_months)
        <= 0
    ):
        raise ExecutionRuleError(f"{path}：期限必须为正数")
    return rules

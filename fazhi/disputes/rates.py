"""The three rates of reconsideration and litigation (pure: no Django).

A rate is two sets of conditions on a matter (numerator, denominator) read from
rules/rates.toml, so a province can change which outcomes count and which
matters form the denominator without touching code. ``rate_compute`` returns the
ids counted on each side, so every figure can show the matters behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from fazhi.core.ruledata import (
    RuleFileError,
    Standing,
    Table,
    merged_entries,
    read_table,
    rule_files,
    rule_folders,
)

SHIPPED = Path(__file__).with_name("rules") / "rates.toml"
CAUSES = SHIPPED.with_name("causes.toml")
MATTERS = ("reconsideration", "litigation")
_CONDITIONS = {"concluded", "outcomes", "merits", "hearing_held", "principal_appeared"}
_KEYS = {"id", "name", "matter", "numerator", "denominator", "source", "status"}

RateError = RuleFileError
"""The name older callers catch: a rate definition is unreadable or wrong."""


@dataclass(frozen=True)
class Condition:
    """What a matter must satisfy to be counted (all given parts must hold)."""

    concluded: bool = False
    outcomes: frozenset[str] | None = None
    merits: bool = False
    hearing_held: bool = False
    principal_appeared: bool = False


@dataclass(frozen=True)
class RateDef:
    id: str
    name: str
    matter: str
    numerator: Condition
    denominator: Condition
    source: str
    status: str
    note: str = ""
    # how binding the definition is: a preset until a province's or the bureau's
    # file replaces it (``standing``/``document`` in that file's entry)
    standing: Standing = Standing.PRESET
    document: str = ""


@dataclass(frozen=True)
class Hearing:
    on: dt.date
    principal_appeared: bool


@dataclass(frozen=True)
class MatterFacts:
    """What the rates need of one reconsideration or lawsuit."""

    id: int
    matter: str  # reconsideration | litigation
    concluded_on: dt.date | None = None
    outcome: str = ""
    merits: bool = False
    hearings: tuple[Hearing, ...] = ()


@dataclass(frozen=True)
class RateResult:
    rate: RateDef
    numerator: tuple[int, ...]
    denominator: tuple[int, ...]
    value: Fraction | None = field(default=None)  # None: empty denominator

    @property
    def shown(self) -> str:
        """The rate as a report writes it: '12.5%', or '—' with no denominator."""
        return "—" if self.value is None else f"{float(self.value) * 100:.1f}%"


def _holds(c: Condition, m: MatterFacts, first: dt.date, last: dt.date) -> bool:
    if c.concluded and not (m.concluded_on and first <= m.concluded_on <= last):
        return False
    if c.outcomes is not None and m.outcome not in c.outcomes:
        return False
    if c.merits and not m.merits:
        return False
    heard = [h for h in m.hearings if first <= h.on <= last]
    if c.hearing_held and not heard:
        return False
    return not (c.principal_appeared and not any(h.principal_appeared for h in heard))


def rate_compute(rate: RateDef, matters: Iterable[MatterFacts],
                 period: tuple[dt.date, dt.date]) -> RateResult:
    """Count ``rate`` over ``matters`` for the period (both days included).

    A matter is in the numerator only if it is also in the denominator, so a
    definition can never give more than 100%.
    """
    first, last = period
    mine = [m for m in matters if m.matter == rate.matter]
    den = tuple(m.id for m in mine if _holds(rate.denominator, m, first, last))
    in_den = set(den)
    num = tuple(m.id for m in mine if m.id in in_den
                and _holds(rate.numerator, m, first, last))
    value = Fraction(len(num), len(den)) if den else None
    return RateResult(rate, num, den, value)


def change_in_points(now: Fraction | None, before: Fraction | None) -> str:
    """Year-on-year change the way the report states it, in percentage points."""
    if now is None or before is None:
        return "—"
    points = (float(now) - float(before)) * 100
    if abs(points) < 0.05:
        return "持平"
    return f"{'上升' if points > 0 else '下降'}{abs(points):.1f}个百分点"


def load_causes() -> list[tuple[str, str]]:
    """Read the shipped review causes (code, label), in file order."""
    top = read_table(CAUSES)
    top.keys({"cause"})
    causes = top.entries("cause", required=True)
    return [(cause.text("code"), cause.text("label")) for cause in causes]


def load_rates(extra_dirs: Sequence[Path] = ()) -> dict[str, RateDef]:
    """Read the shipped definitions, then each extra dir's rates.toml (by id)."""
    files = rule_files(rule_folders(SHIPPED.parent, extra_dirs), SHIPPED.name)
    return merged_entries(files, "rate", _rate, head=_head, id_key="id")


def _head(top: Table) -> None:
    top.keys(set(), {"source", "rate"})
    top.entries("rate", required=True)


def _rate(entry: Table, _: None) -> RateDef:
    entry.keys(_KEYS, {"note", "standing", "document"})
    return RateDef(
        id=entry.text("id"),
        name=entry.text("name"),
        matter=entry.choice("matter", MATTERS),
        numerator=_condition(entry.child("numerator", entry.get("numerator"))),
        denominator=_condition(entry.child("denominator", entry.get("denominator"))),
        source=entry.text("source"),
        status=entry.choice("status", ("confirmed", "unconfirmed")),
        note=entry.text("note", required=False),
        standing=entry.standing(default=Standing.PRESET),
        document=entry.text("document", required=False),
    )


def _condition(table: Table) -> Condition:
    if not table.data:
        table.fail("须为非空的条件表")
    unknown = sorted(set(table.data) - _CONDITIONS)
    if unknown:
        table.fail(f"未知的条件 {unknown}（可用：{sorted(_CONDITIONS)}）", unknown[0])
    outcomes = table.texts("outcomes") if "outcomes" in table else None
    flags = {k: table.flag(k) for k in _CONDITIONS - {"outcomes"}}
    return Condition(outcomes=frozenset(outcomes) if outcomes is not None else None,
                     **flags)

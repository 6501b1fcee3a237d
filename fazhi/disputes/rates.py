"""The three rates of reconsideration and litigation (pure: no Django).

A rate is two sets of conditions on a matter (numerator, denominator) read from
rules/rates.toml, so a province can change which outcomes count and which
matters form the denominator without touching code. ``rate_compute`` returns the
ids counted on each side, so every figure can show the matters behind it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

SHIPPED = Path(__file__).with_name("rules") / "rates.toml"
MATTERS = ("reconsideration", "litigation")
_CONDITIONS = {"concluded", "outcomes", "merits", "hearing_held", "principal_appeared"}
_KEYS = {"id", "name", "matter", "numerator", "denominator", "source", "status",
         "note"}


class RateError(ValueError):
    """A rate definition is wrong; the message names the file and the key."""


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


def load_rates(extra_dirs: Sequence[Path] = ()) -> dict[str, RateDef]:
    """Read the shipped definitions, then each extra dir's rates.toml (by id)."""
    rates = {r.id: r for r in _read(SHIPPED)}
    for folder in map(Path, extra_dirs):
        path = folder / "rates.toml"
        if path.is_file():
            rates.update({r.id: r for r in _read(path)})
    return rates


def _read(path: Path) -> list[RateDef]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RateError(f"{path}：无法读取：{exc}") from exc
    entries = data.get("rate")
    if not isinstance(entries, list) or not entries:
        raise RateError(f"{path}：须有一个或多个 [[rate]]")
    return [_rate(path, n, e) for n, e in enumerate(entries, 1)]


def _rate(path: Path, n: int, entry) -> RateDef:
    where = f"{path}：第{n}个 [[rate]]"
    if not isinstance(entry, dict):
        raise RateError(f"{where} 必须是一个表")
    unknown = sorted(set(entry) - _KEYS)
    missing = sorted(_KEYS - {"note"} - set(entry))
    if unknown or missing:
        raise RateError(f"{where}：未知的键 {unknown}" if unknown
                        else f"{where}：缺少键 {missing}")
    if entry["matter"] not in MATTERS:
        raise RateError(f"{where}：matter 须为 {' 或 '.join(MATTERS)}")
    if entry["status"] not in ("confirmed", "unconfirmed"):
        raise RateError(f"{where}：status 须为 confirmed 或 unconfirmed")
    return RateDef(
        id=str(entry["id"]), name=str(entry["name"]), matter=entry["matter"],
        numerator=_condition(f"{where} numerator", entry["numerator"]),
        denominator=_condition(f"{where} denominator", entry["denominator"]),
        source=str(entry["source"]), status=entry["status"],
        note=str(entry.get("note", "")))


def _condition(where: str, table) -> Condition:
    if not isinstance(table, dict) or not table:
        raise RateError(f"{where}：须为非空的条件表")
    unknown = sorted(set(table) - _CONDITIONS)
    if unknown:
        raise RateError(f"{where}：未知的条件 {unknown}（可用：{sorted(_CONDITIONS)}）")
    outcomes = table.get("outcomes")
    if outcomes is not None and not (isinstance(outcomes, list) and all(
            isinstance(o, str) for o in outcomes)):
        raise RateError(f"{where}：outcomes 须为文字列表")
    flags = {k: table.get(k, False) for k in _CONDITIONS - {"outcomes"}}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise RateError(f"{where}：条件须为 true 或 false")
    return Condition(outcomes=frozenset(outcomes) if outcomes is not None else None,
                     **flags)

"""When the court may be asked to enforce a penalty decision (pure: no Django).

行政强制法 Art. 53: when the party, within the statutory periods, neither applies
for reconsideration nor sues, and does not perform, the bureau may apply to the
court within three months from the day those periods end. The periods (60 days
for reconsideration, six months for a suit: ``fazhi.core.remedies``, every
decision's) and the three months (``rules/execution.toml``) are rule data; this
module only counts.

A special law may set another period to sue for one measure (行政诉讼法 Art. 46(1)
yields to it): 土地管理法 Art. 83 gives 15 days from receipt against an order to
demolish (责令限期拆除). Such a measure gets its own windows: its challenge window
closes with the later of the 60 days and its own period, so the court may be asked
to enforce the demolition months before the part of the decision the six months
govern (the fine, confiscation...).

Counting follows 民法典 Arts. 201–203 and 行诉解释 Art. 48: the day of service is
not counted; a period in months ends on the same-numbered day of the last month, or
on that month's last day when it has no such day; the party's last day, when it is
a statutory holiday or rest day, moves to the next working day (a weekend make-up
working day is a working day). Each of the party's ends is moved before the later
one is taken, so the court application never opens while the party may still sue.
The bureau's own three months are not moved off a holiday: the day shown is never
late.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

from fazhi.core import remedies
from fazhi.core.remedies import numeral, period
from fazhi.core.ruledata import RuleFileError, read_replaced

RULES_FILE = Path(__file__).parents[1] / "rules" / "execution.toml"

ExecutionRuleError = RuleFileError
"""The name older callers catch: execution.toml is unreadable or wrong."""


@dataclass(frozen=True)
class MeasurePeriod:
    """A period to sue that a special law sets for one measure of a decision."""

    label: str  # the measure in staff words, e.g. 责令限期拆除
    days: int
    citation: str
    law: str = ""  # 中华人民共和国土地管理法
    article: str = ""  # 第八十三条


@dataclass(frozen=True)
class ExecutionRules:
    """The periods (days, months) and their citations."""

    reconsideration_days: int
    litigation_months: int
    court_months: int
    citations: tuple[str, ...]
    # measure key of Case.measures_decided → its own period to sue
    by_measure: Mapping[str, MeasurePeriod] = field(
        default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Part:
    """The windows of one part of a decision: the measures one period to sue governs."""

    label: str
    litigation_ends: date
    challenge_ends: date  # the later of the reconsideration and litigation ends
    court_last_day: date


@dataclass(frozen=True)
class Windows:
    """The last day to challenge the decision and the last day to apply to court.

    With one part, the fields are that part's. With several (a demolition beside a
    fine), ``challenge_ends`` is the first part's end (the court may be asked to
    enforce that part the day after) and ``court_last_day`` the last part's last
    day; ``parts`` gives each, and staff see each."""

    reconsideration_ends: date
    litigation_ends: date
    challenge_ends: date
    court_last_day: date
    parts: tuple[Part, ...] = ()


WorkdayRoll = Callable[[date], date]
"""A day → that day if a working day, else the next working day (the calendar's
``working_day_on_or_after``)."""


def add_months(day: date, months: int) -> date:
    """Return the same-numbered day ``months`` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def windows(served_on: date, rules: ExecutionRules, roll: WorkdayRoll | None = None,
            measures: Collection[str] = (), general: bool = True) -> Windows:
    """Return the challenge and court-application windows of a decision served on
    ``served_on`` (calendar days and months, the service day not counted).

    ``roll`` moves a party's last day off a holiday (None: not moved, for callers
    with no calendar). ``measures`` are the decision's measures; those with a period
    of their own (``rules.by_measure``) get their own part. ``general``: the decision
    also holds something the general six months govern (a fine, another measure)."""
    def moved(day: date) -> date:
        return roll(day) if roll is not None else day

    reconsideration = moved(served_on + timedelta(days=rules.reconsideration_days))

    def part(label: str, litigation: date) -> Part:
        challenge = max(reconsideration, litigation)
        return Part(label, litigation, challenge,
                    add_months(challenge, rules.court_months))

    special = [rules.by_measure[m] for m in rules.by_measure if m in measures]
    parts = [part(p.label, moved(served_on + timedelta(days=p.days)))
             for p in special]
    if general or not parts:
        label = "其他处罚内容" if parts else "处罚决定"
        parts.append(part(label, moved(add_months(served_on,
                                                  rules.litigation_months))))
    first = min(parts, key=lambda p: p.challenge_ends)
    return Windows(
        reconsideration,
        first.litigation_ends,
        first.challenge_ends,
        max(p.court_last_day for p in parts),
        tuple(parts),
    )


def litigation_clause(rules: ExecutionRules, measures: Collection[str] = (),
                      general: bool = True) -> str:
    """The decision's words on suing, after the reconsideration clause: the general
    months, or a measure's own period where a special law sets one (a demolition
    order's fifteen days, 土地管理法第八十三条), or both, each with what it governs."""
    months = f"自收到本决定书之日起{numeral(rules.litigation_months)}个月内"
    special = [rules.by_measure[m] for m in rules.by_measure if m in measures]
    if not special:
        return f"也可以{months}依法向人民法院提起行政诉讼"

    def own(p: MeasurePeriod) -> str:
        where = f"（《{p.law}》{p.article}）" if p.law else ""
        return f"自接到本决定之日起{numeral(p.days)}日内{where}"

    if len(special) == 1 and not general:
        return f"也可以{own(special[0])}依法向人民法院提起行政诉讼"
    lines = [f"对{p.label}决定不服的，{own(p)}" for p in special]
    if general:
        lines.append(f"对其他处罚内容不服的，{months}")
    return "也可以依法向人民法院提起行政诉讼：" + "；".join(lines)


def load_execution_rules(extra_dirs: Sequence[Path] = ()) -> ExecutionRules:
    """Read the shipped execution.toml, replaced whole by a later folder's file.

    The periods to challenge are every decision's (fazhi.core.remedies, read from the
    bureau's core/ folder beside its enforcement/ one); an execution.toml that still
    gives [reconsideration] and [litigation] itself keeps them."""
    top = read_replaced(RULES_FILE, extra_dirs)
    top.keys({"court_application"}, {"measure", "reconsideration", "litigation"})
    if "reconsideration" in top or "litigation" in top:
        general = remedies.read_periods(top)
    else:
        core = [Path(d).parent / "core" for d in extra_dirs]
        general = remedies.load_remedy_periods([d for d in core if d.is_dir()])
    court, court_cite = period(top.sub("court_application"), "months")
    by_measure = {}
    for key, table in top.subs("measure"):
        table.keys({"label", "days", "law", "version", "article"})
        days, cite = period(table, "days", extra={"label"})
        by_measure[key] = MeasurePeriod(
            table.text("label"), days, str(cite), table.text("law"),
            table.text("article").split("：", 1)[0].strip())
    return ExecutionRules(
        reconsideration_days=general.reconsideration_days,
        litigation_months=general.litigation_months,
        court_months=court,
        citations=(*general.citations, str(court_cite)),
        by_measure=MappingProxyType(by_measure),
    )

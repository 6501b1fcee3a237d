"""How long a party has to challenge the bureau's act, and how a decision says so
(pure: no Django).

The periods — 60 days to apply for reconsideration (行政复议法 Art. 20(1)), six
months to sue (行政诉讼法 Art. 46(1)) — are rule data (``rules/remedies.toml``), read
here once for every module: the penalty decision's clause and windows
(fazhi.enforcement.cases.coercion) and the permit refusals' clauses.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi.core.ruledata import Citation, Table, read_replaced

RULES_FILE = Path(__file__).parent / "rules" / "remedies.toml"

_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class RemedyPeriods:
    """The party's periods: days to apply for reconsideration, months to sue."""

    reconsideration_days: int
    litigation_months: int
    citations: tuple[str, str]  # each period's law and article


def numeral(n: int) -> str:
    """A period's count as a decision writes it: 6 → 六, 15 → 十五, 60 → 六十."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return head + (_DIGITS[ones] if ones else "")


def period(table: Table, unit: str, extra: Collection[str] = ()) -> tuple[int, Citation]:
    """Return a period's length (in ``unit``, at least 1) and its article."""
    table.keys({unit, "law", "version", "article", *extra})
    law = Citation(table.text("law"), table.text("version"), "", "")
    return table.integer(unit, minimum=1), law.at(table.text("article"))


def read_periods(top: Table) -> RemedyPeriods:
    """Read the [reconsideration] and [litigation] tables of a rule file."""
    days, days_cite = period(top.sub("reconsideration"), "days")
    months, months_cite = period(top.sub("litigation"), "months")
    return RemedyPeriods(days, months, (str(days_cite), str(months_cite)))


def load_remedy_periods(extra_dirs: Sequence[Path] = ()) -> RemedyPeriods:
    """Read the shipped remedies.toml, replaced whole by a later folder's file."""
    top = read_replaced(RULES_FILE, extra_dirs)
    top.keys({"reconsideration", "litigation"})
    return read_periods(top)


def period_words(periods: RemedyPeriods) -> dict[str, str]:
    """The periods as a template's placeholders write them: 六十日, 六个月."""
    return {"reconsideration_period": f"{numeral(periods.reconsideration_days)}日",
            "litigation_period": f"{numeral(periods.litigation_months)}个月"}

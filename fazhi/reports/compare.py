"""Year-on-year change and the words a report states it in (pure: no Django).

A rate's value is a percentage (0–100); its change is in percentage points
("上升2.5个百分点"). A count, sum or average changes by a percentage of last year's
value and by an amount in its own unit ("增长12.5%（增加3件）"); when last year's
value is 0 only the amount is stated ("增加3件"). No change is "持平"; a missing side
is "—", never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Number = int | Decimal
MISSING = "—"
SAME = "持平"
_RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Change:
    """This year against last: the difference (points for a rate) and its words."""

    delta: Decimal | None  # current − previous, in the metric's unit (rate: points)
    percent: Decimal | None  # of previous; counts, sums, averages; None if previous 0
    text: str


def rate_percent(numerator: int, denominator: int) -> Decimal | None:
    """The rate as a percentage to four places, or None for an empty denominator."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(_RATE_PLACES, ROUND_HALF_UP)


def year_on_year(kind: str, unit: str, current: Number | None,
                 previous: Number | None) -> Change:
    """Compare ``current`` with ``previous`` (both in ``unit``) the report's way."""
    if current is None or previous is None:
        return Change(None, None, MISSING)
    delta = Decimal(current) - Decimal(previous)
    if kind == "rate":
        points = _round(delta, 1)
        if not points:
            return Change(delta, None, SAME)
        return Change(delta, None, f"{_up(delta)}{abs(points)}个百分点")
    if not delta:
        return Change(delta, Decimal(0) if previous else None, SAME)
    amount = f"{'增加' if delta > 0 else '减少'}{format_number(abs(delta), kind)}{unit}"
    if not previous:
        return Change(delta, None, amount)
    percent = delta * 100 / abs(Decimal(previous))
    shown = _round(percent, 1)
    if not shown:
        return Change(delta, percent, amount)
    grew = "增长" if delta > 0 else "下降"
    return Change(delta, percent, f"{grew}{abs(shown)}%（{amount}）")


def format_number(value: Number | None, kind: str = "count") -> str:
    """A figure as a report writes it: 12, 3000, 3000.50, 15.2 (rates and averages
    to one decimal), "—" when missing."""
    if value is None:
        return MISSING
    if kind in ("rate", "average"):
        return str(_round(Decimal(value), 1))
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return str(_round(value, 2))


def format_value(value: Number | None, unit: str, kind: str = "count") -> str:
    """A figure with its unit: "12件", "3000.50元", "15.2%", or "—" when missing."""
    if value is None:
        return MISSING
    return f"{format_number(value, kind)}{unit}"


def _up(delta: Decimal) -> str:
    return "上升" if delta > 0 else "下降"


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

"""Matching a case to the law and a benchmark band: the ranges a fine may take.

Pure: no Django. ``recommend`` (``calculator``) calls these in turn: check the facts,
find the legal range in the violation's unit (a rate over m², a fee, money) or a fixed
range in yuan, pick the narrowest benchmark band that fits, move within it by the
circumstances, and round to whole yuan inside the legal range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from fazhi.core.numbers import yuan
from fazhi.enforcement.cases.discretion.model import (
    LAND_CLASSES,
    UNITS,
    Band,
    Benchmark,
    BenchmarkError,
    DiscretionError,
    Factor,
    Facts,
    MissingFact,
    Violation,
    amount,
    num,
)

_YUAN = Decimal(1)
_MU = Decimal("0.01")


@dataclass(frozen=True)
class Scale:
    """The range that applies: in the violation's unit (rate) or in yuan (fixed)."""

    kind: str
    low: Decimal
    high: Decimal
    base: Decimal
    base_text: str
    unit: str

    def yuan(self, value: Decimal) -> Decimal:
        """Return ``value`` in this range's unit as yuan."""
        return value * self.base

    def show(self, value: Decimal) -> str:
        """Return how ``value`` is worked out in yuan, as the steps show it."""
        if self.kind == "fixed":
            return f"{yuan(value)}元"
        return f"{self.base_text}×{num(value)}{self.unit}={yuan(self.yuan(value))}元"


def area_mu(area_m2: Decimal) -> Decimal:
    """Convert m² to 亩 (1 亩 = 10000/15 m²), rounded half up to 0.01 亩."""
    return (area_m2 * 15 / 10000).quantize(_MU, ROUND_HALF_UP)


def checked_factors(
    facts: Facts, violation: Violation, bm: Benchmark
) -> tuple[Factor, ...]:
    """Return the circumstances given, each known and applying to the violation."""
    found = []
    for code in sorted(facts.factors):
        factor = bm.factors.get(code)
        if factor is None:
            known = "、".join(f"{c}（{f.label}）" for c, f in bm.factors.items())
            raise DiscretionError("factors", f"未知的情节 {code!r}（可用：{known}）")
        if factor.applies_to and violation.code not in factor.applies_to:
            raise DiscretionError(
                "factors", f"情节“{factor.label}”不适用于{violation.label}"
            )
        found.append(factor)
    return tuple(found)


def checked_area(facts: Facts, violation: Violation) -> Decimal | None:
    """Return the area (m²), which the violation may need; it must be above 0."""
    if facts.area_m2 is None:
        if violation.quantity in {"area", "reclamation_fee"}:
            raise MissingFact("area_m2", f"{violation.label}须填写占地面积（平方米）")
        return None
    area = amount(facts.area_m2, "area_m2", "占地面积")
    if area <= 0:
        raise DiscretionError("area_m2", f"占地面积须大于0平方米，现为 {area}")
    return area


def checked_land_class(facts: Facts, violation: Violation) -> str | None:
    """Return the land class, one the violation allows (and may need)."""
    allowed = violation.land_classes or tuple(LAND_CLASSES)
    names = "、".join(LAND_CLASSES[c] for c in allowed)
    if facts.land_class is None:
        if violation.needs_land_class:
            raise MissingFact("land_class", f"{violation.label}须选择地类（{names}）")
        return None
    if facts.land_class not in allowed:
        raise DiscretionError(
            "land_class",
            f"{violation.label}的地类只能是{names}，现为 {facts.land_class!r}",
        )
    return facts.land_class


def legal_scale(
    facts: Facts, violation: Violation, area: Decimal | None
) -> tuple[Scale, list[str]]:
    """Return the legal range in the violation's unit, or the fixed one in yuan."""
    unit = UNITS[violation.unit]
    if violation.quantity == "area":
        assert area is not None
        return Scale("rate", *violation.legal, area, f"{num(area)}平方米", unit), []
    if violation.quantity == "reclamation_fee":
        assert area is not None
        return _reclamation_scale(facts, violation, area, unit)
    money, text = _money(facts, violation)
    fixed = violation.fixed
    if fixed is not None and money < fixed.below_yuan:
        step = (
            f"{text}{yuan(money)}元，未采出或不足{yuan(fixed.below_yuan)}元："
            f"适用{yuan(fixed.low)}元至{yuan(fixed.high)}元的固定幅度"
        )
        return Scale("fixed", fixed.low, fixed.high, _YUAN, "", "元"), [step]
    base = money / 100 if violation.unit == "percent" else money
    return Scale("rate", *violation.legal, base, f"{text}{yuan(money)}元", unit), []


def _reclamation_scale(
    facts: Facts, violation: Violation, area: Decimal, unit: str
) -> tuple[Scale, list[str]]:
    name = "reclamation_fee_yuan_per_m2"
    if facts.reclamation_fee_yuan_per_m2 is None:
        raise MissingFact(
            name, f"{violation.label}须填写耕地开垦费标准（元/平方米，按省级规定）"
        )
    rate = amount(facts.reclamation_fee_yuan_per_m2, name, "耕地开垦费标准")
    if rate <= 0:
        raise DiscretionError(name, f"耕地开垦费标准须大于0，现为 {rate}")
    fee = area * rate
    step = (
        f"耕地开垦费：{num(area)}平方米×{yuan(rate)}元/平方米={yuan(fee)}元"
        "（标准按省级规定，土地管理法第三十条第二款）"
    )
    scale = Scale("rate", *violation.legal, fee, f"耕地开垦费{yuan(fee)}元", unit)
    return scale, [step]


def _money(facts: Facts, violation: Violation) -> tuple[Decimal, str]:
    if violation.quantity == "illegal_gains":
        name, text, hint = "illegal_gains_yuan", "违法所得", "违法所得（元）"
    else:
        name, text = "ore_value_yuan", "违法采出矿产品市场价值"
        hint = "违法采出矿产品的市场价值（元；未采出的填0）"
    value = getattr(facts, name)
    if value is None:
        raise MissingFact(name, f"{violation.label}须填写{hint}")
    money = amount(value, name, text)
    if money < 0:
        raise DiscretionError(name, f"{text}不能为负数，现为 {money}")
    return money, text


def fitting_band(
    bm: Benchmark,
    violation: Violation,
    scale: Scale,
    area: Decimal | None,
    land_class: str | None,
    facts: Facts,
) -> Band:
    """Return the narrowest band of the benchmark that fits the case."""
    money = {
        "illegal_gains": facts.illegal_gains_yuan,
        "ore_value": facts.ore_value_yuan,
    }.get(violation.quantity)
    fits = [
        band
        for band in bm.bands
        if band.violation == violation.code
        and band.scale == scale.kind
        and band.fits(area=area, land_class=land_class, money=money)
    ]
    if not fits:
        where = LAND_CLASSES.get(land_class or "", "")
        raise BenchmarkError(
            f"裁量基准《{bm.name}》中没有适用于{violation.label}{where}的档次"
        )
    return min(fits, key=Band.sort_key)


def adjusted(
    band: Band, factors: tuple[Factor, ...], share: Decimal
) -> tuple[Decimal, Decimal, list[str]]:
    """Return the part of the band the circumstances point to, and why."""
    up = sum(f.kind == "aggravating" for f in factors)
    down = sum(f.kind in {"mitigating", "reducible"} for f in factors)
    width = band.high - band.low
    if up > down:
        step = f"从重情节{up}项多于从轻情节{down}项：取本档上部{_pct(share)}"
        return band.high - width * share, band.high, [step]
    if down > up:
        step = f"从轻情节{down}项多于从重情节{up}项：取本档下部{_pct(share)}"
        return band.low, band.low + width * share, [step]
    if up:
        return band.low, band.high, [f"从重、从轻情节各{up}项相抵：取本档全幅"]
    return band.low, band.high, []


def recommended_range(
    scale: Scale,
    low: Decimal,
    high: Decimal,
    legal: tuple[Decimal, Decimal],
    factors: tuple[Factor, ...],
) -> tuple[Decimal, Decimal]:
    """Return the recommended fine in whole yuan, kept inside the legal range."""
    no_penalty = no_penalty_of(factors)
    if no_penalty == "shall":
        return Decimal(0), Decimal(0)
    rec_low, rec_high = whole_yuan(scale.yuan(low), scale.yuan(high))
    rec_low = min(max(rec_low, legal[0]), legal[1])
    rec_high = max(min(rec_high, legal[1]), rec_low)
    return (Decimal(0) if no_penalty else rec_low), rec_high


def no_penalty_of(factors: tuple[Factor, ...]) -> str:
    """Return "shall" or "may" when a circumstance waives the penalty, else ""."""
    kinds = {f.kind for f in factors}
    if "no_penalty_shall" in kinds:
        return "shall"
    return "may" if "no_penalty_may" in kinds else ""


def whole_yuan(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """Round a range to whole yuan inside it: the low end up, the high end down."""
    up, down = low.quantize(_YUAN, ROUND_CEILING), high.quantize(_YUAN, ROUND_FLOOR)
    # a range narrower than one yuan has no whole yuan inside: keep its rounded floor
    return (up, down) if up <= down else (down, down)


def _pct(share: Decimal) -> str:
    return f"{num(share * 100)}%"

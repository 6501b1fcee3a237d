"""Penalty discretion: the legal fine range and the recommended range for one case.

Pure: no Django. What the law and the benchmark say lives in
``rules/discretion.toml``: the statutory ranges (土地管理法 2019, 实施条例 2021,
矿产资源法 2024), the circumstances (行政处罚法 Arts. 32–33) and the benchmark bands
that narrow the ranges. The shipped bands are a DEFAULT BENCHMARK, not a province's:
a bureau loads its province's benchmark from ``discretion.toml`` in an override dir
(the same ``code`` replaces an entry; ``replace_bands = true`` drops the shipped
bands first), without code changes.

Money is ``Decimal`` yuan. Results are whole yuan: a lower bound is rounded up and an
upper bound down, so a rounded range never leaves the range it came from. Areas are
m², shown also in 亩 (1 亩 = 10000/15 m²).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from types import MappingProxyType

from fazhi.core.ruledata import (
    Citation,
    RuleFileError,
    Standing,
    Table,
    merge_by_id,
    read_table,
    rule_files,
    rule_folders,
)

RULES_DIR = Path(__file__).parents[1] / "rules"
FILE_NAME = "discretion.toml"

LAND_CLASSES = {
    "basic_farmland": "永久基本农田",
    "farmland": "其他耕地（永久基本农田以外的耕地）",
    "other": "其他土地",
}
UNITS = {"yuan_per_m2": "元/平方米", "times": "倍", "percent": "%"}
QUANTITIES = ("area", "reclamation_fee", "illegal_gains", "ore_value")
FACTOR_KINDS = {
    "aggravating": "从重情节",
    "mitigating": "从轻情节",
    "reducible": "应当从轻或者减轻的情节",
    "no_penalty_may": "可以不予处罚的情节",
    "no_penalty_shall": "不予处罚的情节",
}
CITE_ROLES = ("violated", "penalty", "amount")
PLAN_CONDITIONS = {
    "plan_violated": "违反国土空间规划（土地利用总体规划）擅自将农用地改为建设用地的",
    "plan_conforms": "符合国土空间规划（土地利用总体规划）的",
}

_YUAN = Decimal(1)
_MU = Decimal("0.01")
_NO_LIMIT = Decimal("Infinity")

BenchmarkError = RuleFileError
"""The name older callers catch: a benchmark file is unreadable or wrong, or has
no band for a case."""


class DiscretionError(ValueError):
    """A user error; the Chinese message names the field and the fix."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class MissingFact(DiscretionError):
    """A fact the violation's fine depends on was not given."""


class DepartureNeedsReason(DiscretionError):
    """A fine outside the recommended range was proposed without a written reason."""


class OutsideLegalRange(DiscretionError):
    """A proposed fine the law does not allow; no reason makes it lawful."""


# --- rule data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A measure other than the fine; ``when`` names the condition, "" = always."""

    text: str
    citation: Citation
    when: str = ""


@dataclass(frozen=True)
class FixedRange:
    """A range in yuan that replaces the rate when the base is below ``below_yuan``."""

    below_yuan: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Violation:
    """A violation type: what it breaches, what punishes it and the statutory range."""

    code: str
    label: str
    quantity: str
    unit: str
    legal: tuple[Decimal, Decimal]
    fine_optional: bool
    needs_land_class: bool
    land_classes: tuple[str, ...]
    fixed: FixedRange | None
    cites: tuple[tuple[str, Citation], ...]
    measures: tuple[Measure, ...]

    @property
    def amount_citation(self) -> Citation:
        """The article that fixes the amount (or the penalty article if none)."""
        by_role = dict(self.cites)
        return by_role.get("amount") or by_role["penalty"]


@dataclass(frozen=True)
class Factor:
    """An aggravating, mitigating or no-penalty circumstance, with its basis."""

    code: str
    label: str
    kind: str
    citation: Citation
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    """A benchmark band: which cases it covers and the sub-range it recommends."""

    code: str
    violation: str
    scale: str
    land_classes: tuple[str, ...]
    area_up_to_m2: Decimal | None
    area_up_to_mu: Decimal | None
    money_up_to: Decimal | None
    low: Decimal
    high: Decimal
    clause: str
    citation: Citation
    default: bool
    origin: str

    @property
    def benchmark(self) -> str:
        """Name of the benchmark file the band came from."""
        return self.citation.law

    def fits(
        self, *, area: Decimal | None, land_class: str | None, money: Decimal | None
    ) -> bool:
        """Whether a case with this area (m²), land class and money (yuan) fits."""
        if self.land_classes and land_class not in self.land_classes:
            return False
        return self._area_fits(area) and _under(money, self.money_up_to)

    def sort_key(self) -> tuple[Decimal, Decimal]:
        """Order bands by their upper limits; the narrowest fitting band wins."""
        area = self.area_up_to_m2
        if self.area_up_to_mu is not None:
            area = self.area_up_to_mu * 10000 / 15
        return (
            _NO_LIMIT if area is None else area,
            _NO_LIMIT if self.money_up_to is None else self.money_up_to,
        )

    def _area_fits(self, area: Decimal | None) -> bool:
        if self.area_up_to_mu is not None:
            # compare exactly: area ≤ mu × 10000/15  ⇔  area × 15 ≤ mu × 10000
            return area is not None and area * 15 <= self.area_up_to_mu * 10000
        return _under(area, self.area_up_to_m2)


@dataclass(frozen=True)
class Benchmark:
    """The merged rule data: violations, factors and bands, by code."""

    name: str
    default: bool
    share: Decimal
    violations: Mapping[str, Violation]
    factors: Mapping[str, Factor]
    bands: tuple[Band, ...]

    def violation(self, code: str) -> Violation:
        """Return the violation type or raise a DiscretionError naming the known."""
        if code not in self.violations:
            known = "、".join(f"{c}（{v.label}）" for c, v in self.violations.items())
            raise DiscretionError(
                "violation", f"未知的违法类型 {code!r}（可用：{known}）"
            )
        return self.violations[code]


def _under(value: Decimal | None, limit: Decimal | None) -> bool:
    return limit is None or (value is not None and value <= limit)


# --- case facts and results -----------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the investigation found: violation code, m², yuan and circumstances."""

    violation: str
    area_m2: Decimal | None = None
    land_class: str | None = None
    ore_value_yuan: Decimal | None = None
    illegal_gains_yuan: Decimal | None = None
    factors: frozenset[str] = frozenset()
    reclamation_fee_yuan_per_m2: Decimal | None = None
    conforms_to_plan: bool | None = None


@dataclass(frozen=True)
class Recommendation:
    """Legal and recommended fines in whole yuan, with every clause used."""

    violation: str
    label: str
    legal_min: Decimal
    legal_max: Decimal
    recommended_min: Decimal
    recommended_max: Decimal
    area_m2: Decimal | None
    area_mu: Decimal | None
    band: str
    factors: tuple[str, ...]
    fine_optional: bool
    no_penalty: str
    other_measures: tuple[str, ...]
    steps: tuple[str, ...]
    citations: tuple[Citation, ...]
    benchmark: str
    default_benchmark: bool

    @property
    def zero_lawful(self) -> bool:
        """Whether deciding no fine at all is lawful (可以并处, or Art. 33)."""
        return self.fine_optional or bool(self.no_penalty)


@dataclass(frozen=True)
class Departure:
    """A proposed fine checked against the recommendation, for the legal reviewer."""

    proposed_yuan: Decimal
    within_recommended: bool
    reason: str
    summary: str


@dataclass(frozen=True)
class _Scale:
    """The range that applies: in the violation's unit (rate) or in yuan (fixed)."""

    kind: str
    low: Decimal
    high: Decimal
    base: Decimal
    base_text: str
    unit: str

    def yuan(self, value: Decimal) -> Decimal:
        return value * self.base

    def show(self, value: Decimal) -> str:
        if self.kind == "fixed":
            return f"{_num(value)}元"
        return f"{self.base_text}×{_num(value)}{self.unit}={_num(self.yuan(value))}元"


# --- recommend ------------------------------------------------------------------------


def recommend(facts: Facts, benchmark: Benchmark) -> Recommendation:
    """Return the legal and recommended fine (yuan) for the facts under a benchmark."""
    violation = benchmark.violation(facts.violation)
    factors = _factors(facts, violation, benchmark)
    area = _area(facts, violation)
    land_class = _land_class(facts, violation)
    scale, basis_steps = _scale(facts, violation, area)
    band = _band(benchmark, violation, scale, area, land_class, facts)
    low, high, adjust_steps = _adjust(band, factors, benchmark.share)
    legal = _whole_yuan(scale.yuan(scale.low), scale.yuan(scale.high))
    rec = _recommended(scale, low, high, legal, factors)
    measures = tuple(_measures(violation, facts))
    steps = (
        *_law_steps(violation),
        *_area_steps(area, land_class),
        *basis_steps,
        f"法定幅度：{scale.show(scale.low)} 至 {scale.show(scale.high)}",
        _band_step(band, scale),
        *_factor_steps(factors),
        *adjust_steps,
        *_recommended_steps(scale, low, high, factors),
        f"推荐罚款：{_num(rec[0])}元至{_num(rec[1])}元"
        f"（法定罚款：{_num(legal[0])}元至{_num(legal[1])}元）",
        "取整：金额取整到元，下限向上、上限向下取整，不越出幅度",
        *(f"其他处理：{m}" for m in measures),
        _time_step(violation),
    )
    return Recommendation(
        violation=violation.code,
        label=violation.label,
        legal_min=legal[0],
        legal_max=legal[1],
        recommended_min=rec[0],
        recommended_max=rec[1],
        area_m2=area,
        area_mu=None if area is None else area_mu(area),
        band=band.code,
        factors=tuple(f.code for f in factors),
        fine_optional=violation.fine_optional,
        no_penalty=_no_penalty(factors),
        other_measures=measures,
        steps=steps,
        citations=_citations(violation, factors, band),
        benchmark=band.benchmark,
        default_benchmark=band.default,
    )


def area_mu(area_m2: Decimal) -> Decimal:
    """Convert m² to 亩 (1 亩 = 10000/15 m²), rounded half up to 0.01 亩."""
    return (area_m2 * 15 / 10000).quantize(_MU, ROUND_HALF_UP)


def _factors(facts: Facts, violation: Violation, bm: Benchmark) -> tuple[Factor, ...]:
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


def _area(facts: Facts, violation: Violation) -> Decimal | None:
    if facts.area_m2 is None:
        if violation.quantity in {"area", "reclamation_fee"}:
            raise MissingFact("area_m2", f"{violation.label}须填写占地面积（平方米）")
        return None
    area = _amount(facts.area_m2, "area_m2", "占地面积")
    if area <= 0:
        raise DiscretionError("area_m2", f"占地面积须大于0平方米，现为 {area}")
    return area


def _land_class(facts: Facts, violation: Violation) -> str | None:
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


def _scale(
    facts: Facts, violation: Violation, area: Decimal | None
) -> tuple[_Scale, list[str]]:
    unit = UNITS[violation.unit]
    if violation.quantity == "area":
        assert area is not None
        return _Scale("rate", *violation.legal, area, f"{_num(area)}平方米", unit), []
    if violation.quantity == "reclamation_fee":
        assert area is not None
        return _reclamation_scale(facts, violation, area, unit)
    money, text = _money(facts, violation)
    fixed = violation.fixed
    if fixed is not None and money < fixed.below_yuan:
        step = (
            f"{text}{_num(money)}元，未采出或不足{_num(fixed.below_yuan)}元："
            f"适用{_num(fixed.low)}元至{_num(fixed.high)}元的固定幅度"
        )
        return _Scale("fixed", fixed.low, fixed.high, _YUAN, "", "元"), [step]
    base = money / 100 if violation.unit == "percent" else money
    return _Scale("rate", *violation.legal, base, f"{text}{_num(money)}元", unit), []


def _reclamation_scale(
    facts: Facts, violation: Violation, area: Decimal, unit: str
) -> tuple[_Scale, list[str]]:
    name = "reclamation_fee_yuan_per_m2"
    if facts.reclamation_fee_yuan_per_m2 is None:
        raise MissingFact(
            name, f"{violation.label}须填写耕地开垦费标准（元/平方米，按省级规定）"
        )
    rate = _amount(facts.reclamation_fee_yuan_per_m2, name, "耕地开垦费标准")
    if rate <= 0:
        raise DiscretionError(name, f"耕地开垦费标准须大于0，现为 {rate}")
    fee = area * rate
    step = (
        f"耕地开垦费：{_num(area)}平方米×{_num(rate)}元/平方米={_num(fee)}元"
        "（标准按省级规定，土地管理法第三十条第二款）"
    )
    scale = _Scale("rate", *violation.legal, fee, f"耕地开垦费{_num(fee)}元", unit)
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
    money = _amount(value, name, text)
    if money < 0:
        raise DiscretionError(name, f"{text}不能为负数，现为 {money}")
    return money, text


def _band(
    bm: Benchmark,
    violation: Violation,
    scale: _Scale,
    area: Decimal | None,
    land_class: str | None,
    facts: Facts,
) -> Band:
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


def _adjust(
    band: Band, factors: tuple[Factor, ...], share: Decimal
) -> tuple[Decimal, Decimal, list[str]]:
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


def _recommended(
    scale: _Scale,
    low: Decimal,
    high: Decimal,
    legal: tuple[Decimal, Decimal],
    factors: tuple[Factor, ...],
) -> tuple[Decimal, Decimal]:
    no_penalty = _no_penalty(factors)
    if no_penalty == "shall":
        return Decimal(0), Decimal(0)
    rec_low, rec_high = _whole_yuan(scale.yuan(low), scale.yuan(high))
    rec_low = min(max(rec_low, legal[0]), legal[1])
    rec_high = max(min(rec_high, legal[1]), rec_low)
    return (Decimal(0) if no_penalty else rec_low), rec_high


def _no_penalty(factors: tuple[Factor, ...]) -> str:
    kinds = {f.kind for f in factors}
    if "no_penalty_shall" in kinds:
        return "shall"
    return "may" if "no_penalty_may" in kinds else ""


def _whole_yuan(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    up, down = low.quantize(_YUAN, ROUND_CEILING), high.quantize(_YUAN, ROUND_FLOOR)
    # a range narrower than one yuan has no whole yuan inside: keep its rounded floor
    return (up, down) if up <= down else (down, down)


# --- steps ----------------------------------------------------------------------------


def _law_steps(violation: Violation) -> Iterator[str]:
    yield f"违法类型：{violation.label}"
    for role, cite in violation.cites:
        prefix = "违反" if role == "violated" else "处罚依据"
        yield f"{prefix}：{cite}（{cite.gist}）"
    if violation.fine_optional:
        yield "罚款为“可以并处”：不处罚款亦属合法；处罚款的，数额须在法定幅度之内"
    else:
        yield "罚款为“并处”：应当处罚款，数额须在法定幅度之内"


def _area_steps(area: Decimal | None, land_class: str | None) -> Iterator[str]:
    if area is not None:
        yield (
            f"占地面积：{_num(area)}平方米，折合{area_mu(area)}亩（1亩=10000/15平方米）"
        )
    if land_class is not None:
        yield f"地类：{LAND_CLASSES[land_class]}"


def _band_step(band: Band, scale: _Scale) -> str:
    unit = "元" if scale.kind == "fixed" else scale.unit
    text = (
        f"裁量基准：《{band.benchmark}》{band.clause}（{band.code}）："
        f"{_num(band.low)}至{_num(band.high)}{unit}"
    )
    if band.default:
        text += "。注意：此为系统默认基准，不是省级公布的裁量基准，应以本省基准为准"
    return text


def _factor_steps(factors: tuple[Factor, ...]) -> Iterator[str]:
    for factor in factors:
        yield f"{FACTOR_KINDS[factor.kind]}：{factor.label}（{factor.citation}）"
    if any(f.kind == "reducible" for f in factors):
        yield (
            "行政处罚法第三十二条：应当从轻或者减轻。本计算按从轻给出推荐幅度；"
            "减轻处罚（低于法定下限）须另行依法决定，不在本计算之内"
        )


def _recommended_steps(
    scale: _Scale, low: Decimal, high: Decimal, factors: tuple[Factor, ...]
) -> Iterator[str]:
    no_penalty = _no_penalty(factors)
    if no_penalty == "shall":
        yield "依行政处罚法第三十三条不予行政处罚：推荐罚款0元，并应当对当事人进行教育"
        return
    yield f"推荐幅度：{scale.show(low)} 至 {scale.show(high)}"
    if no_penalty == "may":
        yield (
            "依行政处罚法第三十三条第一款可以不予行政处罚：推荐下限为0元；"
            "决定处罚的，按上列推荐幅度"
        )


def _measures(violation: Violation, facts: Facts) -> Iterator[str]:
    for measure in violation.measures:
        when = measure.when
        text = f"{measure.text}（{measure.citation}）"
        if not when:
            yield text
        elif when.startswith("factor:"):
            if when.removeprefix("factor:") in facts.factors:
                yield text
        elif facts.conforms_to_plan is None:
            yield f"{PLAN_CONDITIONS[when]}：{text}"
        elif facts.conforms_to_plan == (when == "plan_conforms"):
            yield text


def _time_step(violation: Violation) -> str:
    cite = violation.amount_citation
    return (
        f"适用时间：按《{cite.short}》（{cite.version}，{cite.in_force}施行）计算；"
        "依行政处罚法第三十七条，适用违法行为发生时的规定，"
        "新规定处罚较轻或者不认为违法的适用新规定"
    )


def _citations(
    violation: Violation, factors: tuple[Factor, ...], band: Band
) -> tuple[Citation, ...]:
    cites = [c for _, c in violation.cites]
    cites += [f.citation for f in factors]
    cites.append(band.citation)
    return tuple(dict.fromkeys(cites))


# --- departures -----------------------------------------------------------------------


def check_departure(
    rec: Recommendation, proposed_yuan: Decimal, reason: str = ""
) -> Departure:
    """Check a proposed fine (yuan); outside the recommended range needs a reason."""
    proposed = _amount(proposed_yuan, "proposed_yuan", "拟处罚款")
    if proposed < 0:
        raise DiscretionError("proposed_yuan", "拟处罚款不能为负数")
    if rec.no_penalty == "shall" and proposed > 0:
        raise OutsideLegalRange(
            "proposed_yuan", "依行政处罚法第三十三条应当不予行政处罚，不得处罚款"
        )
    reason = reason.strip()
    rec_text = f"推荐幅度{_num(rec.recommended_min)}元至{_num(rec.recommended_max)}元"
    if rec.recommended_min <= proposed <= rec.recommended_max:
        summary = f"拟处罚款{_num(proposed)}元，在{rec_text}之内"
        return Departure(proposed, True, reason, summary)
    _check_lawful(rec, proposed)
    if not reason:
        raise DepartureNeedsReason(
            "reason",
            f"拟处罚款{_num(proposed)}元超出{rec_text}，须书面说明理由（供法制审核）",
        )
    side = "高于" if proposed > rec.recommended_max else "低于"
    summary = (
        f"拟处罚款{_num(proposed)}元，{side}{rec_text}，在法定幅度内；"
        f"承办人书面理由：{reason}"
    )
    return Departure(proposed, False, reason, summary)


def _check_lawful(rec: Recommendation, proposed: Decimal) -> None:
    if proposed == 0 and rec.zero_lawful:
        return
    if rec.legal_min <= proposed <= rec.legal_max:
        return
    raise OutsideLegalRange(
        "proposed_yuan",
        f"拟处罚款{_num(proposed)}元超出法定幅度"
        f"（{_num(rec.legal_min)}元至{_num(rec.legal_max)}元），不得作出",
    )


def _amount(value: object, name: str, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise DiscretionError(name, f"{what}须为 Decimal 数额，现为 {value!r}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise DiscretionError(name, f"{what}须为有限数额，现为 {value!r}")
    return amount


def _num(value: Decimal) -> str:
    """Show a Decimal without exponent and without trailing zeros after the point."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(share: Decimal) -> str:
    return f"{_num(share * 100)}%"


# --- loading --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Head:
    """A file's [benchmark] table: the citation its bands carry, and if default."""

    citation: Citation
    default: bool


@dataclass
class _Merged:
    """Entries read so far; a later file's entry replaces the same code."""

    name: str = ""
    default: bool = True
    share: Decimal | None = None
    laws: dict[str, Citation] = field(default_factory=dict)
    violations: dict[str, Violation] = field(default_factory=dict)
    factors: dict[str, Factor] = field(default_factory=dict)
    bands: dict[str, Band] = field(default_factory=dict)


def load_benchmark(extra_dirs: Sequence[Path] = ()) -> Benchmark:
    """Read the shipped discretion.toml, then each extra dir's; later codes replace."""
    merged = _Merged()
    for path in rule_files(rule_folders(RULES_DIR, extra_dirs), FILE_NAME):
        _read_file(read_table(path), merged)
    return _finish(merged)


def _read_file(top: Table, merged: _Merged) -> None:
    top.keys({"benchmark"}, {"adjust", "law", "violation", "factor", "band"})
    head = _read_head(top.sub("benchmark"), merged)
    if "adjust" in top:
        adjust = top.sub("adjust")
        adjust.keys({"share"})
        merged.share = adjust.decimal("share", above=Decimal(0), most=Decimal(1))
    for key, table in top.subs("law"):
        merged.laws[key] = table.law(required=_LAW_KEYS)
    laws = merged.laws
    merge_by_id(merged.violations, top.entries("violation"),
                lambda t: _read_violation(t, laws))
    merge_by_id(merged.factors, top.entries("factor"), lambda t: _read_factor(t, laws))
    merge_by_id(merged.bands, top.entries("band"), lambda t: _read_band(t, head))


_LAW_KEYS = ("name", "version", "in_force", "source")


def _read_head(head: Table, merged: _Merged) -> _Head:
    head.keys(
        {"name", "version", "source"},
        {"default", "replace_bands", "standing", "document"},
    )
    if head.flag("replace_bands"):
        merged.bands.clear()
    merged.name, merged.default = head.text("name"), head.flag("default")
    citation = Citation(
        law=merged.name,
        version=head.text("version"),
        article="",
        source=head.text("source"),
        standing=head.standing(
            default=Standing.PRESET if merged.default else Standing.PROVINCE
        ),
        document=head.text("document", required=False),
    )
    return _Head(citation, merged.default)


def _cite(table: Table, laws: Mapping[str, Citation], gist: str = "") -> Citation:
    key = table.text("law")
    if key not in laws:
        known = "、".join(laws) or "无"
        table.fail(f"键 law 引用了未定义的 [law.{key}]（已定义：{known}）", "law")
    return laws[key].at(table.text("article"), gist)


def _read_violation(table: Table, laws: Mapping[str, Citation]) -> Violation:
    table.keys(
        {"code", "label", "quantity", "unit", "legal_min", "legal_max"},
        {
            "fine_optional",
            "needs_land_class",
            "land_classes",
            "fixed",
            "cite",
            "measure",
        },
    )
    legal = (table.decimal("legal_min", above=Decimal(0)), table.decimal("legal_max"))
    _check_range(table, legal, "legal_min", "legal_max")
    cites = tuple(_read_cite(t, laws) for t in table.entries("cite", id_key=None))
    if "penalty" not in {role for role, _ in cites}:
        table.fail('须至少有一条 role = "penalty" 的 [[violation.cite]]', "cite")
    return Violation(
        code=table.ident(),
        label=table.text("label"),
        quantity=table.choice("quantity", QUANTITIES),
        unit=table.choice("unit", tuple(UNITS)),
        legal=legal,
        fine_optional=table.flag("fine_optional"),
        needs_land_class=table.flag("needs_land_class"),
        land_classes=table.choices("land_classes", tuple(LAND_CLASSES)),
        fixed=_read_fixed(table) if "fixed" in table else None,
        cites=cites,
        measures=tuple(
            _read_measure(t, laws) for t in table.entries("measure", id_key=None)
        ),
    )


def _read_fixed(table: Table) -> FixedRange:
    fixed = table.sub("fixed")
    fixed.keys({"below_yuan", "min_yuan", "max_yuan"})
    low, high = fixed.decimal("min_yuan", above=Decimal(0)), fixed.decimal("max_yuan")
    _check_range(fixed, (low, high), "min_yuan", "max_yuan")
    return FixedRange(fixed.decimal("below_yuan", above=Decimal(0)), low, high)


def _read_cite(table: Table, laws: Mapping[str, Citation]) -> tuple[str, Citation]:
    table.keys({"role", "law", "article", "gist"})
    return table.choice("role", CITE_ROLES), _cite(table, laws, table.text("gist"))


def _read_measure(table: Table, laws: Mapping[str, Citation]) -> Measure:
    table.keys({"text", "law", "article"}, {"when"})
    when = table.text("when", required=False)
    if when and when not in PLAN_CONDITIONS and not when.startswith("factor:"):
        table.fail(
            f"键 when 只能为空、{'、'.join(PLAN_CONDITIONS)}"
            f" 或 factor:<情节代码>，现为 {when!r}",
            "when",
        )
    return Measure(table.text("text"), _cite(table, laws), when)


def _read_factor(table: Table, laws: Mapping[str, Citation]) -> Factor:
    table.keys({"code", "label", "kind", "law", "article"}, {"applies_to"})
    return Factor(
        code=table.ident(),
        label=table.text("label"),
        kind=table.choice("kind", tuple(FACTOR_KINDS)),
        citation=_cite(table, laws),
        applies_to=table.texts("applies_to"),
    )


def _read_band(table: Table, head: _Head) -> Band:
    table.keys(
        {"code", "violation", "min", "max", "clause"},
        {"scale", "land_class", "area_up_to_mu", "area_up_to_m2", "value_up_to_yuan"},
    )
    if "area_up_to_mu" in table and "area_up_to_m2" in table:
        table.fail("area_up_to_mu 与 area_up_to_m2 只能写一个", "area_up_to_mu")
    low, high = table.decimal("min"), table.decimal("max")
    _check_range(table, (low, high), "min", "max")
    clause = table.text("clause")
    return Band(
        code=table.ident(),
        violation=table.text("violation"),
        scale=table.choice("scale", ("rate", "fixed"), default="rate"),
        land_classes=table.choices("land_class", tuple(LAND_CLASSES)),
        area_up_to_m2=table.optional_decimal("area_up_to_m2", above=Decimal(0)),
        area_up_to_mu=table.optional_decimal("area_up_to_mu", above=Decimal(0)),
        money_up_to=table.optional_decimal("value_up_to_yuan"),
        low=low,
        high=high,
        clause=clause,
        citation=head.citation.at(clause),
        default=head.default,
        origin=table.where,
    )


def _check_range(
    table: Table, pair: tuple[Decimal, Decimal], lo: str, hi: str
) -> None:
    if pair[0] > pair[1]:
        table.fail(f"键 {lo} 不能大于 {hi}", lo)


def _finish(merged: _Merged) -> Benchmark:
    if merged.share is None:
        raise BenchmarkError(
            f"{RULES_DIR / FILE_NAME}：缺少 [adjust] share",
            path=RULES_DIR / FILE_NAME, key="share",
        )
    for band in merged.bands.values():
        _check_band(band, merged.violations)
    for factor in merged.factors.values():
        for code in factor.applies_to:
            if code not in merged.violations:
                raise BenchmarkError(
                    f"情节 {factor.code}：applies_to 含未知违法类型 {code!r}"
                )
    return Benchmark(
        name=merged.name,
        default=merged.default,
        share=merged.share,
        violations=MappingProxyType(dict(merged.violations)),
        factors=MappingProxyType(dict(merged.factors)),
        bands=tuple(merged.bands.values()),
    )


def _check_band(band: Band, violations: Mapping[str, Violation]) -> None:
    violation = violations.get(band.violation)
    if violation is None:
        raise BenchmarkError(
            f"{band.origin}：violation 为未知违法类型 {band.violation!r}"
        )
    if band.scale == "fixed":
        if violation.fixed is None:
            raise BenchmarkError(
                f"{band.origin}：{violation.label}没有固定数额幅度，"
                '不能用 scale = "fixed"'
            )
        legal = (violation.fixed.low, violation.fixed.high)
    else:
        legal = violation.legal
    if band.low < legal[0] or band.high > legal[1]:
        raise BenchmarkError(
            f"{band.origin}：档次 {_num(band.low)}—{_num(band.high)} 超出法定幅度"
            f" {_num(legal[0])}—{_num(legal[1])}"
        )

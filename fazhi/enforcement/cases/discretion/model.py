"""Penalty discretion's data: what the rule files say and what a case brings.

The violation types, circumstances and benchmark bands read from ``discretion.toml``
(``loading``), the facts an investigation records, the recommendation and departure
the calculator returns, and the errors a user or a rule file can cause. Pure: no
Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fazhi.core.ruledata import Adoption, Citation, RuleFileError

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
    # An earlier law's version of the violation ``version_of``: it governs acts
    # that ended before ``acts_ended_before`` (the later law's first day in force),
    # unless the later law is lighter (行政处罚法 Art. 37). Never offered as a type.
    version_of: str = ""
    acts_ended_before: date | None = None

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
    # the document the bureau adopted as its benchmark (None: it has adopted none,
    # and instruments cite the law alone)
    adopted: Adoption | None = None

    def current(self) -> dict[str, Violation]:
        """The violation types staff choose from: earlier laws' versions left out."""
        return {c: v for c, v in self.violations.items() if not v.version_of}

    def earlier_versions(self, code: str) -> list[Violation]:
        """The earlier laws' versions of a violation type, the latest cut-off first."""
        found = [v for v in self.violations.values()
                 if v.version_of == code and v.acts_ended_before is not None]
        return sorted(found, key=lambda v: v.acts_ended_before, reverse=True)

    def violation(self, code: str) -> Violation:
        """Return the violation type or raise a DiscretionError naming the known."""
        if code not in self.violations:
            known = "、".join(f"{c}（{v.label}）" for c, v in self.current().items())
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
    # 违法行为终了之日 (行政处罚法 Art. 37); None = still going on, or not entered
    act_ended_on: date | None = None


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
    # the document giving the band its standing; None while only a preset
    standing: Citation | None = None

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


# --- amounts --------------------------------------------------------------------------


def amount(value: object, name: str, what: str) -> Decimal:
    """Return a given amount as a finite Decimal; ``name`` is the field it came from."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise DiscretionError(name, f"{what}须为 Decimal 数额，现为 {value!r}")
    found = Decimal(value)
    if not found.is_finite():
        raise DiscretionError(name, f"{what}须为有限数额，现为 {value!r}")
    return found


def num(value: Decimal) -> str:
    """Show a Decimal without exponent and without trailing zeros after the point."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


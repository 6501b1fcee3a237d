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

- ``model``       the rule data (violations, circumstances, bands), the case's facts,
                  the recommendation and departure, the errors
- ``loading``     reading ``discretion.toml`` and the bureau's copies
- ``matching``    a case matched to the law and a band: the ranges, whole yuan
- ``explain``     the steps staff and the legal reviewer read under the result
- ``calculator``  ``recommend`` and ``check_departure``
"""

from fazhi.core.ruledata import Citation
from fazhi.enforcement.cases.discretion.calculator import (
    applicable,
    check_departure,
    recommend,
)
from fazhi.enforcement.cases.discretion.loading import (
    FILE_NAME,
    RULES_DIR,
    load_benchmark,
)
from fazhi.enforcement.cases.discretion.matching import area_mu
from fazhi.enforcement.cases.discretion.model import (
    CITE_ROLES,
    FACTOR_KINDS,
    LAND_CLASSES,
    PLAN_CONDITIONS,
    QUANTITIES,
    UNITS,
    Band,
    Benchmark,
    BenchmarkError,
    Departure,
    DepartureNeedsReason,
    DiscretionError,
    Factor,
    Facts,
    FixedRange,
    Measure,
    MissingFact,
    OutsideLegalRange,
    Recommendation,
    Violation,
)

__all__ = [
    "CITE_ROLES",
    "FACTOR_KINDS",
    "FILE_NAME",
    "LAND_CLASSES",
    "PLAN_CONDITIONS",
    "QUANTITIES",
    "RULES_DIR",
    "UNITS",
    "Band",
    "Benchmark",
    "BenchmarkError",
    "Citation",
    "Departure",
    "DepartureNeedsReason",
    "DiscretionError",
    "Factor",
    "Facts",
    "FixedRange",
    "Measure",
    "MissingFact",
    "OutsideLegalRange",
    "Recommendation",
    "Violation",
    "applicable",
    "area_mu",
    "check_departure",
    "load_benchmark",
    "recommend",
]

"""Reading the discretion rule files: the shipped one, then each bureau folder's.

Pure: no Django. ``discretion.toml`` holds the laws cited ([law.<key>]), the
violation types with their legal ranges ([[violation]]), the circumstances
([[factor]]), the benchmark's bands ([[band]]) and how far circumstances move within
a band ([adjust] share). A later file's entry replaces the same ``code``;
``replace_bands = true`` drops the bands read so far. Every band is checked to lie
within its violation's legal range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from fazhi.core.ruledata import (
    Citation,
    Standing,
    Table,
    adoption_of,
    merge_by_id,
    read_table,
    rule_files,
    rule_folders,
)
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
    Factor,
    FixedRange,
    Measure,
    Violation,
    num,
)

RULES_DIR = Path(__file__).parents[2] / "rules"
FILE_NAME = "discretion.toml"


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
    folders = rule_folders(RULES_DIR, extra_dirs)
    for path in rule_files(folders, FILE_NAME):
        _read_file(read_table(path), merged)
    return replace(_finish(merged), adopted=adoption_of(folders, FILE_NAME))


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
            "version_of",
            "acts_ended_before",
        },
    )
    # "可以并处罚款" with only a ceiling (违法所得50%以下) starts at 0
    floor = None if table.flag("fine_optional") else Decimal(0)
    legal = (table.decimal("legal_min", above=floor), table.decimal("legal_max"))
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
        version_of=table.text("version_of", required=False),
        acts_ended_before=table.date("acts_ended_before", required=False),
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
    for violation in merged.violations.values():
        _check_version(violation, merged.violations)
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
            f"{band.origin}：档次 {num(band.low)}—{num(band.high)} 超出法定幅度"
            f" {num(legal[0])}—{num(legal[1])}"
        )


def _check_version(violation: Violation, violations: Mapping[str, Violation]) -> None:
    """An earlier law's version names a current type and the day its law gave way."""
    if not violation.version_of and violation.acts_ended_before is None:
        return
    later = violations.get(violation.version_of)
    if later is None or later.version_of or violation.acts_ended_before is None:
        raise BenchmarkError(
            f"违法类型 {violation.code}：version_of 须为现行违法类型的代码，"
            "并写 acts_ended_before（新法施行之日）"
        )

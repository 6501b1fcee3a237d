"""The registry of named metrics (pure: no Django): read rules/metrics.toml.

Each ``[[metric]]`` names a figure the annual report and the dashboards state: its id,
its Chinese name, its definition in words (what is counted and which date puts a
matter in a period), its unit, its kind (count | sum | rate | average), the module whose
records it counts, and where the definition comes from — a law's name, version and
article, or "本系统统计口径" for fazhi's own definition, with ``status`` saying whether
it is confirmed, unconfirmed (docs/domain-law.md marks it UNCONFIRMED) or fazhi's own.

A bureau rewords a definition or changes its unit without code: a file
``<dir>/metrics.toml`` in an override folder (FAZHI_RULES_DIRS/reports/) holds
``[[metric]]`` entries with an existing ``id`` and any of ``name``, ``definition``,
``unit`` and ``note``. A unit may only change within its dimension (件 → 宗, 元 → 万元):
the query counts the same matters, and the value is scaled to the new unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from fazhi.core.ruledata import (
    RuleFileError,
    Table,
    merge_by_id,
    read_table,
    rule_files,
    rule_folders,
)

SHIPPED = Path(__file__).with_name("rules") / "metrics.toml"
KINDS = ("count", "sum", "rate", "average")
STATUSES = ("confirmed", "unconfirmed", "system")
STATUS_LABELS = {"confirmed": "已核实", "unconfirmed": "口径待核实",
                 "system": "本系统统计口径"}
MODULES = ("learning", "permits", "tips", "enforcement", "supervision", "disputes",
           "disclosure", "monitoring")
# Units by dimension, each with its size in the dimension's base unit: a figure is
# computed in the base unit and shown in the metric's unit.
UNITS: Mapping[str, Mapping[str, Decimal]] = MappingProxyType({
    "number": MappingProxyType({u: Decimal(1) for u in (
        "件", "宗", "起", "个", "次", "场", "期", "人", "人次", "份", "项", "批")}),
    "money": MappingProxyType({"元": Decimal(1), "万元": Decimal(10000)}),
    "percent": MappingProxyType({"%": Decimal(1)}),
    "days": MappingProxyType({"个工作日": Decimal(1), "工作日": Decimal(1)}),
})
_KEYS = {"id", "name", "definition", "unit", "kind", "module", "source", "status"}
_OPTIONAL = {"note", "breakdown", "rate"}
_OVERRIDABLE = {"name", "definition", "unit", "note"}
_ID = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z0-9_]*)+")


MetricRuleError = RuleFileError
"""The name older callers catch: a metric definition is unreadable or wrong."""


@dataclass(frozen=True)
class MetricDef:
    """One named figure: what it counts, in which unit, and on whose authority."""

    id: str
    name: str
    definition: str  # in words, with the date that places a matter in a period
    unit: str
    kind: str  # count | sum | rate | average
    module: str
    source: str  # law, version, article — or 本系统统计口径
    status: str  # confirmed | unconfirmed | system
    note: str = ""
    breakdown: str = ""  # what the breakdown keys are (e.g. 许可事项), if any
    rate: str = ""  # the disputes rate definition (rates.toml id) it counts by
    scale: Decimal = Decimal(1)  # base units per shown unit (万元: 10000)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"


def load_metric_defs(extra_dirs: Sequence[Path] = ()) -> dict[str, MetricDef]:
    """Read the shipped registry, then each extra folder's metrics.toml (by id)."""
    folders = rule_folders(SHIPPED.parent, extra_dirs)
    shipped, *overrides = rule_files(folders, SHIPPED.name)
    defs = merge_by_id({}, _entries(shipped), _metric, id_key="id")
    for path in overrides:
        for entry in _entries(path):
            _override(defs, entry)
    return defs


def unit_dimension(unit: str) -> str | None:
    """The dimension a unit belongs to (number, money, percent, days), or None."""
    return next((dim for dim, units in UNITS.items() if unit in units), None)


def _entries(path: Path) -> list[Table]:
    top = read_table(path)
    top.keys(set(), {"source", "metric"})
    return top.entries("metric", id_key="id", required=True)


def _metric(entry: Table) -> MetricDef:
    entry.keys(_KEYS, _OPTIONAL)
    text = {k: entry.text(k, required=k in _KEYS) for k in (*_KEYS, *_OPTIONAL)}
    if not _ID.fullmatch(text["id"]):
        entry.fail("id 须为小写的“模块.名称”，如 permits.accepted", "id")
    for key, allowed in (("kind", KINDS), ("status", STATUSES), ("module", MODULES)):
        entry.choice(key, allowed)
    _check_unit(entry, text["kind"], text["unit"])
    if text["rate"] and text["kind"] != "rate":
        entry.fail("只有 kind = \"rate\" 的指标可以引用 rate", "rate")
    return MetricDef(**text)


def _override(defs: dict[str, MetricDef], entry: Table) -> None:
    metric_id = entry.text("id")
    if metric_id not in defs:
        entry.fail("没有这项指标；覆盖文件只能改写已有指标", "id")
    other = sorted(set(entry.data) - _OVERRIDABLE - {"id"})
    if other:
        entry.fail(
            f"不能覆盖 {other}；只能覆盖 {' / '.join(sorted(_OVERRIDABLE))}", other[0]
        )
    shipped = defs[metric_id]
    changes = {k: entry.text(k, required=False) for k in entry.data if k != "id"}
    for key in ("name", "definition", "unit"):
        if key in changes and not changes[key]:
            entry.fail(f"{key} 不能为空", key)
    if "unit" in changes:
        changes["scale"] = _scale(entry, shipped, changes["unit"])
    defs[metric_id] = replace(shipped, **changes)


def _scale(entry: Table, shipped: MetricDef, unit: str) -> Decimal:
    dim = unit_dimension(shipped.unit)
    if unit_dimension(unit) != dim:
        allowed = " / ".join(UNITS[dim]) if dim else shipped.unit
        entry.fail(f"unit 只能在同一量纲内更改（可用：{allowed}），"
                   f"原单位为“{shipped.unit}”", "unit")
    return UNITS[dim][unit] / UNITS[dim][shipped.unit] * shipped.scale


def _check_unit(entry: Table, kind: str, unit: str) -> None:
    dim = unit_dimension(unit)
    if dim is None:
        known = "、".join(u for units in UNITS.values() for u in units)
        entry.fail(f"未知的单位“{unit}”（可用：{known}）", "unit")
    if (kind == "rate") != (dim == "percent"):
        entry.fail("比率指标的单位须为 %，其他指标不能用 %", "unit")

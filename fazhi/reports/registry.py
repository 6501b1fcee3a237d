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
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

SHIPPED = Path(__file__).with_name("rules") / "metrics.toml"
KINDS = ("count", "sum", "rate", "average")
STATUSES = ("confirmed", "unconfirmed", "system")
STATUS_LABELS = {"confirmed": "已核实", "unconfirmed": "UNCONFIRMED（口径未经核实）",
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


class MetricRuleError(ValueError):
    """A metric definition is wrong; the message names the file, entry and key."""


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
    defs = {}
    for n, entry in enumerate(_entries(SHIPPED), 1):
        d = _metric(f"{SHIPPED}：第{n}个 [[metric]]", entry)
        if d.id in defs:
            raise MetricRuleError(f"{SHIPPED}：指标 {d.id} 重复定义")
        defs[d.id] = d
    for folder in map(Path, extra_dirs):
        path = folder / "metrics.toml"
        if path.is_file():
            for n, entry in enumerate(_entries(path), 1):
                _override(defs, f"{path}：第{n}个 [[metric]]", entry)
    return defs


def unit_dimension(unit: str) -> str | None:
    """The dimension a unit belongs to (number, money, percent, days), or None."""
    return next((dim for dim, units in UNITS.items() if unit in units), None)


def _entries(path: Path) -> list:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MetricRuleError(f"{path}：无法读取：{exc}") from exc
    entries = data.get("metric")
    if not isinstance(entries, list) or not entries:
        raise MetricRuleError(f"{path}：须有一个或多个 [[metric]]")
    return entries


def _metric(where: str, entry) -> MetricDef:
    if not isinstance(entry, dict):
        raise MetricRuleError(f"{where} 必须是一个表")
    unknown = sorted(set(entry) - _KEYS - _OPTIONAL)
    missing = sorted(_KEYS - set(entry))
    if unknown:
        raise MetricRuleError(f"{where}：未知的键 {unknown}")
    if missing:
        raise MetricRuleError(f"{where}：缺少键 {missing}")
    text = {k: _text(where, entry, k) for k in (*_KEYS, *_OPTIONAL)}
    where = f"{where}（{text['id']}）"
    if not _ID.fullmatch(text["id"]):
        raise MetricRuleError(f"{where}：id 须为小写的“模块.名称”，如 permits.accepted")
    for key, allowed in (("kind", KINDS), ("status", STATUSES), ("module", MODULES)):
        if text[key] not in allowed:
            raise MetricRuleError(f"{where}：{key} 须为 {' / '.join(allowed)} 之一")
    _check_unit(where, text["kind"], text["unit"])
    if text["rate"] and text["kind"] != "rate":
        raise MetricRuleError(f"{where}：只有 kind = \"rate\" 的指标可以引用 rate")
    return MetricDef(**{k: text[k] for k in (*_KEYS, *_OPTIONAL)})


def _override(defs: dict[str, MetricDef], where: str, entry) -> None:
    if not isinstance(entry, dict) or "id" not in entry:
        raise MetricRuleError(f"{where}：须为含 id 的表")
    metric_id = _text(where, entry, "id")
    where = f"{where}（{metric_id}）"
    if metric_id not in defs:
        raise MetricRuleError(f"{where}：没有这项指标；覆盖文件只能改写已有指标")
    other = sorted(set(entry) - _OVERRIDABLE - {"id"})
    if other:
        raise MetricRuleError(f"{where}：不能覆盖 {other}；只能覆盖 "
                              f"{' / '.join(sorted(_OVERRIDABLE))}")
    shipped = defs[metric_id]
    changes = {k: _text(where, entry, k) for k in entry if k != "id"}
    for key in ("name", "definition", "unit"):
        if key in changes and not changes[key]:
            raise MetricRuleError(f"{where}：{key} 不能为空")
    if "unit" in changes:
        changes["scale"] = _scale(where, shipped, changes["unit"])
    defs[metric_id] = replace(shipped, **changes)


def _scale(where: str, shipped: MetricDef, unit: str) -> Decimal:
    dim = unit_dimension(shipped.unit)
    if unit_dimension(unit) != dim:
        allowed = " / ".join(UNITS[dim]) if dim else shipped.unit
        raise MetricRuleError(f"{where}：unit 只能在同一量纲内更改（可用：{allowed}），"
                              f"原单位为“{shipped.unit}”")
    return UNITS[dim][unit] / UNITS[dim][shipped.unit] * shipped.scale


def _check_unit(where: str, kind: str, unit: str) -> None:
    dim = unit_dimension(unit)
    if dim is None:
        known = "、".join(u for units in UNITS.values() for u in units)
        raise MetricRuleError(f"{where}：未知的单位“{unit}”（可用：{known}）")
    if (kind == "rate") != (dim == "percent"):
        raise MetricRuleError(f"{where}：比率指标的单位须为 %，其他指标不能用 %")


def _text(where: str, entry: dict, key: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise MetricRuleError(f"{where}：{key} 须为文字")
    value = value.strip()
    if key in _KEYS and not value:
        raise MetricRuleError(f"{where}：{key} 不能为空")
    return value

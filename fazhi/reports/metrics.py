"""The metric API: a named figure for an organisation's subtree and a period, with
the records it counted, and its year-on-year comparison.

``metric_value`` runs the metric's query (``metric_queries.QUERIES``) and computes the
figure from the records returned — a count is their number, a sum adds their amounts,
a rate counts those in the numerator over all of them — so the figure and the list
behind it cannot disagree. A breakdown (permits by kind, cases by type) is the same
computation per key; ``"<id>/<key>"`` names one entry, as a baseline stores it.

``metric_compare`` sets a year beside the one before: from fazhi's records when the
subtree has records of that kind dated in the earlier year, else from a ``Baseline``
row (the three rates also from the disputes module's own baselines), else none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from fazhi.core.models import OrgUnit
from fazhi.core.rule_folders import module_rules
from fazhi.reports import compare
from fazhi.reports.metric_queries import (
    PROBES,
    PROBES_BY_ID,
    QUERIES,
    OrgScope,
    RecordRef,
)
from fazhi.reports.metric_queries.base import memoised
from fazhi.reports.registry import MetricDef, load_metric_defs

__all__ = ["Comparison", "MetricValue", "RecordRef", "UnknownMetric", "metric_compare",
           "metric_defs", "metric_records", "metric_value", "metric_values"]
Number = int | Decimal


class UnknownMetric(KeyError):
    """No metric has this id (or the breakdown no such key)."""

    def __str__(self) -> str:
        return f"没有这项指标：{self.args[0]}"


@dataclass
class MetricValue:
    """A figure for one subtree and period, and the records it counted."""

    id: str
    name: str
    unit: str
    kind: str  # count | sum | rate | average
    value: Number | None  # counts and sums: 0 when nothing; rates, averages: None
    numerator: int | None = None  # rates
    denominator: int | None = None  # rates
    records: list[RecordRef] = field(default_factory=list)
    breakdown: dict[str, MetricValue] = field(default_factory=dict)
    has_data: bool = False  # any record counted (rates: a non-empty denominator)
    definition: MetricDef | None = None
    org_unit: OrgUnit | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def shown(self) -> str:
        """The figure with its unit as the report writes it ("12件", "15.2%", "—")."""
        return compare.format_value(self.value, self.unit, self.kind)

    @property
    def numerator_records(self) -> list[RecordRef]:
        return [r for r in self.records if r.in_numerator]


@dataclass
class Comparison:
    """A year's figure beside the year before's, and the change in report words."""

    current: MetricValue
    previous: Number | None
    previous_source: str | None  # "records" | "baseline" | None
    previous_note: str  # where last year's figure came from, in words
    change: Decimal | None  # current − previous (rate: percentage points)
    change_text: str  # "上升2.5个百分点", "增长12.5%（增加3件）", "持平", "—"
    percent: Decimal | None = None  # counts, sums, averages: change ÷ previous × 100
    previous_value: MetricValue | None = None  # when from the records
    breakdown: dict[str, Comparison] = field(default_factory=dict)

    @property
    def previous_shown(self) -> str:
        c = self.current
        return compare.format_value(self.previous, c.unit, c.kind)


# --- definitions ---------------------------------------------------------------------


def metric_defs() -> dict[str, MetricDef]:
    """Every metric's definition: shipped, reworded by the bureau's override files;
    a rate that counts by a disputes rate takes that rate's source and status."""
    defs = module_rules("reports", load_metric_defs)
    return {k: _with_rate(d) for k, d in defs.items()}


def _with_rate(d: MetricDef) -> MetricDef:
    if not d.rate:
        return d
    from fazhi.disputes.services import rate_definitions

    rate = rate_definitions()[d.rate]
    note = "；".join(x for x in (rate.note, d.note) if x)
    return replace(d, source=rate.source, status=rate.status, note=note)


def metric_def(metric_id: str) -> MetricDef:
    """One definition (a breakdown entry "<id>/<key>" has its metric's)."""
    base = metric_id.split("/", 1)[0]
    try:
        return metric_defs()[base]
    except KeyError:
        raise UnknownMetric(metric_id) from None


# --- values --------------------------------------------------------------------------


def metric_value(metric_id: str, *, org_unit: OrgUnit, start: dt.date,
                 end: dt.date) -> MetricValue:
    """The figure ``metric_id`` for ``org_unit``'s subtree and ``start..end``."""
    d = metric_def(metric_id)
    base, _, key = metric_id.partition("/")
    if start > end:
        raise ValueError("起始日期不能晚于截止日期")
    records = memoised(("records", base, org_unit.pk, start, end),
                       lambda: QUERIES[base](org_unit, (start, end)))
    value = _assemble(d, records, org_unit, start, end)
    if not key:
        return value
    if not d.breakdown:
        raise UnknownMetric(metric_id)
    return value.breakdown.get(key) or _assemble(d, [], org_unit, start, end, key)


def metric_records(metric_id: str, *, org_unit: OrgUnit, start: dt.date,
                   end: dt.date) -> list[RecordRef]:
    """The records ``metric_value`` counts for the same arguments."""
    return metric_value(metric_id, org_unit=org_unit, start=start, end=end).records


def metric_values(*, org_unit: OrgUnit, start: dt.date, end: dt.date,
                  ids=None) -> dict[str, MetricValue]:
    """Every metric (or those of ``ids``) for one subtree and period, by id."""
    return {i: metric_value(i, org_unit=org_unit, start=start, end=end)
            for i in (ids or metric_defs())}


def _assemble(d: MetricDef, records: list[RecordRef], org, start, end,
              key: str = "") -> MetricValue:
    mid = f"{d.id}/{key}" if key else d.id
    mv = MetricValue(id=mid, name=f"{d.name}（{key}）" if key else d.name,
                     unit=d.unit, kind=d.kind, value=None, records=records,
                     definition=d, org_unit=org, start=start, end=end)
    if d.kind == "count":
        mv.value = _scaled(len(records), d)
    elif d.kind == "sum":
        mv.value = _scaled(sum((Decimal(r.amount or 0) for r in records),
                               Decimal(0)), d)
    elif d.kind == "average" and records:
        total = sum((Decimal(r.amount or 0) for r in records), Decimal(0))
        mv.value = _scaled(total / len(records), d)
    elif d.kind == "rate":
        mv.numerator = sum(1 for r in records if r.in_numerator)
        mv.denominator = len(records)
        mv.value = compare.rate_percent(mv.numerator, mv.denominator)
    mv.has_data = bool(records)
    if d.breakdown and not key:
        groups: dict[str, list[RecordRef]] = {}
        for r in records:
            groups.setdefault(r.key, []).append(r)
        mv.breakdown = {k: _assemble(d, rs, org, start, end, k)
                        for k, rs in sorted(groups.items())}
    return mv


def _scaled(value: Number, d: MetricDef) -> Number:
    if d.scale == 1:
        return value
    return Decimal(value) / d.scale


# --- year on year --------------------------------------------------------------------


def metric_compare(metric_id: str, *, org_unit: OrgUnit, year: int) -> Comparison:
    """``year`` (1 Jan – 31 Dec) beside the year before, for ``org_unit``'s subtree."""
    now = metric_value(metric_id, org_unit=org_unit, start=dt.date(year, 1, 1),
                       end=dt.date(year, 12, 31))
    last = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    if _has_records(metric_id, org_unit, last):
        before = metric_value(metric_id, org_unit=org_unit, start=last[0], end=last[1])
        return _comparison(now, before.value, "records",
                           f"本系统{year - 1}年记录", before)
    return _from_baseline(now, metric_id, org_unit, year - 1)


def _has_records(metric_id: str, org, period) -> bool:
    base = metric_id.split("/", 1)[0]
    probe = PROBES_BY_ID.get(base) or PROBES[base.split(".", 1)[0]]
    return probe(org, period)


def _comparison(now: MetricValue, previous, source, note, before=None,
                parts: dict | None = None) -> Comparison:
    change = compare.year_on_year(now.kind, now.unit, now.value, previous)
    known = previous is not None
    comp = Comparison(now, previous, source if known else None, note if known else "",
                      change.delta, change.text, change.percent, before)
    d = now.definition
    if not (d and d.breakdown) or "/" in now.id:
        return comp
    parts = parts or {}
    keys = set(now.breakdown) | set(before.breakdown if before else parts)
    for k in sorted(keys):
        cur = now.breakdown.get(k) or _assemble(d, [], now.org_unit, now.start,
                                                now.end, k)
        if before is not None:  # from the records: a key absent last year was 0
            prev_mv = before.breakdown.get(k)
            comp.breakdown[k] = _comparison(cur, prev_mv.value if prev_mv else 0,
                                            source, note, prev_mv)
        else:
            comp.breakdown[k] = _comparison(cur, parts.get(k), source, note)
    return comp


def _from_baseline(now: MetricValue, metric_id: str, org, year: int) -> Comparison:
    from fazhi.reports.models import Baseline

    rows = {b.metric_id: b for b in Baseline.objects.filter(
        org_unit=org, year=year, metric_id__startswith=metric_id.split("/", 1)[0])}
    row = rows.get(metric_id)
    prefix = f"{metric_id}/"
    parts = {k[len(prefix):]: _baseline_number(b.value, now.kind)
             for k, b in rows.items() if k.startswith(prefix)}
    if row is not None:
        return _comparison(now, _baseline_number(row.value, now.kind), "baseline",
                           f"基期数据：{row.source}", parts=parts)
    if parts and now.kind in ("count", "sum"):
        # A breakdown entered by parts adds up to its whole.
        return _comparison(now, sum(parts.values()), "baseline",
                           "基期数据（按分项合计）：" + "；".join(sorted({
                               b.source for k, b in rows.items()
                               if k.startswith(prefix)})), parts=parts)
    rate = _rate_baseline(now, org, year)
    if rate is not None:
        return _comparison(now, rate[0], "baseline", f"三率基数：{rate[1]}")
    return _comparison(now, None, None, "", parts=parts)


def _baseline_number(value: Decimal, kind: str) -> Number:
    if kind == "count" and value == value.to_integral_value():
        return int(value)
    return value


def _rate_baseline(now: MetricValue, org, year: int):
    """A rate's figure from the disputes module's baselines of the subtree (as the
    三率 page adds them up), or None."""
    d = now.definition
    if not (d and d.rate):
        return None
    from fazhi.disputes.review import baselines_of

    rows = baselines_of(actor=OrgScope(org), year=year, rate_id=d.rate)
    if not rows:
        return None
    value = compare.rate_percent(sum(r.numerator for r in rows),
                                 sum(r.denominator for r in rows))
    return (value, "；".join(sorted({r.source for r in rows}))) if value is not None \
        else None

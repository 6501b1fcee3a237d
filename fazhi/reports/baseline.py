"""Baselines: a past year's figures fazhi holds no records for, read from the bureau's
published annual report (:mod:`fazhi.reports.extract`) or typed in, reviewed by a
person and stored for the year-on-year comparison (``metrics.metric_compare``).

Units. A value is stored in its metric's unit as the registry has it
(``metric_def(id).unit``), because ``metric_compare`` sets it beside the metric's
value unchanged: counts in 件/次; money in the metric's unit (the yuan a report
states are divided by the metric's ``scale`` when a bureau shows 万元); rates in
percent, 0–100, as ``metric_value`` gives them (100 for 100%, never 1). A rate's
change (the report's ``*_change_pct``, "下降2.5个百分点") is not a value: it is
stored under ``"<rate id>/change_pp"`` in percentage points, negative for 下降, for
the report to quote. A breakdown entry is ``"<metric id>/<key>"``
("permits.by_kind/乡村建设规划许可证"); the permits' sum goes to ``permits.issued``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.errors import field_error as _err
from fazhi.core.permissions import require_role_over
from fazhi.core.roles import Role
from fazhi.core.scope import scoped
from fazhi.reports.metrics import UnknownMetric, metric_def
from fazhi.reports.models import Baseline

ROLES = (Role.LEGAL_AFFAIRS_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR)
CHANGE = "change_pp"  # breakdown key of a rate's change in percentage points
PLACES = Decimal("0.0001")  # Baseline.value has four decimal places
ID_MAX = Baseline._meta.get_field("metric_id").max_length
SOURCE_MAX = Baseline._meta.get_field("source").max_length
FIRST_YEAR = 2000

# Report key (extract's JSON path) → metric id, in the order the review lists them.
SCALARS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("study_sessions",), "study.sessions"),
    (("permits",), "permits.issued"),  # the sum of the kinds
    (("fees_yuan_approx",), "permits.fees_yuan"),
    (("permits_overdue",), "permits.overdue"),
    (("service_complaints",), "permits.complaints"),
    (("reconsideration", "received"), "reconsideration.received"),
    (("reconsideration", "concluded"), "reconsideration.concluded"),
    (("reconsideration", "correction_rate_change_pct"),
     f"reconsideration.correction_rate/{CHANGE}"),
    (("litigation", "received"), "litigation.received"),
    (("litigation", "concluded"), "litigation.concluded"),
    (("litigation", "lost"), "litigation.lost"),
    (("litigation", "loss_rate_change_pct"), f"litigation.loss_rate/{CHANGE}"),
    (("principal_appearance_rate_pct",), "litigation.appearance_rate"),
)
KIND_PREFIX = "permits.by_kind/"


# --- what a report gives -----------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One figure to review: its metric, value in the metric's unit, and its words."""

    metric_id: str
    value: Decimal | None  # None: not found (or left out); the reviewer may fill it
    sentence: str = ""  # the report's sentence it came from
    omitted: str = ""  # why the extraction left it out

    @property
    def label(self) -> str:
        return metric_label(self.metric_id)

    @property
    def unit(self) -> str:
        return metric_unit(self.metric_id)


def metric_label(metric_id: str) -> str:
    """The metric's name as the review and the list show it (the id itself for a
    metric the registry no longer has)."""
    base, _, key = metric_id.partition("/")
    try:
        name = metric_def(base).name
    except UnknownMetric:
        return metric_id
    if key == CHANGE:
        return f"{name}同比变化"
    return f"{name}（{key}）" if key else name


def metric_unit(metric_id: str) -> str:
    if metric_id.endswith(f"/{CHANGE}"):
        return "个百分点"
    try:
        return metric_def(metric_id).unit
    except UnknownMetric:
        return ""


def baseline_rows(extraction) -> list[Row]:
    """The review's rows for an :class:`~fazhi.reports.extract.Extraction`: every
    figure a report may give (empty where not found), then each permit kind."""
    figures, sources, omitted = (extraction.figures, extraction.sources,
                                 extraction.omitted)
    kinds = figures.get("permits", {})
    rows = []
    for path, metric_id in SCALARS:
        dotted = ".".join(path)
        if path == ("permits",):
            rows.append(_issued(kinds, omitted))
            continue
        if path == ("study_sessions",) and "study_sessions" not in figures:
            rows.append(_study_sum(figures.get("study_by_group", {}), omitted))
            continue
        value = _get(figures, path)
        if metric_id == "permits.fees_yuan" and value is not None:
            value = Decimal(str(value)) / metric_def(metric_id).scale
        rows.append(Row(metric_id, _dec(value), sources.get(dotted, ""),
                        omitted.get(dotted, "")))
    for kind, count in kinds.items():
        rows.append(Row(KIND_PREFIX + kind, _dec(count),
                        sources.get(f"permits.{kind}", "")))
    for dotted, why in omitted.items():
        if dotted.startswith("permits."):
            rows.append(Row(KIND_PREFIX + dotted.split(".", 1)[1], None, "", why))
    return rows


def _issued(kinds: dict, omitted: dict) -> Row:
    """The permits' sum, unless a kind was left out (the sum would undercount)."""
    left_out = [k.split(".", 1)[1] for k in omitted if k.startswith("permits.")]
    if left_out:
        return Row("permits.issued", None, "",
                   f"{'、'.join(left_out)}的件数未能确定，合计不自动填入")
    if not kinds:
        return Row("permits.issued", None)
    return Row("permits.issued", _dec(sum(kinds.values())), "各许可事项件数之和")


def _study_sum(groups: dict, omitted: dict) -> Row:
    """The groups' study counts summed (中心组 5 + 干部职工 11), where the report
    states no total: each group's sessions are sessions of their own."""
    if len(groups) < 2:
        return Row("study.sessions", None, "", omitted.get("study_sessions", ""))
    parts = "、".join(f"{g}{shown(_dec(n))}次" for g, n in groups.items())
    return Row("study.sessions", _dec(sum(groups.values())), f"各类学法次数之和（{parts}）")


# What a dotted key of the extraction is called on the review (a metric's name, or
# the report's own words for the title block).
_HEADER_LABELS = {"organisation": "报告署名", "year": "报告年度",
                  "document_number": "文号", "signed_on": "成文日期"}


def not_taken_rows(extraction) -> list[tuple[str, str, str, str]]:
    """(what, value, sentence, reason) for each figure the extraction did not take."""
    return [(key_label(n.key), n.value, n.sentence, n.reason)
            for n in extraction.not_taken]


def key_label(dotted: str) -> str:
    """The review's name of an extraction key ("litigation.lost" → its metric's)."""
    top, _, rest = dotted.partition(".")
    if dotted in _HEADER_LABELS:
        return _HEADER_LABELS[dotted]
    if top == "permits" and rest:
        return metric_label(KIND_PREFIX + rest)
    if top == "study_by_group":
        return f"{metric_label('study.sessions')}（{rest}）"
    metric_of = {".".join(path): metric_id for path, metric_id in SCALARS}
    return metric_label(metric_of.get(dotted, dotted))


def _get(tree: dict, path: tuple[str, ...]):
    for part in path:
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- what storing would change -----------------------------------------------------


@dataclass(frozen=True)
class Change:
    metric_id: str
    new: Decimal
    old: Decimal | None  # the stored value, None when there is none

    @property
    def state(self) -> str:
        """new (no row yet) | same | changed (storing overwrites ``old``)."""
        if self.old is None:
            return "new"
        return "same" if self.old == self.new else "changed"

    @property
    def label(self) -> str:
        return metric_label(self.metric_id)

    @property
    def old_shown(self) -> str:
        return shown(self.old)

    @property
    def new_shown(self) -> str:
        return shown(self.new)


def baseline_changes(*, actor, org_unit, year: int,
                     figures: Mapping[str, object]) -> list[Change]:
    """What storing ``figures`` as ``org_unit``'s ``year`` baseline would do, row by
    row, without storing anything."""
    require_role_over(actor, org_unit, *ROLES, what="录入基期数据")
    clean = _clean(figures)
    stored = _stored(org_unit, year, clean)
    return [Change(mid, value, stored[mid].value if mid in stored else None)
            for mid, value in clean.items()]


def _stored(org_unit, year: int, ids) -> dict[str, Baseline]:
    return {b.metric_id: b for b in Baseline.objects.filter(
        org_unit=org_unit, year=year, metric_id__in=list(ids))}


# --- storing -----------------------------------------------------------------------


def baseline_import(*, actor, org_unit, year: int, figures: Mapping[str, object],
                    source: str, notes: Mapping[str, str] | None = None,
                    overwrite: bool = False) -> list[Change]:
    """Store ``figures`` ({metric id: value in its unit}) as ``org_unit``'s baseline
    of ``year``, whole or not at all, each row with its audit event.

    A row already stored with another value is only overwritten with ``overwrite``;
    without it nothing is stored and the error lists what would change.
    ``notes`` keeps, per metric id, the report's sentence the figure came from.
    """
    require_role_over(actor, org_unit, *ROLES, what="录入基期数据")
    _check_year(year)
    source = (source or "").strip()
    if not source:
        raise _err("source", "请写明数据来源（如：潭县自然资字〔2025〕79号年度报告）")
    if len(source) > SOURCE_MAX:
        raise _err("source", f"数据来源不超过{SOURCE_MAX}字（现为{len(source)}字）")
    clean = _clean(figures)
    notes = notes or {}
    try:
        with transaction.atomic():
            return _store(actor, org_unit, year, clean, source, notes, overwrite)
    except IntegrityError:
        raise _err("figures", "基期数据刚被他人录入，请刷新后重新核对") from None


def _store(actor, org_unit, year, clean, source, notes, overwrite) -> list[Change]:
    stored = {b.metric_id: b for b in Baseline.objects.select_for_update().filter(
        org_unit=org_unit, year=year, metric_id__in=list(clean))}
    changes = [Change(mid, v, stored[mid].value if mid in stored else None)
               for mid, v in clean.items()]
    clashes = [c for c in changes if c.state == "changed"]
    if clashes and not overwrite:
        listed = "；".join(f"{c.label} {shown(c.old)}→{shown(c.new)}" for c in clashes)
        raise _err("overwrite", f"{org_unit.name}{year}年已有以下基期数据，"
                                f"确认覆盖后才会改写：{listed}")
    for c in changes:
        if c.state == "same":
            continue
        row = stored.get(c.metric_id) or Baseline(org_unit=org_unit, year=year,
                                                  metric_id=c.metric_id)
        row.value, row.source, row.entered_by = c.new, source, actor
        row.entered_at = timezone.now()
        row.note = _note(c.metric_id, notes.get(c.metric_id, ""))
        row.save()
        audit.record(actor=actor, obj=row,
                     action=("reports.baseline_overwrite" if c.state == "changed"
                             else "reports.baseline_store"),
                     summary=f"{year}年基期数据：{c.label} {shown(c.new)}"
                             f"{metric_unit(c.metric_id)}（{source}）",
                     before=None if c.old is None else {"value": str(c.old)},
                     after={"metric_id": c.metric_id, "value": str(c.new),
                            "source": source})
    return changes


def _note(metric_id: str, sentence: str) -> str:
    unit = f"单位：{metric_unit(metric_id)}"
    return f"{unit}；原文：{sentence.strip()}" if sentence.strip() else unit


def shown(value: Decimal | None) -> str:
    """A stored value without trailing zeros or an exponent: 12345000, 92.5, -2.5."""
    if value is None:
        return "—"
    return format(value.normalize(), "f")


# --- checks ------------------------------------------------------------------------


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year < this_year:
        raise _err("year", f"基期年度须在{FIRST_YEAR}年至{this_year - 1}年之间"
                           f"（基期是已结束的年度）")


def _clean(figures: Mapping[str, object]) -> dict[str, Decimal]:
    """Figures checked against the registry: known ids, values that fit their unit."""
    if not figures:
        raise _err("figures", "没有要录入的数据：请至少填写一项")
    out = {}
    for metric_id, raw in figures.items():
        metric_id = str(metric_id).strip()
        label = _check_id(metric_id)
        out[metric_id] = _check_value(metric_id, label, raw)
    return out


def _check_id(metric_id: str) -> str:
    base, slash, key = metric_id.partition("/")
    try:
        d = metric_def(base)
    except UnknownMetric:
        raise _err("figures", f"未知的指标“{metric_id}”") from None
    if slash and not key.strip():
        raise _err("figures", f"“{d.name}”的分项名称不能为空")
    if slash and key != CHANGE and not d.breakdown:
        raise _err("figures", f"“{d.name}”没有分项，不能录入“{key}”")
    if key == CHANGE and not d.is_rate:
        raise _err("figures", f"“{d.name}”不是比率，没有百分点变化")
    if len(metric_id) > ID_MAX:
        raise _err("figures", f"“{metric_id}”过长（不超过{ID_MAX}字）")
    return metric_label(metric_id)


def _check_value(metric_id: str, label: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise _err("figures", f"“{label}”的数值“{raw}”不是数字") from None
    if not value.is_finite():
        raise _err("figures", f"“{label}”的数值“{raw}”不是数字")
    d = metric_def(metric_id)
    change = metric_id.endswith(f"/{CHANGE}")
    if change and abs(value) > 100:
        raise _err("figures", f"“{label}”须在−100至100个百分点之间")
    if not change and value < 0:
        raise _err("figures", f"“{label}”不能为负数")
    if not change and d.is_rate and value > 100:
        raise _err("figures", f"“{label}”以百分数录入，须在0至100之间（如92.5）")
    whole = value == value.to_integral()
    if not change and d.kind == "count" and d.scale == 1 and not whole:
        raise _err("figures", f"“{label}”是件数，须为整数")
    if abs(value) >= Decimal(10) ** 14:
        raise _err("figures", f"“{label}”的数值过大")
    return value.quantize(PLACES)


# --- reading -----------------------------------------------------------------------


def baseline_list(*, actor, org_unit=None, year: int | None = None) -> QuerySet:
    """Stored baselines of the caller's subtree (optionally one unit and year)."""
    qs = scoped(Baseline.objects.select_related("org_unit", "entered_by"), actor)
    if org_unit is not None:
        qs = qs.filter(org_unit=org_unit)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("org_unit__path", "-year", "metric_id")

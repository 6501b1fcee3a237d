"""The dashboards' figures: what each role watches, for one bureau or its subtree.

Every figure is a metric of the registry (``fazhi.reports.metrics``) for the chosen
year, so the dashboard and the annual report state the same numbers, and each links
to the records it counted. The deadline figures are the clocks as of today: open
clocks past their due date (the module's 超期 matters), clocks falling due in the next
seven days, and clocks that turned red since Monday. A city or province sees the
same for each unit under it, side by side, with the subtree's total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from fazhi.core.models import OrgUnit
from fazhi.core.roles import Role
from fazhi.reports import charts, metrics
from fazhi.reports import services as report_services
from fazhi.reports.compare import format_value
from fazhi.reports.dashboard_clocks import (
    CLOCK_KINDS,
    ClockRow,
    clock_counts,
    clock_counts_by_unit,
    clocks_url,
)
from fazhi.reports.metric_queries.base import metric_memo

R = Role


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    module_url: str  # the module's own list page
    metrics: tuple[str, ...]  # figures shown, in order
    headline: tuple[str, ...]  # figures compared across the units under a city
    modules: tuple[str, ...] = ()  # app labels whose clocks belong here
    rates: tuple[str, ...] = ()  # rate metrics drawn as bullets
    breakdown: str = ""  # a metric whose breakdown is drawn as bars
    monthly: str = ""  # a metric drawn month by month
    progress: tuple[str, ...] = ()  # metrics drawn as one bar chart (a funnel)


SECTIONS: tuple[SectionDef, ...] = (
    SectionDef(
        "rates", "复议诉讼“三率”", "disputes:rates",
        metrics=("reconsideration.correction_rate", "litigation.loss_rate",
                 "litigation.appearance_rate"),
        headline=("reconsideration.correction_rate", "litigation.loss_rate",
                  "litigation.appearance_rate"),
        rates=("reconsideration.correction_rate", "litigation.loss_rate",
               "litigation.appearance_rate")),
    SectionDef(
        "permits", "行政许可（审批窗口）", "permits:queue",
        metrics=("permits.accepted", "permits.issued", "permits.on_time_rate",
                 "permits.overdue", "permits.fees_yuan", "permits.complaints"),
        headline=("permits.accepted", "permits.on_time_rate", "permits.overdue"),
        modules=("permits",), rates=("permits.on_time_rate",),
        breakdown="permits.by_kind", monthly="permits.accepted"),
    SectionDef(
        "enforcement", "行政执法", "enforcement:case_list",
        metrics=("cases.filed", "cases.closed", "cases.legal_reviews",
                 "cases.fines_imposed_yuan", "cases.fines_collected_yuan",
                 "tips.received", "tips.answered", "tips.answered_on_time_rate"),
        headline=("cases.filed", "cases.closed", "cases.fines_imposed_yuan"),
        modules=("enforcement", "complaints"), rates=("tips.answered_on_time_rate",),
        breakdown="cases.by_type", monthly="cases.filed"),
    SectionDef(
        "monitoring", "卫片执法（图斑核查）", "monitoring:batch_list",
        metrics=("patches.received", "patches.checked", "patches.decided",
                 "patches.illegal", "patches.rectified"),
        headline=("patches.received", "patches.checked", "patches.illegal",
                  "patches.rectified"),
        modules=("monitoring",),
        progress=("patches.received", "patches.checked", "patches.decided",
                  "patches.illegal", "patches.rectified")),
    SectionDef(
        "disputes", "行政复议与行政诉讼", "disputes:list",
        metrics=("reconsideration.received", "reconsideration.concluded",
                 "reconsideration.corrected", "litigation.received",
                 "litigation.concluded", "litigation.lost"),
        headline=("reconsideration.received", "litigation.received"),
        modules=("disputes",)),
    SectionDef(
        "disclosure", "政府信息公开（依申请）", "disclosure:list",
        metrics=("disclosure.requests", "disclosure.replied", "disclosure.late"),
        headline=("disclosure.requests", "disclosure.late"),
        modules=("disclosure",)),
)
SECTION = {s.key: s for s in SECTIONS}
ALL = tuple(SECTION)
ROLE_SECTIONS: dict[str, tuple[str, ...]] = {
    R.PRINCIPAL: ALL,
    R.SUPERVISOR: ALL,
    R.WINDOW_CLERK: ("permits",),
    R.ENFORCEMENT_OFFICER: ("enforcement", "monitoring"),
    R.LEGAL_REVIEWER: ("enforcement",),
    R.LEGAL_AFFAIRS_OFFICER: ("rates", "disputes"),
    R.DISCLOSURE_OFFICER: ("disclosure",),
    R.DISCLOSURE_HEAD: ("disclosure",),
}
ROLES = tuple(ROLE_SECTIONS)


# --- what the caller sees ------------------------------------------------------------


def sections_for(user) -> tuple[str, ...]:
    """The dashboard sections the user's roles open, in the page's order."""
    keys = {k for role in user.roles for k in ROLE_SECTIONS.get(role, ())}
    return tuple(k for k in ALL if k in keys)


def clock_modules(sections: Iterable[str]) -> tuple[str, ...]:
    """The app labels whose clocks the sections show; the principal's: every one."""
    keys = set(sections)
    if keys >= set(ALL):
        return ()  # () means no filter: every module, including ones added later
    return tuple(m for s in SECTIONS if s.key in keys for m in s.modules)


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number on a dashboard, with the link to what it counts."""

    metric_id: str
    name: str
    unit: str
    kind: str
    value: int | Decimal | None
    href: str
    previous: int | Decimal | None = None
    previous_source: str | None = None  # "records" | "baseline" | None
    previous_note: str = ""  # where last year's figure came from, in words
    change_text: str = ""

    @property
    def text(self) -> str:
        """The figure as the annual report writes it ("12件", "15.2%", "—")."""
        return format_value(self.value, self.unit, self.kind)

    @property
    def previous_text(self) -> str:
        return format_value(self.previous, self.unit, self.kind)

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"


def records_url(metric_id: str, org: OrgUnit, start: dt.date, end: dt.date,
                key: str = "") -> str:
    """The records page of one metric (or of one ``key`` of its breakdown) for a
    unit's subtree and period."""
    query = {"org": org.division_code, "start": start.isoformat(),
             "end": end.isoformat()}
    if key:
        query["key"] = key
    return f"{reverse('reports:metric_records', args=[metric_id])}?{urlencode(query)}"


def figure(metric_id: str, *, org: OrgUnit, year: int, compare: bool) -> Figure | None:
    """The metric for ``org``'s subtree and ``year`` (with last year if ``compare``);
    None when the registry has no such metric."""
    if metric_id not in metrics.metric_defs():
        return None
    start, end = year_period(year)
    href = records_url(metric_id, org, start, end)
    if not compare:
        v = metrics.metric_value(metric_id, org_unit=org, start=start, end=end)
        return Figure(metric_id, v.name, v.unit, v.kind, v.value, href)
    c = metrics.metric_compare(metric_id, org_unit=org, year=year)
    v = c.current
    return Figure(metric_id, v.name, v.unit, v.kind, v.value, href,
                  previous=c.previous, previous_source=c.previous_source,
                  previous_note=c.previous_note, change_text=c.change_text)


def figures(ids: Sequence[str], *, org: OrgUnit, year: int,
            compare: bool = True) -> dict[str, Figure]:
    """The metrics ``ids`` that the registry defines, by id, in order."""
    out = {}
    for metric_id in ids:
        f = figure(metric_id, org=org, year=year, compare=compare)
        if f is not None:
            out[metric_id] = f
    return out


def breakdown_bars(metric_id: str, *, org: OrgUnit, year: int) -> list[charts.Bar]:
    """One bar per breakdown entry of ``metric_id`` (e.g. permits by kind)."""
    if metric_id not in metrics.metric_defs():
        return []
    start, end = year_period(year)
    v = metrics.metric_value(metric_id, org_unit=org, start=start, end=end)
    return [charts.Bar(key, part.value, part.shown,
                       records_url(metric_id, org, start, end, key))
            for key, part in v.breakdown.items()]


def monthly_bars(metric_id: str, *, org: OrgUnit, year: int,
                 today: dt.date) -> list[charts.Bar]:
    """The metric month by month of ``year``; months not yet begun are None."""
    if metric_id not in metrics.metric_defs():
        return []
    out = []
    for month in range(1, 13):
        start = dt.date(year, month, 1)
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        if start > today:
            out.append(charts.Bar(f"{month}月", None))
            continue
        v = metrics.metric_value(metric_id, org_unit=org, start=start, end=end)
        out.append(charts.Bar(f"{month}月", v.value, v.shown,
                              records_url(metric_id, org, start, end)))
    return out


# --- the page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart with the caption printed above it."""

    title: str
    svg: str  # escaped by fazhi.reports.charts


@dataclass
class SectionView:
    key: str
    title: str
    module_url: str
    figures: list[Figure]
    charts: list[Chart]


@dataclass
class UnitRow:
    """One unit under a city or province (or the subtree's total)."""

    org: OrgUnit
    figures: dict[str, Figure]
    clocks: dict[str, int]
    clock_hrefs: dict[str, str]
    dashboard_url: str



@dataclass(frozen=True)
class Line:
    """One figure across the units: its label, then (text, link) per unit and total."""

    label: str
    cells: list[tuple[str, str]]


@dataclass
class UnitComparison:
    columns: list[Figure]  # the total's figures, for the labels and units
    rows: list[UnitRow]
    total: UnitRow
    charts: list[Chart]

    @property
    def units(self) -> list[UnitRow]:
        return [*self.rows, self.total]

    @property
    def lines(self) -> list[Line]:
        """The table read across: one line per figure, a cell per unit, the total."""
        out = [Line(f"{c.name}（{c.unit}）" if c.unit else c.name,
                    [(r.figures[c.metric_id].text, r.figures[c.metric_id].href)
                     for r in self.units]) for c in self.columns]
        out += [Line(f"{label}的期限（个）", [(str(r.clocks[k]), r.clock_hrefs[k])
                                          for r in self.units])
                for k, label in CLOCK_KINDS.items()]
        return out


@dataclass
class Dashboard:
    org: OrgUnit
    year: int
    today: dt.date
    sections: list[SectionView]
    clocks: list[ClockRow]
    clock_chart: Chart
    comparison: UnitComparison | None
    report_year: int
    may_generate: bool  # the caller may generate the annual report of a unit here
    may_read_reports: bool


def dashboard_build(*, user, org: OrgUnit, year: int, today: dt.date) -> Dashboard:
    """Assemble the caller's dashboard for ``org``'s subtree (already scope-checked)."""
    with metric_memo():
        return _dashboard(user=user, org=org, year=year, today=today)


def _dashboard(*, user, org: OrgUnit, year: int, today: dt.date) -> Dashboard:
    keys = sections_for(user)
    modules = clock_modules(keys)
    clocks = clock_counts(org=org, today=today, modules=modules)
    children = list(OrgUnit.objects.filter(parent=org).order_by("division_code"))
    return Dashboard(
        org=org, year=year, today=today,
        sections=[section_view(SECTION[k], org=org, year=year, today=today)
                  for k in keys],
        clocks=clocks, clock_chart=clock_chart(clocks[:-1]),
        comparison=(unit_comparison(org=org, units=children, keys=keys, year=year,
                                    today=today, modules=modules)
                    if children else None),
        report_year=report_year(year, today),
        may_generate=user.has_role(*report_services.WRITE_ROLES),
        may_read_reports=user.has_role(*report_services.READ_ROLES),
    )


def section_view(s: SectionDef, *, org: OrgUnit, year: int,
                 today: dt.date) -> SectionView:
    figs = figures(s.metrics, org=org, year=year)
    out = [_chart(charts.rate_bullet, f"{f.name}（{year}年）", _percent(f.value),
                  previous=_percent(f.previous), text=f.text,
                  previous_text=f.previous_text, href=f.href)
           for f in figs.values() if f.metric_id in s.rates]
    progress = [_bar(figs[m]) for m in s.progress if m in figs]
    if progress:
        out.append(_chart(charts.bar_chart, f"{s.title}进度（{year}年）", progress))
    bars = breakdown_bars(s.breakdown, org=org, year=year) if s.breakdown else []
    if bars:
        out.append(_chart(charts.bar_chart, f"{_name(s.breakdown)}（{year}年）", bars))
    months = (monthly_bars(s.monthly, org=org, year=year, today=today)
              if s.monthly else [])
    if months:
        out.append(_chart(charts.line_chart, f"{_name(s.monthly)}逐月（{year}年）",
                          months))
    return SectionView(s.key, s.title, reverse(s.module_url), list(figs.values()), out)


def _chart(draw, title: str, *args, **kwargs) -> Chart:
    return Chart(title, draw(*args, title=title, **kwargs))


def clock_chart(rows: Sequence[ClockRow]) -> Chart:
    """Each module's clocks past due, due within 7 days and turned red this week."""
    groups = [charts.Group(r.label, tuple(
        charts.Bar(CLOCK_KINDS[k], r.counts[k], f"{r.counts[k]}个", r.hrefs[k])
        for k in CLOCK_KINDS)) for r in rows]
    return _chart(charts.grouped_bar_chart, "各业务期限情况（截至今日）", groups,
                  series=list(CLOCK_KINDS.values()))


def unit_comparison(*, org: OrgUnit, units: Sequence[OrgUnit], keys: Sequence[str],
                    year: int, today: dt.date,
                    modules: Sequence[str] = ()) -> UnitComparison:
    """The headline figures of each unit under ``org``, side by side, and the total."""
    ids = tuple(dict.fromkeys(m for k in keys for m in SECTION[k].headline))
    counts = clock_counts_by_unit(org=org, units=[*units, org], today=today,
                                  modules=modules)

    def row(u: OrgUnit) -> UnitRow:
        return UnitRow(
            u, figures(ids, org=u, year=year, compare=False), counts[u.pk],
            {k: clocks_url(u, k, modules=modules) for k in CLOCK_KINDS},
            dashboard_url(u, year))

    rows, total = [row(u) for u in units], row(org)
    return UnitComparison(list(total.figures.values()), rows, total,
                          comparison_charts(rows, total, keys, year))


def comparison_charts(rows: Sequence[UnitRow], total: UnitRow, keys: Sequence[str],
                      year: int) -> list[Chart]:
    """Per section, one chart of the units side by side for each unit of measure."""
    out = []
    for key in keys:
        by_unit: dict[str, list[Figure]] = {}
        for metric_id in SECTION[key].headline:
            if metric_id in total.figures:
                f = total.figures[metric_id]
                by_unit.setdefault(f.unit, []).append(f)
        for unit, figs in by_unit.items():
            groups = [charts.Group(r.org.name, tuple(
                _bar(r.figures[f.metric_id]) for f in figs), r.dashboard_url)
                for r in rows]
            out.append(_chart(charts.grouped_bar_chart,
                              f"{SECTION[key].title}：各单位对比（{year}年，{unit}）",
                              groups, series=[f.name for f in figs], unit=unit))
    groups = [charts.Group(r.org.name, tuple(
        charts.Bar(label, r.clocks[k], f"{r.clocks[k]}个", r.clock_hrefs[k])
        for k, label in CLOCK_KINDS.items()), r.dashboard_url) for r in rows]
    out.append(_chart(charts.grouped_bar_chart, "各单位期限情况（截至今日）", groups,
                      series=list(CLOCK_KINDS.values())))
    return out


def report_year(year: int, today: dt.date) -> int:
    """The year whose report the board offers: the one shown, or last year while the
    shown year is still running (a report is written after its year ends)."""
    return year if year < today.year else year - 1


def dashboard_url(org: OrgUnit, year: int) -> str:
    query = urlencode({"org": org.division_code, "year": year})
    return f"{reverse('reports:dashboard')}?{query}"


def _bar(f: Figure) -> charts.Bar:
    return charts.Bar(f.name, f.value, f.text, f.href)


def _percent(value: int | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _name(metric_id: str) -> str:
    return metrics.metric_defs()[metric_id].name

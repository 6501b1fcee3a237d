"""Gather what the annual report is written from, and keep it with a version.

``report_facts`` asks the metric API for every figure the report states (with its
year-on-year comparison), the disputes class review for the year's causes and
measures, and the disclosure module for the OGI annual report's table 3. A version
stores the same facts as JSON (``facts_snapshot``), so a signed report is rendered
from the figures it was signed with even after the records move on
(``facts_from_snapshot``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from fazhi.core.models import OrgUnit
from fazhi.reports import metrics
from fazhi.reports.annual import (
    REPORT_METRICS,
    Figure,
    ReportFacts,
    Table,
    TableCell,
    TableRow,
)
from fazhi.reports.compare import MISSING
from fazhi.reports.metric_queries import PROBES, PROBES_BY_ID, OrgScope

Progress = Callable[[int, int, str], None]


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def report_facts(*, org: OrgUnit, year: int, header: dict | None = None,
                 progress: Progress | None = None) -> ReportFacts:
    """Everything the report of ``org``'s subtree for ``year`` is written from."""
    return gather(org=org, year=year, header=header, progress=progress)[0]


def gather(*, org: OrgUnit, year: int, header: dict | None = None,
           progress: Progress | None = None) -> tuple[ReportFacts, dict[str, list]]:
    """The report's facts and the records behind each figure (by metric id)."""
    figures, records = report_figures(org=org, year=year, progress=progress)
    causes, measures = _class_review(org, year)
    tables, problems = _tables(org, year)
    header = header or {}
    return ReportFacts(
        org_name=org.name, division_name=org.division_name, year=year,
        figures=figures, causes=causes, measures=measures, tables=tables,
        problems=problems, document_number=header.get("document_number", ""),
        addressee=header.get("addressee", ""),
        signing_org=header.get("signing_org", ""),
        signed_on=header.get("signed_on"), issuer=header.get("issuer", ""),
        copy_to=header.get("copy_to", ""),
        printing_org=header.get("printing_org", ""),
        printed_on=header.get("printed_on"),
        print_masthead=header.get("print_masthead", True)), records


def report_figures(*, org: OrgUnit, year: int, progress: Progress | None = None
                   ) -> tuple[dict[str, Figure], dict[str, list]]:
    """Each reported metric as a ``Figure``, and the records behind each (by id)."""
    period = year_period(year)
    figures, records = {}, {}
    probed: dict[str, bool] = {}
    for i, mid in enumerate(REPORT_METRICS, start=1):
        if progress:
            progress(i, len(REPORT_METRICS), mid)
        comp = metrics.metric_compare(mid, org_unit=org, year=year)
        has = _probe(mid, org, period, probed)
        figures[mid] = _figure(comp, has)
        records[mid] = comp.current.records
    return figures, records


def _probe(mid: str, org, period, cache: dict[str, bool]) -> bool:
    """Whether fazhi holds any record of the metric's kind dated in the year."""
    probe = PROBES_BY_ID.get(mid)
    key = mid if probe else mid.split(".", 1)[0]
    if key not in cache:
        cache[key] = (probe or PROBES[key])(org, period)
    return cache[key]


def _figure(comp: metrics.Comparison, has_data: bool) -> Figure:
    mv = comp.current
    return Figure(
        metric_id=mv.id, name=mv.name, unit=mv.unit, kind=mv.kind, value=mv.value,
        has_data=has_data,
        change_text=comp.change_text if comp.previous_source and
        comp.change_text != MISSING else None,
        previous_source=comp.previous_source,
        breakdown={k: _figure(c, has_data) for k, c in comp.breakdown.items()
                   if c.current.value})


def _class_review(org: OrgUnit, year: int):
    """The year's causes of corrected and lost matters, and the measures taken."""
    from fazhi.disputes.review import class_view, measures_taken

    scope, period = OrgScope(org), year_period(year)
    view = class_view(actor=scope, period=period)
    return (tuple(view.by_cause.most_common()),
            measures_taken(actor=scope, period=period))


def _tables(org: OrgUnit, year: int) -> tuple[tuple[Table, ...], tuple[str, ...]]:
    from fazhi.disclosure.ogi_table import OgiTableError
    from fazhi.disclosure.stats import ogi_table_for

    try:
        table = ogi_table_for(org=org, year=year)
    except OgiTableError as exc:
        return (), (f"政府信息公开年度报告表无法生成：{exc}",)
    layout = table.layout
    rows = tuple(
        TableRow(line.row.label, line.row.level, None if line.cells is None else tuple(
            TableCell(cell.value, f"{line.row.code}/{col.code}")
            for col, cell in zip(layout.columns, line.cells, strict=True)))
        for line in table.lines)
    return (Table("ogi.table3", layout.title,
                  tuple((c.group, c.label) for c in layout.columns), rows,
                  note=layout.identity, unit=layout.unit),), ()


# --- snapshots ----------------------------------------------------------------

RECORDS_KEPT = 5000  # per metric; a province's lists are cut, the count is kept


def facts_snapshot(facts: ReportFacts, records: dict[str, list]) -> dict:
    """The facts as JSON for ``ReportVersion.figures``: metric ids at the top level
    (value, shown text, change, records), the rest under keys starting with "_"."""
    out: dict = {mid: {**_figure_json(f), "records": [
        [r.label, r.url, r.on.isoformat() if r.on else None]
        for r in records.get(mid, [])[:RECORDS_KEPT]],
        "record_count": len(records.get(mid, []))}
        for mid, f in facts.figures.items()}
    out["_causes"] = [list(c) for c in facts.causes]
    out["_measures"] = list(facts.measures)
    out["_problems"] = list(facts.problems)
    out["_tables"] = [{"key": t.key, "title": t.title, "note": t.note, "unit": t.unit,
                       "columns": [list(c) for c in t.columns],
                       "rows": [[r.label, r.level, None if r.cells is None else
                                 [[c.value, c.ref] for c in r.cells]] for r in t.rows]}
                      for t in facts.tables]
    return out


def _figure_json(f: Figure) -> dict:
    return {"name": f.name, "unit": f.unit, "kind": f.kind,
            "value": None if f.value is None else str(f.value),
            "has_data": f.has_data, "change": f.change_text,
            "previous_source": f.previous_source,
            "breakdown": {k: _figure_json(b) for k, b in f.breakdown.items()}}


def _figure_from(mid: str, d: dict) -> Figure:
    value = d["value"]
    if value is not None:
        whole = d["kind"] == "count" and value.isdigit()
        value = int(value) if whole else Decimal(value)
    return Figure(mid, d["name"], d["unit"], d["kind"], value, d["has_data"],
                  d["change"], d["previous_source"],
                  {k: _figure_from(f"{mid}/{k}", b) for k, b in d["breakdown"].items()})


def facts_from_snapshot(snapshot: dict, *, org: OrgUnit, year: int,
                        header: dict) -> ReportFacts:
    """The facts a version was saved with (see ``facts_snapshot``)."""
    figures = {mid: _figure_from(mid, d) for mid, d in snapshot.items()
               if not mid.startswith("_")}
    tables = tuple(Table(t["key"], t["title"], tuple(tuple(c) for c in t["columns"]),
                         tuple(TableRow(label, level, None if cells is None else
                                        tuple(TableCell(v, ref) for v, ref in cells))
                               for label, level, cells in t["rows"]),
                         note=t["note"], unit=t["unit"])
                   for t in snapshot.get("_tables", []))
    return ReportFacts(
        org_name=org.name, division_name=org.division_name, year=year,
        figures=figures, causes=tuple(tuple(c) for c in snapshot.get("_causes", [])),
        measures=tuple(snapshot.get("_measures", [])), tables=tables,
        problems=tuple(snapshot.get("_problems", [])), **header)

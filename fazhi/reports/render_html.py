"""The annual report as the preview page shows it: every figure a link to its records.

The template (``reports/annual/_document.html``) only lays out what this returns;
links go to the metric's records page for the report's organisation and year
(a breakdown entry to its metric's page with ``key``), the OGI table's cells to the
disclosure module's list of the requests each counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from fazhi.reports.annual import FigureRun, ReportDocument, Table
from fazhi.reports.annual_facts import year_period


@dataclass(frozen=True)
class HtmlRun:
    text: str
    url: str = ""
    title: str = ""
    metric_id: str = ""
    role: str = ""


@dataclass(frozen=True)
class HtmlPara:
    id: str
    style: str
    runs: tuple[HtmlRun, ...]
    editable: bool
    placeholder: bool
    edited: bool
    drafted: bool


@dataclass(frozen=True)
class HtmlCell:
    value: int
    url: str


@dataclass(frozen=True)
class HtmlTable:
    title: str
    # header row 1: (label, columns spanned, plain: a column without a group,
    # whose label spans both header rows)
    groups: list[tuple[str, int, bool]]
    labels: list[str]  # header row 2: labels of the columns under a group
    columns: tuple[tuple[str, str], ...]
    rows: list[tuple[str, int, list[HtmlCell] | None]]
    note: str
    unit: str


def figure_url(metric_id: str, *, org, year: int) -> str:
    """The records page of a figure (``"<id>/<key>"``: the breakdown entry)."""
    base, _, key = metric_id.partition("/")
    start, end = year_period(year)
    query = {"org": org.division_code, "start": start.isoformat(),
             "end": end.isoformat()}
    if key:
        query["key"] = key
    return f"{reverse('reports:metric_records', args=[base])}?{urlencode(query)}"


def html_document(doc: ReportDocument, *, org) -> dict:
    """The paragraphs and tables, each figure with its link and its metric's name."""
    paras = []
    for p in doc.paragraphs:
        runs = tuple(_run(r, doc, org) for r in p.runs)
        paras.append(HtmlPara(p.id, p.style, runs, p.editable, p.placeholder,
                              p.edited, p.drafted))
    return {"paragraphs": paras,
            "tables": [_table(t, org, doc.year) for t in doc.tables]}


def _run(run, doc: ReportDocument, org) -> HtmlRun:
    if not isinstance(run, FigureRun):
        return HtmlRun(run.text)
    base = run.metric_id.split("/", 1)[0]
    f = doc.figures.get(base)
    name = f.name if f else run.metric_id
    if "/" in run.metric_id:
        name = f"{name}（{run.metric_id.split('/', 1)[1]}）"
    title = f"{name}：同比变化" if run.role == "change" else name
    return HtmlRun(run.text, figure_url(run.metric_id, org=org, year=doc.year), title,
                   run.metric_id, run.role)


def _table(t: Table, org, year: int) -> HtmlTable:
    groups: list[tuple[str, int, bool]] = []
    labels: list[str] = []
    for i, (group, label) in enumerate(t.columns):
        if not group:
            groups.append((label, 1, True))
            continue
        if i > 0 and t.columns[i - 1][0] == group:
            groups[-1] = (group, groups[-1][1] + 1, False)
        else:
            groups.append((group, 1, False))
        labels.append(label)
    rows = []
    for r in t.rows:
        cells = None if r.cells is None else [
            HtmlCell(c.value, _ogi_url(c.ref, org, year) if c.value else "")
            for c in r.cells]
        rows.append((r.label, r.level, cells))
    return HtmlTable(t.title, groups, labels, t.columns, rows, t.note, t.unit)


def _ogi_url(ref: str, org, year: int) -> str:
    row, _, col = ref.partition("/")
    return (reverse("disclosure:stats_cell", args=[year, row, col])
            + f"?org={org.division_code}")

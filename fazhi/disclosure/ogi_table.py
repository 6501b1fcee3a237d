"""Table 3 of the annual OGI report (收到和处理政府信息公开申请情况) from facts.

Pure: no Django. ``load_ogi_layout`` reads ``rules/ogi_report.toml`` (rows,
columns, requester categories; override dirs as in ``ruledata``) and checks that every
outcome in ``outcomes.toml`` counts in exactly one result row. ``build_table`` takes one
``RequestFact`` per request; every cell keeps the ids of the requests it counts, so a
page can link each number to its list.

Definitions (also written in ``rules/ogi_report.toml``), for report year Y:

- 一 received this year: received_on in Y.
- 二 carried over: received before 1 Jan Y and not concluded before 1 Jan Y.
- 三 result rows: concluded in Y with an outcome that counts in the row; each request
  has one outcome, so a partial disclosure counts in (二) only.
- (七) total: the union of the result rows.
- 四 carried to next year: counted in 一 or 二 and not concluded by 31 Dec Y.

The template's identity 一 + 二 = (七) + 四 is checked per column, on the very ids,
and a failure raises ``OgiIdentityError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from fazhi.core.ruledata import Citation, Table, read_table, rule_files
from fazhi.disclosure.ruledata import (
    Outcome,
    RuleDataError,
    file_head,
    load_outcomes,
    lookup,
    merged,
    require_codes,
    rule_dirs,
)

CATEGORY_CODES = (
    "natural_person",
    "business",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
)
ROW_KINDS = (
    "received_this_year",
    "carried_over_from_last_year",
    "heading",
    "result",
    "total",
    "carried_to_next_year",
)
SINGLE_ROW_KINDS = frozenset(ROW_KINDS) - {"heading", "result"}
COLUMN_KINDS = ("categories", "total")


@dataclass(frozen=True)
class Category:
    """A requester category, one of the annual report's columns."""

    code: str
    label: str


@dataclass(frozen=True)
class OgiColumn:
    """A column of table 3: the categories it counts, or the total of all."""

    code: str
    label: str
    group: str
    kind: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class OgiRow:
    """A row of table 3; a result row lists the outcome codes it counts."""

    code: str
    label: str
    level: int
    parent: str
    kind: str
    definition: str
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OgiLayout:
    """Table 3 of the annual OGI report: rows, columns and the template's citation."""

    title: str
    identity: str
    unit: str
    rows: tuple[OgiRow, ...]
    columns: tuple[OgiColumn, ...]
    categories: Mapping[str, Category]
    citation: Citation
    outcome_rows: Mapping[str, str]

    def row(self, code: str) -> OgiRow:
        """Return the row with this code."""
        return lookup({r.code: r for r in self.rows}, code, "年报表行")

    def row_of_kind(self, kind: str) -> OgiRow:
        """Return the one row of a single-row kind such as ``total``."""
        return next(r for r in self.rows if r.kind == kind)


def load_ogi_layout(extra_dirs: Sequence[Path] = ()) -> OgiLayout:
    """Read table 3's layout and map each outcome to its row (overrides as ruledata)."""
    dirs = rule_dirs(extra_dirs)
    return _read_layout(dirs, load_outcomes(extra_dirs))


class OgiTableError(ValueError):
    """The facts cannot be counted: the message names the requests and the fix."""


class OgiIdentityError(OgiTableError):
    """一 + 二 ≠ (七) + 四 in some column."""


@dataclass(frozen=True)
class RequestFact:
    """What the table needs to know about one disclosure request."""

    id: int
    category: str
    received_on: date
    concluded_on: date | None
    outcome: str | None


@dataclass(frozen=True)
class Cell:
    """A number in the table and the ids of the requests it counts."""

    value: int
    ids: tuple[int, ...]


@dataclass(frozen=True)
class TableLine:
    """A row as rendered: heading rows have no cells."""

    row: OgiRow
    cells: tuple[Cell, ...] | None


@dataclass(frozen=True)
class OgiTable:
    """Table 3 for one year: lines in template order, cells by (row, column)."""

    year: int
    layout: OgiLayout
    lines: tuple[TableLine, ...]
    cells: Mapping[tuple[str, str], Cell]

    def cell(self, row: str, column: str) -> Cell:
        """Return the cell of a counting row and a column (both codes)."""
        try:
            return self.cells[(row, column)]
        except KeyError:
            raise KeyError(f"表三没有单元格 {row} × {column}") from None


Predicate = Callable[[RequestFact], bool]


def build_table(
    facts: Iterable[RequestFact], *, year: int, layout: OgiLayout
) -> OgiTable:
    """Count the year's requests into table 3; raise if a fact or the identity fails."""
    facts = _checked(list(facts), layout)
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_scope = [
        f for f in facts if f.received_on <= last and not _done_before(f, first)
    ]
    row_ids = {
        row.code: set(_matching(in_scope, _predicate(row, first, last)))
        for row in layout.rows
        if row.kind != "heading"
    }
    category_of = {f.id: f.category for f in facts}
    cells: dict[tuple[str, str], Cell] = {}
    lines = []
    for row in layout.rows:
        if row.kind == "heading":
            lines.append(TableLine(row, None))
            continue
        line = tuple(_cell(row_ids[row.code], c, category_of) for c in layout.columns)
        cells.update(
            {
                (row.code, c.code): cell
                for c, cell in zip(layout.columns, line, strict=True)
            }
        )
        lines.append(TableLine(row, line))
    _check_identity(cells, layout, year)
    return OgiTable(year, layout, tuple(lines), MappingProxyType(cells))


def _matching(facts: list[RequestFact], test: Predicate) -> Iterable[int]:
    return (f.id for f in facts if test(f))


def _predicate(row: OgiRow, first: date, last: date) -> Predicate:
    """Return the test a request must pass to count in this row."""
    outcomes = set(row.outcomes)
    tests: dict[str, Predicate] = {
        "received_this_year": lambda f: f.received_on >= first,
        "carried_over_from_last_year": lambda f: f.received_on < first,
        "result": lambda f: _done_by(f, last) and f.outcome in outcomes,
        "total": lambda f: _done_by(f, last),
        "carried_to_next_year": lambda f: not _done_by(f, last),
    }
    return tests[row.kind]


def _done_before(fact: RequestFact, day: date) -> bool:
    return fact.concluded_on is not None and fact.concluded_on < day


def _done_by(fact: RequestFact, day: date) -> bool:
    return fact.concluded_on is not None and fact.concluded_on <= day


def _cell(ids: set[int], column: OgiColumn, category_of: dict[int, str]) -> Cell:
    if column.kind == "categories":
        ids = {i for i in ids if category_of[i] in column.categories}
    return Cell(len(ids), tuple(sorted(ids)))


def _checked(facts: list[RequestFact], layout: OgiLayout) -> list[RequestFact]:
    facts = [_normalised(f) for f in facts]
    problems = [*_duplicates(facts), *(p for f in facts for p in _problems(f, layout))]
    if problems:
        raise OgiTableError("无法统计年报表三：" + "；".join(problems))
    return facts


def _normalised(fact: RequestFact) -> RequestFact:
    # A blank outcome from a form or a CharField means "none recorded".
    if fact.outcome == "":
        return RequestFact(
            fact.id, fact.category, fact.received_on, fact.concluded_on, None
        )
    return fact


def _duplicates(facts: list[RequestFact]) -> list[str]:
    counts = Counter(f.id for f in facts)
    return [f"申请 {i} 重复出现" for i in sorted(i for i, n in counts.items() if n > 1)]


def _problems(fact: RequestFact, layout: OgiLayout) -> list[str]:
    found = []
    name = f"申请 {fact.id}"
    if fact.category not in layout.categories:
        found.append(f"{name} 的申请人类型 {fact.category!r} 不在年报列中")
    if fact.concluded_on is not None and fact.concluded_on < fact.received_on:
        found.append(f"{name} 的办结日期早于收到申请日期")
    if fact.concluded_on is not None and fact.outcome is None:
        found.append(f"{name} 已办结但没有记录办理结果（撤回的请记为 other.withdrawn）")
    if fact.concluded_on is None and fact.outcome is not None:
        found.append(f"{name} 记录了办理结果但没有办结日期")
    if fact.outcome is not None and fact.outcome not in layout.outcome_rows:
        found.append(f"{name} 的办理结果 {fact.outcome!r} 不是已知的答复类型")
    return found


def _check_identity(
    cells: Mapping[tuple[str, str], Cell], layout: OgiLayout, year: int
) -> None:
    kinds = (
        "received_this_year",
        "carried_over_from_last_year",
        "total",
        "carried_to_next_year",
    )
    code = {kind: layout.row_of_kind(kind).code for kind in kinds}
    results = [row.code for row in layout.rows if row.kind == "result"]
    for column in layout.columns:
        ids = {kind: set(cells[(code[kind], column.code)].ids) for kind in kinds}
        given = ids["received_this_year"] | ids["carried_over_from_last_year"]
        taken = ids["total"] | ids["carried_to_next_year"]
        twice = ids["total"] & ids["carried_to_next_year"]
        if given != taken or twice:
            raise OgiIdentityError(
                f"{year}年表三“{column.label}”列不满足勾稽关系（一加二应等于七加四），"
                f"涉及申请 {sorted((given ^ taken) | twice)}"
            )
        counted = set().union(*(set(cells[(r, column.code)].ids) for r in results))
        if counted != ids["total"]:
            raise OgiIdentityError(
                f"{year}年表三“{column.label}”列（七）总计不等于各办理结果行之和，"
                f"涉及申请 {sorted(counted ^ ids['total'])}"
            )


# --- the annual-report layout ---------------------------------------------------------


def _read_layout(dirs: list[Path], outcomes: dict[str, Outcome]) -> OgiLayout:
    paths = rule_files(dirs, "ogi_report.toml")
    where = _files_read(paths)
    law = file_head(read_table(paths[0]))
    table = _table_head(paths)
    categories = merged(dirs, "ogi_report.toml", "category", _read_category)
    columns = merged(dirs, "ogi_report.toml", "column", _read_column)
    rows = merged(dirs, "ogi_report.toml", "row", _read_row)
    require_codes("ogi_report.toml", "category", categories, CATEGORY_CODES)
    _check_columns(where, columns, categories)
    _check_rows(where, rows)
    outcome_rows = _check_outcome_rows(
        _files_read(rule_files(dirs, "outcomes.toml")), outcomes, rows
    )
    counted = {
        code: tuple(o for o, row in outcome_rows.items() if row == code)
        for code in rows
    }
    return OgiLayout(
        title=table["title"],
        identity=table["identity"],
        unit=table["unit"],
        rows=tuple(replace(row, outcomes=counted[row.code]) for row in rows.values()),
        columns=tuple(columns.values()),
        categories=MappingProxyType(categories),
        citation=law.at("表三"),
        outcome_rows=MappingProxyType(outcome_rows),
    )


def _files_read(paths: list[Path]) -> str:
    """Name every file a merged table came from, for errors found after merging."""
    return "、".join(str(path) for path in paths)


def _table_head(paths: list[Path]) -> dict[str, str]:
    """Return the last file's [table]; the shipped file must have one."""
    head: dict[str, str] = {}
    for n, path in enumerate(paths):
        top = read_table(path)
        if "table" not in top and n > 0:
            continue
        table = top.sub("table")
        keys = {"title", "identity", "unit"}
        table.keys(keys)
        head = {key: table.text(key) for key in keys}
    return head


def _read_category(entry: Table, law: Citation) -> Category:
    entry.keys({"code", "label"})
    return Category(code=entry.ident(), label=entry.text("label"))


def _read_column(entry: Table, law: Citation) -> OgiColumn:
    entry.keys({"code", "label", "group", "kind", "categories"})
    kind = entry.choice("kind", COLUMN_KINDS)
    cats = entry.texts("categories", required=True)
    if (kind == "total") == bool(cats):
        entry.fail("categories 列须列出申请人类型，total 列须为空列表", "categories")
    return OgiColumn(
        code=entry.ident(),
        label=entry.text("label"),
        group=entry.text("group", required=False),
        kind=kind,
        categories=cats,
    )


def _read_row(entry: Table, law: Citation) -> OgiRow:
    entry.keys({"code", "label", "level", "parent", "kind", "definition"})
    kind = entry.choice("kind", ROW_KINDS)
    return OgiRow(
        code=entry.ident(),
        label=entry.text("label"),
        level=entry.integer("level", minimum=0),
        parent=entry.text("parent", required=False),
        kind=kind,
        definition=entry.text("definition", required=kind != "heading"),
    )


def _check_columns(path: str, columns: dict, categories: dict) -> None:
    seen: list[str] = []
    for column in columns.values():
        unknown = [c for c in column.categories if c not in categories]
        if unknown:
            raise RuleDataError(
                f"{path}：[[column]] {column.code} 含未知申请人类型 {unknown}"
            )
        seen.extend(column.categories)
    if sorted(seen) != sorted(categories):
        raise RuleDataError(f"{path}：每个申请人类型须恰好出现在一个 categories 列中")
    if [c.kind for c in columns.values()].count("total") != 1:
        raise RuleDataError(f'{path}：[[column]] 须有且只有一个 kind = "total" 的列')


def _check_rows(path: str, rows: dict[str, OgiRow]) -> None:
    before: dict[str, OgiRow] = {}
    for row in rows.values():
        where = f"{path}：[[row]] {row.code}"
        parent = before.get(row.parent)
        if row.parent and (parent is None or parent.kind != "heading"):
            raise RuleDataError(f"{where}：parent 须为排在前面的 heading 行")
        if row.level != (parent.level + 1 if parent else 0):
            raise RuleDataError(f"{where}：level 须比 parent 大 1（顶层为 0）")
        before[row.code] = row
    for kind in sorted(SINGLE_ROW_KINDS):
        if [r.kind for r in rows.values()].count(kind) != 1:
            raise RuleDataError(f'{path}：kind = "{kind}" 的行须有且只有一个')


def _check_outcome_rows(
    path: str, outcomes: dict[str, Outcome], rows: dict[str, OgiRow]
) -> dict[str, str]:
    for outcome in outcomes.values():
        row = rows.get(outcome.row)
        if row is None or row.kind != "result":
            raise RuleDataError(
                f"{path}：[[outcome]] {outcome.code}："
                f'键 row {outcome.row!r} 不是 ogi_report.toml 中 kind = "result" 的行'
            )
    return {code: outcome.row for code, outcome in outcomes.items()}

"""Score a closed case file against the review checklist (案卷评查). Pure: no Django.

The checklist is rule data, ``rules/file_review.toml``: groups with their points, the
items a reviewer deducts for (each with its maximum and the article it checks), the
grade bands and the veto items (一票否决). The shipped file is a fazhi default; a
province replaces it by putting a file of the same name into an override directory
(its rule folder's ``enforcement/``): ``[checklist]`` keys replace one by one, a
``[[grade]]`` list replaces the bands whole, and groups, items and vetoes replace by
``code`` (``omit = true`` drops one).

Points are 分 as ``Decimal``, to one decimal place. Messages are Chinese, for the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fazhi.core.ruledata import (
    RuleFileError,
    Standing,
    Table,
    read_table,
    rule_files,
    rule_folders,
    to_decimal,
)

RULES_DIR = Path(__file__).parents[1] / "rules"
CHECKLIST_FILE = "file_review.toml"
ORIGINS = {"fazhi_default": Standing.PRESET, "preset": Standing.PRESET,
           "province": Standing.PROVINCE, "bureau": Standing.BUREAU}
"""The words [checklist] origin may be, and the standing each gives the checklist."""
_STEP = Decimal("0.1")


ChecklistError = RuleFileError
"""The name older callers catch: the checklist file is unreadable or wrong."""


class DeductionError(ValueError):
    """A reviewer's deduction is not acceptable; ``code`` names the item, if any."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Grade:
    label: str
    min_score: Decimal  # the lowest score of the band, inclusive


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    points: Decimal  # the most the group's deductions together can take away


@dataclass(frozen=True)
class Item:
    """A defect the reviewer deducts for, up to ``max_points``."""

    code: str
    group: str
    text: str
    max_points: Decimal
    article: str
    note: str = ""


@dataclass(frozen=True)
class Veto:
    """A defect that fails the file whatever its score (一票否决)."""

    code: str
    text: str
    article: str
    note: str = ""


@dataclass(frozen=True)
class Checklist:
    name: str
    version: str
    origin: str
    source: str
    total: Decimal
    veto_grade: str
    grades: tuple[Grade, ...]  # highest band first
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    vetoes: tuple[Veto, ...]

    @property
    def standing(self) -> Standing:
        """Return how binding the checklist is: the province's, the bureau's, preset."""
        return ORIGINS[self.origin]

    @property
    def label(self) -> str:
        """Name and version, as a review stores it."""
        return f"{self.name}（{self.version}）"

    def group(self, code: str) -> Group:
        return next(g for g in self.groups if g.code == code)

    def items_of(self, group: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.group == group)


@dataclass(frozen=True)
class Deduction:
    """One finding: an item's code and the points taken (0 for a veto item)."""

    code: str
    points: Decimal = Decimal(0)
    note: str = ""

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "points": str(self.points), "note": self.note}


@dataclass(frozen=True)
class Line:
    """One finding as shown: what, how many points, and the article it checks."""

    code: str
    group: str  # the group's label; "一票否决" for a veto
    text: str
    points: Decimal
    article: str
    note: str
    veto: bool = False


@dataclass(frozen=True)
class Result:
    score: Decimal  # total minus the deductions, each group capped at its points
    grade: str
    vetoed: bool
    lines: tuple[Line, ...]  # checklist order, vetoes last
    deductions: tuple[Deduction, ...]  # the findings, normalised, for storing
    deducted: Decimal = Decimal(0)  # points lost after the group caps


def score(checklist: Checklist, deductions: Iterable[Any]) -> Result:
    """Score a file: check each deduction, cap it by item and group, then grade.

    ``deductions`` holds ``Deduction`` objects or mappings with ``code``, ``points``
    and ``note`` (as stored in ``FileReview.deductions``).
    """
    found = _validated(checklist, deductions)
    taken = {g.code: Decimal(0) for g in checklist.groups}
    items = {i.code: i for i in checklist.items}
    for d in found:
        if d.code in items:
            taken[items[d.code].group] += d.points
    lost = sum((min(taken[g.code], g.points) for g in checklist.groups), Decimal(0))
    total = checklist.total - lost
    vetoed = any(d.code not in items for d in found)
    grade = checklist.veto_grade if vetoed else _grade(checklist, total)
    return Result(total, grade, vetoed, _lines(checklist, found), tuple(found), lost)


def _grade(checklist: Checklist, total: Decimal) -> str:
    return next(g.label for g in checklist.grades if total >= g.min_score)


def _lines(checklist: Checklist, found: list[Deduction]) -> tuple[Line, ...]:
    by_code = {d.code: d for d in found}
    lines = [
        Line(
            i.code,
            checklist.group(i.group).label,
            i.text,
            by_code[i.code].points,
            i.article,
            by_code[i.code].note,
        )
        for i in checklist.items
        if i.code in by_code
    ]
    lines += [
        Line(
            v.code,
            "一票否决",
            v.text,
            Decimal(0),
            v.article,
            by_code[v.code].note,
            veto=True,
        )
        for v in checklist.vetoes
        if v.code in by_code
    ]
    return tuple(lines)


def _validated(checklist: Checklist, deductions: Iterable[Any]) -> list[Deduction]:
    items = {i.code: i for i in checklist.items}
    vetoes = {v.code for v in checklist.vetoes}
    found: list[Deduction] = []
    for raw in deductions:
        d = _deduction(raw)
        if d.code not in items and d.code not in vetoes:
            raise DeductionError(f"评查标准中没有扣分项“{d.code}”", d.code)
        if any(seen.code == d.code for seen in found):
            raise DeductionError(f"扣分项“{d.code}”重复填写", d.code)
        if d.code in vetoes and d.points:
            raise DeductionError(f"否决项“{d.code}”不扣分，只记录是否存在", d.code)
        if d.code in items and d.points > items[d.code].max_points:
            item = items[d.code]
            raise DeductionError(
                f"“{item.text}”最多扣{_fmt(item.max_points)}分，"
                f"不能扣{_fmt(d.points)}分",
                d.code,
            )
        if d.code in items and not d.points:
            continue  # an untouched item on the form is not a finding
        found.append(d)
    return found


def _deduction(raw: Any) -> Deduction:
    if isinstance(raw, Deduction):
        code, points, note = raw.code, raw.points, raw.note
    elif isinstance(raw, Mapping):
        code, points, note = raw.get("code"), raw.get("points", 0), raw.get("note", "")
    else:
        raise DeductionError(f"无法识别的扣分记录：{raw!r}")
    if not isinstance(code, str) or not code.strip():
        raise DeductionError("扣分记录缺少评查项代码")
    value = to_decimal(points)
    if value is None:
        raise DeductionError(f"扣分项“{code}”的扣分须为数字，现为 {points!r}", code)
    if value < 0:
        raise DeductionError(f"扣分项“{code}”的扣分不能为负数", code)
    if value != value.quantize(_STEP):
        raise DeductionError(f"扣分项“{code}”的扣分至多保留一位小数", code)
    return Deduction(code.strip(), value.quantize(_STEP), str(note or "").strip())


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- loading -------------------------------------------------------------------------


def load_checklist(extra_dirs: Sequence[Path] = ()) -> Checklist:
    """Read the shipped checklist, then each override dir's file of the same name."""
    paths = rule_files(rule_folders(RULES_DIR, extra_dirs), CHECKLIST_FILE)
    merged = _Merged()
    for path in paths:
        _merge(merged, read_table(path))
    return _build(merged, paths[-1])


_HEADER_KEYS = {"name", "version", "origin", "source", "total", "veto_grade"}
_TABLES = {  # table → (required keys, optional keys)
    "group": ({"code", "label", "points"}, {"omit"}),
    "item": ({"code", "group", "text", "max", "article"}, {"note", "omit"}),
    "veto": ({"code", "text", "article"}, {"note", "omit"}),
}


class _Merged:
    """What the files say so far: header keys one by one, the grades whole, the
    groups, items and vetoes by code."""

    def __init__(self) -> None:
        self.header: dict[str, object] = {}
        self.grades: list[Table] = []
        self.tables: dict[str, dict[str, Table]] = {table: {} for table in _TABLES}


def _merge(merged: _Merged, top: Table) -> None:
    top.keys(set(), {*_TABLES, "checklist", "grade"})
    header = top.sub("checklist") if "checklist" in top else None
    if header is not None:
        header.keys(set(), _HEADER_KEYS)
        merged.header.update(header.data)
    if "grade" in top:
        merged.grades = top.entries("grade", id_key=None)
    for table, (required, optional) in _TABLES.items():
        for entry in top.entries(table):
            if entry.get("omit") is True:
                merged.tables[table].pop(entry.get("code"), None)
                continue
            entry.keys(required, optional)
            merged.tables[table][entry.text("code")] = entry


def _build(merged: _Merged, path: Path) -> Checklist:
    header = Table(merged.header, f"{path}：[checklist]", path=path)
    header.keys(_HEADER_KEYS)
    origin = header.choice("origin", tuple(ORIGINS))
    total = _points(header, "total")
    groups = tuple(
        Group(code, e.text("label"), _points(e, "points"))
        for code, e in merged.tables["group"].items()
    )
    checklist = Checklist(
        name=header.text("name"),
        version=header.text("version"),
        origin=origin,
        source=header.text("source"),
        total=total,
        veto_grade=header.text("veto_grade"),
        grades=_grades(merged.grades, total),
        groups=groups,
        items=tuple(_item(e, groups) for e in merged.tables["item"].values()),
        vetoes=tuple(_veto(e) for e in merged.tables["veto"].values()),
    )
    _check_whole(checklist, path)
    return checklist


def _item(entry: Table, groups: tuple[Group, ...]) -> Item:
    group = entry.text("group")
    owner = next((g for g in groups if g.code == group), None)
    if owner is None:
        entry.fail(f"所属部分 {group!r} 不存在", "group")
    most = _points(entry, "max")
    if most == 0 or most > owner.points:
        entry.fail(f"键 max 须大于0且不超过所属部分的分值{_fmt(owner.points)}", "max")
    return Item(
        entry.text("code"),
        group,
        entry.text("text"),
        most,
        entry.text("article"),
        entry.text("note", required=False),
    )


def _veto(entry: Table) -> Veto:
    note = entry.text("note", required=False)
    return Veto(entry.text("code"), entry.text("text"), entry.text("article"), note)


def _grades(entries: list[Table], total: Decimal) -> tuple[Grade, ...]:
    grades = []
    for entry in entries:
        entry.keys({"label", "min"})
        grades.append(Grade(entry.text("label"), _points(entry, "min")))
    grades.sort(key=lambda g: g.min_score, reverse=True)
    if not grades or grades[-1].min_score != 0 or grades[0].min_score > total:
        raise ChecklistError("等次 [[grade]] 须覆盖0分至满分：最低一档 min 为 0")
    return tuple(grades)


def _check_whole(checklist: Checklist, path: Path) -> None:
    points = sum((g.points for g in checklist.groups), Decimal(0))
    if points != checklist.total:
        raise ChecklistError(
            f"{path}：各部分分值之和为{_fmt(points)}，与满分{_fmt(checklist.total)}不符",
            path=path, key="total",
        )
    clash = {i.code for i in checklist.items} & {v.code for v in checklist.vetoes}
    if clash:
        raise ChecklistError(
            f"{path}：代码既是扣分项又是否决项：{'、'.join(clash)}", path=path
        )


def _points(table: Table, key: str) -> Decimal:
    value = to_decimal(table.get(key))
    if value is None or value < 0 or value != value.quantize(_STEP):
        table.fail(
            f"键 {key} 须为不小于0、至多一位小数的分值，现为 {table.get(key)!r}", key
        )
    return value

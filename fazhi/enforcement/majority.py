"""Whether a proposed penalty is major, gives a hearing right, or needs the heads.

Pure: standard library only. The law names the kinds of penalty; the amounts that
make a fine "较大数额" or a decision "重大" are set by each province, so they live in
rule files next to this module:

- ``rules/major_decision.toml``  legal review (行政处罚法 Art. 58; 自然资源行政处罚办法
  Art. 32) and collective discussion (Art. 57(2); 办法 Art. 31(2))
- ``rules/hearing.toml``         hearing right (Art. 63; 办法 Art. 34)

A bureau changes an entry without code by putting a file of the same name into one
of its override directories (its rule folder's ``enforcement/``): an entry there
replaces the shipped entry with the same ``code`` whole, and a new code is added.
Every entry says where it comes from: ``law``, ``province`` or ``fazhi_default``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).with_name("rules")
MAJOR_FILE = "major_decision.toml"
HEARING_FILE = "hearing.toml"

PARTY_KINDS = {"person": "公民", "organisation": "法人或者其他组织"}
ORIGINS = {"law": "法律规定", "province": "省级规定", "fazhi_default": "fazhi默认值"}

AMOUNT_FACTS = {  # fact → (what the reason calls it, unit)
    "fine_yuan": ("拟罚款", "元"),
    "illegal_gains_yuan": ("拟没收违法所得", "元"),
    "confiscated_property_yuan": ("拟没收非法财物价值", "元"),
    "demolition_area_m2": ("拟限期拆除面积", "平方米"),
}
FLAG_FACTS = frozenset({
    "major_public_interest", "hearing_held", "complex_facts", "review_required_by_law",
    "confiscate_buildings", "licence_suspended", "qualification_lowered",
    "licence_revoked", "production_suspended", "closure_ordered", "trade_banned",
    "other_heavier",
})  # fmt: skip


# The measures a notice proposes and a decision imposes besides the fine, each a
# field of ``CaseOutcomeFacts``, with the words an instrument uses for it. Amounts
# print with their unit; ``{}`` takes the formatted number.
MEASURES: dict[str, str] = {
    "illegal_gains_yuan": "没收违法所得{}元",
    "confiscated_property_yuan": "没收非法财物（价值{}元）",
    "demolition_area_m2": "责令限期拆除在非法占用的土地上新建的建筑物和其他设施"
                          "（{}平方米）",
    "confiscate_buildings": "没收在非法占用的土地上新建的建筑物和其他设施",
    "licence_suspended": "暂扣许可证件",
    "qualification_lowered": "降低资质等级",
    "licence_revoked": "吊销许可证件",
    "production_suspended": "责令停产停业",
    "closure_ordered": "责令关闭",
    "trade_banned": "限制从业",
    "other_heavier": "其他较重的行政处罚",
}
# Circumstances of the case (not measures) that make a decision major by law.
CIRCUMSTANCES: dict[str, str] = {
    "major_public_interest": "涉及重大公共利益",
    "complex_facts": "案件情况疑难复杂、涉及多个法律关系",
    "review_required_by_law": "法律、法规规定应当进行法制审核",
}
# Words that name a measure above: free text carrying one would escape the review.
MEASURE_WORDS = ("没收", "拆除", "吊销", "暂扣", "降低资质", "停产", "停业", "关闭",
                 "限制从业")


def measures_clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Return the measures and circumstances set in ``raw``: amounts > 0 as strings,
    flags as True; everything else left out, so ``{}`` means "no measure"."""
    clean: dict[str, Any] = {}
    for name in (*MEASURES, *CIRCUMSTANCES):
        value = raw.get(name)
        if name in AMOUNT_FACTS:
            number = _decimal(value) if value not in (None, "") else None
            if number is not None and number < 0:
                raise ValueError(
                    f"{AMOUNT_FACTS[name][0].removeprefix('拟')}不能为负数")
            if number:
                clean[name] = str(number)
        elif value is True or value in ("1", "true", "on", "True"):
            clean[name] = True
    return clean


def measures_imposed(measures: Mapping[str, Any]) -> bool:
    """Tell whether any measure (not a mere circumstance) is set."""
    return any(name in measures for name in MEASURES)


def measure_items(measures: Mapping[str, Any]) -> list[str]:
    """The measures in an instrument's words, in the order of ``MEASURES``."""
    items = []
    for name, words in MEASURES.items():
        if name in measures:
            value = measures[name]
            items.append(words.format(_number(Decimal(value)))
                         if name in AMOUNT_FACTS else words)
    return items


def measures_added(
    proposed: Mapping[str, Any], decided: Mapping[str, Any]
) -> list[str]:
    """The decided measures the notice did not propose, or proposed at less."""
    added = []
    for name, words in MEASURES.items():
        if name not in decided:
            continue
        if name in AMOUNT_FACTS:
            if Decimal(decided[name]) > Decimal(proposed.get(name, 0)):
                added.append(words.format(_number(Decimal(decided[name]))))
        elif name not in proposed:
            added.append(words)
    return added


def outcome_facts(
    party_kind: str, fine_yuan: Any, measures: Mapping[str, Any],
    *, hearing_held: bool = False,
) -> CaseOutcomeFacts:
    """The facts the criteria judge: the fine and every measure and circumstance."""
    values = {name: (Decimal(v) if name in AMOUNT_FACTS else bool(v))
              for name, v in measures.items() if name in MEASURES or name in
              CIRCUMSTANCES}
    return CaseOutcomeFacts(party_kind=party_kind, fine_yuan=fine_yuan or 0,
                            hearing_held=hearing_held, **values)


class RuleDataError(ValueError):
    """A rule file is unreadable or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class CaseOutcomeFacts:
    """The penalty the officers propose, and what else the law asks about the case.

    Amounts are yuan, areas square metres; ints and strings are taken as Decimals.
    """

    party_kind: str = "person"  # "person" 公民 | "organisation" 法人或者其他组织
    fine_yuan: Decimal = Decimal(0)  # 罚款
    illegal_gains_yuan: Decimal = Decimal(0)  # 没收违法所得
    confiscated_property_yuan: Decimal = Decimal(0)  # 没收非法财物的价值
    confiscate_buildings: bool = False  # 没收违法用地上的新建建筑物和其他设施
    demolition_area_m2: Decimal = Decimal(0)  # 限期拆除的建筑面积；0 = 不拆除
    licence_suspended: bool = False  # 暂扣许可证件
    qualification_lowered: bool = False  # 降低资质等级
    licence_revoked: bool = False  # 吊销许可证件
    production_suspended: bool = False  # 责令停产停业
    closure_ordered: bool = False  # 责令关闭
    trade_banned: bool = False  # 限制从业
    other_heavier: bool = False  # 其他较重的行政处罚（承办人员判断并记录理由）
    major_public_interest: bool = False  # 涉及重大公共利益
    hearing_held: bool = False  # 经过听证程序（放弃听证的不算）
    complex_facts: bool = False  # 疑难复杂、涉及多个法律关系
    review_required_by_law: bool = False  # 法律、法规另行规定须法制审核

    def __post_init__(self) -> None:
        if self.party_kind not in PARTY_KINDS:
            raise ValueError(f"当事人类型只能是 {'、'.join(PARTY_KINDS)}")
        for name in AMOUNT_FACTS:
            value = _decimal(getattr(self, name))
            if value is None or value < 0:
                raise ValueError(
                    f"{name} 须为不小于0的数，现为 {getattr(self, name)!r}"
                )
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Criterion:
    """One ground: a flag that is set, or an amount at or above a threshold."""

    code: str
    label: str
    article: str
    fact: str
    origin: str
    source: str
    thresholds: Mapping[str, Decimal] | None = None  # party kind → minimum
    collective: bool = False
    note: str = ""

    def reason(self, facts: CaseOutcomeFacts) -> str | None:
        """Return why ``facts`` meet this criterion, or None when they do not."""
        value = getattr(facts, self.fact)
        if self.thresholds is None:
            return f"{self.label}（{self.article}）" if value else None
        floor = self.thresholds[facts.party_kind]
        if value <= 0 or value < floor:
            return None
        what, unit = AMOUNT_FACTS[self.fact]
        bar = (
            ("不论面积" if unit == "平方米" else "不论数额")
            if floor == 0
            else f"{PARTY_KINDS[facts.party_kind]}{_number(floor)}{unit}以上"
        )
        return (
            f"{self.label}：{what}{_number(value)}{unit}，达到标准（{bar}，"
            f"{ORIGINS[self.origin]}）（{self.article}）"
        )


@dataclass(frozen=True)
class Judgement:
    """The answer, with one reason per ground met, each naming its article."""

    applies: bool
    reasons: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def major(self) -> bool:
        """The same as ``applies``; reads better after ``is_major``."""
        return self.applies

    def __bool__(self) -> bool:
        return self.applies


@dataclass(frozen=True)
class MajorityRules:
    """The criteria of both files, in file order (overrides keep the place)."""

    major: tuple[Criterion, ...]
    hearing: tuple[Criterion, ...]


def is_major(facts: CaseOutcomeFacts, rules: MajorityRules) -> Judgement:
    """Judge whether the decision must pass legal review (行政处罚法 Art. 58)."""
    return _judge(facts, rules.major)


def hearing_right(facts: CaseOutcomeFacts, rules: MajorityRules) -> Judgement:
    """Judge whether the party must be told of a right to a hearing (Art. 63)."""
    return _judge(facts, rules.hearing)


def collective_discussion_required(
    facts: CaseOutcomeFacts, rules: MajorityRules
) -> Judgement:
    """Judge whether the heads must decide collectively (Art. 57(2))."""
    return _judge(facts, (c for c in rules.major if c.collective))


def _judge(facts: CaseOutcomeFacts, criteria: Iterable[Criterion]) -> Judgement:
    met = [(c.code, r) for c in criteria if (r := c.reason(facts)) is not None]
    return Judgement(
        applies=bool(met),
        reasons=tuple(r for _, r in met),
        codes=tuple(code for code, _ in met),
    )


# --- loading -------------------------------------------------------------------------


def load_majority_rules(extra_dirs: Sequence[Path] = ()) -> MajorityRules:
    """Read the shipped files, then each override dir's; a later code replaces."""
    dirs = [RULES_DIR]
    for folder in map(Path, extra_dirs):
        if not folder.is_dir():
            raise RuleDataError(f"{folder}：规则目录不存在")
        dirs.append(folder)
    return MajorityRules(
        major=_merged(dirs, MAJOR_FILE, collective_allowed=True),
        hearing=_merged(dirs, HEARING_FILE, collective_allowed=False),
    )


def _merged(
    dirs: list[Path], name: str, *, collective_allowed: bool
) -> tuple[Criterion, ...]:
    merged: dict[str, Criterion] = {}
    shipped, *extra = [folder / name for folder in dirs]
    for path in [shipped, *(p for p in extra if p.is_file())]:
        for criterion in _read_file(path, collective_allowed=collective_allowed):
            merged[criterion.code] = criterion
    return tuple(merged.values())


def _read_file(path: Path, *, collective_allowed: bool) -> list[Criterion]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleDataError(f"{path}：无法读取规则文件：{exc}") from exc
    _check_keys(f"{path}：文件顶层", data, {"law", "criterion"}, set())
    law = data["law"]
    if not isinstance(law, dict):
        raise RuleDataError(f"{path}：[law] 必须是一个表")
    _check_keys(f"{path}：[law]", law, {"name", "source"}, {"version", "in_force"})
    entries = data["criterion"]
    if not isinstance(entries, list) or not entries:
        raise RuleDataError(f"{path}：须写作一个或多个 [[criterion]]")
    criteria: list[Criterion] = []
    for n, entry in enumerate(entries, 1):
        code = entry.get("code") if isinstance(entry, dict) else None
        where = f"{path}：[[criterion]] " + (
            code if isinstance(code, str) else f"第{n}条"
        )
        criterion = _read_criterion(where, entry, law, collective_allowed)
        if any(c.code == criterion.code for c in criteria):
            raise RuleDataError(f"{where}：code 在同一文件中重复出现")
        criteria.append(criterion)
    return criteria


_REQUIRED = {"code", "label", "article", "fact", "origin"}
_OPTIONAL = {"person", "organisation", "source", "note"}


def _read_criterion(
    where: str, entry: Any, law: dict, collective_allowed: bool
) -> Criterion:
    if not isinstance(entry, dict):
        raise RuleDataError(f"{where}：必须是一个表")
    optional = _OPTIONAL | ({"collective"} if collective_allowed else set())
    _check_keys(where, entry, _REQUIRED, optional)
    origin = _text(where, entry, "origin")
    if origin not in ORIGINS:
        raise RuleDataError(f"{where}：键 origin 只能是 {'、'.join(ORIGINS)}")
    collective = entry.get("collective", False)
    if not isinstance(collective, bool):
        raise RuleDataError(f"{where}：键 collective 必须是 true 或 false")
    fact = _text(where, entry, "fact")
    return Criterion(
        code=_text(where, entry, "code"),
        label=_text(where, entry, "label"),
        article=_text(where, entry, "article"),
        fact=fact,
        origin=origin,
        source=_text(where, {"source": entry.get("source", law["source"])}, "source"),
        thresholds=_thresholds(where, entry, fact),
        collective=collective,
        note=_text(where, entry, "note") if "note" in entry else "",
    )


def _thresholds(where: str, entry: dict, fact: str) -> dict[str, Decimal] | None:
    given = [kind for kind in PARTY_KINDS if kind in entry]
    if fact in FLAG_FACTS:
        if given:
            raise RuleDataError(f"{where}：fact {fact} 是是非事实，不能写 {given[0]}")
        return None
    if fact not in AMOUNT_FACTS:
        known = "、".join([*AMOUNT_FACTS, *sorted(FLAG_FACTS)])
        raise RuleDataError(f"{where}：键 fact 未知：{fact!r}（可用：{known}）")
    thresholds = {}
    for kind, label in PARTY_KINDS.items():
        value = _decimal(entry.get(kind))
        if value is None or value < 0:
            raise RuleDataError(
                f"{where}：键 {kind}（{label}的门槛）须为不小于0的数，"
                f"现为 {entry.get(kind)!r}"
            )
        thresholds[kind] = value
    return thresholds


def _check_keys(where: str, table: dict, required: set, optional: set) -> None:
    unknown = sorted(set(table) - required - optional)
    if unknown:
        raise RuleDataError(f"{where}：未知的键 {', '.join(unknown)}")
    missing = sorted(required - set(table))
    if missing:
        raise RuleDataError(f"{where}：缺少键 {', '.join(missing)}")


def _text(where: str, table: dict, key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleDataError(f"{where}：键 {key} 必须是非空文字，现为 {value!r}")
    return value.strip()


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(value: Decimal) -> str:
    return format(value.normalize(), ",f")

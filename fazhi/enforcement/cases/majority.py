"""Whether a proposed penalty is major, gives a hearing right, or needs the heads.

Pure: no Django. The law names the kinds of penalty; the amounts that
make a fine "较大数额" or a decision "重大" are set by each province, so they live in
rule files next to this module:

- ``rules/major_decision.toml``  legal review (行政处罚法 Art. 58; 自然资源行政处罚办法
  Art. 32) and collective discussion (Art. 57(2); 办法 Art. 31(2))
- ``rules/hearing.toml``         hearing right (Art. 63; 办法 Art. 34)

A bureau changes an entry without code by putting a file of the same name into one
of its override directories (its rule folder's ``enforcement/``): an entry there
replaces the shipped entry with the same ``code`` whole, and a new code is added.
Every entry says where it comes from (``origin``): ``law``, ``province`` (with the
document's number in ``document``), ``bureau`` or ``preset`` (``fazhi_default`` in
older files); a reason shows it in staff's words (``Standing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fazhi.core.ruledata import (
    Citation,
    RuleFileError,
    Standing,
    Table,
    merged_entries,
    rule_files,
    rule_folders,
    standing_words,
    to_decimal,
)

RULES_DIR = Path(__file__).parents[1] / "rules"
MAJOR_FILE = "major_decision.toml"
HEARING_FILE = "hearing.toml"

PARTY_KINDS = {"person": "公民", "organisation": "法人或者其他组织"}
ORIGINS = {word: standing.label for word, standing in (
    *((s.value, s) for s in Standing), ("fazhi_default", Standing.PRESET))}
"""The words a criterion's ``origin`` may be, with what staff read for each."""

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
            number = to_decimal(value) if value not in (None, "") else None
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


RuleDataError = RuleFileError
"""The name older callers catch: a rule file is unreadable or wrong."""


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
            value = to_decimal(getattr(self, name))
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
    document: str = ""  # the province's or bureau's document number, if any

    @property
    def standing(self) -> Standing:
        """Return how binding the criterion is (law, province, bureau, preset)."""
        return Standing.parse(self.origin) or Standing.PRESET

    @property
    def standing_label(self) -> str:
        """Return the standing in staff's words, with the document number if any."""
        return standing_words(self.standing, self.document)

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
            f"{self.standing_label}）（{self.article}）"
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


def printed(reasons: str) -> str:
    """Return stored reasons as an instrument prints them: a preset threshold's
    standing words (系统预置，待本局确认) are for staff pages, never for paper; a
    province's or bureau's document number stays."""
    return reasons.replace(f"，{Standing.PRESET.label}）", "）")


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
    dirs = rule_folders(RULES_DIR, extra_dirs)
    return MajorityRules(
        major=_merged(dirs, MAJOR_FILE, collective_allowed=True),
        hearing=_merged(dirs, HEARING_FILE, collective_allowed=False),
    )


def _merged(
    dirs: list[Path], name: str, *, collective_allowed: bool
) -> tuple[Criterion, ...]:
    found = merged_entries(
        rule_files(dirs, name),
        "criterion",
        lambda entry, law: _read_criterion(entry, law, collective_allowed),
        head=_file_law,
    )
    return tuple(found.values())


def _file_law(top: Table) -> Citation:
    top.keys({"law", "criterion"})
    return top.sub("law").law(required=("name", "source"))


_REQUIRED = {"code", "label", "article", "fact", "origin"}
_OPTIONAL = {"person", "organisation", "source", "note", "document"}


def _read_criterion(entry: Table, law: Citation, collective_allowed: bool) -> Criterion:
    optional = _OPTIONAL | ({"collective"} if collective_allowed else set())
    entry.keys(_REQUIRED, optional)
    entry.standing("origin")
    fact = entry.text("fact")
    return Criterion(
        code=entry.text("code"),
        label=entry.text("label"),
        article=entry.text("article"),
        fact=fact,
        origin=entry.text("origin"),
        source=entry.text("source") if "source" in entry else law.source,
        thresholds=_thresholds(entry, fact),
        collective=entry.flag("collective"),
        note=entry.text("note", required=False),
        document=entry.text("document", required=False),
    )


def _thresholds(entry: Table, fact: str) -> dict[str, Decimal] | None:
    given = [kind for kind in PARTY_KINDS if kind in entry]
    if fact in FLAG_FACTS:
        if given:
            entry.fail(f"fact {fact} 是是非事实，不能写 {given[0]}", given[0])
        return None
    if fact not in AMOUNT_FACTS:
        known = "、".join([*AMOUNT_FACTS, *sorted(FLAG_FACTS)])
        entry.fail(f"键 fact 未知：{fact!r}（可用：{known}）", "fact")
    thresholds = {}
    for kind, label in PARTY_KINDS.items():
        value = to_decimal(entry.get(kind))
        if value is None or value < 0:
            entry.fail(
                f"键 {kind}（{label}的门槛）须为不小于0的数，现为 {entry.get(kind)!r}",
                kind,
            )
        thresholds[kind] = value
    return thresholds



def _number(value: Decimal) -> str:
    return format(value.normalize(), ",f")

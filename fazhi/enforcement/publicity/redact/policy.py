"""The redaction policy: what each category masks and finds, and on which basis.

Pure: no Django. ``load_policy`` reads the shipped ``redaction.toml``, then each
bureau folder's copy: its keys replace the shipped ones table by table, and its
[[basis]] entries replace the shipped ones by code and add new codes. A broken file
fails loudly (``RedactionPolicyError``), naming the table and key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from fazhi.core.ruledata import (
    Citation,
    RuleFileError,
    merge_keys,
    read_toml,
    rule_files,
    rule_folders,
)
from fazhi.enforcement.publicity.redact.spans import PRIORITY, Category, as_text, digits

RULES_FILE = Path(__file__).parents[2] / "rules" / "redaction.toml"
_HAN = "\u4e00-\u9fff"
_NUMERAL = "0-9０-９一二三四五六七八九十百千零〇两"
_WHERE = "redaction.toml（含覆盖文件）"


RedactionPolicyError = RuleFileError
"""The name older callers catch: the redaction rule file is unreadable or wrong."""


@dataclass(frozen=True)
class Basis(Citation):
    """A rule's citation, with its code and how reliable the text read was."""

    code: str = ""
    status: str = ""  # verified | secondary | unconfirmed (the text, not the rule)
    note: str = ""


@dataclass(frozen=True)
class NameRule:
    """How person names are masked and found in labelled fields."""

    mask: str
    compound_surnames: tuple[str, ...]
    min_length: int
    label_pattern: re.Pattern[str]
    not_name_suffixes: tuple[str, ...]
    not_name_chars: str


@dataclass(frozen=True)
class PatternRule:
    """A category found by regular expressions, with the numbers that stay public."""

    mask: str
    patterns: tuple[re.Pattern[str], ...]
    keep: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AddressRule:
    """Address levels and how far down an address stays visible."""

    keep_through_rank: int
    anchor_min_rank: int
    fine_rank: int
    tail_mask: str
    whole_mask: str
    suffix_ranks: tuple[tuple[str, int], ...]  # longest suffix first
    segments: tuple[tuple[str, re.Pattern[str]], ...]  # num, fine, coarse
    any_segment: re.Pattern[str]


@dataclass(frozen=True)
class Policy:
    """Everything ``redact_text`` needs, read from the rule files."""

    name: NameRule
    id_number: PatternRule
    phone: PatternRule
    address: AddressRule
    tipster_mask: str
    basis: Mapping[str, Basis]
    category_basis: Mapping[str, tuple[str, ...]]

    def basis_for(self, category: Category) -> tuple[Basis, ...]:
        """Return the sources cited for one category of redaction."""
        return tuple(self.basis[code] for code in self.category_basis[category])

    @property
    def masks(self) -> tuple[str, ...]:
        """Masks that replace text; their occurrences are never redacted again."""
        found = (
            self.id_number.mask,
            self.phone.mask,
            self.tipster_mask,
            self.address.whole_mask,
            self.address.tail_mask,
        )
        return tuple(mask for mask in found if mask)


def load_policy(extra_dirs: Sequence[Path | str] = ()) -> Policy:
    """Read the shipped redaction.toml, then each extra dir's; later keys replace.

    An override's keys replace the shipped ones table by table; its [[basis]]
    entries replace the shipped ones by code and add new codes.
    """
    folders = rule_folders(RULES_FILE.parent, extra_dirs)
    shipped, *overrides = rule_files(folders, RULES_FILE.name)
    data = read_toml(shipped)
    for path in overrides:
        data = _merge(data, read_toml(path))
    return _policy(data)


# --- reading the policy ---------------------------------------------------------------


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = merge_keys(base, over)
    if isinstance(over.get("basis"), list) and isinstance(base.get("basis"), list):
        entries = [*base["basis"], *over["basis"]]
        if all(isinstance(b, dict) for b in entries):  # else _basis names the fault
            entries = list({b.get("code"): b for b in entries}.values())
        merged["basis"] = entries
    return merged


def _policy(data: dict[str, Any]) -> Policy:
    basis = _basis(data.get("basis"))
    tables = {key: _table(data, key) for key in PRIORITY}
    category_basis = {}
    for category, table in tables.items():
        codes = _strs(table, "basis", category)
        unknown = [code for code in codes if code not in basis]
        if unknown:
            raise RedactionPolicyError(
                f"{_WHERE}：[{category}] basis 引用了未定义的 {unknown}"
            )
        category_basis[category] = codes
    return Policy(
        name=_name_rule(tables["name"]),
        id_number=_pattern_rule(tables["id_number"], "id_number"),
        phone=_pattern_rule(tables["phone"], "phone"),
        address=_address_rule(tables["address"]),
        tipster_mask=_str(tables["tipster"], "mask", "tipster"),
        basis=MappingProxyType(basis),
        category_basis=MappingProxyType(category_basis),
    )


def _name_rule(table: dict[str, Any]) -> NameRule:
    mask = _str(table, "mask", "name")
    if not mask:
        raise RedactionPolicyError(f"{_WHERE}：[name] mask 不能为空")
    labels = _strs(table, "labels", "name")
    longest = _int(table, "label_max_chars", "name")
    label_pattern = _compile(
        f"(?:{_alt(labels)})\\s*[：:]\\s*(?P<name>[{_HAN}·]{{2,{longest}}})(?![{_HAN}·])",
        "name.labels",
    )
    return NameRule(
        mask=mask,
        compound_surnames=tuple(
            sorted(_strs(table, "compound_surnames", "name"), key=len, reverse=True)
        ),
        min_length=_int(table, "min_length", "name"),
        label_pattern=label_pattern,
        not_name_suffixes=_strs(table, "not_name_suffixes", "name"),
        not_name_chars=_str(table, "not_name_chars", "name"),
    )


def _pattern_rule(table: dict[str, Any], where: str) -> PatternRule:
    patterns = tuple(
        _compile(p, f"{where}.patterns") for p in _strs(table, "patterns", where)
    )
    keep = frozenset(digits(k) for k in _strs(table, "keep", where, required=False))
    return PatternRule(_str(table, "mask", where), patterns, keep)


def _address_rule(table: dict[str, Any]) -> AddressRule:
    levels = table.get("level")
    if not isinstance(levels, list) or not levels:
        raise RedactionPolicyError(
            f"{_WHERE}：[address] 须写一个或多个 [[address.level]]"
        )
    ranks = {
        suffix: _int(level, "rank", "address.level")
        for level in levels
        for suffix in _strs(level, "suffixes", "address.level")
    }
    num = f"第?[{_NUMERAL}]+(?:{_alt(_strs(table, 'numbered_units', 'address'))})"
    unit = f"[{_HAN}]{{1,6}}?(?:{_alt(_strs(table, 'named_units', 'address'))})"
    road = f"[{_HAN}]{{1,8}}?(?:{_alt(_strs(table, 'roads', 'address'))})"
    fine = f"{unit}(?=[^{_HAN}]|$|{num})|{road}(?={num})"
    coarse = f"[{_HAN}]{{1,8}}?(?:{_alt(list(ranks))})"
    segments = (("num", num), ("fine", fine), ("coarse", coarse))
    return AddressRule(
        keep_through_rank=_int(table, "keep_through_rank", "address"),
        anchor_min_rank=_int(table, "anchor_min_rank", "address"),
        fine_rank=max(ranks.values()) + 1,
        tail_mask=_str(table, "tail_mask", "address"),
        whole_mask=_str(table, "whole_mask", "address"),
        suffix_ranks=tuple(sorted(ranks.items(), key=lambda kv: -len(kv[0]))),
        segments=tuple((kind, _compile(p, "address")) for kind, p in segments),
        any_segment=_compile("|".join(f"(?:{p})" for _, p in segments), "address"),
    )


def _basis(raw: object) -> dict[str, Basis]:
    if not isinstance(raw, list) or not raw:
        raise RedactionPolicyError(f"{_WHERE}：须写一个或多个 [[basis]]")
    found: dict[str, Basis] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            raise RedactionPolicyError(f"{_WHERE}：[[basis]] 必须是表")
        fields = ("code", "law", "version", "article", "status", "source")
        values = {key: _str(entry, key, "basis") for key in fields}
        found[values["code"]] = Basis(**values, note=as_text(entry.get("note", "")))
    return found


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict):
        raise RedactionPolicyError(f"{_WHERE}：缺少表 [{key}]")
    return table


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise RedactionPolicyError(f"{_WHERE}：[{where}] 键 {key} 须为字符串")
    return value


def _strs(
    table: dict[str, Any], key: str, where: str, *, required: bool = True
) -> tuple[str, ...]:
    value = table.get(key, None if required else [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RedactionPolicyError(f"{_WHERE}：[{where}] 键 {key} 须为非空字符串的数组")
    return tuple(value)


def _int(table: dict[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RedactionPolicyError(f"{_WHERE}：[{where}] 键 {key} 须为非负整数")
    return value


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RedactionPolicyError(
            f"{_WHERE}：{where} 的正则表达式有误：{exc}"
        ) from exc

"""Permit kinds as rule data (pure: no Django): read and check rules/kinds.toml.

The file is the shipped list a bureau starts from; the live list is in the
database, edited on the permit-kind page. Both pass through ``check_kind`` so the
same limits hold: the promised limit is never longer than the statutory one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi.core.ruledata import (
    RuleFileError,
    Table,
    read_replaced,
    read_table,
)

SHIPPED = Path(__file__).with_name("rules") / "kinds.toml"
RATINGS_FILE = SHIPPED.with_name("ratings.toml")
_KIND_KEYS = {"code", "name", "basis", "decision_rule", "promised_days",
              "certificate_word", "fee", "materials"}
_OPTIONAL = {"fee_basis"}


class KindError(ValueError):
    """A permit kind breaks a rule; the message names the file or field."""


class KindFileError(RuleFileError, KindError):
    """A kinds file is wrong: a rule-file error that the permit pages, which catch
    ``KindError`` for a kind edited on the page, also catch."""


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    required: bool


@dataclass(frozen=True)
class KindSpec:
    """One permit kind: legal basis, clocks, certificate numbering, fee, materials."""

    code: str
    name: str
    basis: str
    decision_rule: str
    promised_days: int  # working days, the bureau's own promise
    certificate_word: str
    fee: bool
    fee_basis: str
    materials: tuple[Material, ...]


def check_kind(spec: KindSpec, statutory_days: Mapping[str, int]) -> None:
    """Raise KindError unless ``spec`` keeps the law: a known statutory rule, a
    promised limit of 1 to that rule's length, distinct material codes."""
    if spec.decision_rule not in statutory_days:
        raise KindError(f"许可事项“{spec.name}”：未知的法定期限规则 {spec.decision_rule}")
    limit = statutory_days[spec.decision_rule]
    if not 1 <= spec.promised_days <= limit:
        raise KindError(f"许可事项“{spec.name}”：承诺时限须为1至{limit}个工作日，"
                        f"不得长于法定期限")
    codes = [m.code for m in spec.materials]
    if len(set(codes)) != len(codes):
        raise KindError(f"许可事项“{spec.name}”：申请材料编码重复")
    if not spec.certificate_word.strip():
        raise KindError(f"许可事项“{spec.name}”：须填写证书文号代字")


def check_words_unique(specs: Sequence[KindSpec], taken: Mapping[str, str]) -> None:
    """Raise KindError when two kinds, or a kind and another instrument series
    (``taken``: word → whose), share a certificate word: numbers would collide."""
    seen = dict(taken)
    for spec in specs:
        if spec.certificate_word in seen:
            raise KindError(f"许可事项“{spec.name}”的证书文号代字“{spec.certificate_word}”"
                            f"已被{seen[spec.certificate_word]}使用，文号将会重复")
        seen[spec.certificate_word] = f"许可事项“{spec.name}”"


def load_kinds(path: Path = SHIPPED) -> list[KindSpec]:
    """Read the kinds of one file (the shipped list by default)."""
    top = read_table(path, error=KindFileError)
    top.keys(set(), {"kind", "source"})
    return [_read(entry) for entry in top.entries("kind", id_key=None, required=True)]


def _read(entry: Table) -> KindSpec:
    entry.keys(_KIND_KEYS, _OPTIONAL)
    if isinstance(entry.get("promised_days"), bool) or not isinstance(
            entry.get("promised_days"), int):
        entry.fail("promised_days 须为整数（工作日）", "promised_days")
    return KindSpec(
        code=entry.text("code"), name=entry.text("name"), basis=entry.text("basis"),
        decision_rule=entry.text("decision_rule"),
        promised_days=entry.get("promised_days"),
        certificate_word=entry.text("certificate_word"), fee=entry.boolean("fee"),
        fee_basis=entry.text("fee_basis", required=False),
        materials=_materials(entry),
    )


def _materials(entry: Table) -> tuple[Material, ...]:
    raw = entry.get("materials")
    if not isinstance(raw, list):
        entry.fail("materials 每项须有 code、label、required", "materials")
    found = []
    for n, item in enumerate(raw, 1):
        material = entry.child(f"materials 第{n}项", item)
        material.keys({"code", "label", "required"})
        found.append(Material(material.text("code"), material.text("label"),
                              material.boolean("required")))
    return tuple(found)


def load_rating_scale(extra_dirs: Sequence[Path] = ()) -> tuple[dict[int, str], int]:
    """Read the rating levels (score → words) and the highest score that is bad;
    a bureau folder's ratings.toml replaces the shipped one whole."""
    top = read_replaced(RATINGS_FILE, extra_dirs)
    top.keys({"scale"}, {"source"})
    scale = top.sub("scale")
    scale.keys({"levels", "bad_at_most"})
    levels = scale.sub("levels")
    if not all(code.isdigit() for code in levels.data):
        levels.fail("评价等级须以分数为键，如 5 = \"非常满意\"")
    words = {int(code): levels.text(code) for code in levels.data}
    return words, scale.integer("bad_at_most", minimum=min(words, default=0))

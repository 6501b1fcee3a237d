"""Permit kinds as rule data (pure: no Django): read and check rules/kinds.toml.

The file is the shipped list a bureau starts from; the live list is in the
database, edited on the permit-kind page. Both pass through ``check_kind`` so the
same limits hold: the promised limit is never longer than the statutory one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SHIPPED = Path(__file__).with_name("rules") / "kinds.toml"
_KIND_KEYS = {"code", "name", "basis", "decision_rule", "promised_days",
              "certificate_word", "fee", "materials"}
_OPTIONAL = {"fee_basis"}


class KindError(ValueError):
    """A permit kind breaks a rule; the message names the file or field."""


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
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KindError(f"{path}：无法读取许可事项文件：{exc}") from exc
    entries = data.get("kind")
    if not isinstance(entries, list) or not entries:
        raise KindError(f"{path}：须有一个或多个 [[kind]]")
    return [_read(path, n, e) for n, e in enumerate(entries, 1)]


def _read(path: Path, n: int, entry) -> KindSpec:
    where = f"{path}：第{n}个 [[kind]]"
    if not isinstance(entry, dict):
        raise KindError(f"{where} 必须是一个表")
    missing = sorted(_KIND_KEYS - set(entry))
    unknown = sorted(set(entry) - _KIND_KEYS - _OPTIONAL)
    if missing or unknown:
        raise KindError(f"{where}：缺少键 {missing}" if missing else
                        f"{where}：未知的键 {unknown}")
    try:
        materials = tuple(Material(str(m["code"]), str(m["label"]), bool(m["required"]))
                          for m in entry["materials"])
    except (TypeError, KeyError) as exc:
        raise KindError(f"{where}：materials 每项须有 code、label、required") from exc
    if not isinstance(entry["promised_days"], int):
        raise KindError(f"{where}：promised_days 须为整数（工作日）")
    return KindSpec(
        code=str(entry["code"]), name=str(entry["name"]), basis=str(entry["basis"]),
        decision_rule=str(entry["decision_rule"]),
        promised_days=entry["promised_days"],
        certificate_word=str(entry["certificate_word"]), fee=bool(entry["fee"]),
        fee_basis=str(entry.get("fee_basis", "")), materials=materials,
    )

"""Pre-judgement rules and verdict categories of change patches (pure: no Django).

Both are data (``rules/prejudge.toml``, ``rules/verdicts.toml``); a bureau's copy
in an override folder replaces the shipped file whole. The officer always makes
the verdict: a pre-judgement only orders the work and says why.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).with_name("rules")
RESULTS = ("probably_legal", "suspected_illegal", "needs_check")
PRIORITIES = ("high", "normal", "low")
_WHEN = {"layer", "min_share", "max_share", "min_m2", "valid_on_imagery", "expired"}
SQM_PER_MU = 10000 / 15


class RuleError(ValueError):
    """A rule file is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class Overlap:
    """What the pre-judgement needs of a patch's overlap with one layer kind."""

    kind: str
    m2: float
    share: float
    valid_until: tuple[dt.date | None, ...] = ()  # per overlapped feature


@dataclass(frozen=True)
class PrejudgeRule:
    id: str
    result: str
    priority: str
    reason: str
    when: Mapping


@dataclass(frozen=True)
class Prejudgement:
    result: str
    label: str
    priority: str
    rule_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PrejudgeRules:
    rules: tuple[PrejudgeRule, ...]
    labels: Mapping[str, str]
    source: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VerdictKind:
    code: str
    label: str
    requires_basis: bool = False
    basis_label: str = ""
    opens_lead: bool = False
    rectification: bool = False
    requires_note: bool = False
    basis: str = ""


def _load(name: str, override_dirs: Sequence[Path]) -> tuple[Path, dict]:
    path = SHIPPED / name
    for folder in override_dirs:
        if (Path(folder) / name).is_file():
            path = Path(folder) / name
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}：无法读取规则文件（{exc}）") from None


def prejudge_rules_load(override_dirs: Sequence[Path] = ()) -> PrejudgeRules:
    """Read the pre-judgement rules, checking every entry."""
    path, data = _load("prejudge.toml", override_dirs)
    rules = tuple(_rule(path, i, entry) for i, entry in enumerate(data.get("rule", [])))
    if not rules:
        raise RuleError(f"{path}：没有任何 [[rule]]")
    labels = {**dict.fromkeys(RESULTS, ""), **data.get("results", {})}
    return PrejudgeRules(rules=rules, labels=labels, source=data.get("source", {}))


def _rule(path: Path, index: int, entry: Mapping) -> PrejudgeRule:
    where = f"{path} 第 {index + 1} 条规则（{entry.get('id', '无 id')}）"
    if entry.get("result") not in RESULTS:
        raise RuleError(f"{where}：result 应为 {'、'.join(RESULTS)}")
    if entry.get("priority", "normal") not in PRIORITIES:
        raise RuleError(f"{where}：priority 应为 {'、'.join(PRIORITIES)}")
    when = entry.get("when", {})
    unknown = set(when) - _WHEN
    if unknown:
        raise RuleError(f"{where}：不认识的条件 {'、'.join(sorted(unknown))}")
    if set(when) - {"layer"} and "layer" not in when:
        raise RuleError(f"{where}：条件须写明 layer（图层类别）")
    return PrejudgeRule(id=str(entry.get("id", index)), result=entry["result"],
                        priority=entry.get("priority", "normal"),
                        reason=str(entry.get("reason", "")), when=when)


def prejudge(rules: PrejudgeRules, overlaps: Iterable[Overlap],
             imagery_on: dt.date | None) -> Prejudgement:
    """Give a patch its pre-judgement from its overlaps: the first matching rule."""
    by_kind = _merge(overlaps)
    for rule in rules.rules:
        kind = rule.when.get("layer")
        ov = by_kind.get(kind, Overlap(kind=kind or "", m2=0.0, share=0.0))
        if _holds(rule.when, ov, imagery_on):
            reason = rule.reason.format(share=f"{ov.share:.1%}", m2=f"{ov.m2:.2f}",
                                        mu=f"{ov.m2 / SQM_PER_MU:.2f}")
            return Prejudgement(result=rule.result, label=rules.labels[rule.result],
                                priority=rule.priority, rule_id=rule.id,
                                reasons=(reason,) if reason else ())
    return Prejudgement(result="needs_check", label=rules.labels["needs_check"],
                        priority="normal", rule_id="", reasons=())


def _merge(overlaps: Iterable[Overlap]) -> dict[str, Overlap]:
    """Add up overlaps of the same layer kind (a bureau may keep several layers)."""
    merged: dict[str, Overlap] = {}
    for ov in overlaps:
        old = merged.get(ov.kind)
        if old is None:
            merged[ov.kind] = ov
        else:
            merged[ov.kind] = Overlap(ov.kind, old.m2 + ov.m2,
                                      min(1.0, old.share + ov.share),
                                      old.valid_until + ov.valid_until)
    return merged


def _holds(when: Mapping, ov: Overlap, imagery_on: dt.date | None) -> bool:
    if "min_share" in when and ov.share < when["min_share"]:
        return False
    if "max_share" in when and ov.share >= when["max_share"]:
        return False
    if "min_m2" in when and ov.m2 < when["min_m2"]:
        return False
    if "valid_on_imagery" in when and _any_valid(ov, imagery_on) != when["valid_on_imagery"]:
        return False
    return not ("expired" in when and _all_expired(ov, imagery_on) != when["expired"])


def _any_valid(ov: Overlap, on: dt.date | None) -> bool:
    # A feature without a validity date is taken as valid (approved land has none).
    return any(v is None or on is None or v >= on for v in ov.valid_until)


def _all_expired(ov: Overlap, on: dt.date | None) -> bool:
    known = [v for v in ov.valid_until if v is not None]
    return bool(on and known) and len(known) == len(ov.valid_until) and all(
        v < on for v in known)


def verdict_kinds_load(override_dirs: Sequence[Path] = ()) -> dict[str, VerdictKind]:
    """Read the verdict categories, keyed by code, in the file's order."""
    path, data = _load("verdicts.toml", override_dirs)
    kinds: dict[str, VerdictKind] = {}
    for entry in data.get("verdict", []):
        try:
            kind = VerdictKind(**entry)
        except TypeError as exc:
            raise RuleError(f"{path}：判定类别 {entry.get('code')} 有误（{exc}）") from None
        if kind.code in kinds:
            raise RuleError(f"{path}：判定类别 {kind.code} 重复")
        kinds[kind.code] = kind
    if not any(k.opens_lead for k in kinds.values()):
        raise RuleError(f"{path}：至少要有一个判定类别 opens_lead = true（违法）")
    return kinds


def measures_load(override_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """Read the rectification measures (code → words)."""
    return dict(_load("verdicts.toml", override_dirs)[1].get("measures", {}))


def parse_day(value: object) -> dt.date | None:
    """Read a validity date as bureaus write it (2025-06-30, 20250630, 2025/6/30)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None

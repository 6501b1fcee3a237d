"""Pre-judgement rules and verdict categories of change patches (pure: no Django).

Both are data (``rules/prejudge.toml``, ``rules/verdicts.toml``); a bureau's copy
in an override folder replaces the shipped file whole. The officer always makes
the verdict: a pre-judgement only orders the work and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.core.numbers import percent
from fazhi.core.ruledata import (
    RuleFileError,
    Table,
    read_replaced,
)

SHIPPED = Path(__file__).with_name("rules")
RESULTS = ("probably_legal", "suspected_illegal", "needs_check")
PRIORITIES = ("high", "normal", "low")
_WHEN = {"layer", "min_share", "max_share", "min_m2", "valid_on_imagery", "expired"}
SQM_PER_MU = 10000 / 15


RuleError = RuleFileError
"""The name older callers catch: a rule file is unreadable or wrong."""


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


def _load(name: str, override_dirs: Sequence[Path], tables: set[str]) -> Table:
    """Read the last folder's ``name`` (the shipped one if no folder has it)."""
    top = read_replaced(SHIPPED / name, override_dirs)
    top.keys(set(), tables)
    return top


def prejudge_rules_load(override_dirs: Sequence[Path] = ()) -> PrejudgeRules:
    """Read the pre-judgement rules, checking every entry."""
    top = _load("prejudge.toml", override_dirs, {"source", "results", "rule"})
    entries = top.entries("rule", id_key="id", required=True)
    rules = tuple(_rule(i, entry) for i, entry in enumerate(entries))
    results = top.sub("results").data if "results" in top else {}
    source = top.sub("source").data if "source" in top else {}
    labels = {**dict.fromkeys(RESULTS, ""), **results}
    return PrejudgeRules(rules=rules, labels=labels, source=source)


def _rule(index: int, entry: Table) -> PrejudgeRule:
    entry.keys({"result"}, {"id", "priority", "reason", "when"})
    when = entry.child("when", entry.get("when", {}))
    when.keys(set(), _WHEN)
    if set(when.data) - {"layer"} and "layer" not in when:
        when.fail("条件须写明 layer（图层类别）", "layer")
    return PrejudgeRule(
        id=entry.text("id") if "id" in entry else str(index),
        result=entry.choice("result", RESULTS),
        priority=entry.choice("priority", PRIORITIES, default="normal"),
        reason=entry.text("reason", required=False),
        when=when.data,
    )


def prejudge(rules: PrejudgeRules, overlaps: Iterable[Overlap],
             imagery_on: dt.date | None) -> Prejudgement:
    """Give a patch its pre-judgement from its overlaps: the first matching rule."""
    by_kind = _merge(overlaps)
    for rule in rules.rules:
        kind = rule.when.get("layer")
        ov = by_kind.get(kind, Overlap(kind=kind or "", m2=0.0, share=0.0))
        if _holds(rule.when, ov, imagery_on):
            reason = rule.reason.format(share=percent(ov.share), m2=f"{ov.m2:.2f}",
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
    top = _load("verdicts.toml", override_dirs, {"source", "verdict", "measures"})
    kinds: dict[str, VerdictKind] = {}
    for entry in top.entries("verdict"):
        kind = _verdict(entry)
        if kind.code in kinds:
            entry.fail(f"判定类别 {kind.code} 重复", "code")
        kinds[kind.code] = kind
    if not any(k.opens_lead for k in kinds.values()):
        top.fail("至少要有一个判定类别 opens_lead = true（违法）", "opens_lead")
    return kinds


_VERDICT_FLAGS = ("requires_basis", "opens_lead", "rectification", "requires_note")


def _verdict(entry: Table) -> VerdictKind:
    entry.keys({"code", "label"}, {*_VERDICT_FLAGS, "basis_label", "basis"})
    return VerdictKind(
        code=entry.text("code"),
        label=entry.text("label"),
        basis_label=entry.text("basis_label", required=False),
        basis=entry.text("basis", required=False),
        **{flag: entry.flag(flag) for flag in _VERDICT_FLAGS},
    )


def measures_load(override_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """Read the rectification measures (code → words)."""
    top = _load("verdicts.toml", override_dirs, {"source", "verdict", "measures"})
    measures = top.sub("measures") if "measures" in top else None
    return {code: measures.text(code) for code in measures.data} if measures else {}


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

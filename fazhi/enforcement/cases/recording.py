"""Which acts of a case lack a full-process record (pure: no Django).

The list of acts, the forms that satisfy each and the case step from which each
is due are rule data (``rules/recording.toml``); a bureau's file of the same name
replaces or adds acts by code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi.core.ruledata import (
    RuleFileError,
    Table,
    merged_entries,
    rule_files,
    rule_folders,
)

RULES_FILE = Path(__file__).parents[1] / "rules" / "recording.toml"
KINDS = {"video": "视频", "audio": "录音", "photo": "照片", "written": "文字记录"}

RecordingRuleError = RuleFileError
"""The name older callers catch: recording.toml is unreadable or wrong."""


@dataclass(frozen=True)
class Act:
    """An enforcement act that must be recorded, and the forms that satisfy it."""

    code: str
    label: str
    after: str  # the workflow action from which the act is due
    kinds: tuple[str, ...]
    article: str

    @property
    def kinds_label(self) -> str:
        return "或".join(KINDS[k] for k in self.kinds)


@dataclass(frozen=True)
class Gap:
    """An act that is due and has no record of an accepted form."""

    act: Act

    def __str__(self) -> str:
        return f"{self.act.label}：缺少{self.act.kinds_label}（{self.act.article}）"


def gaps(
    acts: Sequence[Act], *, done_actions: Iterable[str],
    records: Iterable[tuple[str, str]],
) -> list[Gap]:
    """Return the due acts without a record; ``records`` holds (act, kind) pairs."""
    done = set(done_actions)
    have = set(records)
    return [Gap(act) for act in acts if act.after in done
            and not any((act.code, kind) in have for kind in act.kinds)]


def load_acts(extra_dirs: Sequence[Path] = ()) -> tuple[Act, ...]:
    """Read the shipped list, then each folder's recording.toml (by code)."""
    files = rule_files(rule_folders(RULES_FILE.parent, extra_dirs), RULES_FILE.name)
    return tuple(merged_entries(files, "act", _act, head=_head).values())


def _head(top: Table) -> None:
    top.keys(set(), {"source", "act"})


def _act(entry: Table, _: None) -> Act:
    entry.keys({"code", "label", "after", "kinds", "article"})
    return Act(
        code=entry.text("code"),
        label=entry.text("label"),
        after=entry.text("after"),
        kinds=_kinds(entry),
        article=entry.text("article"),
    )


def _kinds(entry: Table) -> tuple[str, ...]:
    kinds = entry.choices("kinds", tuple(KINDS))
    if not kinds:
        entry.fail(f"kinds 至少写一种：{'、'.join(KINDS)}", "kinds")
    return kinds

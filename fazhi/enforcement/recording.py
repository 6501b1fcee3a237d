"""Which acts of a case lack a full-process record (pure: no Django).

The list of acts, the forms that satisfy each and the case step from which each
is due are rule data (``rules/recording.toml``); a bureau's file of the same name
replaces or adds acts by code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

RULES_FILE = Path(__file__).with_name("rules") / "recording.toml"
KINDS = {"video": "视频", "audio": "录音", "photo": "照片", "written": "文字记录"}


class RecordingRuleError(ValueError):
    """An unreadable recording.toml; the message names the file and the act."""


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
    acts: dict[str, Act] = {}
    paths = [RULES_FILE, *(Path(d) / RULES_FILE.name for d in extra_dirs)]
    for path in paths:
        if path.is_file():
            for act in _read(path):
                acts[act.code] = act
    return tuple(acts.values())


def _read(path: Path) -> list[Act]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RecordingRuleError(f"{path}：无法读取（{error}）") from error
    return [_act(path, entry) for entry in data.get("act", [])]


def _act(path: Path, entry: dict) -> Act:
    where = f"{path} 中的 act {entry.get('code', '?')}"
    try:
        act = Act(code=entry["code"], label=entry["label"], after=entry["after"],
                  kinds=tuple(entry["kinds"]), article=entry["article"])
    except KeyError as error:
        raise RecordingRuleError(f"{where}：缺少键 {error}") from error
    unknown = [k for k in act.kinds if k not in KINDS]
    if unknown or not act.kinds:
        raise RecordingRuleError(
            f"{where}：kinds 只能取 {'、'.join(KINDS)}，现为 {list(act.kinds)}")
    return act

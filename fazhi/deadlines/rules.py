"""Statutory deadline rules, read from one TOML file per law.

Pure: standard library only. The shipped files sit in ``rules/`` next to this module.
A bureau updates a rule when a law changes by putting a TOML file with the same rule
id into one of its override directories: the later file wins, no code changes.

File shape::

    [law]
    name = "中华人民共和国行政许可法"
    version = "2019年修正"
    in_force = 2019-04-23
    source = "where the article text was read"

    [[rule]]
    id = "permit.decision"
    name = "行政许可决定期限"
    article = "第四十二条第一款"
    unit = "working_day"            # or "calendar_day"
    length = 20
    extension_cap = 10              # 0 = no extension allowed
    pauses = ["hearing", "expert_review"]
    yellow_days = 5                 # working days left that turn the clock yellow
    start_event = "受理行政许可申请之日"
    note = ""                       # optional
    # optional per-rule overrides: law, version, in_force, source
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

RULES_DIR = Path(__file__).with_name("rules")

Unit = Literal["working_day", "calendar_day"]
UNITS: tuple[Unit, ...] = ("working_day", "calendar_day")

PAUSE_KINDS: dict[str, str] = {
    "correction": "补正",
    "consultation": "征求第三方或者有关机关意见",
    "hearing": "听证",
    "tendering": "招标",
    "auction": "拍卖",
    "testing": "检验、检测、检疫",
    "appraisal": "鉴定",
    "expert_review": "专家评审",
    "public_notice": "公告",
    "mail_transit": "邮递在途",
    "criminal_referral": "涉嫌犯罪移送后等待公安机关、检察机关决定",
    "suspension": "中止",
    "reconsideration": "行政复议期间",
    "litigation": "行政诉讼期间",
}
"""Kinds of event that may stop a clock, with the words the law uses for them."""

_LAW_KEYS = {"name", "version", "in_force", "source"}
_RULE_REQUIRED = {
    "id",
    "name",
    "article",
    "unit",
    "length",
    "extension_cap",
    "pauses",
    "yellow_days",
    "start_event",
}
_RULE_OPTIONAL = {"note", "law", "version", "in_force", "source"}
_LAW_OVERRIDES = {
    "law": "name",
    "version": "version",
    "in_force": "in_force",
    "source": "source",
}
"""Per-rule keys that override the file's [law] table, and the key they override."""
_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


@dataclass(frozen=True)
class Rule:
    """One statutory period: its length, unit, cap on extension and legal citation."""

    id: str
    name: str
    law: str
    version: str
    article: str
    unit: Unit
    length: int
    extension_cap: int
    pauses: tuple[str, ...]
    yellow_days: int
    start_event: str
    source: str
    note: str = ""
    in_force: date | None = None


class RuleError(ValueError):
    """A rule file is unreadable or wrong; the message names the file and the key."""


def load_rules(extra_dirs: Sequence[Path] = ()) -> dict[str, Rule]:
    """Read the shipped rule files, then each extra dir's; a later id replaces."""
    rules: dict[str, Rule] = {}
    for path in _rule_files(extra_dirs):
        for rule in read_rule_file(path):
            rules[rule.id] = rule
    return rules


def read_rule_file(path: Path) -> list[Rule]:
    """Read and validate one law's rule file."""
    data = _parse(path)
    _check_keys(f"{path}：文件顶层", data, {"law", "rule"}, set())
    law = data["law"]
    if not isinstance(law, dict):
        raise RuleError(f"{path}：[law] 必须是一个表")
    _check_keys(f"{path}：[law]", law, _LAW_KEYS, set())
    entries = data["rule"]
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{path}：规则须写作一个或多个 [[rule]]")
    rules = [_read_rule(path, law, n, entry) for n, entry in enumerate(entries, 1)]
    _check_unique(path, rules)
    return rules


def _rule_files(extra_dirs: Sequence[Path]) -> Iterator[Path]:
    yield from sorted(RULES_DIR.glob("*.toml"))
    for folder in map(Path, extra_dirs):
        if not folder.is_dir():
            raise RuleError(f"{folder}：规则目录不存在")
        yield from sorted(folder.glob("*.toml"))


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}：无法读取规则文件：{exc}") from exc


def _read_rule(path: Path, law: dict, n: int, entry: Any) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"{path}：第{n}条 [[rule]] 必须是一个表")
    rule_id = entry.get("id")
    where = (
        f"{path}：规则 {rule_id}"
        if isinstance(rule_id, str)
        else f"{path}：第{n}条规则"
    )
    _check_keys(where, entry, _RULE_REQUIRED, _RULE_OPTIONAL)
    merged = {key: entry.get(key, law[name]) for key, name in _LAW_OVERRIDES.items()}
    return Rule(
        id=_rule_id(where, entry),
        name=_text(where, entry, "name"),
        law=_text(where, merged, "law"),
        version=_text(where, merged, "version"),
        article=_text(where, entry, "article"),
        unit=_unit(where, entry),
        length=_int(where, entry, "length", minimum=1),
        extension_cap=_int(where, entry, "extension_cap", minimum=0),
        pauses=_pauses(where, entry),
        yellow_days=_int(where, entry, "yellow_days", minimum=0),
        start_event=_text(where, entry, "start_event"),
        source=_text(where, merged, "source"),
        note=_text(where, entry, "note", required=False),
        in_force=_date(where, merged, "in_force"),
    )


def _check_keys(where: str, table: dict, required: set, optional: set) -> None:
    unknown = sorted(set(table) - required - optional)
    if unknown:
        raise RuleError(f"{where}：未知的键 {', '.join(unknown)}")
    missing = sorted(required - set(table))
    if missing:
        raise RuleError(f"{where}：缺少键 {', '.join(missing)}")


def _check_unique(path: Path, rules: list[Rule]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{path}：规则 {rule.id} 在同一文件中重复出现")
        seen.add(rule.id)


def _text(where: str, table: dict, key: str, *, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RuleError(f"{where}：键 {key} 必须是非空文字，现为 {value!r}")
    return value.strip()


def _rule_id(where: str, entry: dict) -> str:
    value = _text(where, entry, "id")
    if not _ID.fullmatch(value):
        raise RuleError(
            f"{where}：键 id 须形如 law.period（小写字母、数字、下划线和点）"
        )
    return value


def _int(where: str, table: dict, key: str, *, minimum: int) -> int:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RuleError(
            f"{where}：键 {key} 必须是不小于 {minimum} 的整数，现为 {value!r}"
        )
    return value


def _unit(where: str, entry: dict) -> Unit:
    value = entry["unit"]
    if value not in UNITS:
        raise RuleError(f"{where}：键 unit 只能是 {' 或 '.join(UNITS)}，现为 {value!r}")
    return value


def _pauses(where: str, entry: dict) -> tuple[str, ...]:
    value = entry["pauses"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where}：键 pauses 必须是文字列表，现为 {value!r}")
    unknown = [v for v in value if v not in PAUSE_KINDS]
    if unknown:
        known = ", ".join(PAUSE_KINDS)
        raise RuleError(
            f"{where}：键 pauses 含未知的暂停事由 {unknown[0]!r}（可用：{known}）"
        )
    if len(set(value)) != len(value):
        raise RuleError(f"{where}：键 pauses 有重复项")
    return tuple(value)


def _date(where: str, table: dict, key: str) -> date:
    value = table[key]
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RuleError(
            f"{where}：键 {key} 必须是日期（如 2019-05-15），现为 {value!r}"
        )
    return value

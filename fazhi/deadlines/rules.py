"""Statutory deadline rules, read from one TOML file per law.

Pure: no Django. The shipped files sit in ``rules/`` next to this module.
A bureau updates a rule when a law changes by putting a TOML file with the same rule
id into one of its override directories: the later file wins, no code changes.

File shape::

    [law]
    name = "中华人民共和国行政许可法"
    version = "2019年修正"
    in_force = 2019-04-23
    source = "where the article text was read"
    # optional: standing = "law" | "province" | "bureau" | "preset", document = "文号"

    [[rule]]
    id = "permit.decision"
    duty = "bureau"                 # whose period: bureau | promise | party (below)
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

``duty`` says what a lapse means, the one meaning of "overdue" (超期) on every page:
``bureau`` — the bureau's own statutory duty (reply, decision, certificate, case
period): past its due date the bureau is overdue; ``promise`` — the bureau's own
shorter promise (承诺时限): past it the matter is over the promise, not overdue;
``party`` — a window that runs for a party or another body (statement, hearing
request, payment, appeal): past it the window has lapsed (已届满), which is never the
bureau's lapse. A bureau file that replaces a rule without ``duty`` keeps the
replaced rule's; a new rule without it is the bureau's duty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from fazhi.core.remedies import numeral
from fazhi.core.ruledata import (
    CITE_OVERRIDES,
    Citation,
    RuleFileError,
    Standing,
    Table,
    all_rule_files,
    merge_by_id,
    read_table,
    rule_folders,
)

RULES_DIR = Path(__file__).with_name("rules")

Unit = Literal["working_day", "calendar_day"]
UNITS: tuple[Unit, ...] = ("working_day", "calendar_day")
UNIT_WORDS: dict[str, str] = {"working_day": "个工作日", "calendar_day": "日"}
DUTIES = ("bureau", "promise", "party")

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
# an entry may state its own standing (a preset period in a file of laws)
_RULE_OPTIONAL = {"note", "duty", "standing", *CITE_OVERRIDES}
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
    standing: Standing = Standing.LAW
    document: str = ""  # the province's or bureau's document number, if any
    duty: str = ""  # bureau | promise | party; "" until load_rules settles it

    def words(self, length: int | None = None) -> str:
        """The period as an instrument or a page writes it: 十五日, 十个工作日
        (``length`` units of the rule's unit, by default the rule's own)."""
        return f"{numeral(length or self.length)}{UNIT_WORDS[self.unit]}"

    @property
    def citation(self) -> Citation:
        """Return the rule's law and article as the kit's one citation shape."""
        return Citation(
            self.law, self.version, self.article, self.source, self.in_force,
            standing=self.standing, document=self.document,
        )


RuleError = RuleFileError
"""The name older callers catch: a rule file is unreadable or wrong."""


def load_rules(extra_dirs: Sequence[Path] = ()) -> dict[str, Rule]:
    """Read the shipped rule files, then each extra dir's; a later id replaces.

    Every ``*.toml`` of a folder is read (a bureau names its files by law), in name
    order; an id a later file repeats replaces the earlier rule whole.
    """
    rules: dict[str, Rule] = {}
    for path in all_rule_files(rule_folders(RULES_DIR, extra_dirs)):
        for rule in read_rule_file(path):
            if not rule.duty:
                replaced = rules.get(rule.id)
                rule = replace(rule, duty=replaced.duty if replaced else "bureau")
            rules[rule.id] = rule
    return rules


def read_rule_file(path: Path) -> list[Rule]:
    """Read and validate one law's rule file."""
    top = read_table(path)
    top.keys({"law", "rule"})
    law = top.sub("law").law(required=("name", "version", "in_force", "source"))
    found = merge_by_id(
        {}, top.entries("rule", id_key="id", required=True),
        lambda t: _read_rule(t, law), id_key="id",
    )
    return list(found.values())


def _read_rule(entry: Table, law: Citation) -> Rule:
    entry.keys(_RULE_REQUIRED, _RULE_OPTIONAL)
    cite = entry.cite(law)
    return Rule(
        id=_rule_id(entry),
        name=entry.text("name"),
        law=cite.law,
        version=cite.version,
        article=cite.article,
        unit=entry.choice("unit", UNITS),  # type: ignore[arg-type]
        length=entry.integer("length", minimum=1),
        extension_cap=entry.integer("extension_cap", minimum=0),
        pauses=_pauses(entry),
        yellow_days=entry.integer("yellow_days", minimum=0),
        start_event=entry.text("start_event"),
        source=cite.source,
        note=entry.text("note", required=False),
        in_force=cite.in_force,
        standing=entry.standing(default=cite.standing),
        document=cite.document,
        duty=_duty(entry),
    )


def _rule_id(entry: Table) -> str:
    value = entry.text("id")
    if not _ID.fullmatch(value):
        entry.fail("键 id 须形如 law.period（小写字母、数字、下划线和点）", "id")
    return value


def _duty(entry: Table) -> str:
    value = entry.text("duty", required=False)
    if value and value not in DUTIES:
        entry.fail(f"键 duty 只能是 {'、'.join(DUTIES)}，现为 {value!r}", "duty")
    return value


def _pauses(entry: Table) -> tuple[str, ...]:
    value = entry.texts("pauses", required=True)
    unknown = [v for v in value if v not in PAUSE_KINDS]
    if unknown:
        known = ", ".join(PAUSE_KINDS)
        entry.fail(
            f"键 pauses 含未知的暂停事由 {unknown[0]!r}（可用：{known}）", "pauses"
        )
    if len(set(value)) != len(value):
        entry.fail("键 pauses 有重复项", "pauses")
    return value

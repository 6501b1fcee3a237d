"""Read the figures of a published annual rule-of-law report (pure: no Django).

Text copied from a government portal is normalised first (:mod:`.text`): pinyin
annotations such as "建設(shè)" stripped, traditional characters converted to
simplified with OpenCC, full-width digits and signs made half-width, page furniture
("— 3 —", "第 2 页 共 5 页", the portal's 来源/发布时间/字体 line) dropped and lines
broken by a page rejoined (never a bare numbered heading to its paragraph). The
portal's metadata block (索引号, 发布机构, 文号, 成文日期, 标题 …, one pair a line, a
label alone above its value, or a table row) is kept as data. Then each figure is
looked for in the phrases bureaus write (:mod:`.phrases`, :mod:`.disputes`). A
figure found with two different values, stated loosely (约, 余, 多, a range — but a
fee is approximate by name, so 近30万元 is a fee), stated as an aim (确保, 力争), of
another period or written in the next-year plans is left out: a person fills it in,
the program never guesses. Every candidate left out is kept in
:attr:`Extraction.not_taken` with its sentence and the reason.

Units of the result: counts in 件/次; ``fees_yuan_approx`` in yuan (万元 converted);
``*_change_pct`` in percentage points, negative for 下降; the appearance rate in
percent (100 for 100%). ``study_by_group`` holds the study counts a report gives for
each group (领导班子 for the leadership's 中心组, 会前学法, 干部职工), two groups being
two figures; ``study_sessions`` is the count stated for all (a total, or the one
group's count where only one is given).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.reports.extract.disputes import dispute_candidates
from fazhi.reports.extract.phrases import Candidate, body_candidates, header_candidates
from fazhi.reports.extract.text import (
    Document,
    ExtractError,
    cn_number,
    decode,
    normalise,
    normalise_text,
    sentences,
)

# The keys, in the order the JSON lists them.
KEYS = ("organisation", "year", "document_number", "signed_on", "study_sessions",
        "study_by_group", "permits", "fees_yuan_approx", "permits_overdue",
        "service_complaints", "reconsideration", "litigation",
        "principal_appearance_rate_pct")
SUB_KEYS = {"reconsideration": ("received", "concluded", "correction_rate_change_pct"),
            "litigation": ("received", "concluded", "lost", "loss_rate_change_pct")}


@dataclass(frozen=True)
class NotTaken:
    """A candidate figure left out: its dotted key, the value it would have had
    ("" when stated loosely), the sentence and the reason, in the report's words."""

    key: str
    value: str
    sentence: str
    reason: str


@dataclass
class Extraction:
    """Figures found, the sentence each came from, and what was left out and why."""

    # The JSON of ``fazhi baseline extract``; then, by dotted key ("litigation.lost"),
    # the sentence each figure came from and why a figure was left out; then every
    # candidate not taken (an aim, a conflicting or loose value …) with its sentence.
    figures: dict = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    omitted: dict[str, str] = field(default_factory=dict)
    not_taken: list[NotTaken] = field(default_factory=list)


Resolved = tuple[dict, dict[str, str], dict[str, str], list[NotTaken]]


def resolve(cands: list[Candidate]) -> Resolved:
    """Keep each key's single sure value; leave out loose or conflicting ones.

    Return (values by key tuple, sentence by dotted key, reason by dotted key, the
    candidates not taken).
    """
    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    not_taken = [_not_taken(c, c.why) for c in cands if c.aside]
    for c in cands:
        if not c.aside:
            groups[c.key].append(c)
    found, sources, omitted = {}, {}, {}
    for key, group in groups.items():
        top = max(c.rank for c in group)
        ranked = {c.value for c in group if c.rank == top}
        not_taken += [_not_taken(c, "同一项有更明确的表述，以该表述为准")
                      for c in group if c.rank < top and c.value not in ranked]
        group = [c for c in group if c.rank == top]
        name = ".".join(key)
        loose = [c for c in group if c.value is None]
        values = sorted({c.value for c in group if c.value is not None},
                        key=_order)
        if len(values) > 1:
            values = _total_over_parts(group) or _one_name(key, values) or values
        if loose:
            omitted[name] = f"表述不确定（{loose[0].why}）：{loose[0].sentence}"
            not_taken += [_not_taken(c, c.why or "与不确定的表述并存")
                          for c in group]
        elif len(values) > 1:
            omitted[name] = "出现不同数值：" + "、".join(_shown(v) for v in values)
            not_taken += [_not_taken(c, omitted[name]) for c in group]
        else:
            found[key] = values[0]
            sources[name] = next(c.sentence for c in group if c.value == values[0])
            not_taken += [_not_taken(c, f"是{_shown(values[0])}的分项")
                          for c in group if c.value != values[0]]
    return found, sources, omitted, not_taken


def _order(value):
    return (0, value, "") if isinstance(value, Decimal | int) else (1, 0, str(value))


def _not_taken(c: Candidate, reason: str) -> NotTaken:
    value = "" if c.value is None else _shown(c.value)
    return NotTaken(".".join(c.key), value, c.sentence, reason)


def _total_over_parts(group: list[Candidate]) -> list:
    """The total, where the other values are its parts (共16次，其中4次、12次)."""
    totals = {c.value for c in group if c.total and not c.part}
    if len(totals) != 1:
        return []
    total = next(iter(totals))
    others = [c for c in group if c.value != total]
    sure = all(c.part and c.value is not None and c.value < total for c in others)
    return [total] if sure else []


def _one_name(key: tuple, values: list) -> list:
    """The fullest of an organisation's names, where the others are parts of it
    (雨湖区自然资源局 in 湘潭市雨湖区自然资源局; 长沙市雨花区 in ……人民政府)."""
    if key != ("organisation",):
        return []
    longest = max(values, key=len)
    return [longest] if all(v in longest for v in values) else []


def extract(text: str) -> Extraction:
    """Find the figures of a report's text (see the module docstring)."""
    doc = Document.of(normalise(text))
    header, sources, omitted, not_taken = resolve(header_candidates(doc))
    year = header.get(("year",))
    cands = [c for s in sentences(doc.body)
             for c in body_candidates(s, year) + dispute_candidates(s, year)]
    body, body_sources, body_omitted, body_not_taken = resolve(cands)
    body_not_taken += _study_groups(body, body_sources, body_omitted, cands)
    found = header | body
    figures: dict = {}
    for top in KEYS:
        for key in [k for k in found if k[0] == top]:
            _put(figures, key, json_value(found[key]))
    for top, subs in SUB_KEYS.items():
        if top in figures:
            figures[top] = {k: figures[top][k] for k in subs if k in figures[top]}
    return Extraction(figures, sources | body_sources, omitted | body_omitted,
                      not_taken + body_not_taken)


STAFF = ("study_by_group", "干部职工")


def _study_groups(found: dict, sources: dict[str, str], omitted: dict[str, str],
                  cands: list[Candidate]) -> list[NotTaken]:
    """One group's study count, with no other and no total, is the count of all
    study sessions ("组织干部职工集中学法10次"). All staff's count beside a
    different count of all sessions not stated as a total (共, 累计) is one figure
    stated twice: a conflict, left out."""
    groups = [k for k in found if k[0] == "study_by_group"]
    total = found.get(("study_sessions",))
    if total is None:
        if len(groups) == 1:
            found[("study_sessions",)] = found.pop(groups[0])
            sources["study_sessions"] = sources.pop(".".join(groups[0]))
        return []
    stated_total = any(re.search("共|累计|合计|总计", c.sentence) for c in cands
                       if c.key == ("study_sessions",) and c.value == total)
    if groups == [STAFF] and found[STAFF] != total and not stated_total:
        values = sorted((found.pop(STAFF), found.pop(("study_sessions",))))
        for name in ("study_sessions", ".".join(STAFF)):
            sources.pop(name, None)
        omitted["study_sessions"] = "出现不同数值：" + "、".join(map(_shown, values))
        return [_not_taken(c, omitted["study_sessions"]) for c in cands
                if c.key in (STAFF, ("study_sessions",)) and not c.aside]
    return []


def json_value(value):
    """A figure as the JSON has it: int where whole, else float; text unchanged."""
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral() else float(value)


def _shown(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _put(tree: dict, key: tuple[str, ...], value) -> None:
    for part in key[:-1]:
        tree = tree.setdefault(part, {})
    tree[key[-1]] = value


__all__ = ["KEYS", "Candidate", "Document", "ExtractError", "Extraction", "NotTaken",
           "cn_number", "decode", "extract", "normalise", "normalise_text", "resolve"]

"""Read the figures of a published annual rule-of-law report (pure: no Django).

Text copied from a government portal is normalised first (:mod:`.text`): pinyin
annotations such as "建設(shè)" stripped, traditional characters converted to
simplified with OpenCC, full-width digits and signs made half-width, page furniture
("— 3 —", "第 2 页 共 5 页", the running head after a page number, the portal's
来源/发布时间/字体 line) dropped and lines broken by a page rejoined (never a bare
numbered heading to its paragraph). The
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
from dataclasses import dataclass, field, replace
from decimal import Decimal

from fazhi.reports.extract.disputes import ALL_CONCLUDED, dispute_candidates
from fazhi.reports.extract.phrases import (
    FREQUENCY,
    Candidate,
    aside,
    body_candidates,
    header_candidates,
)
from fazhi.reports.extract.text import (
    HAN,
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
    (雨湖区自然资源局 in 湘潭市雨湖区自然资源局; 长沙市雨花区 in ……人民政府). The
    office that published a body's report (天心区人民政府办公室 as 发布机构 of
    长沙市天心区人民政府's) is that body."""
    if key != ("organisation",):
        return []
    offices = [v for v in values if v.endswith("办公室")
               and any(v.removesuffix("办公室") in w for w in values if w != v)]
    values = [v for v in values if v not in offices]
    longest = max(values, key=len)
    return [longest] if all(v in longest for v in values) else []


def extract(text: str) -> Extraction:
    """Find the figures of a report's text (see the module docstring)."""
    doc = Document.of(normalise(text))
    header, sources, omitted, not_taken = resolve(header_candidates(doc))
    year = header.get(("year",))
    org = header.get(("organisation",))
    cands = [c for s in sentences(doc.body)
             for c in _sentence_candidates(s, year, org)]
    body, body_sources, body_omitted, body_not_taken = resolve(cands)
    body_not_taken += _study_groups(body, body_sources, body_omitted, cands)
    _all_concluded(body, body_sources, body_omitted)
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


def _sentence_candidates(sentence: str, year, org: str | None) -> list[Candidate]:
    """The candidates of one sentence, read without its parenthesised asides —
    "（含专题讲座）", "（线上学法3次、线下学法8次）", "（上年同期为9件）" are a
    figure's parts, kinds or other periods, never the figure — and shown with the
    sentence as printed. Where another body is the subject ("市人民政府全年共收到
    行政复议申请123件", "其中县自然资源局办理……", "涉及区城管局的……"), the figures
    up to the next subject are that body's: set aside."""
    text = _ASIDE.sub("", sentence)
    while text != (shorter := _ASIDE.sub("", text)):
        text = shorter
    out: list[Candidate] = []
    for run, other in _runs(text, org):
        cands = body_candidates(run, year) + dispute_candidates(
            run, year, "民事" in sentence)
        if other:
            cands = [aside(c.key, c.value, run, f"是{other}的数，不是本机关的")
                     for c in cands if (c.value is not None or not c.aside)
                     and c.key[-1] != ALL_CONCLUDED]
        out += cands
    out = _government_and_scope(text, org, out)
    return [replace(c, sentence=sentence) if c.sentence in (text, *[
        r for r, _ in _runs(text, org)]) else c for c in out]


_ASIDE = re.compile(r"\([^()]*\)")
# A body named as the subject of a count: "市人民政府全年共收到", "县自然资源局办理",
# "涉及区城管局的". Courts are left out: 法院审结 is how a lawsuit of ours ends.
_BODY = rf"[{HAN}]{{0,14}}?(?:人民政府|政府|局|委员会|办公室|中心)"
# A scope named as the subject: "全市自然资源系统共办理", "全县各级行政机关共发生".
_SCOPE = rf"全[省市县区](?:[{HAN}]{{0,10}}?(?:系统|机关|部门|单位))?"
_SUBJECT = re.compile(
    rf"涉及(?P<inv>{_BODY})的|(?P<body>{_BODY}|{_SCOPE})(?=(?:全年|今年|年内|依法)?(?:共|累计|合计)?"
    "(?:办理|收到|受理|发生|审结|办结|新收|收案|核发|发放|出具|征收|收取|代收|组织|开展"
    "|作为被申请人|作为被告|为被告|为被申请人))"
    # A scope as the subject of a rate: "全市自然资源系统行政诉讼败诉率3.1%，出庭应诉率98%".
    rf"|(?P<rated>{_SCOPE})(?=(?:行政诉讼|行政复议|行政应诉)?(?:败诉率|纠错率|出庭|负责人出庭))")
_NOT_BODY = re.compile("大局|格局|布局|结局|开局|当局|时局")


# A government's report naming all the bodies of its place and itself as the party:
# "全县行政机关作为被告的一审行政诉讼案件143件，其中县政府作为被告的案件37件".
_ALL_BODIES = re.compile("全[省市县区](?:各级)?(?:行政机关|各部门|各级)")
_ITSELF = re.compile("(?:[省市县区]|本级)(?:人民)?政府(?:本级)?(?:作为|为)(?P<as>被告|被申请人)")


def _government_and_scope(text: str, org: str | None,
                          cands: list[Candidate]) -> list[Candidate]:
    """In a government's report, a count of cases of all the place's bodies beside
    the government's own count as the party: which one the report's figure is, is
    left for a person (neither is taken)."""
    if not (org and org.endswith("政府") and _ALL_BODIES.search(text)):
        return cands
    matters = {"litigation" if m["as"] == "被告" else "reconsideration"
               for m in _ITSELF.finditer(text)}
    why = "全县（区、市）行政机关的案件数与本级政府作为当事人的案件数并列，以哪个为准请人工确定"
    return [Candidate(c.key, None, c.sentence, why=why)
            if c.key[0] in matters and c.key[-1] == "received" and not c.aside else c
            for c in cands]


def _runs(text: str, org: str | None) -> list[tuple[str, str]]:
    """``text`` cut where a body is named as the subject of a count: (run, the
    other body owning it, or "" where the run is the reporting body's own)."""
    cuts: list[tuple[int, str]] = []
    for m in _SUBJECT.finditer(text):
        body = re.sub("^(?:其中|另有|另|由|经|和|及|与|由于|全年|今年|年内|同时|此外)+", "",
                      m["inv"] or m["body"] or m["rated"])
        if not body or _NOT_BODY.search(body[-2:] if len(body) > 1 else body):
            continue
        cuts.append((m.start(), "" if _own(body, org) else body))
    if not any(other for _, other in cuts):
        return [(text, "")]
    bounds = [(0, ""), *cuts]
    return [(text[start:end], other) for (start, other), (end, _) in
            zip(bounds, [*bounds[1:], (len(text), "")], strict=True)
            if text[start:end]]


def _own(body: str, org: str | None) -> bool:
    """Whether ``body`` is the reporting body: 我局, 本局, 全县; or its own name,
    shortened or without the place (县自然资源局 for 茶陵县自然资源局, 县人民政府
    for 攸县人民政府)."""
    scope = re.match("全([省市县区])", body)
    if scope:
        return _own_scope(scope[1], body, org)
    if re.search("我|本局|本委|本机关|本单位|全县|全区|全市|局机关", body):
        return True
    return bool(org) and _abbreviates(re.sub("^[以由在对向]", "", body), org)


def _own_scope(level: str, body: str, org: str | None) -> bool:
    """Whether a scope (全县, 全市系统, 全县各级行政机关) is the reporting body's:
    the level of its own place (全市 in 耒阳市's report; not in 石门县's, where it is
    the city's), and for a department not all the government's bodies (全县各级行政
    机关 in a bureau's report are the county's)."""
    if not org:
        return True
    own = "县" if "县" in org else "区" if "区" in org else "市" if "市" in org else ""
    if level != own:
        return False
    department = not org.endswith("政府")
    return not (department and re.search("各级|行政机关", body))


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is ``name`` shortened: its characters in order within it
    (县市场监管局 of 湘潭县市场监督管理局, 住建局 of ……住房和城乡建设局)."""
    rest = iter(name)
    return all(ch in rest for ch in short)


def _all_concluded(found: dict, sources: dict[str, str],
                   omitted: dict[str, str]) -> None:
    """"行政复议案件均已审结" stated apart from the count received: the count
    concluded is the count received; a different count concluded contradicts it,
    and is left out."""
    for matter in ("reconsideration", "litigation"):
        if found.pop((matter, ALL_CONCLUDED), None) is None:
            continue
        said = sources.pop(f"{matter}.{ALL_CONCLUDED}")
        received = found.get((matter, "received"))
        concluded = found.get((matter, "concluded"))
        name = f"{matter}.concluded"
        if concluded is None and received is not None and name not in omitted:
            found[(matter, "concluded")] = received
            sources[name] = said
        elif concluded is not None and received is not None and concluded != received:
            del found[(matter, "concluded")]
            omitted[name] = f"“均已审结”与办结数{_shown(concluded)}不符：{said}"


STAFF = ("study_by_group", "干部职工")


def _study_groups(found: dict, sources: dict[str, str], omitted: dict[str, str],
                  cands: list[Candidate]) -> list[NotTaken]:
    """One group's study count, with no other and no total, is the count of all
    study sessions ("组织干部职工集中学法10次"). All staff's count beside a
    different count of all sessions not stated as a total (共, 累计) is one figure
    stated twice: a conflict, left out."""
    groups = [k for k in found if k[0] == "study_by_group"]
    total = found.get(("study_sessions",))
    # Another group's study stated loosely or as a rule of frequency (每月组织干部职工
    # 学法一次) is study beside this group's: this one is still a group's.
    named = {c.key for c in cands if c.key[0] == "study_by_group"
             and (not c.aside or c.value is None or c.why == FREQUENCY)}
    if total is None:
        # Another group's count stated loosely (中心组学法十余次) still makes this
        # one a group's, not all the study.
        if len(groups) == 1 and named <= set(groups):
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

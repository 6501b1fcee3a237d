"""The phrases bureaus state their figures in; each match becomes a candidate. Pure.

A candidate is not a figure yet: :func:`fazhi.reports.extract.resolve` keeps a key
only when all its candidates are sure and agree. Loose wording makes a candidate
with no value, so that the key is left out rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fazhi.reports.extract.text import (
    DATE,
    DOC_NUMBER,
    HAN,
    NUM,
    ORG,
    QTY,
    YEAR,
    Document,
    cn_number,
    date_line,
    number,
    year_digits,
)


@dataclass(frozen=True)
class Candidate:
    key: tuple[str, ...]  # ("litigation", "lost"), ("permits", "乡村建设规划许可证")
    value: object  # Decimal, str or None: None when stated loosely
    sentence: str
    total: bool = False  # stated as a total (共, 累计, 全年): wins over its parts
    part: bool = False  # stated after 其中: a part of a total
    rank: int = 0  # only the highest rank of a key counts (配套费 over other fees)
    why: str = ""  # why a loose candidate is loose


_GOAL = re.compile("确保|力争|争取|目标|努力实现|计划|拟|预计|有望")
_EARLIER = re.compile("上年|去年|上一年|同期|以往|历年")
_PARTIAL = re.compile("上半年|下半年|季度|月份|当月")  # a part of the year only
_FREQUENCY = re.compile("(?:每|第)[^，,、；;]{0,3}$")  # 每月至少1次, 第3次
_TOTAL = re.compile("共|累计|合计|总计|全年")
_CLAUSE = re.compile(r"[，,、：:；;]")
_APPROX = ("约", "大约")


def _clause_prefix(sentence: str, pos: int) -> str:
    starts = [m.end() for m in _CLAUSE.finditer(sentence, 0, pos)]
    return sentence[starts[-1] if starts else 0:pos]


def _loose(m: re.Match, approx: bool) -> str:
    if m["range"]:
        return f"数值为范围“{m['num']}{m['range']}”"
    if m["post"]:
        return f"“{m['num']}{m['post']}”不是确数"
    if m["pre"] and not (approx and m["pre"] in _APPROX):
        return f"“{m['pre']}{m['num']}”不是确数"
    return ""


def _cand(key, m: re.Match, sentence: str, year: int | None, *, scale=1,
          approx=False, rank=0, sign=1, change=False) -> Candidate | None:
    """A candidate from a match holding QTY, or None where the phrase is no fact of
    the year (an aim, a frequency, another year's figure)."""
    start = m.start("num") - len(m["pre"] or "")
    if _GOAL.search(sentence[:start]) or _FREQUENCY.search(sentence[:start]):
        return None
    prefix = _clause_prefix(sentence, start)
    years = {int(y) for y in re.findall(r"(\d{4})年", prefix)}
    if _PARTIAL.search(prefix):
        return None
    if not change and (_EARLIER.search(prefix) or (year and years - {year})):
        return None
    why = _loose(m, approx)
    value = None if why else number(m["num"])
    if not why and value is None:
        why = f"数字“{m['num']}”写法不明"
    if value is not None:
        value = value * scale * sign
    return Candidate(key, value, sentence, bool(_TOTAL.search(prefix)),
                     "其中" in sentence[:start], rank, why)


def _zero(key, m: re.Match, sentence: str) -> Candidate | None:
    if _GOAL.search(sentence[:m.end()]):
        return None
    return Candidate(key, Decimal(0), sentence)


# --- title block and signature --------------------------------------------------------

_TITLE = re.compile(rf"^(?P<org>{ORG})?(?:关于)?{YEAR}年度?(?:全县|全市|本局)?"
                    r"法治政府建设")
_REPORTING = re.compile(rf"现将{YEAR}年度?法治政府建设")


def header_candidates(doc: Document) -> list[Candidate]:
    """Organisation, year, document number and signing date."""
    out: list[Candidate] = []
    head = doc.head or doc.lines[:3]
    for i, line in enumerate(head):
        for text in (line, line + "".join(head[i + 1:i + 2])):
            m = _TITLE.search(text)
            if m:
                if m["org"]:
                    out.append(Candidate(("organisation",), m["org"], text))
                out.append(Candidate(("year",), year_digits(m["y"]), text))
                break
    for line in doc.body[:5]:
        for m in _REPORTING.finditer(line):
            out.append(Candidate(("year",), year_digits(m["y"]), line))
    for line in doc.lines:
        m = re.fullmatch(rf"(?:发文字号|文号)?[:：]?\s*{DOC_NUMBER.pattern}", line)
        if m:
            number_ = f"{m['who']}〔{m['dy']}〕{int(m['n'])}号"
            out.append(Candidate(("document_number",), number_, line))
    out += _signature(doc)
    return [c for c in out if c.value is not None]


def _signature(doc: Document) -> list[Candidate]:
    out = []
    for i, line in enumerate(doc.lines):
        day = date_line(line)
        if day is None:
            continue
        signed = line in doc.tail
        out.append(Candidate(("signed_on",), day.isoformat(), line, rank=int(signed)))
        org = line[:DATE.search(line).start()].strip()
        if not org and i > 0 and re.fullmatch(ORG, doc.lines[i - 1]):
            org = doc.lines[i - 1]
        if org and signed:
            out.append(Candidate(("organisation",), org, f"{org} {day.isoformat()}"))
    return out


# --- the body -------------------------------------------------------------------------

_UNIT_COUNT = "(?:件|个|本|份|宗|起)"
_STUDY = [
    re.compile(rf"(?:集中学法|学法活动|学法会|会前学法|学法)(?:会议|活动)?"
               rf"(?:共|计|达|累计|合计)?{QTY}(?:次|场|期)"),
    re.compile(rf"{QTY}(?:次|场|期)(?:集中)?学法"),
]
_ISSUE = "核发|办理|办结|发放|颁发|签发|出具|审批|作出|批准"
_INTAKE = "受理|收到|收件|接收|申请|申报"
_KIND = re.compile(rf"(?P<kind>[{HAN}]{{2,30}}?(?:许可证|意见书|批准书))"
                   rf"(?:共|计|合计|总计)?{QTY}{_UNIT_COUNT}")
_KIND_CUT = re.compile(rf"{_ISSUE}|{_INTAKE}|其中|全年|累计|合计|共|依法|完成")
_FEE = re.compile(rf"(?P<name>[{HAN}]{{0,14}}费)(?:共|计|合计|累计|总计|达到|达|为)?"
                  rf"{QTY}(?P<unit>亿元|万元|元)")
_COLLECT = re.compile("征收|收取|收缴|代收|缴纳|收费|征缴|足额")
_YUAN = {"元": 1, "万元": 10**4, "亿元": 10**8}
_WINDOW = re.compile("审批|办件|许可|窗口|政务服务|承诺时限|营商")
_NOT_WINDOW = re.compile("公开|复议|诉讼|执法|立案|举报|信访")
_OVERDUE_ZERO = re.compile(r"零超期|无一超期|(?:未出现|未发生|没有|无)(?:一件)?超期"
                           r"|超期(?:办件|件数|率)?为(?:零|0)(?![.\d])")
_OVERDUE = re.compile(rf"超期(?:办件|办结|件数)?(?:共|计|为)?{QTY}{_UNIT_COUNT}")
_COMPLAINT_ZERO = re.compile(r"零投诉|(?:未发生|未出现|未收到|没有|无)(?:一起|一件)?"
                             r"(?:服务|窗口|有效|群众)?投诉")
_COMPLAINT = re.compile(rf"(?:服务|窗口|有效|群众)?投诉(?:件)?(?:共|计|为)?{QTY}"
                        rf"(?:件|起|次|个)")


def body_candidates(sentence: str, year: int | None) -> list[Candidate]:
    """Every candidate figure one sentence of the body states."""
    out: list[Candidate | None] = []
    for pattern in _STUDY:
        out += [_cand(("study_sessions",), m, sentence, year)
                for m in pattern.finditer(sentence)]
    out += _permits(sentence, year) + _fees(sentence, year)
    out += _window(sentence, year) + _disputes(sentence, year)
    return [c for c in out if c is not None]


def _permits(sentence: str, year) -> list:
    out = []
    for m in _KIND.finditer(sentence):
        raw = m["kind"]
        cut = max((v.end() for v in _KIND_CUT.finditer(raw)), default=0)
        kind = raw[cut:]
        if len(kind) < 4 or kind.startswith(("各类", "各项", "相关", "其他", "有关")):
            continue
        verbs = re.findall(f"{_ISSUE}|{_INTAKE}", sentence[:m.start("kind") + cut])
        if verbs and re.fullmatch(_ISSUE, verbs[-1]):
            out.append(_cand(("permits", kind), m, sentence, year))
    return out


def _fees(sentence: str, year) -> list:
    out = []
    for m in _FEE.finditer(sentence):
        name = m["name"]
        if name.endswith(("经费", "补助费", "工作费", "宣传费")):
            continue
        if not _COLLECT.search(_clause_prefix(sentence, m.start("name")) + name):
            continue
        out.append(_cand(("fees_yuan_approx",), m, sentence, year,
                         scale=_YUAN[m["unit"]], approx=True,
                         rank=int("配套费" in name)))
    return out


def _window(sentence: str, year) -> list:
    if not _WINDOW.search(sentence):
        return []
    out = []
    for key, zero, counted in (
            (("permits_overdue",), _OVERDUE_ZERO, _OVERDUE),
            (("service_complaints",), _COMPLAINT_ZERO, _COMPLAINT)):
        for m in zero.finditer(sentence):
            if not _NOT_WINDOW.search(_clause_prefix(sentence, m.start()) + m[0]):
                out.append(_zero(key, m, sentence))
        for m in counted.finditer(sentence):
            clause = _clause_prefix(sentence, m.start("num")) + m[0]
            if not _NOT_WINDOW.search(clause):
                out.append(_cand(key, m, sentence, year))
    return out


# --- reconsideration and litigation -------------------------------------------------

_RECON_WORD = "行政复议|复议"
_LIT_WORD = "行政诉讼|行政应诉|应诉|诉讼|被诉"
_RECON_IN = re.compile(rf"(?:{_RECON_WORD})(?:案件|申请)?(?:共|计|合计|总计)?"
                       rf"{QTY}(?:件|起)")
_LIT_IN = re.compile(rf"(?<!出庭)(?:{_LIT_WORD})(?:案件)?(?:共|计|合计|总计)?"
                     rf"{QTY}(?:件|起)")
_DONE = re.compile(rf"(?:审结|办结|结案|已结|终结)(?:了)?"
                   rf"(?P<what>{_RECON_WORD}|{_LIT_WORD})?(?:案件)?(?:共|计)?{QTY}(?:件|起)")
_LOST = re.compile(rf"败诉(?:案件)?(?:共|计|为)?{QTY}(?:件|起)")
_LOST_ZERO = re.compile(r"零败诉|(?:未发生|未出现|没有|无)(?:一起|一件)?"
                        r"(?:行政诉讼)?败诉"
                        r"|败诉(?:案件|率)?为(?:零|0)(?![.\d])")
_CHANGE = re.compile(
    rf"(?P<rate>被纠错率|纠错率|败复率|败诉率)"
    rf"(?:同比|较上年|比上年|较去年|比去年|与上年相比|与上年|较上一年)?度?"
    rf"(?:(?P<dir>上升|提高|提升|增加|增长|下降|降低|减少|回落)了?{QTY}"
    rf"(?P<unit>个百分点|%)|(?P<flat>持平|保持不变))")
_APPEAR = re.compile(rf"出庭(?:应诉)?率(?:达到|达|为|保持|实现)?了?(?:{QTY}%|百分之百)")
_DOWN = ("下降", "降低", "减少", "回落")


def _subject(text: str, pos: int) -> str | None:
    """Which matter the nearest mention before ``pos`` names."""
    mentions = list(re.finditer(f"{_RECON_WORD}|{_LIT_WORD}|败诉", text[:pos]))
    if not mentions:
        return None
    return "reconsideration" if "复议" in mentions[-1][0] else "litigation"


def _disputes(sentence: str, year) -> list:
    # Parentheses hold asides ("含经复议后起诉2件") that would mislead the subject.
    text = re.sub(r"\([^()]*\)", "", sentence)
    out: list = []
    done = list(_DONE.finditer(text))
    covered = [range(m.start(), m.end()) for m in done]
    for pattern, matter in ((_RECON_IN, "reconsideration"), (_LIT_IN, "litigation")):
        for m in pattern.finditer(text):
            if not any(m.start() in r for r in covered):
                out.append(_cand((matter, "received"), m, text, year))
    for m in done:
        what = m["what"]
        matter = (("reconsideration" if "复议" in what else "litigation") if what
                  else _subject(text, m.start()))
        if matter:
            out.append(_cand((matter, "concluded"), m, text, year))
    out += [_cand(("litigation", "lost"), m, text, year) for m in _LOST.finditer(text)]
    out += [_zero(("litigation", "lost"), m, text) for m in _LOST_ZERO.finditer(text)]
    out += _changes(text, year)
    if "负责人" in text:
        for m in _APPEAR.finditer(text):
            out.append(_appearance(m, text, year))
    return out


def _changes(text: str, year) -> list:
    out = []
    for m in _CHANGE.finditer(text):
        key = (("litigation", "loss_rate_change_pct") if m["rate"] == "败诉率"
               else ("reconsideration", "correction_rate_change_pct"))
        if m["flat"]:
            out.append(_zero(key, m, text))
            continue
        c = _cand(key, m, text, year, sign=-1 if m["dir"] in _DOWN else 1,
                  change=True)
        if c is not None and m["unit"] == "%":
            c = Candidate(key, None, text, why="变化以%表述，不知是否为百分点")
        out.append(c)
    return out


def _appearance(m: re.Match, text: str, year) -> Candidate | None:
    key = ("principal_appearance_rate_pct",)
    if m["num"] is None:  # 百分之百
        if _GOAL.search(text[:m.end()]):
            return None
        return Candidate(key, Decimal(100), text)
    c = _cand(key, m, text, year)
    if c is not None and c.value is not None and not 0 <= c.value <= 100:
        return Candidate(key, None, text, why="比率超出0–100%")
    return c


__all__ = ["NUM", "Candidate", "body_candidates", "cn_number", "header_candidates"]

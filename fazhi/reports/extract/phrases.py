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
    TABLE_MARK,
    YEAR,
    Document,
    cn_number,
    date_line,
    date_of,
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
    why: str = ""  # why a loose candidate is loose, or why it was set aside
    aside: bool = False  # no fact of the year (an aim, a frequency): reported only


GOAL = re.compile("确保|力争|争取|目标|努力实现|计划|拟|预计|有望")
# A heading that states an aim, run into its paragraph by the copy: "力争实现干部学法
# 全覆盖目标全年局党组中心组学法7次". The aim closes at 目标 where the year's
# account starts (全年, 今年, 2024年) and the aim is named before it (……全覆盖目标,
# not "确保实现目标全年学法12次", whose aim follows); what follows is the year's fact.
_AIM_CLOSED = re.compile(r"(?<![现到成保争的定立])目标(?=全年|今年|本年度?|年内|一年来|\d{4}年)")
_EARLIER = re.compile("上年|去年|上一年|同期|以往|历年|以来|近[一二两三四五几\\d]+年|年来"
                      "|十[一二三四五六]五|(?:期间|时期)累计")
_PARTIAL = re.compile("上半年|下半年|季度|月份|当月")  # a part of the year only
_FREQUENCY = re.compile("(?:每|第)[^，,、；;]{0,3}$")  # 每月至少1次, 第3次
# A rule of frequency anywhere in the clause: 每月组织干部职工学法两次.
_EVERY = re.compile("每(?:个)?(?:月|季度?|周|星期|半年|旬|双月)")
FREQUENCY = "表述为频次要求，不是次数"
_TOTAL = re.compile("共|累计|合计|总计|全年")
_CLAUSE = re.compile(r"[，,、：:；;]")
_SEGMENT = re.compile(r"[；;]")
# A fee is approximate by nature (``fees_yuan_approx``): "about" words keep it.
_FEE_APPROX = ("约", "大约", "近", "将近", "余", "多")


def aimed(prefix: str) -> bool:
    """Whether the text before a figure (its segment) states it as an aim."""
    closed = list(_AIM_CLOSED.finditer(prefix))
    return bool(GOAL.search(prefix[closed[-1].end():] if closed else prefix))


def _clause_prefix(sentence: str, pos: int) -> str:
    starts = [m.end() for m in _CLAUSE.finditer(sentence, 0, pos)]
    return sentence[starts[-1] if starts else 0:pos]


def segment_prefix(sentence: str, pos: int) -> str:
    """The text before ``pos`` back to the last semicolon (a sentence's part)."""
    starts = [m.end() for m in _SEGMENT.finditer(sentence, 0, pos)]
    return sentence[starts[-1] if starts else 0:pos]


def _loose(m: re.Match, approx: tuple[str, ...]) -> str:
    if m["range"]:
        return f"数值为范围“{m['num']}{m['range']}”"
    if m["post"] and m["post"] not in approx:
        return f"“{m['num']}{m['post']}”不是确数"
    if m["pre"] and m["pre"] not in approx:
        return f"“{m['pre']}{m['num']}”不是确数"
    return ""


def _bound_after(sentence: str, m: re.Match) -> str:
    """A bound stated after the unit: "学法10次以上", "10次左右"."""
    after = re.match("以上|以下|左右|上下|之多", sentence[m.end():])
    return f"“{m[0]}{after[0]}”不是确数" if after else ""


def aside(key, value, sentence: str, why: str) -> Candidate:
    """A candidate that is no fact of the year: reported, never a figure."""
    return Candidate(key, value, sentence, why=why, aside=True)


def not_of_year(sentence: str, start: int, year: int | None,
                change: bool = False) -> str:
    """Why the number at ``start`` is no figure of the report's year ("" if it is)."""
    if aimed(segment_prefix(sentence, start)):
        return "表述为目标或计划，不是当年实际数"
    if _FREQUENCY.search(sentence[:start]) or _EVERY.search(
            _clause_prefix(sentence, start)):
        return FREQUENCY
    prefix = _clause_prefix(sentence, start)
    if _PARTIAL.search(prefix):
        return "只是年度的一部分（上半年、季度、月份）"
    if not change and _EARLIER.match(segment_prefix(sentence, start).lstrip("(（")):
        return "所在句子讲的是其他年度"  # 上年度行政诉讼案件9件，败诉2件
    years = {int(y) for y in re.findall(r"(\d{4})年", prefix)}
    if not change and (_EARLIER.search(prefix) or (year and years - {year})):
        return "是其他年度的数"
    return ""


def candidate(key, m: re.Match, sentence: str, year: int | None, *, scale=1,
          approx: tuple[str, ...] = (), rank=0, sign=1, change=False) -> Candidate:
    """A candidate from a match holding QTY; set aside where the phrase is no fact
    of the year (an aim, a frequency, another year's figure)."""
    start = m.start("num") - len(m["pre"] or "")
    why = not_of_year(sentence, start, year, change)
    if why:
        return aside(key, number(m["num"]), sentence, why)
    prefix = _clause_prefix(sentence, start)
    why = _loose(m, approx) or _bound_after(sentence, m)
    value = None if why else number(m["num"])
    if not why and value is None:
        why = f"数字“{m['num']}”写法不明"
    if value is not None:
        value = value * scale * sign
    return Candidate(key, value, sentence, bool(_TOTAL.search(prefix)),
                     "其中" in segment_prefix(sentence, start), rank, why)


def zero(key, m: re.Match, sentence: str) -> Candidate:
    if aimed(segment_prefix(sentence, m.end())):
        return aside(key, Decimal(0), sentence, "表述为目标或计划，不是当年实际数")
    return Candidate(key, Decimal(0), sentence)


# --- title block and signature --------------------------------------------------------

_REPORT = "(?:法治政府建设|依法行政|法治建设)"
_TITLE = re.compile(rf"^(?P<org>[{HAN}()]{{2,40}}?)?(?:关于)?{YEAR}年度?"
                    rf"(?:全县|全市|全区|本局)?{_REPORT}")
# "现将我局2024年度法治政府建设……" (words may stand between 现将 and the year).
_REPORTING = re.compile(rf"现将[^，。；:：]{{0,12}}?{YEAR}年度?[^，。；]{{0,6}}?"
                        rf"(?:{_REPORT}|工作)")
# A body sentence that opens on the year and the reporting body: "2024年，我局……",
# "2025年我局被申请行政复议2宗" (not "2025年我局将……", a plan).
_OPENING = re.compile(rf"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)?"
                      rf"(?:[{HAN}]{{0,8}}[。.])?{YEAR}年(?:[，,](?:我|本|全)?"
                      rf"(?:[{HAN}]{{0,14}}?)(?:局|区|县|市|委|政府|单位)"
                      rf"|(?:我|本)(?:局|委|单位)(?!将|要|拟|计划|继续|力争|争取))")
_ORG_LABELS = ("发布机构", "发文机关", "发文单位")
_NUMBER_LABELS = ("文号", "发文字号", "文件编号")
_DATE_LABELS = ("成文日期", "发文日期")
_TITLE_LABELS = ("标题", "名称")
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")


def header_candidates(doc: Document) -> list[Candidate]:
    """Organisation, year, document number and signing date: from the title lines,
    the portal's metadata block, the opening sentence and the signature."""
    out = _titles(doc) + _meta(doc.meta)
    for line in doc.body[:5]:
        for m in _REPORTING.finditer(line):
            out.append(Candidate(("year",), year_digits(m["y"]), line, rank=2))
    for line in doc.body:
        for sentence in re.split("(?<=[。；])", line):
            m = _OPENING.match(sentence)
            if m:
                out.append(Candidate(("year",), year_digits(m["y"]), sentence, rank=1))
    for line in doc.head + doc.lines[:3]:
        for m in [re.fullmatch(rf"(?:发文字号|文号)?[:：]?\s*\(?{DOC_NUMBER.pattern}\)?",
                               line), _title_number(line)]:
            if m:
                out.append(Candidate(("document_number",), _doc_number(m), line))
    out += _signature(doc)
    return [c for c in out if c.value is not None]


def _titles(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    head = doc.head or doc.lines[:3]
    titles = [(line, line + "".join(head[i + 1:i + 2])) for i, line in enumerate(head)]
    titles += [(t, t) for k, t in doc.meta.items() if k in _TITLE_LABELS]
    for line, joined in titles:
        for text in (line, joined):
            m = _TITLE.search(text)
            if m:
                if m["org"] and re.fullmatch(ORG, m["org"]):
                    out.append(Candidate(("organisation",), m["org"], text))
                out.append(Candidate(("year",), year_digits(m["y"]), text, rank=2))
                break
    return out


def _title_number(line: str) -> re.Match | None:
    """A document number in parentheses closing a title line."""
    m = re.search(rf"\({DOC_NUMBER.pattern}\)$", line)
    return m if m and _TITLE.search(line[:m.start()]) else None


def _doc_number(m: re.Match) -> str:
    return f"{m['who']}〔{m['dy']}〕{int(m['n'])}号"


def _meta(meta: dict[str, str]) -> list[Candidate]:
    out = []
    for label, value in meta.items():
        shown = f"{label}：{value}"
        if label in _ORG_LABELS and re.fullmatch(ORG, value):
            out.append(Candidate(("organisation",), value, shown))
        elif label in _NUMBER_LABELS:
            m = DOC_NUMBER.fullmatch(value)
            if m:
                out.append(Candidate(("document_number",), _doc_number(m), shown))
        elif label in _DATE_LABELS:
            m = DATE.fullmatch(value) or _ISO.fullmatch(value)
            day = date_of(m) if m else None
            if day:
                out.append(Candidate(("signed_on",), day.isoformat(), shown, rank=1))
    return out


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

UNIT_COUNT = "(?:件|个|本|份|宗|起|张)"
_STUDY_WORD = "(?:集中学法|学法活动|学法会|会前学法|学法|学习)"
_STUDY = [
    # 学法12次, 专题学习5次, 共计学习12次, 学习法律法规14次, 中心组学习8场次,
    # 学习习近平法治思想专题5次 (the thought's name is longer than a topic's)
    re.compile(rf"{_STUDY_WORD}(?:会议|活动)?(?:习近平法治思想|习近平新时代中国特色"
               rf"社会主义思想)?(?:[{HAN}]{{0,6}}?)"
               rf"(?:共|计|达|累计|合计|共计)?{QTY}(?:场次|次|场|期)"),
    re.compile(rf"{QTY}(?:场次|次|场|期)(?:集中|专题)?(?:学法|学习)"),
    # 学习习近平法治思想及土地管理法、城乡规划法等法律法规8次: the list closes at 等.
    re.compile(rf"(?:学法|学习)[^，,；;。\d]{{2,40}}?等(?:[{HAN}]{{0,6}}?)"
               rf"(?:共|计|达|累计|合计|共计)?{QTY}(?:场次|次|场|期)"),
]
_NOT_STUDY = re.compile("考试|考法|考核|测试|竞赛|比赛|答题|征文|讲座|培训班|宣传|普法"
                        "|参学|参训|人次|强国")
# Who studies: the count of each group is a figure of its own (two audiences in one
# paragraph are two figures, not a conflict). Checked in this order.
STUDY_GROUPS = (
    ("会前学法", re.compile("会前|常务会|局务会|党组会|办公会")),
    ("领导班子", re.compile("中心组|党组|党委|领导班子|领导干部|班子成员")),
    ("干部职工", re.compile("干部职工|全体干部|全局干部|机关干部|执法人员|工作人员"
                        "|全体人员|全体职工|全局职工|干部")),
)
_ISSUE = "核发|办理|办结|发放|颁发|签发|出具|审批|作出|批准"
_INTAKE = "受理|收到|收件|接收|申请|申报"
# A kind is named by what is issued (许可证, 批准书) or by the permit itself where it is
# an approval (城市建筑垃圾处置核准, 临时用地审批); the word naming it is not a verb.
_KIND = re.compile(rf"(?P<kind>[{HAN}]{{2,30}}?(?P<suffix>许可证|意见书|批准书|同意书|核准|审批))"
                   rf"(?:共|计|合计|总计)?{QTY}{UNIT_COUNT}")
_ROW_KIND = re.compile(rf"】(?P<kind>[{HAN}]{{4,30}}许可){QTY}{UNIT_COUNT}")
_KIND_CUT = re.compile(rf"{_ISSUE}|{_INTAKE}|其中|全年|累计|合计|共|依法|完成")
_KIND_AGAIN = re.compile(rf"(?<=[，,；;])(?:其中)?(?:(?P<y>\d{{4}})年度?|本年度?|当年)"
                         rf"(?:{_ISSUE}){QTY}{UNIT_COUNT}")
_FEE = re.compile(rf"(?P<name>[{HAN}]{{0,14}}费)用?(?:共|计|合计|累计|总计|达到|达|为)?"
                  rf"{QTY}(?P<unit>亿元|万元|元)")
_COLLECT = re.compile("征收|收取|收缴|代收|代征|缴纳|收费|征缴|足额")
_YUAN = {"元": 1, "万元": 10**4, "亿元": 10**8}
_WINDOW = re.compile("审批|办件|许可|窗口|政务服务|承诺时限|营商|承诺件|即办件")
_NOT_WINDOW = re.compile("公开|复议|诉讼|执法|立案|举报|信访")
_OVERDUE_ZERO = re.compile(r"零超期|无一超期|(?:未出现|未发生|没有|无)(?:一件)?超期"
                           r"|(?:按时|按期|限时|如期)办结率(?:达到|达|为|实现)?100%"
                           r"|超期(?:办件|件数|率)?为(?:零|0)(?![.\d])"
                           r"|超期[“\"「]?零[”\"」]"
                           # "所有办件均在承诺时限内办结", "全部按期办结"
                           r"|均在(?:承诺|法定|规定)(?:时限|期限)内办结"
                           r"|(?:全部|均|100%)(?:按时|按期|如期|限时|提前)办结"
                           # "超期办件零", "超期件数为“零”"
                           # "超期办件：零"
                           r"|超期(?:办件|件数)?(?:为|[:：])?[“\"「]?零[”\"」]?(?![\d零一二三四五六七八九十])")
_OVERDUE = re.compile(rf"超期(?:办件|办结|件数)?(?:共|计|为)?{QTY}{UNIT_COUNT}")
_COMPLAINT_ZERO = re.compile(r"零投诉|无(?:一起|一件)?(?:服务|窗口|有效|群众)?投诉"
                             r"|(?:服务|窗口|有效|群众)投诉(?:件数)?(?:为)?(?:零|[“\"「]零[”\"」]"
                             r"|0件)(?![.\d])"
                             r"|(?:未发生|未出现|未收到|未接到|没有)(?:一起|一件)?"
                             r"[^，,；;。\d]{0,10}?投诉(?!举报|率)"
                             # "服务对象投诉未发生"
                             r"|(?:服务|窗口|办事|服务对象|群众)投诉(?:件)?(?:未发生|未出现|为零|无)(?!\d)")
# A complaint named as one about the service is the window's by its own words.
_SERVICE = re.compile("服务|窗口|办件|审批|办事")
_COMPLAINT = re.compile(rf"(?:服务|窗口|有效|群众)?投诉(?:件)?(?:共|计|为)?{QTY}"
                        rf"(?:件|起|次|个)")


def body_candidates(sentence: str, year: int | None) -> list[Candidate]:
    """Every candidate figure one sentence of the body states, but the disputes'
    (:mod:`.disputes`)."""
    out = _study(sentence, year) + _permits(sentence, year) + _fees(sentence, year)
    return out + _window(sentence, year)


def _study(sentence: str, year) -> list:
    out, seen = [], set()
    for pattern in _STUDY:
        for m in pattern.finditer(sentence):
            context = _clause_prefix(sentence, m.start()) + m[0]
            if m.start("num") in seen or _NOT_STUDY.search(context):
                continue
            seen.add(m.start("num"))
            group = study_group(sentence, m.start("num"))
            if group in (None, "干部职工") and re.match("[，,]?其中", sentence[m.end():]):
                group = None  # 干部职工学法12次，其中中心组4次: the 12 are all
            clause = _clause_prefix(sentence, m.start())
            if (out and clause.startswith("其中")
                    and not any(w.search(clause) for _, w in STUDY_GROUPS)):
                # 集体学法九次，其中线上学法四次: a part of the count before it
                out.append(aside(out[-1].key, number(m["num"]), sentence,
                                 "是前一个学法次数中的一部分"))
                continue
            pair = _respectively(sentence, m, year)
            if pair:
                out += pair
                seen.update(range(m.end(), m.end() + 12))
                continue
            key = ("study_by_group", group) if group else ("study_sessions",)
            out.append(candidate(key, m, sentence, year))
            _year_of_rule(sentence, m, key, year, out)
    return out


_SECOND = re.compile(rf"[、和及与]{QTY}(?:场次|次|场|期)")


def _respectively(sentence: str, m: re.Match, year) -> list[Candidate]:
    """"领导班子和全体干部职工分别集中学法5次、11次": two groups named in order
    before 分别, a count each in the same order. Anything else (one group, three)
    is not read as a pair."""
    clause = _clause_prefix(sentence, m.start())
    second = _SECOND.match(sentence, m.end())
    if "分别" not in clause or not second:
        return []
    audiences = [a for a in re.split("[和及与、]", clause[:clause.index("分别")]) if a]
    names = [next((name for name, words in STUDY_GROUPS if words.search(a)), None)
             for a in audiences]
    if len(names) != 2 or None in names or names[0] == names[1]:
        return []
    return [candidate(("study_by_group", names[0]), m, sentence, year),
            candidate(("study_by_group", names[1]), second, sentence, year)]


# The year's count after a rule of frequency: "每月组织干部职工学法一次，全年共十二次".
_YEAR_COUNT = re.compile(rf"[，,](?:全年|年内|一年来)(?:共|累计|共计|合计)?(?:开展|组织)?"
                         rf"{QTY}(?:场次|次|场|期)")


def _year_of_rule(sentence: str, m: re.Match, key, year, out: list) -> None:
    """The count a clause stating a frequency rule is followed by is the year's
    count of the same study (the same group's)."""
    if not _EVERY.search(_clause_prefix(sentence, m.start("num"))):
        return
    after = _YEAR_COUNT.match(sentence, m.end())
    if after:
        out.append(candidate(key, after, sentence, year))


def study_group(sentence: str, pos: int) -> str | None:
    """Whose study a count before ``pos`` is: named in its clause, or the
    leadership's study group (中心组) named earlier in the sentence unless the
    count is stated as a total (共计学习12次)."""
    clause = _clause_prefix(sentence, pos)
    for name, words in STUDY_GROUPS:
        if words.search(clause):
            return name
    if re.search("共计|累计|合计|总计|共", clause):
        return None
    earlier = segment_prefix(sentence, pos)[:-len(clause) or None]
    if "中心组" in earlier and not STUDY_GROUPS[2][1].search(
            earlier[earlier.rindex("中心组"):]):
        return "领导班子"
    return None


def _permits(sentence: str, year) -> list:
    out = []
    for m in _KIND.finditer(sentence):
        raw = m["kind"]
        cut = _kind_cut(raw, m["suffix"])
        kind = raw[cut:]
        if len(kind) < 4 or kind.startswith(_GENERIC):
            continue
        # The verb rules a run of "kind + count" joined by 、，； (出具……；核发……).
        verbs = re.findall(f"{_ISSUE}|{_INTAKE}", sentence[:m.start("kind") + cut])
        if (verbs and re.fullmatch(_ISSUE, verbs[-1])) or (
                not verbs and TABLE_MARK in sentence):  # a table's row
            out.append(candidate(("permits", kind), m, sentence, year))
    # A table's row named by a permit without 证 ("临时建设用地规划许可 12"), its count
    # column read as the row's count.
    for m in _ROW_KIND.finditer(sentence):
        if TABLE_MARK in sentence:
            out.append(candidate(("permits", m["kind"]), m, sentence, year))
    # The kind named once, the year's count after a cumulative one: "累计核发乡村建设
    # 规划许可证3,100余件，2021年核发536件".
    for m in _KIND_AGAIN.finditer(sentence):
        if year is None or (m["y"] and int(m["y"]) != year):
            continue
        kinds = [k for k in _KIND.finditer(sentence, 0, m.start())]
        if kinds:
            raw = kinds[-1]["kind"]
            cut = _kind_cut(raw, kinds[-1]["suffix"])
            if len(raw[cut:]) >= 4 and not raw[cut:].startswith(_GENERIC):
                out.append(candidate(("permits", raw[cut:]), m, sentence, year))
    return out


# Not a kind: a class of permits (各类审批, 行政审批) rather than one.
_GENERIC = ("各类", "各项", "相关", "其他", "有关", "行政审批", "行政许可", "审批", "许可")


def _kind_cut(raw: str, suffix: str) -> int:
    """Where the kind's name starts in ``raw``: after the last verb or word of scope
    before the word that names what is issued (批准 in 批准书 is that word, not a
    verb)."""
    return max((v.end() for v in _KIND_CUT.finditer(raw, 0, len(raw) - len(suffix))),
               default=0)


def _fees(sentence: str, year) -> list:
    out = []
    for m in _FEE.finditer(sentence):
        name = m["name"]
        if name.endswith(("经费", "补助费", "工作费", "宣传费")):
            continue
        if not _COLLECT.search(_clause_prefix(sentence, m.start("name")) + name):
            continue
        out.append(candidate(("fees_yuan_approx",), m, sentence, year,
                         scale=_YUAN[m["unit"]], approx=_FEE_APPROX,
                         rank=int("配套费" in name)))
    return out


def _window(sentence: str, year) -> list:
    window = bool(_WINDOW.search(sentence))
    out = []
    for key, zero_, counted in (
            (("permits_overdue",), _OVERDUE_ZERO, _OVERDUE),
            (("service_complaints",), _COMPLAINT_ZERO, _COMPLAINT)):
        complaint = key == ("service_complaints",)
        for m in zero_.finditer(sentence):
            said = _clause_prefix(sentence, m.start()) + m[0]
            if not (window or (complaint and _SERVICE.search(said))):
                continue
            if not _NOT_WINDOW.search(_clause_prefix(sentence, m.start()) + m[0]):
                out.append(zero(key, m, sentence))
        for m in counted.finditer(sentence):
            said = _clause_prefix(sentence, m.start()) + m[0]
            if not (window or (complaint and _SERVICE.search(said))):
                continue
            clause = _clause_prefix(sentence, m.start("num")) + m[0]
            if not _NOT_WINDOW.search(clause):
                out.append(candidate(key, m, sentence, year))
    return out


__all__ = ["NUM", "Candidate", "body_candidates", "cn_number", "header_candidates"]

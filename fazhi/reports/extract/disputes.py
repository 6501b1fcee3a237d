"""Reconsideration and litigation figures: counts received and concluded, lawsuits
lost, the rates' changes and the principal's appearance rate. Pure.

A sentence is read a part at a time (parts end at a semicolon): "均已审结" or
outcomes that add up (维持3宗，未有结果1宗) say how many of the part's cases were
concluded; a total that mixes civil suits, or reconsiderations with lawsuits, is
set aside rather than taken for the administrative count.
"""

from __future__ import annotations

import re
from decimal import Decimal

from fazhi.reports.extract.phrases import (
    HAN,
    NUM,
    QTY,
    Candidate,
    aimed,
    aside,
    candidate,
    not_of_year,
    number,
    segment_prefix,
    zero,
)

_UNIT = "(?:件|起|宗)"
ALL_CONCLUDED = "all_concluded"  # a key of its own: "……案件均已审结" with no count
_RECON_WORD = "行政复议|复议"
_LIT_WORD = "行政诉讼|行政应诉|应诉|诉讼|被诉|涉诉"
_ADMIN_PART = "行政案件|行政类(?:案件)?"  # the administrative part of a mixed total
_INSTANCE = "(?:一审|二审|新收|新发)?"
_INTAKE = "(?:收案|新收|受理)?"  # a table's row: 行政复议收案 11件
_RECON_IN = re.compile(rf"(?:{_RECON_WORD}){_INSTANCE}{_INTAKE}(?:案件|申请)?"
                       rf"(?:共|计|合计|总计)?{QTY}{_UNIT}")
_LIT_IN = re.compile(rf"(?<!出庭)(?P<word>{_LIT_WORD}|{_ADMIN_PART}){_INSTANCE}{_INTAKE}"
                     rf"(?:案件)?(?:共|计|合计|总计)?{QTY}{_UNIT}")
# The number before the noun: "作为被申请人的两件行政复议案件均已审结".
_IN_BEFORE = re.compile(rf"(?:^|(?<=[，,；;：:的有]))(?<!涉及的){QTY}{_UNIT}"
                        rf"(?P<word>行政复议|行政诉讼|行政应诉)案件(?!中)")
_DONE_VERB = "审结|办结|结案|已结|终结"
_WHAT = rf"(?P<what>{_RECON_WORD}|{_LIT_WORD}|{_ADMIN_PART})"
# Not "尚未审结1宗": a count of cases not concluded.
_DONE = re.compile(rf"(?<![未没])(?:{_DONE_VERB})(?:了)?{_WHAT}?(?:案件)?(?:共|计)?{QTY}{_UNIT}")
# The number before the noun: "2宗行政复议案件均已结案", "1宗结案".
_DONE_BEFORE = re.compile(rf"{QTY}{_UNIT}{_WHAT}?(?:案件)?(?:均|已|全部|已经)*"
                          rf"(?:{_DONE_VERB})")
# No number: the part's cases all concluded ("均已审结", "已办结", "结果为维持").
_ALL_DONE = re.compile(rf"(?:均已|已全部|全部|均|已)(?:{_DONE_VERB})"
                       rf"(?!了?(?:案件)?(?:共|计)?{NUM})"
                       r"|均(?:被|予以)?维持|结果(?:均)?为(?:维持|撤销|驳回|确认违法)")
# No number: none of the part's cases concluded yet ("1件，尚在审理中").
_NONE_DONE = re.compile("(?:均|全部|目前)?(?:尚在审理中?|正在审理中?|尚未审结|尚未结案"
                        "|均未审结)(?![\\d零〇○一二两三四五六七八九十])")  # not "尚未审结1宗"
_DECIDED = ("维持|撤销|部分撤销|驳回|确认违法|变更|终止|责令履行|调解|撤回|和解|不予受理"
            "|纠错")
_PENDING = "未有结果|尚未审结|尚未结案|尚未办结|未审结|未结案|未结|尚在审理中?|正在审理|审理中"
# "维持3宗", "判决驳回原告诉讼请求2宗", "2件被撤销".
_OUTCOME = re.compile(rf"(?:(?P<a>{_DECIDED}|{_PENDING})(?:了)?(?:原告|申请人)?的?"
                      rf"(?:诉讼|复议)?(?:请求)?{QTY}{_UNIT}"
                      rf"|(?P<qty2>{NUM}){_UNIT}[^，,；;。\d]{{0,10}}?"
                      rf"(?P<b>{_DECIDED}|{_PENDING}))")
_BASE_OF = re.compile(rf"(?P<qty3>{NUM}){_UNIT}(?P<word>{_RECON_WORD}|{_LIT_WORD})"
                      rf"案件中")
_LOST = re.compile(rf"败诉(?:案件)?(?:共|计|为)?{QTY}{_UNIT}")
_LOST_ZERO = re.compile(r"零败诉|(?:未发生|未出现|没有|无一|无|未)(?:一起|一件|一宗)?"
                        r"(?:行政诉讼)?败诉(?!率)"
                        r"|败诉(?:案件|率)?为(?:零|0)(?![.\d])|败诉[“\"「]零[”\"」]"
                        r"|败诉(?:案件|率)?为[“\"「]零[”\"」]"
                        r"|(?:均|全部|我局|本局|我区|我县|我市)胜诉(?![\d零一二两三四五六七八九十])")
# None received, the zero after the noun: "以我局为被申请人的行政复议案件为零".
_NONE_AFTER = re.compile(rf"(?P<word>{_RECON_WORD}|{_LIT_WORD})(?:案件|申请)(?:数量?|件数)?"
                         r"(?:(?:为|是)(?:零|0)(?![.\d])|[“\"「]零[”\"」]"
                         r"|[:：]\s*(?:无|零|0)(?=[；;。，,]|$))")
# None received: "全年无行政复议案件", "未发生行政诉讼案件" (not "……败诉案件").
# "我局无行政复议、行政诉讼案件": each matter named is none.
_NONE_IN = re.compile(rf"(?:无|未发生|没有|未收到|未出现)(?:一起|一件|一宗)?"
                      rf"(?P<word>(?:{_RECON_WORD}|{_LIT_WORD})"
                      rf"(?:[、和及与](?:{_RECON_WORD}|{_LIT_WORD}))*)(?:案件|申请)(?![被败纠撤超])")
# A bare count accepted after the matter's count received: "收到申请97件，受理89件".
_ACCEPTED = re.compile(rf"(?<=[，,；;])(?:依法)?受理(?:了)?{QTY}{_UNIT}")
# A count concluded at one instance only: "一审判决7件，二审审结2件".
# A total followed by its parts, one of them civil: "行政应诉案件6宗，其中民事诉讼2宗".
_PARTS_CIVIL = re.compile("[，,]?其中[^；;。]{0,12}民事")
_ONE_INSTANCE = re.compile("(?:一审|二审|再审)(?:已|共)?$")
_CHANGE = re.compile(
    rf"(?P<rate>被纠错率|纠错率|败复率|败诉率)(?:为|是|达|仅为)?(?:{NUM}%?|零)?"
    # a short word on the rate before its change: "败诉率仍然偏高，同比上升1.2个百分点"
    rf"(?:(?![^，,]*率)[{HAN}]{{1,4}}(?=[，,]))?[，,]?"
    rf"(?:同比|较上年度|较上年|比上年|较去年|比去年|与上年相比|与上年|较上一年)?度?"
    rf"(?:(?P<dir>上升|提高|提升|增加|增长|下降|降低|减少|回落)了?{QTY}"
    rf"(?P<unit>个百分点|%)|(?P<flat>持平|保持不变))")
# Two rates' changes in one phrase: "复议纠错率、诉讼败诉率分别较上年下降3.2和4.5个百分点".
_RATE = "被纠错率|纠错率|败复率|败诉率"
_BOTH_CHANGES = re.compile(
    rf"(?P<r1>{_RATE})[、和与及][{HAN}]{{0,4}}?(?P<r2>{_RATE})分别"
    rf"(?:同比|较上年度?|比上年|较去年|比去年|较上一年)?"
    rf"(?P<dir>上升|提高|提升|增加|增长|下降|降低|减少|回落)了?"
    rf"(?P<n1>{NUM})(?:个百分点)?[和、与及](?P<n2>{NUM})(?P<unit>个百分点|%)")
_APPEAR = re.compile(rf"出庭(?:应诉)?率(?:达到|达|为|保持|实现)?了?(?:{QTY}%|百分之百)")
_OTHER_APPEARING = re.compile("律师|工作人员|法律顾问|代理人|执法人员|公职律师")
_DOWN = ("下降", "降低", "减少", "回落")
_COORDINATED = re.compile(r"(?:复议|诉讼|应诉)[、和与及]$")


def matter_of(word: str) -> str:
    return "reconsideration" if "复议" in word else "litigation"


def _subject(text: str, pos: int) -> str | None:
    """Which matter the nearest mention before ``pos`` names."""
    mentions = list(re.finditer(f"{_RECON_WORD}|{_LIT_WORD}|{_ADMIN_PART}|败诉",
                                text[:pos]))
    return matter_of(mentions[-1][0]) if mentions else None


def dispute_candidates(sentence: str, year, mixed: bool = False) -> list:
    """Every reconsideration and litigation candidate one sentence states;
    ``mixed``: the sentence as printed names civil suits in an aside ("被提起诉讼
    4宗（含民事诉讼1宗）"), read without it."""
    # Parentheses hold asides ("含经复议后起诉2件") that would mislead the subject.
    text = re.sub(r"\([^()]*\)", "", sentence)
    mixed = mixed or "民事" in text
    received = _received(text, year, mixed)
    done = _concluded(text, year)
    out = [c for _, c in received] + [c for _, c in done]
    out += [zero((matter, "received"), m, text) for m in _NONE_IN.finditer(text)
            for matter in dict.fromkeys(matter_of(w) for w in re.split("[、和及与]",
                                                                        m["word"]))]
    out += [zero((matter_of(m["word"]), "received"), m, text)
            for m in _NONE_AFTER.finditer(text)]
    out += _implied(text, year, received, done)
    out += _lost(text, year, mixed) + _changes(text, year)
    # The principal's appearance rate: named so, or 出庭应诉率 with no other
    # person named as the one appearing (律师, 工作人员, 法律顾问, 代理人).
    if "负责人" in text or ("出庭应诉率" in text and not _OTHER_APPEARING.search(text)):
        out += [_appearance(m, text, year) for m in _APPEAR.finditer(text)]
    return out


def _received(text: str, year, mixed: bool) -> list[tuple[int, Candidate]]:
    """(position, candidate) of each count of cases received."""
    done = [range(m.start(), m.end()) for p in (_DONE, _DONE_BEFORE)
            for m in p.finditer(text)]
    out = []
    # Weaker than a count after the noun: "（共8件，）3件行政诉讼案件已全部审结" names
    # the concluded part; alone, "两件行政复议案件均已审结" are all the cases.
    for m in _IN_BEFORE.finditer(text):
        out.append((m.start(), candidate((matter_of(m["word"]), "received"), m, text,
                                         year, rank=-1)))
    for pattern, matter in ((_RECON_IN, "reconsideration"), (_LIT_IN, "litigation")):
        for m in pattern.finditer(text):
            if any(m.start() in r for r in done):
                continue
            key = (matter, "received")
            word = m.groupdict().get("word") or ""
            if _COORDINATED.search(text[:m.start()]):
                c = aside(key, number(m["num"]), text, "复议与诉讼案件的合计，不是单项数")
            elif re.fullmatch(_ADMIN_PART, word) and not mixed:
                continue  # 行政案件 alone may be enforcement cases
            elif mixed and matter == "litigation" and (
                    "行政" not in word or _PARTS_CIVIL.match(text, m.end())):
                c = aside(key, number(m["num"]), text, "含民事案件的合计，不是行政诉讼数")
            else:
                c = candidate(key, m, text, year)
            out.append((m.start(), c))
    # Two counts of intake (applications, cases accepted) are left for a person.
    for m in _ACCEPTED.finditer(text):
        matter = _subject(text, m.start())
        if matter and any(c.key[0] == matter for _, c in out):
            out.append((m.start(), candidate((matter, "received"), m, text, year)))
    return out


def _concluded(text: str, year) -> list[tuple[int, Candidate]]:
    out = []
    for pattern in (_DONE, _DONE_BEFORE):
        for m in pattern.finditer(text):
            what = m["what"]
            if what and re.fullmatch(_ADMIN_PART, what) and "民事" not in text:
                continue
            matter = matter_of(what) if what else _subject(text, m.start())
            if matter and _ONE_INSTANCE.search(text[:m.start()]):
                out.append((m.start(), aside((matter, "concluded"), number(m["num"]),
                                             text, "只是一个审级的审结数")))
            elif matter:
                out.append((m.start(), candidate((matter, "concluded"), m, text, year)))
    return out


def _implied(text: str, year, received, done) -> list[Candidate]:
    """Concluded counts a part implies: "均已审结" after its counts received, or
    outcomes (维持3宗，未有结果1宗) that add up to the count received."""
    out: list[Candidate] = []
    parts = [m.end() for m in re.finditer("[；;]", text)] + [len(text) + 1]
    start = 0
    for end in parts:
        inside = [(p, c) for p, c in received if start <= p < end]
        stated = {c.key[0] for p, c in done if start <= p < end}
        out += _all_done(text, start, end, inside, stated)
        out += _outcomes(text, start, end, inside, stated, year)
        start = end
    return out


def _all_done(text, start, end, inside, stated) -> list[Candidate]:
    """"均已审结" (all concluded) or "尚在审理中" (none yet) after a part's counts."""
    out = []
    for pattern, all_ in ((_ALL_DONE, True), (_NONE_DONE, False)):
        for m in pattern.finditer(text, start, min(end, len(text))):
            if (aimed(segment_prefix(text, m.start()))
                    or re.search(rf"{NUM}{_UNIT}$", text[:m.start()])):
                continue  # an aim, or "另1件正在审理中": a count of its own
            before = [(pos, c) for pos, c in inside if pos < m.start()]
            out += [Candidate((c.key[0], "concluded"),
                              c.value if all_ else Decimal(0), text)
                    for pos, c in before if c.value is not None
                    and not c.aside and c.key[0] not in stated]
            named = re.search(rf"(?P<w>{_RECON_WORD}|{_LIT_WORD})(?:案件|申请)?$",
                              text[start:m.start()])
            if all_ and not before and named and not re.search(
                    "上年|去年|结转|以前|以来|历年", text[start:m.start()]):
                # "行政复议案件均已审结" with its count in another sentence or a
                # table: all the count received, whatever it is (see ``extract``).
                out.append(Candidate((matter_of(named["w"]), ALL_CONCLUDED),
                                     Decimal(1), text))
    return out


def _outcomes(text, start, end, inside, stated, year) -> list[Candidate]:
    bases = [(p, c.key[0], c.value) for p, c in inside if not c.aside]
    bases += [(m.start(), matter_of(m["word"]), number(m["qty3"]))
              for m in _BASE_OF.finditer(text, start, min(end, len(text)))]
    tallies: dict[int, list] = {}
    for m in _OUTCOME.finditer(text, start, min(end, len(text))):
        before = [b for b in bases if b[0] < m.start()]
        if not before:
            continue
        base = max(before)
        word = m["a"] or m["b"]
        value = number(m["num"] if m["a"] else m["qty2"])
        if value is None or (m["a"] and (m["pre"] or m["post"] or m["range"])):
            tallies.setdefault(base[0], []).append(None)
            continue
        pending = bool(re.fullmatch(_PENDING, word))
        tallies.setdefault(base[0], []).append((pending, value))
    out = []
    for pos, items in tallies.items():
        _, matter, total = next(b for b in bases if b[0] == pos)
        if matter in stated or total is None:
            continue
        key = (matter, "concluded")
        decided = sum((v for i in items if i and not i[0] for v in [i[1]]), Decimal(0))
        pending = sum((v for i in items if i and i[0] for v in [i[1]]), Decimal(0))
        if None in items or decided + pending != total:
            out.append(aside(key, decided, text, "结果分项相加与案件数不符，不能推出办结数"))
        elif decided:
            out.append(Candidate(key, decided, text))
    return out


def _lost(text: str, year, mixed: bool) -> list:
    out = []
    for m in _LOST.finditer(text):
        clause = re.split("[，,；;]", text[:m.start()])[-1]
        if mixed and "行政" not in clause:
            out.append(aside(("litigation", "lost"), number(m["num"]), text,
                             "民事、行政案件并述，败诉数未说明是否行政诉讼"))
        else:
            out.append(candidate(("litigation", "lost"), m, text, year))
    return out + [zero(("litigation", "lost"), m, text)
                  for m in _LOST_ZERO.finditer(text)]


def _changes(text: str, year) -> list:
    out = []
    for m in _CHANGE.finditer(text):
        key = (("litigation", "loss_rate_change_pct") if m["rate"] == "败诉率"
               else ("reconsideration", "correction_rate_change_pct"))
        if m["flat"]:
            out.append(zero(key, m, text))
            continue
        c = candidate(key, m, text, year, sign=-1 if m["dir"] in _DOWN else 1,
                  change=True)
        if not c.aside and m["unit"] == "%":
            c = Candidate(key, None, text, why="变化以%表述，不知是否为百分点")
        out.append(c)
    for m in _BOTH_CHANGES.finditer(text):
        if m["r1"] == m["r2"] or ("败诉率" in m["r1"]) == ("败诉率" in m["r2"]):
            continue  # two names of one rate: not two figures
        why = not_of_year(text, m.start(), year, change=True)
        sign = -1 if m["dir"] in _DOWN else 1
        for rate, num in ((m["r1"], m["n1"]), (m["r2"], m["n2"])):
            key = (("litigation", "loss_rate_change_pct") if rate == "败诉率"
                   else ("reconsideration", "correction_rate_change_pct"))
            value = number(num)
            if why or value is None:
                out.append(aside(key, value, text, why or f"数字“{num}”写法不明"))
            elif m["unit"] == "%":
                out.append(Candidate(key, None, text, why="变化以%表述，不知是否为百分点"))
            else:
                out.append(Candidate(key, value * sign, text))
    return out


def _appearance(m: re.Match, text: str, year) -> Candidate:
    key = ("principal_appearance_rate_pct",)
    if m["num"] is None:  # 百分之百
        if aimed(segment_prefix(text, m.end())):
            return aside(key, Decimal(100), text, "表述为目标或计划，不是当年实际数")
        return Candidate(key, Decimal(100), text)
    c = candidate(key, m, text, year)
    if not c.aside and c.value is not None and not 0 <= c.value <= 100:
        return Candidate(key, None, text, why="比率超出0–100%")
    return c

"""Write the annual rule-of-law report (法治政府建设年度报告) from figures (pure).

No Django, no settings: ``annual_facts.report_facts`` gathers the metric values, the
disputes class review and the OGI table into a ``ReportFacts``; ``assemble`` writes
them into the sections a bureau writes, in the order 厅字〔2019〕28号 asks for the
contents (measures and results; shortcomings and causes; the principal's duty as the
first person responsible; next year's plans). The renderers (``render_docx``,
``render_html``) read only the ``ReportDocument`` this returns.

Every number in the document is a ``FigureRun`` naming the metric it shows, so the
preview can link it to the records it counts and a test can check it against the
metric. Paragraphs are either generated from figures (fixed: their numbers must stay
the metrics'), drafted from the data, or placeholders for staff to write; the latter
two are editable, and staff edits (by paragraph id) replace the generated text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fazhi.core.gbt9704 import Upward
from fazhi.reports.compare import MISSING, format_value

PLACEHOLDER_MARK = "【请补充"
CN_ORDINALS = "一二三四五六七八九十"
BREAKDOWN_SHOWN = 5  # a breakdown names its five largest entries, then "等"

# The metrics the report states, in the order it states them.
REPORT_METRICS = (
    "study.sessions", "study.attendances", "exams.sat", "exams.passed",
    "seminars.held", "outreach.campaigns", "outreach.audience",
    "outreach.case_explanations", "tips.received", "tips.answered",
    "tips.answered_on_time_rate", "cases.filed", "cases.by_type", "cases.closed",
    "cases.fines_imposed_yuan", "cases.fines_collected_yuan", "patches.received",
    "patches.checked", "patches.illegal", "patches.rectified", "cases.legal_reviews",
    "file_review.files", "supervision.rectification_items", "permits.accepted",
    "permits.issued", "permits.by_kind", "permits.on_time_rate", "permits.overdue",
    "permits.fees_yuan", "permits.complaints", "disclosure.requests",
    "disclosure.replied", "disclosure.late", "reconsideration.received",
    "reconsideration.concluded", "reconsideration.corrected",
    "reconsideration.correction_rate", "litigation.received", "litigation.concluded",
    "litigation.lost", "litigation.loss_rate", "litigation.appearance_rate",
    "clocks.overdue",
)
# The paragraphs staff may rewrite (the others are written from the figures).
EDITABLE_LABELS = {
    "opening": "开头语",
    "s1.study.narrative": "（一）学法用法的具体举措",
    "s1.law.narrative": "（二）普法和重点领域执法的具体举措",
    "s1.duty.principal": "（三）主要负责人履行第一责任人职责情况",
    "s2.shortcomings": "二、存在的不足和原因",
    "s3.measures": "三、整改措施",
    "s3.plans": "三、下一年度工作安排",
}
EDITABLE = frozenset(EDITABLE_LABELS)
# The figures the report compares with the year before (同比).
YEAR_ON_YEAR = frozenset({
    "study.sessions", "cases.filed", "permits.accepted", "permits.on_time_rate",
    "disclosure.requests", "reconsideration.received",
    "reconsideration.correction_rate", "litigation.received", "litigation.loss_rate",
    "litigation.appearance_rate",
})


# --- inputs -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One metric's value for the report year, as the sentences need it.

    ``value`` is in ``unit`` (a rate's is a percentage, 33.3 for 33.3%); None when
    a rate or an average has nothing to count. ``has_data`` tells whether fazhi
    holds records of the metric's kind for the year at all (a year with cases but
    none lost has data: 0). ``change_text`` is the year-on-year change as the report
    states it ("增长12.5%（增加3件）", "上升5.0个百分点", "持平"); None when no
    previous value is known.
    """

    metric_id: str
    name: str
    unit: str
    kind: str  # "count" | "sum" | "rate" | "average"
    value: int | Decimal | None
    has_data: bool = True
    change_text: str | None = None
    previous_source: str | None = None  # "records" | "baseline" | None
    breakdown: Mapping[str, Figure] = field(default_factory=dict)


@dataclass(frozen=True)
class TableCell:
    value: int
    ref: str = ""  # e.g. "received/natural_person": the HTML renderer links it


@dataclass(frozen=True)
class TableRow:
    label: str
    level: int
    cells: tuple[TableCell, ...] | None  # None: a heading row


@dataclass(frozen=True)
class Table:
    """An attachment's table, e.g. the OGI annual report's table 3."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (group label, column label)
    rows: tuple[TableRow, ...]
    note: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ReportFacts:
    """Everything the report is written from (gathered by ``annual_facts``)."""

    org_name: str  # 湘潭县自然资源局
    division_name: str  # 湘潭县
    year: int
    figures: Mapping[str, Figure]
    document_number: str = ""
    addressee: str = ""
    signing_org: str = ""
    signed_on: date | None = None
    issuer: str = ""  # 签发人
    copy_to: str = ""  # 抄送机关
    printing_org: str = ""  # 印发机关
    printed_on: date | None = None  # 印发日期
    print_masthead: bool = True  # False: paper with the letterhead printed on it
    causes: Sequence[tuple[str, int]] = ()  # class review causes, most frequent first
    measures: Sequence[str] = ()  # measures taken on the year's corrected matters
    tables: Sequence[Table] = ()
    problems: Sequence[str] = ()  # what could not be gathered, in words


# --- the document -------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class FigureRun:
    """A number in the text and the metric it shows (``role``: value or change)."""

    metric_id: str
    text: str
    role: str = "value"  # "value": the metric's value; "change": its year-on-year


Run = Text | FigureRun


@dataclass(frozen=True)
class Para:
    """One paragraph; ``style`` tells the renderers how to lay it out."""

    id: str
    style: str  # doc_number title addressee heading1 heading2 body signature date
    #             attachment_note attachment_label attachment_title
    runs: tuple[Run, ...]
    editable: bool = False
    drafted: bool = False  # written from the data, for staff to check
    edited: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def placeholder(self) -> bool:
        """Tell whether staff have still to write this paragraph."""
        return PLACEHOLDER_MARK in self.text

    @property
    def figures(self) -> list[FigureRun]:
        return [r for r in self.runs if isinstance(r, FigureRun)]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    year: int
    paragraphs: tuple[Para, ...]
    tables: tuple[Table, ...]
    figures: Mapping[str, Figure]

    def paragraph(self, pid: str) -> Para:
        return next(p for p in self.paragraphs if p.id == pid)

    @property
    def editable(self) -> list[Para]:
        return [p for p in self.paragraphs if p.editable]

    def figure_runs(self) -> list[FigureRun]:
        return [r for p in self.paragraphs for r in p.figures]


def report_title(org_name: str, year: int) -> str:
    return f"{org_name}{year}年法治政府建设年度报告"


def default_addressee(division_name: str) -> str:
    """The same-level Party committee and government (厅字〔2019〕28号)."""
    return f"中共{division_name}委、{division_name}人民政府："


def written_date(day: date) -> str:
    """成文日期 as GB/T 9704 writes it: full year, no zero padding (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- formatting figures -------------------------------------------------------

NO_DATA = MISSING


def figure_text(f: Figure) -> str:
    """The figure with the metric's unit, as the metric states it: "3件", "33.3%".

    The unit is the registry's (a bureau may count in 宗 or 万元), so sentences
    never write a unit of their own after a figure.
    """
    return format_value(f.value, f.unit, f.kind)


# --- assembly -----------------------------------------------------------------


class _Writer:
    """Builds the runs of one sentence, noting the metrics it names."""

    def __init__(self, figures: Mapping[str, Figure]):
        self.figures = figures
        self.runs: list[Run] = []

    def t(self, text: str) -> _Writer:
        if self.runs and isinstance(self.runs[-1], Text):
            self.runs[-1] = Text(self.runs[-1].text + text)
        elif text:
            self.runs.append(Text(text))
        return self

    def f(self, metric_id: str, after: str = "") -> _Writer:
        fig = self.figures.get(metric_id)
        self.runs.append(FigureRun(metric_id, figure_text(fig) if fig else NO_DATA))
        return self.t(after)

    def yoy(self, metric_id: str) -> _Writer:
        """Append "，同比下降2件" when the previous year's value is known."""
        fig = self.figures.get(metric_id)
        if fig is not None and fig.change_text and fig.change_text != MISSING:
            self.t("，同比")
            self.runs.append(FigureRun(metric_id, fig.change_text, role="change"))
        return self

    def has(self, metric_id: str) -> bool:
        fig = self.figures.get(metric_id)
        return fig is not None and fig.value is not None

    def value(self, metric_id: str):
        fig = self.figures.get(metric_id)
        return fig.value if fig is not None else None

    def breakdown(self, metric_id: str, lead: str) -> _Writer:
        """Append "，其中A3件、B2件" from a metric's breakdown, the largest first."""
        fig = self.figures.get(metric_id)
        parts = sorted(((k, v) for k, v in (fig.breakdown if fig else {}).items()
                        if v.value), key=lambda kv: (-kv[1].value, kv[0]))
        for i, (key, sub) in enumerate(parts[:BREAKDOWN_SHOWN]):
            self.t(lead if i == 0 else "、").t(key)
            self.runs.append(FigureRun(f"{metric_id}/{key}", figure_text(sub)))
        if len(parts) > BREAKDOWN_SHOWN:
            self.t("等")
        return self

    def done(self) -> tuple[Run, ...]:
        return tuple(self.runs)


def _p(pid: str, runs, style: str = "body", **kw) -> Para:
    runs = (Text(runs),) if isinstance(runs, str) else tuple(runs)
    return Para(pid, style, runs, **kw)


def _ask(pid: str, what: str) -> Para:
    return _p(pid, f"{PLACEHOLDER_MARK}：{what}】", editable=True)


def assemble(facts: ReportFacts, edits: Mapping[str, str] | None = None
             ) -> ReportDocument:
    """Write the report from ``facts``; ``edits`` (paragraph id → text) win.

    An edit to an empty text removes its paragraph from the document.
    """
    f = facts.figures
    title = report_title(facts.org_name, facts.year)
    paras: list[Para] = [
        _p("doc_number", facts.document_number, "doc_number"),
        _p("title", (Text(facts.org_name), Text(title[len(facts.org_name):])),
           "title"),
        _p("addressee", facts.addressee or default_addressee(facts.division_name),
           "addressee"),
        _p("opening", _opening(facts), editable=True),
        _p("h1", "一、工作开展情况", "heading1"),
        *_study(f), *_implementation(f), *_accountability(f), *_window(f, facts),
        *_disputes(f),
        _p("h2", "二、存在的不足和原因", "heading1"),
        _shortcomings(facts),
        _p("h3", "三、下一步改进措施", "heading1"),
        *_next_steps(facts),
    ]
    if facts.tables:
        paras.append(_p("attachment_note", "附件：" + _attachment_name(facts),
                        "attachment_note"))
    paras += [
        _p("signature", facts.signing_org or facts.org_name, "signature"),
        _p("date", written_date(facts.signed_on) if facts.signed_on else "",
           "date"),
    ]
    if facts.tables:
        name = _attachment_name(facts)
        cut = name.index("（")
        paras += [_p("attachment_label", "附件", "attachment_label"),
                  _p("attachment_title", (Text(facts.org_name),
                                          Text(name[len(facts.org_name):cut]),
                                          Text(name[cut:])), "attachment_title")]
    return ReportDocument(title, facts.year, _apply(paras, edits or {}),
                          tuple(facts.tables), f)


def upward_of(facts: ReportFacts) -> Upward:
    """The report goes to the Party committee and government above: its masthead,
    签发人 and 版记 (GB/T 9704 §7.2, §7.4)."""
    return Upward(
        masthead=f"{facts.org_name}文件", issuer=facts.issuer.strip(),
        copy_to=facts.copy_to.strip(),
        printing_org=facts.printing_org.strip() or facts.signing_org or facts.org_name,
        printed_on=written_date(facts.printed_on or facts.signed_on)
        if (facts.printed_on or facts.signed_on) else "",
        print_masthead=facts.print_masthead)


def _apply(paras: list[Para], edits: Mapping[str, str]) -> tuple[Para, ...]:
    out = []
    for p in paras:
        if p.editable and p.id in edits:
            text = edits[p.id].strip()
            if not text:
                continue
            p = Para(p.id, p.style, (Text(text),), editable=True, drafted=p.drafted,
                     edited=True)
        out.append(p)
    return tuple(out)


def _attachment_name(facts: ReportFacts) -> str:
    return (f"{facts.org_name}{facts.year}年政府信息公开工作年度报告表"
            "（收到和处理政府信息公开申请情况）")


def _opening(facts: ReportFacts) -> str:
    return (f"{facts.year}年，{facts.org_name}坚持以习近平新时代中国特色社会主义"
            "思想为指导，"
            f"深入学习贯彻习近平法治思想，认真落实{facts.division_name}委、"
            f"{facts.division_name}人民政府关于法治政府建设的部署要求，"
            "依法履行自然资源管理职责。现将本年度法治政府建设情况报告如下。")


def _study(f) -> list[Para]:
    w = _Writer(f).t("全年组织干部职工集中学法").f("study.sessions")
    w.yoy("study.sessions").t("，参学").f("study.attendances")
    w.t("；组织").f("exams.sat", "参加行政执法资格考试，").f("exams.passed", "通过")
    w.t("；开展执法案例研讨").f("seminars.held", "。")
    return [_p("s1.study.h", "（一）坚持学法用法，提升依法行政能力", "heading2"),
            _p("s1.study.figures", w.done()),
            _ask("s1.study.narrative",
                 "党组理论学习中心组学法、领导干部述法、法治培训等具体举措")]


def _implementation(f) -> list[Para]:
    o = _Writer(f).t("深入开展普法宣传，全年开展普法活动").f("outreach.campaigns")
    o.t("，受众").f("outreach.audience").t("，编发以案释法案例")
    o.f("outreach.case_explanations", "。")
    c = _Writer(f).t("全年受理自然资源违法问题举报").f("tips.received")
    c.t("，已答复").f("tips.answered")
    if c.has("tips.answered_on_time_rate"):
        c.t("，按期答复率").f("tips.answered_on_time_rate")
    c.t("；立案查处自然资源违法案件").f("cases.filed").yoy("cases.filed")
    c.breakdown("cases.by_type", "，其中")
    c.t("；结案").f("cases.closed").t("；作出罚款").f("cases.fines_imposed_yuan")
    c.t("，收缴罚没款").f("cases.fines_collected_yuan", "。")
    s = _Writer(f).t("扎实开展卫片执法，全年下发图斑").f("patches.received")
    s.t("，完成核查").f("patches.checked").t("，其中判定违法图斑")
    s.f("patches.illegal").t("，已整改到位").f("patches.rectified", "。")
    return [_p("s1.law.h", "（二）严格实施法律法规，加强重点领域执法", "heading2"),
            _p("s1.law.outreach", o.done()),
            _p("s1.law.enforcement", c.done()),
            _p("s1.law.patches", s.done()),
            _ask("s1.law.narrative",
                 "“八五”普法、耕地保护和矿产资源等重点领域执法的具体举措")]


def _accountability(f) -> list[Para]:
    w = _Writer(f).t("严格落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，"
                     "全年对重大执法决定开展法制审核").f("cases.legal_reviews")
    w.t("；开展行政执法案卷评查，评查案卷").f("file_review.files")
    w.t("；对执法监督发现的问题下达整改事项").f("supervision.rectification_items", "。")
    return [_p("s1.duty.h", "（三）落实行政执法“三项制度”，压实法治建设责任",
               "heading2"),
            _p("s1.duty.figures", w.done()),
            _ask("s1.duty.principal",
                 "主要负责人履行推进法治建设第一责任人职责情况，如主持研究法治工作、带头出庭应诉等")]


def _window(f, facts: ReportFacts) -> list[Para]:
    p = _Writer(f).t("审批窗口全年受理行政许可申请").f("permits.accepted")
    p.yoy("permits.accepted").t("，办结发证").f("permits.issued")
    p.breakdown("permits.by_kind", "，其中")
    if p.has("permits.on_time_rate"):
        p.t("；按期办结率").f("permits.on_time_rate").yoy("permits.on_time_rate")
    p.t("，超期办件").f("permits.overdue").t("；收取费用")
    p.f("permits.fees_yuan").t("；收到服务差评").f("permits.complaints", "。")
    d = _Writer(f).t("全年收到政府信息公开申请").f("disclosure.requests")
    d.yoy("disclosure.requests").t("，已答复").f("disclosure.replied")
    d.t("，逾期答复").f("disclosure.late")
    d.t("（详见附件）。" if facts.tables else "。")
    return [_p("s1.window.h", "（四）优化审批服务，推进政务公开", "heading2"),
            _p("s1.window.permits", p.done()),
            _p("s1.window.disclosure", d.done())]


def _disputes(f) -> list[Para]:
    r = _Writer(f).t("全年共收到行政复议申请").f("reconsideration.received")
    r.yoy("reconsideration.received").t("，审结").f("reconsideration.concluded")
    r.t("；被纠错").f("reconsideration.corrected")
    if r.has("reconsideration.correction_rate"):
        r.t("，纠错率").f("reconsideration.correction_rate")
        r.yoy("reconsideration.correction_rate")
    r.t("。")
    lit = _Writer(f).t("全年发生行政诉讼案件").f("litigation.received")
    lit.yoy("litigation.received").t("，审结").f("litigation.concluded")
    lit.t("，败诉").f("litigation.lost")
    if lit.has("litigation.loss_rate"):
        lit.t("，败诉率").f("litigation.loss_rate").yoy("litigation.loss_rate")
    if lit.has("litigation.appearance_rate"):
        lit.t("；行政机关负责人出庭应诉率").f("litigation.appearance_rate")
        lit.yoy("litigation.appearance_rate")
    lit.t("。")
    return [_p("s1.disputes.h", "（五）依法应对行政复议和行政诉讼", "heading2"),
            _p("s1.disputes.reconsideration", r.done()),
            _p("s1.disputes.litigation", lit.done())]


def _positive(w: _Writer, metric_id: str) -> bool:
    v = w.value(metric_id)
    return v is not None and v > 0


def _shortcomings(facts: ReportFacts) -> Para:
    """Draft 二、 from what the records show went wrong; a placeholder when nothing."""
    items: list[_Writer] = []
    if facts.causes:
        w = _Writer(facts.figures).t("依法行政水平有待提高。全年行政复议被纠错、"
                                     "行政诉讼败诉的案件，"
                                     "问题主要集中在")
        w.t("、".join(f"“{label}”（{n}件）" for label, n in facts.causes[:3]))
        w.t("等方面，执法人员的程序意识和证据意识仍需加强。")
        items.append(w)
    w = _Writer(facts.figures)
    if _positive(w, "clocks.overdue"):
        items.append(w.t("部分事项未在法定期限内办结，截至统计日仍有超过法定期限的"
                         "在办事项").f("clocks.overdue")
                     .breakdown("clocks.overdue", "，其中").t("。"))
    w = _Writer(facts.figures)
    if _positive(w, "permits.overdue"):
        items.append(w.t("审批服务效率仍有差距，全年超期办件（超过法定期限作出决定"
                         "或发证）").f("permits.overdue", "。"))
    w = _Writer(facts.figures)
    if _positive(w, "disclosure.late"):
        items.append(w.t("政务公开工作仍有短板，政府信息公开申请逾期答复")
                     .f("disclosure.late", "。"))
    w = _Writer(facts.figures)
    illegal, fixed = w.value("patches.illegal"), w.value("patches.rectified")
    if illegal and (fixed or 0) < illegal:
        items.append(w.t("卫片执法整改仍不到位，判定违法图斑").f("patches.illegal")
                     .t("，已整改到位").f("patches.rectified", "，尚未全部整改。"))
    if not items:
        return _ask("s2.shortcomings", "本年度法治政府建设存在的不足和原因")
    runs: list[Run] = []
    for i, item in enumerate(items):
        runs += [Text(f"{CN_ORDINALS[i]}是"), *item.done()]
    return _p("s2.shortcomings", _merge(runs), editable=True, drafted=True)


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for r in runs:
        if isinstance(r, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + r.text)
        else:
            out.append(r)
    return tuple(out)


def _next_steps(facts: ReportFacts) -> list[Para]:
    out = []
    if facts.measures:
        text = ("针对行政复议纠错和行政诉讼败诉反映的问题，逐案落实整改：" +
                "；".join(m.rstrip("。；") for m in facts.measures[:5]) + "。")
        out.append(_p("s3.measures", text, editable=True, drafted=True))
    out.append(_ask("s3.plans", f"{facts.year + 1}年推进法治政府建设的主要安排"))
    return out

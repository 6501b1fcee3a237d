"""Demo reconsiderations and lawsuits: two years of them, in both counties.

Each matter is played through the services on the days it would have happened, so
its dates, clocks and audit trail agree: ``on_day(day)`` sets Django's clock to 10:00
on ``day`` while the services run. Last year's decisions and hearings spread over
the whole year, this year's over the days up to today (all on 1 January, if that
is today); a matter's earlier steps (the copy received, the reply, the defence)
may fall in the year before. Dates move back to a working day where they can.
Every corrected or lost matter is reviewed, with measures; the year before last
has a baseline for the correction rate, so both years have a figure to compare
with. A few matters challenge the county's demo enforcement decisions. Loading
again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fazhi.core.demo import department_for, on_day
from fazhi.core.models import User
from fazhi.deadlines import services as clocks
from fazhi.disputes import review, services
from fazhi.disputes.models import Lawsuit, Reconsideration, ReviewCause
from fazhi.enforcement import selectors as enforcement

D = dt.timedelta

# Last year (-1) and this year (0). A reconsideration: where in the year its
# decision falls (0.0 = 1 January, 1.0 = the year's last day so far; a negative
# whole number: so many days before today, but not before 1 January), the outcome
# ("": still open, the copy received days ago), applicant, act challenged, and for
# a correcting outcome the cause and unit of its review; then options: simplified,
# "quick" (decided 25 days after the copy, not 50), a late reply, "link" (to one
# of the county's demo penalty decisions served shortly before, if there is one).
RECONSIDERATIONS = {
    -1: [
        (0.06, "upheld", "王建国", "行政处罚决定（非法占用耕地建房）", "", ""),
        (0.17, "dismissed", "刘志强", "政府信息公开申请答复", "", "", "simplified"),
        (0.28, "revoked", "湘潭某砂石场", "责令停止违法开采决定",
         "procedure_violated", "执法大队"),
        (0.40, "upheld", "某村村民委员会", "土地权属争议处理决定", "", ""),
        (0.52, "declared_unlawful", "周桂兰", "政府信息公开申请答复",
         "disclosure_late", "办公室", "simplified"),
        (0.63, "withdrawn", "陈立新", "行政处罚决定（非法占用土地）", "", ""),
        (0.76, "revoked", "彭德华", "不动产登记行为", "evidence_insufficient",
         "不动产登记中心"),
        (0.90, "upheld", "胡国平", "不予行政许可决定", "", ""),
    ],
    0: [
        (0.08, "upheld", "李红梅", "行政处罚决定（非法占用耕地建房）", "", ""),
        (0.20, "dismissed", "张秋生", "政府信息公开申请答复", "", "", "simplified"),
        (0.33, "revoked", "某农业开发有限公司", "行政处罚决定（非法占用土地）",
         "wrong_legal_basis", "执法大队"),
        (0.45, "dismissed", "易春华", "履行查处土地违法行为法定职责申请", "", ""),
        (0.58, "declared_unlawful", "谭小军", "采矿许可延续申请的答复",
         "reply_late", "法规股", "late"),
        (0.72, "upheld", "黄石矿业有限公司", "行政处罚决定（非法采矿）", "", "",
         "link"),
        (-20, "withdrawn", "刘建华", "责令限期拆除决定", "", "", "quick", "link"),
        (-4, "", "周美玲", "行政处罚决定（非法占用耕地建房）", "", "", "link"),
    ],
}

# A lawsuit (first instance at the county court unless "appeal"): its hearings
# (where in the year, as above, and whether the principal appeared), where its
# judgment or ruling is served, result, instrument, on the merits, plaintiff, act,
# and for a loss the cause and unit of its review; then options: "appealed" (the
# plaintiff appealed), "appeal" (the second instance of the one appealed), "link".
# The last of this year was served three days ago: its appeal window still runs.
LAWSUITS = {
    -1: [
        ([(0.30, False)], 0.38, "lost", "judgment", True, "某村村民委员会",
         "不动产登记行为", "wrong_legal_basis", "不动产登记中心"),
        ([(0.47, True)], 0.55, "lost", "judgment", True, "湘潭某建材有限公司",
         "行政处罚决定（非法占用土地）", "procedure_violated", "执法大队"),
        ([(0.62, True)], 0.70, "won", "judgment", True, "王建国",
         "行政处罚决定（非法占用耕地建房）", "", "", "appealed"),
        ([(0.72, False), (0.80, True)], 0.86, "partly_lost", "judgment", True,
         "周美玲", "责令限期拆除决定", "discretion_improper", "执法大队"),
        ([], 0.93, "withdrawn", "ruling", False, "谭志勇", "政府信息公开申请答复",
         "", ""),
    ],
    0: [
        ([(0.05, True)], 0.12, "won", "judgment", True, "王建国",
         "行政处罚决定（非法占用耕地建房）", "", "", "appeal"),
        ([(0.30, False)], 0.40, "won", "judgment", True, "湖南某新材料有限公司",
         "行政处罚决定（非法采矿）", "", ""),
        ([(0.48, True)], 0.60, "partly_lost", "judgment", True, "张秋生",
         "不履行查处土地违法行为法定职责", "duty_not_performed", "执法大队"),
        ([(0.70, False)], 0.78, "withdrawn", "ruling", False, "陈卫东",
         "政府信息公开申请答复", "", ""),
        ([(-25, True)], -3, "lost", "judgment", True, "刘建华",
         "行政处罚决定（非法占用土地）", "evidence_insufficient", "执法大队",
         "link"),
    ],
}

# The baseline of the year before last (from its published annual report).
BASELINE = ("correction_rate", 2, 9)

SUMMARY = {
    "upheld": "被申请人作出的行政行为认定事实清楚，证据确凿，适用依据正确，程序合法，"
              "内容适当，决定维持。",
    "dismissed": "申请人的行政复议请求不能成立，决定驳回。",
    "revoked": "被申请人作出的行政行为存在瑕疵，决定撤销，"
               "责令被申请人在三十日内重新作出。",
    "declared_unlawful": "被申请人作出的行政行为程序违法，但不具有可撤销内容，"
                         "确认违法。",
    "withdrawn": "申请人撤回行政复议申请，经审查同意撤回，本案终止。",
}

ABSENCE = [
    "负责人须出席县人民政府防汛抗旱紧急会议（履行他人不能代替的公务），"
    "已于开庭前向人民法院书面说明理由并提交证明材料",
    "负责人因突发疾病住院治疗，已向人民法院书面说明理由，委托法规股工作人员和律师出庭",
]

# Per cause: the review's analysis and up to two measures.
REVIEW = {
    "procedure_violated": (
        "告知当事人陈述、申辩和听证权利的程序不完整，送达回证缺少签收人签名。",
        ["对执法人员开展行政处罚程序专题培训，对照办法逐项核查在办案件",
         "修订法制审核清单，增加告知、听证和送达环节的审核要点"]),
    "disclosure_late": (
        "依申请公开登记后未及时转办，答复超过法定期限。",
        ["启用依申请公开答复期限预警，指定专人跟踪每件申请",
         "对本年度依申请公开答复逐件复查，超期的说明原因"]),
    "evidence_insufficient": (
        "现场勘测图未标注四至，占地面积认定缺少测绘依据，询问笔录与勘测结论不一致。",
        ["补充现场勘测和询问笔录后依法重新作出行政行为",
         "制定案件证据收集指引，法制审核时逐项核对证据"]),
    "wrong_legal_basis": (
        "引用已废止的条款作为依据，未适用修订后的规定。",
        ["组织学习新修订的法律法规，更新文书模板中的法律依据",
         "法规股对同类案件适用依据开展专项检查"]),
    "reply_late": (
        "收到申请书副本后未当日登记，承办股室报送证据迟延，答复超过十个工作日。",
        ["建立复议答复、应诉答辩期限提醒制度，收到副本当日登记",
         "明确承办股室三个工作日内向法规股报送答复材料和证据"]),
    "discretion_improper": (
        "拆除范围包括已补办手续的部分，未说明不予区分的理由，裁量明显不当。",
        ["对照裁量基准复核同类在办案件的处理决定",
         "修订裁量基准适用规则，决定书须写明从重、从轻的理由"]),
    "duty_not_performed": (
        "举报线索登记后未在规定时限内核查，也未书面答复举报人。",
        ["对举报线索逐件建立台账，限期核查并书面答复",
         "将线索核查时限纳入执法大队绩效考核"]),
}


def load(*, prefix: str) -> int:
    """Create the demo matters of the county whose users start with ``prefix``."""
    review.causes_sync()
    legal = User.objects.get(username=f"{prefix}_legal")
    org = legal.org_unit
    if (Reconsideration.objects.filter(org_unit=org).exists()
            or Lawsuit.objects.filter(org_unit=org).exists()):
        return 0
    desk = _Desk(legal, User.objects.get(username=f"{prefix}_principal"),
                 timezone.localdate())
    with transaction.atomic():
        return _load(desk)


class _Year:
    """The days of ``year`` a matter's decision or hearing may fall on."""

    def __init__(self, year: int, today: dt.date):
        self.year = year
        self.first = dt.date(year, 1, 1)
        self.last = min(dt.date(year, 12, 31), today)

    def at(self, where: float) -> dt.date:
        if isinstance(where, int) and where < 0:
            return max(self.last + D(where), self.first)
        return self.first + D(round(where * (self.last - self.first).days))


class _Desk:
    def __init__(self, legal, principal, today: dt.date):
        self.legal, self.principal, self.today = legal, principal, today
        self.org = legal.org_unit
        self.place = self.org.division_name
        self.code = self.org.division_code
        city = self.org.parent
        self.court = f"{self.place}人民法院"
        self.appeal_court = f"{city.division_name if city else ''}中级人民法院"
        self.city_code = city.division_code if city else self.code
        self.numbers: dict[tuple[str, int], int] = {}
        self.linked: set[int] = set()
        self.reviews = 0
        self.causes = {c.code: c for c in ReviewCause.objects.all()}

    def working(self, day: dt.date, floor: dt.date) -> dt.date:
        """``day``, or the working day before it, but never before ``floor``."""
        day = max(day, floor)
        while day > floor and not self._is_working(day):
            day -= D(1)
        return day

    def working_by(self, day: dt.date, ceiling: dt.date) -> dt.date:
        """``day``, or the working day after it, but never after ``ceiling``."""
        day = min(day, ceiling)
        while day < ceiling and not self._is_working(day):
            day += D(1)
        return day

    def _is_working(self, day: dt.date) -> bool:
        return clocks.is_working_day(day)

    def number(self, series: str, year: int) -> int:
        n = self.numbers[series, year] = self.numbers.get((series, year), 0) + 1
        return n

    def case_for(self, day: dt.date, within: int):
        """One of the county's penalty decisions served at most ``within`` days
        before ``day`` and not yet challenged in the demo, or None."""
        case = (enforcement.case_list(actor=self.legal).filter(
            org_unit=self.org, decision_served_on__lte=day,
            decision_served_on__gte=day - D(within)).exclude(pk__in=self.linked)
            .order_by("-decision_served_on", "-pk").first())
        if case is not None:
            self.linked.add(case.pk)
        return case


def _load(t: _Desk) -> int:
    this_year = t.today.year
    with on_day(t.working(dt.date(this_year - 1, 2, 10), dt.date(this_year - 1, 2, 1))):
        rate_id, numerator, denominator = BASELINE
        review.baseline_enter(
            actor=t.legal, year=this_year - 2, rate_id=rate_id, numerator=numerator,
            denominator=denominator,
            source=f"{t.org.name}{this_year - 2}年法治政府建设年度报告")
    n, appealed = 0, None
    for offset in (-1, 0):
        year = _Year(this_year + offset, t.today)
        for where, outcome, applicant, act, cause, unit, *opts in \
                RECONSIDERATIONS[offset]:
            _reconsideration(t, year, where, outcome, applicant, act, cause, unit,
                             set(opts))
            n += 1
        for hearings, served, result, instrument, merits, plaintiff, act, cause, \
                unit, *opts in LAWSUITS[offset]:
            previous = appealed if "appeal" in opts else None
            suit = _lawsuit(t, year, hearings, served, result, instrument, merits,
                            plaintiff, act, cause, unit, set(opts), previous)
            if "appealed" in opts:
                appealed = suit
            n += 1
    return n


def _reconsideration(t: _Desk, year: _Year, where, outcome, applicant, act, cause,
                     unit, opts) -> Reconsideration:
    days = 25 if opts & {"simplified", "quick"} else 50
    decided = t.working(year.at(where), year.first)
    received = t.working(decided - D(days), decided - D(days + 10))
    if not outcome:  # still open: the copy came in days ago, no reply yet
        decided, received = None, decided
    case = t.case_for(received, 60) if "link" in opts else None
    if case is not None:
        applicant, act = case.party_name, f"行政处罚决定（{case.number}）"
    with on_day(received):
        item = services.reconsideration_register(
            actor=t.legal,
            number=f"{t.place}府复〔{received.year}〕"
                   f"{t.number('recon', received.year)}号",
            applicant_name=applicant, body=f"{t.place}人民政府", challenged_act=act,
            copy_received_on=received, simplified="simplified" in opts,
            challenged=case)
    if decided is None:
        return item
    due = item.reply_clock.due_date
    replied = t.working_by(due + D(3) if "late" in opts else
                           received + D(3 if "simplified" in opts else 7), decided)
    with on_day(replied):
        services.reconsideration_reply(item=item, actor=t.legal, replied_on=replied)
    with on_day(decided):
        services.reconsideration_conclude(item=item, actor=t.legal, outcome=outcome,
                                          concluded_on=decided,
                                          summary=SUMMARY[outcome])
    if item.corrected:
        _review(t, item, decided, cause, unit)
    return item


def _lawsuit(t: _Desk, year: _Year, hearings, served, result, instrument, merits,
             plaintiff, act, cause, unit, opts, previous) -> Lawsuit:
    days, floor = [], year.first
    for where, appeared in hearings:
        floor = t.working(year.at(where), floor)
        days.append((floor, appeared))
    served = t.working(year.at(served), floor)
    first = days[0][0] if days else served
    if previous is not None:  # the appeal came in once the window had closed
        received = min(t.working(previous.concluded_on + D(25), previous.concluded_on),
                       first)
    else:
        received = t.working(first - D(40), first - D(50))
    defended = t.working_by(received + D(12), first)
    case = t.case_for(received, 180) if "link" in opts else None
    if case is not None:
        plaintiff, act = case.party_name, f"行政处罚决定（{case.number}）"
    court = t.appeal_court if previous else t.court
    if previous:
        numbers = f"{t.city_code[2:4]}行终"
        n = int(t.code[-2:]) * 10 + t.number("second", received.year)
    else:
        numbers = f"{t.code[2:]}行初"
        n = t.number("first", received.year)
    with on_day(received):
        suit = services.lawsuit_register(
            actor=t.legal, court=court,
            case_number=f"（{received.year}）湘{numbers}{n}号", plaintiff=plaintiff,
            challenged_act=act, complaint_received_on=received,
            instance="second" if previous else "first", previous=previous,
            challenged=case)
    with on_day(defended):
        services.lawsuit_defend(suit=suit, actor=t.legal, submitted_on=defended)
    for k, (held, appeared) in enumerate(days):
        with on_day(held):
            services.hearing_record(
                suit=suit, actor=t.legal, held_on=held,
                attendees=(f"{t.principal.full_name}（负责人）、{t.legal.full_name}"
                           if appeared else
                           f"{t.legal.full_name}、湖南某律师事务所律师（委托代理人）"),
                principal_appeared=appeared,
                principal=t.principal if appeared else None,
                absence_reason="" if appeared else ABSENCE[(k + len(plaintiff)) % 2])
    with on_day(served):
        services.lawsuit_conclude(suit=suit, actor=t.legal, result=result,
                                  instrument=instrument, served_on=served,
                                  on_merits=merits)
    window_clock = suit.appeal_clock
    if window_clock is not None and window_clock.due_date < t.today:
        # Nobody appealed in time, or the appeal was lodged: the window is closed.
        with on_day(window_clock.due_date + D(1)):
            clocks.clock_stop(clock=window_clock, on=window_clock.due_date,
                              actor=t.legal)
    if suit.lost:
        _review(t, suit, served, cause, unit)
    return suit


def _review(t: _Desk, matter, concluded: dt.date, cause: str, unit: str) -> None:
    t.reviews += 1
    analysis, measures = REVIEW[cause]
    day = t.working(min(concluded + D(10), t.today), concluded)
    with on_day(day):
        item = review.review_record(
            matter=matter, actor=t.legal, cause=t.causes[cause],
            department=department_for(matter.org_unit, unit),
            summary=analysis, reviewed_on=day)
    plan = measures if t.reviews % 2 else measures[:1]
    for k, text in enumerate(plan):
        owner = t.legal if k == 0 else t.principal
        with on_day(day):
            measure = review.measure_add(
                review=item, actor=t.legal, description=text, owner=owner,
                deadline=t.working(day + D(30 + 60 * k), day))
        done = t.working(day + D(20 + 60 * k), day)
        if done <= t.today:
            with on_day(done):
                review.measure_complete(measure=measure, actor=owner, done_on=done,
                                        note="已按期完成，整改材料已归档。")

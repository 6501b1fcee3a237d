"""Demo enforcement cases: every stage, one blocked at legal review, both counties.

Each case is played through the services on the days it would have happened, so
its dates, clocks and audit trail agree with each other: ``on_day(day)`` sets Django's
clock to 10:00 on ``day`` while the services run. Days are relative to today, so
the colours stay meaningful whenever the demo loads; a step planned before the law
allows it (a review inside a statement window stretched by the National Day
holiday, say) moves to the first day it may happen, and the case's later steps
with it. Loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.core.demo import on_day
from fazhi.core.models import User
from fazhi.enforcement.cases import execution, records, services
from fazhi.enforcement.models import Case

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PEOPLE = ["王建国", "湘潭某建材有限公司", "李红梅", "刘志强", "湘潭某砂石场", "陈立新",
          "张秋生", "周桂兰", "彭德华", "某农业开发有限公司", "胡国平", "谭小军",
          "黄石矿业有限公司", "易春华"]


def load(*, prefix: str) -> int:
    """Create the demo cases of the county whose users start with ``prefix``."""
    o1 = User.objects.get(username=f"{prefix}_officer")
    if Case.objects.filter(org_unit=o1.org_unit).exists():
        return 0
    team = _Team(o1, User.objects.get(username=f"{prefix}_officer2"),
                 User.objects.get(username=f"{prefix}_reviewer"),
                 User.objects.get(username=f"{prefix}_principal"))
    with transaction.atomic():
        return _load(team, timezone.localdate())


class _Team:
    def __init__(self, officer, officer2, reviewer, principal):
        self.officer, self.officer2 = officer, officer2
        self.reviewer, self.principal = reviewer, principal
        self.n = 0
        self.place = officer.org_unit.division_name
        self.last: dict[int, dt.date] = {}  # each case's latest step so far

    def when(self, case: Case, day: dt.date, earliest: dt.date | None = None) -> dt.date:
        """The day a step planned for ``day`` happens: never before the case's last
        step, nor before ``earliest``."""
        day = max(d for d in (day, self.last.get(case.pk), earliest) if d)
        self.last[case.pk] = day
        return day


def _file(t: _Team, day, fine="3000", approve=True, **extra) -> Case:
    t.n += 1
    party = PEOPLE[t.n % len(PEOPLE)]
    company = party.endswith(("公司", "场"))
    area = extra.pop("area_m2", (Decimal(fine) / 300).quantize(Decimal("0.01")))
    with on_day(day):
        case = services.case_file(
            actor=t.officer, officers=[t.officer, t.officer2],
            violation_type=extra.pop("violation_type", "illegal_occupation"),
            party_name=party,
            party_kind=extra.pop("party_kind", "organisation" if company else "person"),
            facts_summary=extra.pop("facts_summary",
                                    "经巡查发现，当事人未经批准占用耕地建设房屋。"),
            location=f"{t.place}某镇某村{t.n}组", area_m2=area,
            land_class=extra.pop("land_class", "farmland"),
            party_phone=f"1380731{t.n:04d}", party_address=f"{t.place}某镇某村{t.n}组",
            **extra,
        )
        if approve:
            services.case_approve_filing(case=case, actor=t.principal)
    t.last[case.pk] = day
    if approve:
        with on_day(day):
            records.case_record_add(
                case=case, actor=t.officer, act="site_inspection", kind="photo",
                file=ContentFile(JPEG, name=f"现场照片{t.n}.jpg"),
                captured_at=timezone.now(), place=case.location,
                device="执法记录仪 ZFJLY-00" + str(t.n % 3 + 1))
    return case


def _notice(t, case, day, fine):
    day = t.when(case, day)
    with on_day(day):
        return services.case_serve_notice(case=case, actor=t.officer,
                                          fine_proposed=Decimal(fine), served_on=day)


def _review(t, case, day, passed=True):
    window = case.statement_clock
    day = t.when(case, day, window.due_date + dt.timedelta(days=1) if window else None)
    with on_day(day):
        services.case_submit_review(case=case, actor=t.officer)
    if passed is None:
        return case
    with on_day(t.when(case, day + dt.timedelta(days=2))):
        services.case_review(
            case=case, actor=t.reviewer, passed=passed,
            opinion=("事实清楚，证据确凿，适用法律正确，程序合法，裁量适当，同意。"
                     if passed else "现场勘测图未标注四至，请补充勘测后重新提请审核。"))
    return case


def _decide(t, case, day, fine):
    with on_day(t.when(case, day)):
        if case.is_major:
            services.case_submit_discussion(case=case, actor=t.officer)
            services.case_hold_collective_discussion(
                case=case, actor=t.principal, minutes="局务会集体讨论，同意拟处罚意见。"
            )
        services.case_decide(case=case, actor=t.principal, fine_decided=Decimal(fine))
    return case


def _serve(t, case, day):
    day = t.when(case, day)
    with on_day(day):
        return services.case_serve_decision(case=case, actor=t.officer, served_on=day)


def _through_decision(t, today, start, fine="3000", **extra) -> Case:
    d = dt.timedelta
    case = _file(t, today - d(start), fine, **extra)
    _notice(t, case, today - d(start - 20), fine)
    _review(t, case, today - d(start - 30))
    return _decide(t, case, today - d(start - 35), fine)


def _load(t: _Team, today: dt.date) -> int:
    d = dt.timedelta
    _file(t, today - d(1), approve=False)  # 立案待批
    case = _file(t, today - d(20), approve=False)
    with on_day(today - d(19)):
        services.case_reject_filing(case=case, actor=t.principal,
                                    reason="经核查，占地系经批准的设施农业用地，不予立案")
    _file(t, today - d(10))  # 调查取证
    _notice(t, _file(t, today - d(30)), today - d(2), "3000")  # 陈述申辩期
    case = _notice(t, _file(t, today - d(40), "20000"), today - d(8), "20000")
    with on_day(today - d(6)):
        services.case_request_hearing(case=case, actor=t.officer,
                                      requested_on=today - d(6))
    # Blocked at legal review: major, submitted, no opinion yet — no decision possible.
    _review(t, _notice(t, _file(t, today - d(45), "20000"), today - d(20), "20000"),
            today - d(5), passed=None)
    _review(t, _notice(t, _file(t, today - d(50)), today - d(25), "3000"),
            today - d(10), passed=False)  # 退回补正
    _review(t, _notice(t, _file(t, today - d(55)), today - d(28), "3000"),
            today - d(6))  # 审核通过，待决定
    _through_decision(t, today, 50)  # 已作出决定，待送达
    _serve(t, _through_decision(t, today, 60), today - d(5))  # 缴款期内
    case = _serve(t, _through_decision(t, today, 120, "6000"), today - d(80))
    with on_day(t.when(case, today - d(40))):
        execution.case_start_execution(case=case, actor=t.officer,
                                       note="逾期未缴纳罚款，未拆除建筑物")
    case = _serve(t, _through_decision(t, today, 90, "2400"), today - d(50))
    with on_day(paid := t.when(case, today - d(50))):
        execution.case_record_payment(case=case, actor=t.officer, paid_on=paid)
    with on_day(t.when(case, today - d(45))):
        services.case_propose_closure(case=case, actor=t.officer)
        services.case_close(case=case, actor=t.principal)  # 已结案
    case = _file(t, today - d(30))
    with on_day(today - d(10)):
        services.case_propose_termination(case=case, actor=t.officer,
                                          reason="违法事实不能成立（办法第二十八条）")
        services.case_terminate(case=case, actor=t.principal)  # 待提请结案
    case = _file(t, today - d(25), violation_type="unlicensed_mining",
                 land_class="", area_m2=None, party_kind="organisation",
                 facts_summary="当事人未取得采矿许可证擅自开采砂石，涉嫌非法采矿罪。")
    with on_day(today - d(20)):
        services.case_transfer(case=case, actor=t.principal, to_agency="县公安局",
                               reason="开采矿产品价值达到刑事立案标准，依法移送")
    with on_day(today - d(2)):  # 结案待批
        services.case_propose_closure(case=case, actor=t.officer,
                                      reason="案件已移送公安机关，建议结案")
    # Waiting on the principal: a major case the heads are to discuss, and a
    # termination asked for.
    case = _review(t, _notice(t, _file(t, today - d(58), "20000"), today - d(30),
                              "20000"), today - d(8))
    with on_day(t.when(case, today - d(3))):
        services.case_submit_discussion(
            case=case, actor=t.officer,
            reason="本案属重大执法决定，已经法制审核，提请负责人集体讨论")
    case = _file(t, today - d(15))
    with on_day(today - d(1)):
        services.case_propose_termination(
            case=case, actor=t.officer, reason="经调查，当事人用地已取得批准手续")
    return t.n

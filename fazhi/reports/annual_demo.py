"""Demo: a past year for the annual report (last year), in both counties.

The other demo loaders play this year's matters (and the disputes loader two years),
so last year would have no permits, disclosure requests or cases to report. This
loader plays a year's window work, disclosure requests and a few enforcement cases
on days of last year through the apps' services (``on_day(day)`` sets Django's clock to
10:00 on that day, as the other loaders do), every one of them finished, so no clock
of last year stays open; and it stores the figures of the year before last as
baselines (from that year's "published" report) so the report compares year on
year. Loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chinese_calendar import is_workday
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.core.demo import on_day
from fazhi.core.models import User
from fazhi.reports.models import Baseline

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REQUESTERS = [("natural_person", "张伟"), ("business", "湘潭某置业有限公司"),
              ("natural_person", "李娜"), ("legal_service", "湖南某律师事务所"),
              ("natural_person", "王芳"), ("research", "某大学土地研究所")]
PARTIES = ["王建国", "湘潭某建材有限公司", "李红梅", "刘志强"]
# The year before last as its published report stated it (metric id → value).
BASELINE = {"permits.accepted": 21, "permits.on_time_rate": Decimal("95.2"),
            "disclosure.requests": 8, "cases.filed": 6, "study.sessions": 16,
            "litigation.received": 4, "litigation.loss_rate": Decimal("25.0"),
            "litigation.appearance_rate": Decimal("50.0")}
SOURCE = "{short}字〔{year}〕12号 {year}年法治政府建设年度报告（演示数据）"


def _workday(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def load(*, prefix: str) -> int:
    """Play last year's matters of the county whose users start with ``prefix``."""
    from fazhi.permits.selectors import application_list

    clerk = User.objects.get(username=f"{prefix}_clerk")
    year = timezone.localdate().year - 1
    org = clerk.org_unit
    if application_list(actor=clerk).filter(org_unit=org,
                                            received_on__year=year).exists():
        return 0
    with transaction.atomic():
        n = _permits(prefix, year) + _disclosure(prefix, year) + _cases(prefix, year)
        n += _tips(prefix, year)
        n += _baselines(prefix, year - 1)
    return n


# --- the window ---------------------------------------------------------------


def _permits(prefix: str, year: int) -> int:
    from fazhi.permits import services
    from fazhi.permits.selectors import kind_choices

    clerk = User.objects.get(username=f"{prefix}_clerk")
    services.kinds_sync(org_units=[clerk.org_unit])
    kinds = list(kind_choices(actor=clerk).order_by("pk"))
    n = 0
    for month in range(1, 12):
        for k in range(2):
            kind = kinds[(month * 2 + k) % len(kinds)]
            start = _workday(dt.date(year, month, 3 + k * 10))
            late = month == 6 and k == 0  # decided after its statutory limit
            _application(clerk, kind, start, n, late)
            n += 1
    return n


def _application(clerk, kind, start, n, late) -> None:
    from fazhi.permits import demo, services

    app = demo.application_receive(
        clerk, kind, start, n, project=f"{kind.name}申请项目（{start.year}）{n + 1}",
        phone=f"1397322{n:04d}")
    demo.application_accept_complete(app, clerk, start)
    app.refresh_from_db()
    due = app.decision_clock.due_date if app.decision_clock else start
    decided = _workday(due + dt.timedelta(days=3)) if late else \
        _workday(start + dt.timedelta(days=5))
    app = demo.sign_off(app, demo.staff_of(clerk.username.split("_")[0]), decided)
    with on_day(decided):
        services.application_approve(application=app, actor=clerk, decided_on=decided)
    issued = _workday(decided + dt.timedelta(days=1))
    with on_day(issued):
        if kind.fee:
            services.fee_record(application=app, actor=clerk, amount=Decimal("200.00"),
                                receipt_number=f"湘财票{issued.year}{n:05d}",
                                paid_on=issued)
        services.certificate_issue(application=app, actor=clerk, issued_on=issued)
        services.rating_record(application=app, score=5, comment="办理及时",
                               channel="window", actor=clerk)


# --- disclosure requests ------------------------------------------------------


def _disclosure(prefix: str, year: int) -> int:
    from fazhi.disclosure import services as s

    officer = User.objects.get(username=f"{prefix}_disclosure")
    for i, (category, name) in enumerate(REQUESTERS):
        received = _workday(dt.date(year, 2 + i * 2, 6))
        with on_day(received):
            r = s.request_register(
                actor=officer, channel="in_person", submitted_on=received,
                requester_category=category, requester_name=name,
                requester_phone=f"0731-5701{i:04d}", requester_address="湘潭县易俗河镇",
                content=f"申请公开：{year}年度建设用地审批情况（第{i + 1}项）",
                assignee=officer, scans=[ContentFile(PDF, name=f"申请书{i + 1}.pdf")])
        # The fifth is answered late: past its 20 working days.
        replied = _workday(received + dt.timedelta(days=40 if i == 4 else 10))
        with on_day(replied):
            s.request_reply(request=r, actor=officer, outcome="disclose",
                            replied_on=replied,
                            reply_summary="经查，所申请信息予以公开，随本答复书提供复制件。")
            s.request_deliver(request=r, actor=officer, method="in_person",
                              delivered_on=replied)
    return len(REQUESTERS)


# --- enforcement cases --------------------------------------------------------


def _cases(prefix: str, year: int) -> int:
    """Cases filed, noticed, reviewed, decided, served, paid and closed in the year."""
    from fazhi.enforcement.cases import execution, services

    team = {k: User.objects.get(username=f"{prefix}_{k}")
            for k in ("officer", "officer2", "reviewer", "principal")}
    for i, party in enumerate(PARTIES):
        day = _workday(dt.date(year, 3 + i * 2, 10))
        _case(services, execution, team, i, party, day)
    return len(PARTIES)


def _case(services, execution, t, i, party, day) -> None:
    officer = t["officer"]
    place = f"{officer.org_unit.division_name}某镇某村{i + 1}组"
    fine = Decimal(2000 + 1000 * i)
    with on_day(day):
        case = services.case_file(
            actor=officer, officers=[officer, t["officer2"]],
            violation_type="illegal_occupation", party_name=party,
            party_kind="organisation" if party.endswith("公司") else "person",
            facts_summary="经巡查发现，当事人未经批准占用耕地建设房屋。",
            location=place, area_m2=(fine / 300).quantize(Decimal("0.01")),
            land_class="farmland", party_phone=f"1380732{i:04d}", party_address=place)
        services.case_approve_filing(case=case, actor=t["principal"])
    day = _workday(day + dt.timedelta(days=15))
    with on_day(day):
        case = services.case_serve_notice(case=case, actor=officer, fine_proposed=fine,
                                          served_on=day)
    windows = [c.due_date for c in (case.statement_clock, case.hearing_clock) if c]
    day = _workday(max([day, *windows]) + dt.timedelta(days=1))
    with on_day(day):
        services.case_submit_review(case=case, actor=officer)
        services.case_review(case=case, actor=t["reviewer"], passed=True,
                             opinion="事实清楚，证据确凿，适用法律正确，程序合法，裁量适当，同意。")
    day = _workday(day + dt.timedelta(days=2))
    with on_day(day):
        if case.is_major:
            services.case_submit_discussion(case=case, actor=officer)
            services.case_hold_collective_discussion(
                case=case, actor=t["principal"],
                minutes="局务会集体讨论，同意拟处罚意见。")
        services.case_decide(case=case, actor=t["principal"], fine_decided=fine)
        services.case_serve_decision(case=case, actor=officer, served_on=day)
    day = _workday(day + dt.timedelta(days=7))
    with on_day(day):
        execution.case_record_payment(case=case, actor=officer, paid_on=day)
        services.case_propose_closure(case=case, actor=officer)
        services.case_close(case=case, actor=t["principal"])


# --- tips ---------------------------------------------------------------------
TIPSTERS = ["赵某", "钱某", "孙某"]


def _tips(prefix: str, year: int) -> int:
    """Citizens' tips checked, closed without a case and answered in the year."""
    from fazhi.enforcement.leads import services as leads

    officer = User.objects.get(username=f"{prefix}_officer")
    for i, name in enumerate(TIPSTERS):
        received = _workday(dt.date(year, 4 + i * 3, 8))
        place = f"{officer.org_unit.division_name}某镇某村{i + 5}组"
        with on_day(received):
            lead = leads.lead_register(
                actor=officer, source="tip", channel="phone", received_on=received,
                location=place, description="举报有人在耕地上堆放建筑材料、平整土地。",
                assignee=officer, tipster_name=name, tipster_phone=f"1397323{i:04d}")
        checked = _workday(received + dt.timedelta(days=3))
        with on_day(checked):
            leads.lead_check(lead=lead, actor=officer, checked_on=checked,
                             findings="现场核查，系农户临时堆放农用物资，未改变土地用途。")
            leads.lead_close(lead=lead, actor=officer,
                             reason="经核查不存在违法事实，不予立案。")
        answered = _workday(checked + dt.timedelta(days=2))
        with on_day(answered):
            leads.lead_answer(lead=lead, actor=officer, answered_on=answered,
                              answer="经核查，不存在违法占用耕地行为，已书面告知。",
                              method="phone")
    return len(TIPSTERS)


# --- baselines of the year before ---------------------------------------------


def _baselines(prefix: str, year: int) -> int:
    legal = User.objects.get(username=f"{prefix}_legal")
    org = legal.org_unit
    if Baseline.objects.filter(org_unit=org, year=year).exists():
        return 0
    from fazhi.reports.baseline import baseline_import

    source = SOURCE.format(short=org.short_name, year=year + 1)
    return len(baseline_import(actor=legal, org_unit=org, year=year,
                               figures=BASELINE, source=source))

"""Each module's matter waiting on a role reaches that role's people in its own
bureau, says what is to be done on which matter, and is gone once the action is
taken through the module's service."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse

from tests.enforcement.conftest import DECIDED_ON, MON, area_for, noticed, on


def _file(people, officer2):
    from fazhi.enforcement.cases import services

    with on(MON):
        return services.case_file(
            actor=people.xt_officer, officers=[people.xt_officer, officer2],
            violation_type="illegal_occupation", party_name="李四",
            party_kind="person", facts_summary="未经批准占用集体土地建房",
            location="湘潭县某镇某村", area_m2=Decimal("66.67"), land_class="farmland")


def test_a_case_awaiting_filing_reaches_its_bureaus_principal_then_its_officers(
        people, officer2, third_officer, home):
    from fazhi.enforcement.cases import services

    case = _file(people, officer2)
    with on(MON):
        page = home(people.xt_principal)
        assert f"审批立案：{case.number}" in page
        assert reverse("enforcement:case_detail", args=[case.pk]) in page
        assert case.number not in home(people.xx_principal)
        assert case.number not in home(people.xt_officer)  # the principal's move

        services.case_approve_filing(case=case, actor=people.xt_principal)

        assert "审批立案" not in home(people.xt_principal)
        assert f"调查取证：{case.number}" in home(people.xt_officer)
        assert f"调查取证：{case.number}" in home(officer2)
        # Given to its two officers: not every officer of the bureau.
        assert case.number not in home(third_officer)


def test_a_case_submitted_for_legal_review_reaches_the_reviewer(
        people, filed, home):
    from fazhi.enforcement.cases import services

    case = noticed(filed(area_m2=area_for("1000")), people.xt_officer, "1000")
    with on(DECIDED_ON):
        assert "法制审核" not in home(people.xt_reviewer)
        services.case_submit_review(case=case, actor=people.xt_officer)
        page = home(people.xt_reviewer)
        assert f"法制审核：{case.number}" in page
        assert DECIDED_ON.isoformat() in page  # since the day it was submitted
        assert case.number not in home(people.xx_reviewer)

        services.case_review(case=case, actor=people.xt_reviewer, passed=True,
                             opinion="事实清楚，证据确凿，适用法律正确，程序合法")

        assert "法制审核" not in home(people.xt_reviewer)
        assert f"作出处理决定：{case.number}" in home(people.xt_principal)


def test_a_disclosure_extension_asked_by_the_officer_reaches_the_office_head(
        people, request_of, home):
    from fazhi.deadlines.models import ClockExtension
    from fazhi.disclosure import services

    req = request_of()
    day = dt.date(2025, 10, 10)
    with on(day):
        assert f"办理答复：{req.number}" in home(people.xt_disclosure)
        services.request_extension_ask(request=req, actor=people.xt_disclosure,
                                       days=10, reason="需调取多年档案汇总")
        page = home(people.xt_disclosurehead)
        assert f"审批延期申请：{req.number}" in page
        assert reverse("disclosure:detail", args=[req.pk]) in page
        # Nobody decides their own request; another county's head never sees it.
        assert "审批延期申请" not in home(people.xt_disclosure)
        assert req.number not in home(people.xx_disclosurehead)

        services.request_extension_decide(
            extension=ClockExtension.objects.get(clock=req.reply_clock),
            actor=people.xt_disclosurehead, approve=True)

        assert "审批延期申请" not in home(people.xt_disclosurehead)
        assert f"办理答复：{req.number}" in home(people.xt_disclosure)


def test_a_permit_application_reaches_its_clerk_at_each_step(
        people, registered, clerk, home):
    from fazhi.permits import services

    app = registered()
    with on(MON):
        assert f"受理审查：{app.number}" in home(clerk)
        assert app.number not in home(people.xx_clerk)
        services.application_accept(application=app, actor=clerk, accepted_on=MON)
        page = home(clerk)
        assert "受理审查" not in page
        assert f"审查并提出承办意见：{app.number}" in page
        app.refresh_from_db()
        assert app.decision_clock.due_date.isoformat() in page  # due from its clock


def test_a_permit_decision_reaches_the_section_head_the_principal_and_back(
        people, accepted, clerk, home, django_capture_on_commit_callbacks):
    from fazhi.core.models import NoticeKind, Notification
    from fazhi.permits import services

    app = accepted(materials=True)
    with on(MON):
        with django_capture_on_commit_callbacks(execute=True):  # 新待办 on commit
            services.application_propose(application=app, actor=clerk,
                                         decision="approve")
        assert f"审核许可决定：{app.number}" in home(people.xt_sectionhead)
        assert app.number not in home(people.xx_sectionhead)
        assert app.number not in home(people.xt_principal)
        assert f"审查并提出承办意见：{app.number}" not in home(clerk)
        assert Notification.objects.filter(user=people.xt_sectionhead,
                                           kind=NoticeKind.WORK).exists()
        services.application_sign(application=app, actor=people.xt_sectionhead,
                                  agree=True)
        assert app.number not in home(people.xt_sectionhead)
        assert f"批准许可决定：{app.number}" in home(people.xt_principal)
        services.application_sign(application=app, actor=people.xt_principal,
                                  agree=False, reasons="现场核查与申请不符")
        assert app.number not in home(people.xt_principal)
        assert f"审查并提出承办意见：{app.number}" in home(clerk)
        told = Notification.objects.get(user=clerk, kind=NoticeKind.DECISION)
        assert "现场核查与申请不符" in told.message


def test_a_field_check_reaches_its_officer_and_a_withdrawn_one_every_officer(
        people, patch, officer2, home):
    from fazhi.monitoring import services

    day = dt.date(2025, 11, 5)
    with on(day):
        assert f"派发外业核查：{patch.code}" in home(people.xt_officer)
        task = services.task_assign(patch=patch, assignee=officer2,
                                    actor=people.xt_officer,
                                    due_on=dt.date(2025, 11, 20))
        page = home(officer2)
        assert f">外业核查：{patch.code}" in page and "2025-11-20" in page
        # Sent to officer2 alone: the sender no longer has it.
        assert patch.code not in home(people.xt_officer)
        assert patch.code not in home(people.xx_officer)

        services.task_cancel(task=task, actor=people.xt_officer, reason="改派他人")

        assert f">外业核查：{patch.code}" not in home(officer2)
        assert f"派发外业核查：{patch.code}" in home(people.xt_officer)


def test_a_city_user_sees_the_counts_of_each_county_not_the_items(
        people, officer2, registered, home):
    case = _file(people, officer2)
    registered()
    with on(MON):
        page = home(people.city_principal)
    assert "下级机关待办情况" in page
    assert case.number not in page
    header = page[page.index("<th>机关</th>"):]
    columns = re.findall(r"<th>([^<]+)</th>", header[:header.index("</tr>")])[1:]
    assert dict(zip(columns, _cells(page, "湘潭县自然资源局"), strict=True)) == {
        "行政执法": "1", "行政许可": "1", "依申请公开": "0", "卫片执法": "0",
        "合计": "2"}
    assert set(_cells(page, "湘乡市自然资源局")) == {"0"}


def _cells(page: str, unit: str) -> list[str]:
    row = page[page.index(f'<th scope="row">{unit}'):]
    return re.findall(r'class="num">([^<]+)<', row[:row.index("</tr>")])

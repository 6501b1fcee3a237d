"""Each module's matter waiting on a role reaches that role's people in its own
bureau, says what is to be done on which matter, and is gone once the action is
taken through the module's service."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.enforcement.conftest import (
    DECIDED_ON,
    MON,
    area_for,
    noticed,
    on,
    recorded,
)


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


def test_a_field_check_reaches_its_officer_and_a_withdrawn_one_the_batchs_officer(
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


def test_a_batchs_patches_wait_on_the_officer_who_took_it_in_not_every_officer(
        people, batch, patch, officer2, third_officer, home):
    """Only officers send patches out and judge them; the batch is run by the one
    who imported it: its patches to send and to judge are theirs, owed by the
    batch's deadline for the checks, not on every officer's list."""
    from fazhi.monitoring import services
    from tests.monitoring.test_services import checked

    codes = list(batch.patches.values_list("code", flat=True))
    with on(dt.date(2025, 11, 5)):
        page = home(people.xt_officer)
        for code in codes:
            row = _row(page, f"派发外业核查：{code}")
            assert "2025-11-28" in row  # the batch's 核查截止日期
        for other in (officer2, third_officer):
            assert not any(code in home(other) for code in codes)
        task = services.task_assign(patch=patch, assignee=officer2,
                                    actor=people.xt_officer)
    checked(task, officer2)
    with on(dt.date(2025, 11, 6)):
        assert f"合法性判定：{patch.code}" in home(people.xt_officer)
        assert patch.code not in home(officer2)  # the check is done


def test_a_reviewer_who_took_part_in_a_case_is_not_offered_its_review(
        people, filed, third_officer, home):
    """xt_officer3 holds a badge and is also a legal reviewer: having recorded
    evidence of one case, its review goes to the other reviewer only, as the
    review's guard refuses them; a reviewer who returned a case reviews it again."""
    from fazhi.core import services as core
    from fazhi.core.roles import Role
    from fazhi.enforcement.cases import services

    core.user_grant_role(user=third_officer, role=Role.LEGAL_REVIEWER, actor=None)
    took_part, other = (noticed(filed(area_m2=area_for("1000")), people.xt_officer,
                                "1000") for _ in range(2))
    with on(DECIDED_ON):
        recorded(took_part, third_officer)
        for case in (took_part, other):
            services.case_submit_review(case=case, actor=people.xt_officer)
        page = home(third_officer)
        assert f"法制审核：{other.number}" in page
        assert took_part.number not in page
        assert f"法制审核：{took_part.number}" in home(people.xt_reviewer)
        with pytest.raises(ValidationError, match="法制审核人员不得是本案"):
            services.case_review(case=took_part, actor=third_officer, passed=True,
                                 opinion="同意")

        services.case_review(case=other, actor=people.xt_reviewer, passed=False,
                             opinion="请补充现场勘测图")
        services.case_submit_review(case=other, actor=people.xt_officer)
        assert f"法制审核：{other.number}" in home(people.xt_reviewer)


def test_a_matter_whose_clock_is_paused_reads_paused_not_undated(
        registered, clerk, home):
    from fazhi.permits import services

    app = registered()
    later = MON + dt.timedelta(days=2)
    with on(MON):
        services.application_accept(application=app, actor=clerk, accepted_on=MON)
    with on(later):
        services.application_pause(application=app, actor=clerk,
                                   kind="expert_review", reason="组织专家评审",
                                   start=later)
        row = _row(home(clerk), f"审查并提出承办意见：{app.number}")
    assert "暂停计时" in row and "未设期限" not in row


def _row(page: str, text: str) -> str:
    """The table row of ``page`` holding ``text``."""
    at = page.index(text)
    return page[page.rindex("<tr", 0, at):page.index("</tr>", at)]


def test_a_city_user_sees_the_counts_of_each_county_not_the_items(
        people, officer2, registered, home):
    case = _file(people, officer2)
    registered()
    with on(MON):
        page = home(people.city_principal)
    assert "下级机关待办情况" in page
    assert case.number not in page
    assert _cells(page, "湘潭县自然资源局") == {
        "行政执法": "1", "行政许可": "1", "依申请公开": "0", "卫片执法": "0",
        "合计": "2"}
    assert set(_cells(page, "湘乡市自然资源局").values()) == {"0"}


def _cells(page: str, unit: str) -> dict[str, str]:
    """The counts of ``unit`` on a city user's page, by column."""
    header = page[page.index("<th>机关</th>"):]
    columns = re.findall(r"<th>([^<]+)</th>", header[:header.index("</tr>")])[1:]
    row = page[page.index(f'<th scope="row">{unit}'):]
    cells = re.findall(r'class="num">([^<]+)<', row[:row.index("</tr>")])
    return dict(zip(columns, cells, strict=True))


def test_a_bad_rating_reaches_its_bureaus_supervisors_until_answered(
        people, registered, home):
    from fazhi.permits import services

    app = registered()  # the applicant rates the wait at the window online
    with on(dt.date(2025, 9, 8)):
        rating = services.rating_record(application=app, score=1, comment="等了很久",
                                        channel="online")
        page = home(people.xt_supervisor)
        assert f"差评核实答复 {app.number}" in page
        assert reverse("permits:detail", args=[app.pk]) in page
        assert app.number not in home(people.xx_supervisor)
        assert "差评核实答复" not in home(people.xt_clerk)
    late = dt.date(2025, 9, 30)  # past its 15 working days
    with on(late):
        principal = home(people.xt_principal)
        section = principal[principal.index("所属人员的超期事项"):]
        assert "督察人员" in _row(section, f"差评核实答复 {app.number}")
        # The city counts it with the application still waiting on the clerk.
        city = _cells(home(people.city_principal), "湘潭县自然资源局")
        assert city["行政许可"] == "2（超期 2）"
        services.complaint_explain(rating=rating, actor=people.xt_clerk,
                                   explanation="等候时间长")
        services.complaint_answer(rating=rating, actor=people.xt_supervisor,
                                  answer="已核实，已电话告知评价人", answered_on=late)
        assert "差评核实答复" not in home(people.xt_supervisor)

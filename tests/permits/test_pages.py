"""Permit pages: scope, roles, the statistics and the numbers behind them, the
applicant's rating page, the permit-kind page, bad input."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from fazhi.core.models import Approval, Instrument
from fazhi.permits import services
from fazhi.permits.models import Application, ApplicationState, PermitKind, Rating
from tests.permits.conftest import MON, on

YEAR = {"year": "2025"}


def test_another_county_gets_not_found_and_the_city_reads(client, people, accepted):
    app = accepted()
    client.force_login(people.xx_clerk)
    assert client.get(app.get_absolute_url()).status_code == 404
    assert client.get(reverse("permits:accept", args=[app.pk])).status_code == 404
    assert app.number not in client.get(reverse("permits:board")).content.decode()
    client.force_login(people.city_principal)
    page = client.get(app.get_absolute_url()).content.decode()
    assert app.number in page and reverse("permits:approve", args=[app.pk]) not in page
    assert client.get(reverse("permits:approve", args=[app.pk])).status_code == 403


def test_roles_without_the_window_are_refused(client, people):
    client.force_login(people.xt_officer)
    assert client.get(reverse("permits:queue")).status_code == 403
    client.force_login(people.xt_clerk)
    assert client.get(reverse("permits:kind_edit", args=[1])).status_code == 403


def test_the_queue_lists_my_open_applications_soonest_first(client, people, accepted):
    later = accepted(day=MON + dt.timedelta(days=2), project_name="后受理的项目")
    sooner = accepted(project_name="先受理的项目")
    done = accepted(project_name="已撤回的项目")
    with on(MON):
        services.application_withdraw(application=done, actor=people.xt_clerk,
                                      reason="书面撤回", withdrawn_on=MON)
    client.force_login(people.xt_clerk)
    with on(MON + dt.timedelta(days=2)):
        html = client.get(reverse("permits:queue")).content.decode()
    assert html.index(sooner.number) < html.index(later.number)
    assert done.number not in html


def test_a_proposed_approval_names_the_missing_material_and_changes_nothing(
        client, people, accepted):
    app = accepted()
    client.force_login(people.xt_clerk)
    with on(MON):
        response = client.post(reverse("permits:propose", args=[app.pk]),
                               {"decision": "approve"})
    assert response.status_code == 200
    assert "乡、镇人民政府审核意见" in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == ApplicationState.ACCEPTED
    assert not Approval.objects.exists()


def test_bad_intake_input_gets_a_chinese_message_and_stores_nothing(
        client, people, kinds):
    client.force_login(people.xt_clerk)
    response = client.post(reverse("permits:register"), {
        "kind": kinds["rural_planning"].pk, "received_on": "2025-09-01",
        "applicant_name": "张三", "applicant_kind": "person", "project_name": "自建房",
        "location": "某村", "clerk": people.xt_clerk.pk, "polygon": "{not json"})
    assert response.status_code == 200
    assert "不是有效的 GeoJSON" in response.content.decode()
    assert not Application.objects.exists()


def test_statistics_count_by_kind_and_each_number_lists_its_applications(
        client, people, approved, accepted, kinds):
    from fazhi.permits import services

    on_time = approved()
    with on(MON):  # decided and certified on time: the one on time
        services.certificate_issue(application=on_time, actor=people.xt_clerk,
                                   issued_on=MON)
    late_day = dt.date(2025, 10, 9)  # after the 20 working days ending 2025-09-28
    late = approved("construction_planning", day=late_day)
    open_one = accepted("rural_planning", project_name="在办项目")
    client.force_login(people.xt_clerk)
    with on(dt.date(2025, 12, 1)):
        html = client.get(reverse("permits:stats"), YEAR).content.decode()
        decided = client.get(reverse("permits:stats_records", args=["decided"]),
                             YEAR).content.decode()
        late_list = client.get(reverse("permits:stats_records", args=["late"]),
                               {**YEAR, "kind": kinds["construction_planning"].pk}
                               ).content.decode()
        export = client.get(reverse("permits:stats_export"), YEAR)
    assert on_time.number in decided and late.number in decided
    assert open_one.number not in decided
    assert late.number in late_list and on_time.number not in late_list
    assert "50.0%" in html  # 1 of 2 decisions on time, in the total row
    assert "超期清单" in html and late.number in html
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    total = [c.value for c in list(sheet.iter_rows())[-1]]
    assert total[0] == "合计" and total[1] == 3  # received


def test_an_empty_period_shows_a_dash_not_zero_percent(client, people, approved):
    approved()
    client.force_login(people.xt_clerk)
    html = client.get(reverse("permits:stats"), {"year": "2019"}).content.decode()
    assert "—" in html and "0.0%" not in html


def test_the_applicant_rates_online_without_logging_in_once(client, approved, people):
    app = approved()
    with on(MON):
        services.certificate_issue(application=app, actor=people.xt_clerk,
                                   issued_on=MON)
    url = reverse("rating:rate", args=[app.rating_token])
    with on(MON):
        response = client.post(url, {"score": "1", "comment": "窗口人员态度差"})
        again = client.post(url, {"score": "5"})
    assert "感谢您的评价" in response.content.decode()
    assert "感谢您的评价" in again.content.decode()
    rating = Rating.objects.get()
    assert rating.score == 1 and rating.complaint_clock is not None
    assert client.get(reverse("rating:rate", args=["no-such-token"])).status_code == 404
    page = client.get(url).content.decode()
    assert "张三" not in page  # the page shows the matter, not the person


def test_the_promised_limit_cannot_exceed_the_statutory_one_on_the_kind_page(
        client, people, kinds):
    kind = kinds["rural_planning"]
    client.force_login(people.xt_sysadmin)
    form = client.get(reverse("permits:kind_edit", args=[kind.pk])).content.decode()
    assert "application|乡村建设规划许可申请表|是" in form
    data = {"name": kind.name, "basis": kind.basis, "decision_rule": "permit.decision",
            "promised_days": "25", "certificate_word": kind.certificate_word,
            "fee_basis": "", "is_active": "on",
            "materials_text": "application|申请表|是"}
    response = client.post(reverse("permits:kind_edit", args=[kind.pk]), data)
    assert "不得长于法定期限" in response.content.decode()
    assert PermitKind.objects.get(pk=kind.pk).promised_days == kind.promised_days
    data["promised_days"] = "3"
    response = client.post(reverse("permits:kind_edit", args=[kind.pk]), data)
    assert response.status_code == 302
    saved = PermitKind.objects.get(pk=kind.pk)
    assert saved.promised_days == 3 and saved.materials == [
        {"code": "application", "label": "申请表", "required": True}]


def test_a_supervisor_answers_a_bad_rating_from_the_application_page(
        client, people, approved):
    app = approved()
    with on(MON):
        services.certificate_issue(application=app, actor=people.xt_clerk,
                                   issued_on=MON)
        services.rating_record(application=app, score=2, comment="慢",
                               channel="window", actor=people.xt_clerk)
    client.force_login(people.xt_supervisor)
    with on(MON):  # nothing to verify before the window explains
        page = client.get(app.get_absolute_url()).content.decode()
        assert reverse("permits:answer", args=[app.pk]) not in page
        assert "待被评价窗口作出情况说明" in page
    client.force_login(people.xt_clerk)
    with on(MON):
        page = client.get(app.get_absolute_url()).content.decode()
        assert reverse("permits:explain", args=[app.pk]) in page
        client.post(reverse("permits:explain", args=[app.pk]),
                    {"explanation": "午间窗口只开一个"})
    client.force_login(people.xt_supervisor)
    with on(MON):
        page = client.get(app.get_absolute_url()).content.decode()
        assert reverse("permits:answer", args=[app.pk]) in page
        assert "午间窗口只开一个" in page
        client.post(reverse("permits:answer", args=[app.pk]),
                    {"agree": "1", "answer": "已核实并致歉", "answered_on": "2025-09-01"})
    assert Rating.objects.get().answered_on == MON
    client.force_login(people.xt_supervisor)  # back in today's time: a new session
    complaints = client.get(reverse("permits:complaints")).content.decode()
    assert app.number in complaints


@pytest.mark.parametrize("name", ["permits:export", "permits:stats_export"])
def test_exports_are_excel_files(client, people, accepted, name):
    accepted()
    client.force_login(people.xt_principal)
    response = client.get(reverse(name))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row >= 2


@pytest.mark.parametrize("step", sorted(
    __import__("fazhi.permits.views", fromlist=["STEPS"]).STEPS))
def test_every_action_page_of_another_county_is_not_found(client, people, accepted,
                                                          step):
    app = accepted()
    persona = {"decide_extension": "xx_principal", "revoke": "xx_principal",
               "answer": "xx_supervisor", "sign": "xx_sectionhead"}.get(step,
                                                                        "xx_clerk")
    client.force_login(people[persona])
    url = reverse(f"permits:{step}", args=[app.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"on": "2025-09-01"}).status_code == 404
    assert Application.objects.get(pk=app.pk).state == ApplicationState.ACCEPTED


def test_the_principal_finds_a_pending_extension_on_the_board(client, people,
                                                              accepted):
    app = accepted()
    with on(MON):
        services.extension_request(application=app, actor=people.xt_clerk, days=5,
                                   reason="需要组织专家现场踏勘")
    client.force_login(people.xt_principal)
    board = client.get(reverse("permits:board")).content.decode()
    assert "待负责人审批的延期" in board and "需要组织专家现场踏勘" in board
    page = client.get(app.get_absolute_url()).content.decode()
    assert reverse("permits:decide_extension", args=[app.pk]) in page


def test_the_application_page_names_who_asked_for_the_extension_and_who_decided(
        client, people, accepted):
    app = accepted()
    with on(MON):
        services.extension_request(application=app, actor=people.xt_clerk, days=5,
                                   reason="需要组织专家现场踏勘")
        services.extension_decide(application=app, actor=people.xt_principal,
                                  approve=True)
    client.force_login(people.xt_clerk)
    page = client.get(app.get_absolute_url()).content.decode()
    assert (f"延长 5 个工作日（已批准），申请人 {people.xt_clerk}，"
            f"审批人 {people.xt_principal}：需要组织专家现场踏勘") in page


@pytest.mark.demo
def test_the_demo_holds_every_kind_in_every_state_in_both_counties(db):
    from django.core.management import call_command

    from fazhi.core.models import ApprovalState
    from fazhi.permits.demo import RETURNED, plays

    call_command("demo_load", stdout=io.StringIO())
    for code in ("430321", "430381"):
        pairs = set(Application.objects.filter(org_unit__division_code=code)
                    .values_list("kind__code", "state"))
        kinds = PermitKind.objects.filter(org_unit__division_code=code)
        assert pairs == {(k.code, s) for k in kinds for s in plays(k)
                         if s != RETURNED}
        # Waiting on each county's section head and principal; one sent back.
        states = {s for _, s in pairs}
        assert {"reviewing", "signing"} <= states
        assert Approval.objects.filter(org_unit__division_code=code,
                                       state=ApprovalState.RETURNED).exists()
    assert Rating.objects.filter(complaint_clock__isnull=False).exists()


def test_the_completion_notice_downloads_for_the_bureau_only(client, people, registered):
    app = registered()
    with on(dt.date(2025, 9, 3)):
        services.application_request_completion(
            application=app, actor=people.xt_clerk, items="乡、镇人民政府审核意见未盖章",
            notified_on=dt.date(2025, 9, 3))
    notice = Instrument.objects.get(kind="permits.completion_notice")
    url = reverse("permits:instrument", args=[app.pk, notice.pk])
    client.force_login(people.xt_clerk)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a .docx
    assert client.get(reverse("permits:instrument",
                              args=[app.pk, notice.pk + 1])).status_code == 404
    client.force_login(people.xx_clerk)
    assert client.get(url).status_code == 404


def test_approving_an_extension_on_its_page_issues_the_notice_with_the_reason(
        client, people, accepted):
    """行政许可法第四十二条第一款: approved by the head, the applicant told why; the
    days and the basis from the rule data (permit decision rule)."""
    from tests.core.test_instrument_words import FORBIDDEN
    from tests.permits.test_services import STATUTORY_DUE, text_of

    app = accepted()
    with on(dt.date(2025, 9, 22)):
        services.extension_request(application=app, actor=people.xt_clerk, days=10,
                                   reason="需要组织专家现场踏勘。")
    client.force_login(people.xt_principal)
    with on(dt.date(2025, 9, 23)):
        page = client.post(reverse("permits:decide_extension", args=[app.pk]),
                           {"approve": "1", "reasons": ""}, follow=True)
    assert page.status_code == 200
    notice = Instrument.objects.get(kind="permits.extension_notice",
                                    object_id=str(app.pk))
    assert notice.doc_number in page.content.decode()  # listed on the page
    text = text_of(notice)
    assert "{{" not in text and not FORBIDDEN.search(text)
    for part in (
        "延长行政许可决定期限告知书", f"{app.applicant_name}：", app.number,
        f"应当于{STATUTORY_DUE.year}年{STATUTORY_DUE.month}月{STATUTORY_DUE.day}日前",
        "因需要组织专家现场踏勘，本机关不能在上述期限内作出决定",
        "经本机关负责人批准，决定期限延长十个工作日",
        "本机关将于2025年10月17日前（含当日）作出行政许可决定",
        "第四十二条第一款",
    ):
        assert part in text, part


def test_a_refused_extension_issues_no_notice(client, people, accepted):
    app = accepted()
    with on(dt.date(2025, 9, 22)):
        services.extension_request(application=app, actor=people.xt_clerk, days=10,
                                   reason="需要组织专家现场踏勘")
    client.force_login(people.xt_principal)
    with on(dt.date(2025, 9, 23)):
        client.post(reverse("permits:decide_extension", args=[app.pk]),
                    {"approve": "0", "reasons": "材料已齐，可按期决定"})
    assert not Instrument.objects.filter(kind="permits.extension_notice").exists()

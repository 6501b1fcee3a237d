"""Learning pages: roles (403), scope (404), lists by year with totals, Excel
export, the forms with their Chinese errors, materials, removal, the overview."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from fazhi.core import services as core_services
from fazhi.core.models import Evidence
from fazhi.core.roles import Role
from fazhi.learning.models import OutreachCampaign, StudySession
from tests.conftest import PASSWORD
from tests.learning.conftest import DAY, PDF, TODAY, on


@pytest.fixture
def city_supervisor(orgs):
    user = core_services.user_create(username="city_supervisor", full_name="市局督察",
                                     org_unit=orgs["city"], password=PASSWORD,
                                     actor=None)
    core_services.user_grant_role(user=user, role=Role.SUPERVISOR, actor=None)
    return user


def _get(client, url, **query):
    with on(TODAY):
        return client.get(url, query)


def _post(client, url, data):
    with on(TODAY):
        return client.post(url, data)


def test_administrators_are_refused_and_officers_read_but_do_not_record(
        login, people, session):
    s = session()
    client = login(people.xt_sysadmin)
    assert _get(client, reverse("learning:index")).status_code == 403
    assert _get(client, reverse("learning:session_list")).status_code == 403
    client = login(people.xt_officer)
    page = _get(client, reverse("learning:session_list")).content.decode()
    assert s.topic in page and reverse("learning:session_new") not in page
    assert _get(client, reverse("learning:session_new")).status_code == 403
    edit = reverse("learning:session_edit", args=[s.pk])
    assert _get(client, edit).status_code == 403
    detail = _get(client, s.get_absolute_url()).content.decode()
    assert "湘潭县执法" in detail and "修改" not in detail
    # Exam scores are personal: officers do not see them.
    assert _get(client, reverse("learning:exam_list")).status_code == 403


def test_the_menu_offers_learning_to_business_roles_only(login, people):
    home = _get(login(people.xt_clerk), reverse("web:home")).content.decode()
    assert "学法普法" in home
    client = login(people.xt_auditadmin)
    assert reverse("learning:index") not in _get(client, "/").content.decode()


def test_another_county_gets_not_found(login, people, session):
    s = session()
    client = login(people.xx_legal)
    for name in ("session_detail", "session_edit", "session_material",
                 "session_delete"):
        assert _get(client, reverse(f"learning:{name}", args=[s.pk])).status_code == 404
    listing = _get(client, reverse("learning:session_list")).content.decode()
    assert s.topic not in listing


def test_the_city_reads_its_counties_but_corrects_only_its_own(
        login, people, session, city_supervisor):
    s = session()
    client = login(city_supervisor)
    page = _get(client, s.get_absolute_url())
    assert page.status_code == 200
    assert reverse("learning:session_edit", args=[s.pk]) not in page.content.decode()
    edit = reverse("learning:session_edit", args=[s.pk])
    assert _get(client, edit).status_code == 403
    response = _post(client, reverse("learning:session_delete", args=[s.pk]),
                     {"reason": "不该删"})
    assert response.status_code == 403 and StudySession.objects.filter(pk=s.pk).exists()


def test_the_list_shows_one_year_at_a_time_with_its_totals(login, people, session):
    this_year = session(topic="今年的会前学法")
    session(topic="去年的中心组学法", held_on=dt.date(2024, 11, 5),
            kind="党组理论学习中心组学法", other_attendees=20)
    client = login(people.xt_principal)
    html = _get(client, reverse("learning:session_list")).content.decode()
    assert "今年的会前学法" in html and "去年的中心组学法" not in html
    assert "<strong>1</strong> 次，<strong>5</strong> 人次" in html
    html = _get(client, reverse("learning:session_list"), year="2024").content.decode()
    assert "去年的中心组学法" in html and "今年的会前学法" not in html
    html = _get(client, reverse("learning:session_list"), year="").content.decode()
    assert "<strong>2</strong> 次，<strong>28</strong> 人次" in html
    html = _get(client, reverse("learning:session_list"), year="",
                kind="专题讲座").content.decode()
    assert "没有符合条件的学法活动记录" in html
    assert this_year.get_absolute_url() in _get(
        client, reverse("learning:session_list"), q="今年").content.decode()


def test_the_export_holds_the_filtered_records_with_their_attendees(
        login, people, campaign, session):
    session()
    campaign()
    campaign(title="企业座谈", audience="企业", people_reached=30)
    client = login(people.xt_supervisor)
    response = _get(client, reverse("learning:campaign_export"), audience="村民")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("日期", "机关", "活动名称", "宣传对象", "宣传形式")
    assert [r[2] for r in rows[1:]] == ["土地管理法进村入户宣讲"]
    assert rows[1][8] == 120
    sheet = openpyxl.load_workbook(io.BytesIO(_get(
        client, reverse("learning:session_export")).content)).active
    row = list(sheet.values)[1]
    assert "湘潭县局长" in row[7] and row[9] == 5


def test_a_campaign_form_with_bad_input_names_the_fields_and_stores_nothing(
        login, people):
    client = login(people.xt_legal)
    data = {"held_on": "2025-06-10", "title": "宣传", "audience": "村民",
            "channel": "讲座", "sessions": "1", "people_reached": "0",
            "materials_handed_out": "0"}
    html = _post(client, reverse("learning:campaign_new"), data).content.decode()
    assert "确保该值大于或等于1" in html
    # What only the service knows (the date has not come yet) shows the same way.
    data.update(held_on="2025-07-01", people_reached="80")
    response = _post(client, reverse("learning:campaign_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "活动日期不能晚于今天（2025-06-20），请登记已举行的活动" in html
    assert not OutreachCampaign.objects.exists()


def test_a_session_recorded_through_the_form_keeps_attendees_and_its_sign_in_sheet(
        login, people):
    client = login(people.xt_legal)
    sheet = io.BytesIO(PDF)
    sheet.name = "签到表.pdf"
    with on(TODAY):
        response = client.post(reverse("learning:session_new"), {
            "held_on": DAY.isoformat(), "topic": "学习行政复议法", "kind": "专题讲座",
            "laws": "中华人民共和国行政复议法\n\n中华人民共和国行政诉讼法",
            "speaker": "县司法局律师", "organiser": people.xt_legal.pk,
            "attendees": [people.xt_principal.pk, people.xt_reviewer.pk],
            "other_attendees": "3", "summary": "", "file": sheet})
    s = StudySession.objects.get()
    assert response.status_code == 302 and response["Location"] == s.get_absolute_url()
    assert s.laws == ["中华人民共和国行政复议法", "中华人民共和国行政诉讼法"]
    assert s.attendance == 5
    html = _get(client, s.get_absolute_url()).content.decode()
    assert "湘潭县局长" in html and "湘潭县法审" in html and "签到表.pdf" in html
    evidence = Evidence.objects.get()
    assert reverse("web:evidence_download", args=[evidence.pk]) in html


def test_editing_through_the_form_starts_from_the_record(login, people, session):
    s = session()
    client = login(people.xt_legal)
    html = _get(client, reverse("learning:session_edit", args=[s.pk])).content.decode()
    assert "中华人民共和国土地管理法实施条例</textarea>" in html
    assert 'value="局务会会前学法" selected' in html
    response = _post(client, reverse("learning:session_edit", args=[s.pk]), {
        "held_on": DAY.isoformat(), "topic": "改过的主题", "kind": "局务会会前学法",
        "laws": "\n".join(s.laws), "organiser": people.xt_legal.pk,
        "attendees": [people.xt_legal.pk], "other_attendees": "0"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.topic == "改过的主题" and s.attendance == 1


def test_materials_are_uploaded_and_a_program_is_refused(login, people, campaign):
    c = campaign()
    client = login(people.xt_legal)
    url = reverse("learning:campaign_material", args=[c.pk])
    photo = io.BytesIO(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
                       b"\x00\x00\xff\xd9")
    photo.name = "现场.jpg"
    with on(TODAY):
        assert client.post(url, {"file": photo, "kind": "photo",
                                 "description": "宣讲现场"}).status_code == 302
        program = io.BytesIO(b"MZ\x90\x00 not a photo")
        program.name = "照片.jpg"
        response = client.post(url, {"file": program, "kind": "photo"})
    assert response.status_code == 200 and "可执行程序" in response.content.decode()
    (evidence,) = Evidence.objects.all()
    assert evidence.original_name == "现场.jpg" and evidence.matter == c


def test_a_record_removed_through_the_page_leaves_the_list(login, people, session):
    s = session()
    client = login(people.xt_legal)
    url = reverse("learning:session_delete", args=[s.pk])
    assert "该字段是必填项" in _post(client, url, {"reason": ""}).content.decode()
    response = _post(client, url, {"reason": "重复登记"})
    assert response.status_code == 302 and not StudySession.objects.exists()


def test_the_explanation_form_offers_closed_cases_and_refuses_open_ones(
        login, people, case_in_state):
    closed = case_in_state()
    still_open = case_in_state(closed=False, party_name="王五")
    client = login(people.xt_legal)
    html = _get(client, reverse("learning:explanation_new")).content.decode()
    assert f'<option value="{closed.number}">' in html
    assert still_open.number not in html
    response = _post(client, reverse("learning:explanation_new"), {
        "case_number": still_open.number, "title": "以案释法", "summary": "要点",
        "published_in": "门户网站", "published_on": DAY.isoformat()})
    assert "尚未结案" in response.content.decode()
    response = _post(client, reverse("learning:explanation_new"), {
        "case_number": closed.number, "title": "以案释法", "summary": "要点",
        "published_in": "门户网站", "published_on": DAY.isoformat()})
    assert response.status_code == 302
    html = _get(client, response["Location"]).content.decode()
    assert closed.get_absolute_url() in html and "2025-05-20结案" in html


def test_the_overview_puts_each_county_beside_the_city_total(
        login, people, session, campaign, city_supervisor):
    session()
    campaign()
    with on(TODAY):
        from fazhi.learning import services

        services.session_save(actor=people.xx_legal, held_on=DAY, topic="湘乡学法",
                              kind="网上学法", laws=["民法典"],
                              organiser=people.xx_legal, other_attendees=10)
    html = _get(login(city_supervisor), reverse("learning:index"),
                year="2025").content.decode()
    assert "湘潭市自然资源和规划局（合计）" in html
    rows = html.split("<tr>")
    city = next(r for r in rows if "（合计）" in r)
    xt = next(r for r in rows if "湘潭县自然资源局" in r)
    xx = next(r for r in rows if "湘乡市自然资源局" in r)
    assert "<td>2</td><td>15</td>" in city
    assert "<td>1</td><td>5</td>" in xt and "<td>120</td>" in xt
    assert "<td>1</td><td>10</td>" in xx


@pytest.fixture
def one_of_each(people, recorder, session, campaign, case_in_state):
    """A record of every type, made by 湘潭县's legal-affairs officer."""
    from fazhi.learning import services

    case = case_in_state()
    with on(TODAY):
        exam = services.exam_save(
            actor=recorder, person=people.xt_officer, exam_name="2025年度执法资格考试",
            sat_on=DAY, score="75", passed=True, certificate_number="湘43032125009",
            certificate_valid_from=dt.date(2025, 7, 1),
            certificate_valid_until=dt.date(2030, 6, 30))
        seminar = services.seminar_save(
            actor=recorder, held_on=DAY, topic="结案案件复盘",
            case_numbers=[case.number], attendees=[recorder])
        explanation = services.explanation_save(
            actor=recorder, case_number=case.number,
            title="以案释法：退还非法占用的土地", summary="要点",
            published_in="本局微信公众号", published_on=DAY)
    return {"session": session(), "exam": exam, "seminar": seminar,
            "campaign": campaign(), "explanation": explanation}


@pytest.mark.parametrize("key", ["session", "exam", "seminar", "campaign",
                                 "explanation"])
def test_every_record_type_lists_exports_shows_and_opens_for_correction(
        login, people, one_of_each, key):
    record = one_of_each[key]
    client = login(people.xt_legal)
    listing = _get(client, reverse(f"learning:{key}_list")).content.decode()
    assert record.get_absolute_url() in listing
    sheet = openpyxl.load_workbook(io.BytesIO(_get(
        client, reverse(f"learning:{key}_export")).content)).active
    assert len(list(sheet.values)) == 2
    detail = _get(client, record.get_absolute_url())
    assert detail.status_code == 200 and "登记记录" in detail.content.decode()
    edit = _get(client, reverse(f"learning:{key}_edit", args=[record.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    case_number = one_of_each["explanation"].case.number
    shown = {"session": "学习新修订的土地管理法实施条例", "exam": "湘43032125009",
             "seminar": case_number, "campaign": "土地管理法进村入户宣讲",
             "explanation": case_number}[key]
    assert shown in html

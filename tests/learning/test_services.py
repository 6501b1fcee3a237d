"""Learning services: what they check, who may record, what the audit chain keeps,
and the period queries the report's metrics count with."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent, Evidence
from fazhi.learning import selectors, services
from fazhi.learning.models import (
    CaseExplanation,
    OutreachCampaign,
    QualificationExam,
    StudySession,
)
from tests.learning.conftest import DAY, PDF, TODAY, on

YEAR_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}


def _events(obj, action: str):
    return AuditEvent.objects.filter(object_type=obj._meta.label,
                                     object_id=str(obj.pk), action=action)


def _errors(caught) -> dict:
    return caught.value.message_dict


# --- study sessions -------------------------------------------------------------


def test_a_session_counts_named_attendees_and_others_and_is_audited(session):
    s = session(files=[ContentFile(PDF, name="签到表.pdf")])
    assert s.attendance == 5 and s.other_attendees == 2
    assert s.org_unit.division_code == "430321"
    (event,) = _events(s, "learning.session_create")
    payload = json.loads(event.payload)
    assert payload["after"]["kind"] == "局务会会前学法"
    assert len(payload["after"]["attendees"]) == 3
    (material,) = selectors.record_materials(s)
    assert material.original_name == "签到表.pdf" and material.matter == s
    assert _events(s, "learning.session_material").get().evidence == material.sha256
    assert verify().ok


def test_a_bad_session_names_every_wrong_field_at_once_and_stores_nothing(
        people, recorder):
    with on(TODAY), pytest.raises(ValidationError) as caught:
        services.session_save(
            actor=recorder, held_on=TODAY + dt.timedelta(days=1), topic=" ",
            kind="喝茶学法", laws=["", "  "], organiser=recorder,
            attendees=[people.xx_officer], other_attendees=0)
    errors = _errors(caught)
    assert "不能晚于今天（2025-06-20）" in errors["held_on"][0]
    assert errors["topic"] == ["请填写学法主题"]
    assert errors["kind"][0].startswith("学法形式应为：党组理论学习中心组学法")
    assert "请至少填写一部" in errors["laws"][0]
    assert "湘乡市执法" in errors["attendees"][0]
    assert not StudySession.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="learning.").exists()


def test_a_session_needs_someone_attending(recorder):
    with on(TODAY), pytest.raises(ValidationError) as caught:
        services.session_save(actor=recorder, held_on=DAY, topic="学法",
                              kind="网上学法", laws=["民法典"], organiser=recorder)
    assert _errors(caught)["attendees"] == ["请选择参加人员，或填写其他参加人数"]


def test_only_legal_affairs_officers_and_supervisors_record(people):
    with pytest.raises(PermissionDenied, match="法务人员或督察人员"):
        services.session_save(
            actor=people.xt_officer, held_on=DAY, topic="t", kind="网上学法",
            laws=["民法典"], organiser=people.xt_officer, other_attendees=1)
    with on(TODAY):
        made = services.session_save(
            actor=people.xt_supervisor, held_on=DAY, topic="督察股学法",
            kind="股室自学", laws=["行政处罚法"], organiser=people.xt_supervisor,
            attendees=[people.xt_supervisor])
    assert made.created_by == people.xt_supervisor


def test_another_bureau_cannot_correct_a_session(people, session):
    s = session()
    with on(TODAY), pytest.raises(PermissionDenied, match="湘潭县自然资源局"):
        services.session_save(actor=people.xx_legal, session=s, held_on=DAY,
                              topic="改", kind="网上学法", laws=["民法典"],
                              organiser=people.xx_legal, other_attendees=1)


def test_a_correction_audits_only_what_changed(people, recorder, session):
    s = session()
    with on(TODAY):
        services.session_save(
            actor=recorder, session=s, held_on=DAY, topic=s.topic, kind="专题讲座",
            laws=s.laws, organiser=recorder, attendees=[recorder], other_attendees=2)
    s.refresh_from_db()
    assert s.kind == "专题讲座" and s.attendance == 3
    payload = json.loads(_events(s, "learning.session_update").get().payload)
    assert payload["before"] == {"kind": "局务会会前学法", "attendance": 5,
                                 "attendees": sorted([people.xt_principal.pk,
                                                      people.xt_officer.pk,
                                                      recorder.pk])}
    assert payload["after"]["kind"] == "专题讲座"
    assert "topic" not in payload["after"]


def test_removing_a_record_keeps_its_content_in_the_audit(recorder, session):
    s = session()
    pk = s.pk
    with pytest.raises(ValidationError):
        services.record_delete(record=s, actor=recorder, reason=" ")
    services.record_delete(record=s, actor=recorder, reason="重复登记")
    assert not StudySession.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="learning.session_delete", object_id=str(pk))
    assert "重复登记" in event.payload and s.topic in event.payload
    assert verify().ok


def test_a_word_added_by_the_bureau_can_be_chosen(settings, tmp_path, recorder):
    (tmp_path / "learning").mkdir()
    (tmp_path / "learning" / "vocabulary.toml").write_text(
        'study_kinds = ["法治夜校"]\n', encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    with on(TODAY):
        made = services.session_save(actor=recorder, held_on=DAY, topic="夜校",
                                     kind="法治夜校", laws=["民法典"],
                                     organiser=recorder, other_attendees=8)
    assert made.kind == "法治夜校"


# --- exams ----------------------------------------------------------------------


def _exam(actor, person, **extra):
    fields = dict(person=person, exam_name="2025年度湖南省行政执法资格考试", sat_on=DAY,
                  score="86.5", passed=True, certificate_number="湘43032125001",
                  certificate_valid_from=dt.date(2025, 7, 1),
                  certificate_valid_until=dt.date(2030, 6, 30))
    fields.update(extra)
    with on(TODAY):
        return services.exam_save(actor=actor, **fields)


def test_a_passed_exam_keeps_the_certificate_and_its_validity(people, recorder):
    exam = _exam(recorder, people.xt_officer)
    assert exam.passed and str(exam.score) == "86.5"
    assert exam.certificate_valid_until == dt.date(2030, 6, 30)
    assert _events(exam, "learning.exam_create").exists()


def test_a_failed_exam_has_no_certificate_and_bad_dates_are_named(people, recorder):
    with pytest.raises(ValidationError) as caught:
        _exam(recorder, people.xt_officer, passed=False, score="101")
    errors = _errors(caught)
    assert errors["score"] == ["成绩应在0至100分之间"]
    assert "考试未合格" in errors["certificate_number"][0]
    with pytest.raises(ValidationError) as caught:
        _exam(recorder, people.xt_officer, certificate_valid_from=dt.date(2025, 6, 1),
              certificate_valid_until=dt.date(2025, 5, 1))
    errors = _errors(caught)
    assert errors["certificate_valid_until"] == ["有效期截止日须晚于起始日"]
    assert errors["certificate_valid_from"] == ["执法证有效期不能早于考试日期"]
    assert not QualificationExam.objects.exists()


def test_one_person_sits_once_a_day_and_only_staff_of_the_bureau(people, recorder):
    _exam(recorder, people.xt_officer)
    with pytest.raises(ValidationError) as caught:
        _exam(recorder, people.xt_officer)
    assert _errors(caught)["sat_on"] == ["该人员当日已有一条考试记录"]
    with pytest.raises(ValidationError) as caught:
        _exam(recorder, people.xx_officer)
    assert "考试人员须为本机关人员" in _errors(caught)["person"][0]
    assert QualificationExam.objects.count() == 1


# --- seminars -------------------------------------------------------------------


def test_a_seminar_links_cases_of_the_bureau_by_number(people, recorder,
                                                        case_in_state):
    open_case = case_in_state(closed=False)
    with on(TODAY):
        seminar = services.seminar_save(
            actor=recorder, held_on=DAY, topic="违法占地案件研讨",
            case_numbers=f"{open_case.number}\n",
            attendees=[recorder, people.xt_officer])
    assert list(seminar.cases.all()) == [open_case] and seminar.attendance == 2


def test_a_seminar_refuses_unknown_numbers_and_needs_some_case(people, recorder):
    with on(TODAY), pytest.raises(ValidationError) as caught:
        services.seminar_save(actor=recorder, held_on=DAY, topic="研讨",
                              case_numbers="不存在-1，不存在-2", other_attendees=3)
    assert _errors(caught)["case_numbers"] == [
        "以下案件编号不存在或不在本机关范围内：不存在-1、不存在-2"]
    with on(TODAY), pytest.raises(ValidationError) as caught:
        services.seminar_save(actor=recorder, held_on=DAY, topic="研讨",
                              other_attendees=3)
    assert "其他案例" in _errors(caught)["case_numbers"][0]


def test_a_seminar_cannot_name_a_case_of_another_county(people, case_in_state):
    case = case_in_state(closed=False)
    with on(TODAY), pytest.raises(ValidationError) as caught:
        services.seminar_save(actor=people.xx_legal, held_on=DAY, topic="研讨",
                              case_numbers=[case.number], other_attendees=3)
    assert case.number in _errors(caught)["case_numbers"][0]


# --- campaigns ------------------------------------------------------------------


def test_a_campaign_keeps_its_words_and_counts(campaign):
    c = campaign()
    assert (c.audience, c.channel, c.sessions, c.people_reached,
            c.materials_handed_out) == ("村民", "讲座", 2, 120, 300)


def test_a_campaign_refuses_words_off_the_list_and_nobody_reached(campaign):
    with pytest.raises(ValidationError) as caught:
        campaign(audience="路人", channel="飞鸽传书", people_reached=0, sessions=0)
    errors = _errors(caught)
    assert errors["audience"][0].startswith("宣传对象应为：")
    assert errors["channel"][0].startswith("宣传形式应为：")
    assert errors["people_reached"] == ["受众人次应为不小于1的整数"]
    assert errors["sessions"] == ["场次应为不小于1的整数"]
    assert not OutreachCampaign.objects.exists()


# --- case explanations ----------------------------------------------------------


def _explain(actor, number, published_on=DAY):
    with on(TODAY):
        return services.explanation_save(
            actor=actor, case_number=number, title="以案释法：非法占地须退还",
            summary="案情与释法要点", published_in="县人民政府门户网站",
            published_on=published_on, url="https://www.xiangtan.gov.cn/a/1.html")


def test_a_closed_case_of_the_bureau_can_be_explained(recorder, case_in_state):
    case = case_in_state()
    item = _explain(recorder, case.number)
    assert item.case == case and item.published_on == DAY
    assert _events(item, "learning.explanation_create").exists()


def test_an_open_case_is_refused_for_explanation(recorder, case_in_state):
    case = case_in_state(closed=False)
    with pytest.raises(ValidationError) as caught:
        _explain(recorder, case.number)
    message = _errors(caught)["case_number"][0]
    assert "尚未结案" in message and "以案释法只能选用已结案的案件" in message
    assert not CaseExplanation.objects.exists()


def test_a_case_of_another_county_is_not_found_for_explanation(people, case_in_state):
    case = case_in_state()
    with pytest.raises(ValidationError) as caught:
        _explain(people.xx_legal, case.number)
    assert _errors(caught)["case_number"] == [
        f"案件编号“{case.number}”不存在或不在本机关范围内"]


def test_an_explanation_cannot_be_published_before_the_case_closed(recorder,
                                                                   case_in_state):
    case = case_in_state()
    with pytest.raises(ValidationError) as caught:
        _explain(recorder, case.number, published_on=dt.date(2025, 5, 19))
    assert _errors(caught)["published_on"] == [
        "发布日期不能早于该案结案日期（2025-05-20）"]


# --- the period queries of the metrics ------------------------------------------


def test_period_queries_count_the_subtree_and_both_ends_of_the_period(
        orgs, people, session, campaign, recorder):
    first = session(held_on=dt.date(2025, 1, 1), other_attendees=0)
    last = session(held_on=TODAY)  # the period's last day: counted too
    session(held_on=dt.date(2024, 12, 31))
    with on(TODAY):
        services.session_save(actor=people.xx_legal, held_on=DAY, topic="湘乡学法",
                              kind="网上学法", laws=["民法典"],
                              organiser=people.xx_legal, other_attendees=10)
    county = selectors.study_sessions_in(org_unit=orgs["xt"], start=dt.date(2025, 1, 1),
                                         end=TODAY)
    assert list(county) == [first, last]
    assert selectors.study_attendance(org_unit=orgs["xt"], **YEAR_2025) == 3 + 5
    assert selectors.study_sessions_in(org_unit=orgs["city"], **YEAR_2025).count() == 3
    assert selectors.study_attendance(org_unit=orgs["city"], **YEAR_2025) == 18
    assert selectors.study_sessions_in(
        org_unit=orgs["xt"], start=dt.date(2025, 1, 2), end=dt.date(2025, 6, 19)
    ).count() == 0


def test_campaign_totals_and_breakdowns_add_up(orgs, campaign):
    campaign()
    campaign(audience="企业", channel="讲座", people_reached=30, sessions=1,
             materials_handed_out=0)
    campaign(held_on=dt.date(2024, 6, 25), people_reached=999)
    totals = selectors.campaign_totals(org_unit=orgs["city"], **YEAR_2025)
    assert totals == {"campaigns": 2, "sessions": 3, "people_reached": 150,
                      "materials_handed_out": 300}
    assert selectors.campaign_audience(org_unit=orgs["xt"], audience="企业",
                                       **YEAR_2025) == 30
    assert selectors.campaign_breakdown(org_unit=orgs["xt"], **YEAR_2025) == {
        "企业": {"campaigns": 1, "people_reached": 30},
        "村民": {"campaigns": 1, "people_reached": 120}}
    assert selectors.campaign_breakdown(org_unit=orgs["xt"], by="channel",
                                        **YEAR_2025) == {
        "讲座": {"campaigns": 2, "people_reached": 150}}


def test_exam_seminar_and_explanation_queries_follow_their_own_dates(
        orgs, people, recorder, case_in_state):
    _exam(recorder, people.xt_officer)
    _exam(recorder, people.xt_reviewer, passed=False, score="55",
          certificate_number="", certificate_valid_from=None,
          certificate_valid_until=None)
    case = case_in_state()
    _explain(recorder, case.number, published_on=dt.date(2025, 5, 30))
    with on(TODAY):
        services.seminar_save(actor=recorder, held_on=DAY, topic="研讨",
                              other_cases="省厅典型案例", other_attendees=4)
    kw = {"org_unit": orgs["city"], **YEAR_2025}
    assert selectors.exams_in(**kw).count() == 2
    assert [e.person for e in selectors.exams_in(passed=True, **kw)] == [
        people.xt_officer]
    assert selectors.seminars_in(**kw).count() == 1
    assert [e.case for e in selectors.explanations_in(**kw)] == [case]
    assert not selectors.explanations_in(
        org_unit=orgs["xx"], **YEAR_2025).exists()
    assert Evidence.objects.count() == 0

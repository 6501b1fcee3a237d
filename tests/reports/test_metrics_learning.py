"""Learning and outreach metrics over records made through the learning services:
counts equal their records, sums add attendances and audiences record by record and
equal the learning selectors' own totals, campaigns break down by audience."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.learning import selectors, services
from fazhi.reports.metrics import metric_value
from tests.learning.conftest import (  # noqa: F401
    DAY,
    TODAY,
    campaign,
    case_in_state,
    on,
    recorder,
    session,
)

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def value(metric_id, org, period=Y2025):
    return metric_value(metric_id, org_unit=org, start=period[0], end=period[1])


def ids(mv) -> set[int]:
    return {int(r.url.rstrip("/").rsplit("/", 1)[1]) for r in mv.records}


def test_study_sessions_and_attendances(session, orgs, people):  # noqa: F811
    a = session()  # three named attendees and two others: 5 人次
    b = session(held_on=dt.date(2025, 3, 4), topic="学习行政处罚法", other_attendees=0)
    with on(TODAY):
        other = services.session_save(
            actor=people.xx_legal, held_on=DAY, topic="学习矿产资源法",
            kind="专题讲座", laws=["中华人民共和国矿产资源法"],
            organiser=people.xx_legal, attendees=[people.xx_legal], other_attendees=0)
    sessions = value("study.sessions", orgs["xt"])
    assert ids(sessions) == {a.pk, b.pk} and sessions.value == 2
    assert [r.on for r in sessions.records] == [dt.date(2025, 3, 4), DAY]
    attendances = value("study.attendances", orgs["xt"])
    assert attendances.value == 8 == sum(r.amount for r in attendances.records)
    assert attendances.value == selectors.study_attendance(
        org_unit=orgs["xt"], start=Y2025[0], end=Y2025[1])
    assert ids(value("study.sessions", orgs["xx"])) == {other.pk}
    assert value("study.sessions", orgs["city"]).value == 3
    assert all(r.url.startswith("/learning/") for r in sessions.records)


def test_exams_sat_and_passed(recorder, people, orgs):  # noqa: F811
    with on(TODAY):
        passed = services.exam_save(
            actor=recorder, person=people.xt_officer, exam_name="行政执法资格考试",
            sat_on=DAY, score="86", passed=True, certificate_number="湘430321001",
            certificate_valid_from=DAY, certificate_valid_until=dt.date(2028, 6, 9))
        failed = services.exam_save(
            actor=recorder, person=people.xt_officer2, exam_name="行政执法资格考试",
            sat_on=DAY, score="52", passed=False)
    assert ids(value("exams.sat", orgs["xt"])) == {passed.pk, failed.pk}
    assert ids(value("exams.passed", orgs["xt"])) == {passed.pk}


def test_campaigns_and_their_audience_by_whom_they_reached(campaign, orgs):  # noqa: F811
    villagers = campaign()
    firms = campaign(title="企业用地政策宣讲", audience="企业", people_reached=45)
    count = value("outreach.campaigns", orgs["xt"])
    assert ids(count) == {villagers.pk, firms.pk}
    assert {k: v.value for k, v in count.breakdown.items()} == {"村民": 1, "企业": 1}
    audience = value("outreach.audience", orgs["xt"])
    assert audience.value == 165 == sum(r.amount for r in audience.records)
    assert audience.breakdown["村民"].value == 120
    totals = selectors.campaign_totals(org_unit=orgs["xt"], start=Y2025[0],
                                       end=Y2025[1])
    assert audience.value == totals["people_reached"]
    assert value("outreach.audience/企业", orgs["xt"]).value == 45


def test_seminars_and_case_explanations(recorder, case_in_state, people, orgs):  # noqa: F811
    case = case_in_state()
    with on(TODAY):
        seminar = services.seminar_save(
            actor=recorder, held_on=DAY, topic="非法占地案件证据规则",
            case_numbers=[case.number], attendees=[people.xt_officer])
        item = services.explanation_save(
            actor=recorder, case_number=case.number, title="占地建房被拆除的教训",
            summary="未经批准占用集体土地建房，依法拆除", published_in="县融媒体中心",
            published_on=DAY)
    assert ids(value("seminars.held", orgs["xt"])) == {seminar.pk}
    explained = value("outreach.case_explanations", orgs["xt"])
    assert ids(explained) == {item.pk} and case.number in explained.records[0].label
    assert value("outreach.case_explanations", orgs["xx"]).value == 0


def test_a_period_outside_the_records_counts_nothing(session, orgs):  # noqa: F811
    session()
    spring = (dt.date(2025, 1, 1), dt.date(2025, 5, 31))
    mv = value("study.attendances", orgs["xt"], spring)
    assert mv.value == Decimal(0) and not mv.has_data

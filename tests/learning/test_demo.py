"""Demo learning records: last calendar year whole and this year up to yesterday, in
both counties, every one in the past, 以案释法 on closed cases only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from fazhi.core.audit import verify
from fazhi.core.models import OrgUnit
from fazhi.enforcement.models import CaseState
from fazhi.learning import selectors
from fazhi.learning.models import (
    CaseExplanation,
    CaseSeminar,
    OutreachCampaign,
    QualificationExam,
    StudySession,
)

pytestmark = pytest.mark.demo

MODELS = (StudySession, QualificationExam, CaseSeminar, OutreachCampaign,
          CaseExplanation)


def _year(year: int) -> dict:
    return {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}


@pytest.mark.parametrize("today", ["2026-12-01", "2027-01-04"])
def test_the_demo_gives_each_county_a_believable_year_and_the_one_before(db, today):
    with time_machine.travel(f"{today} 12:00 +0800", tick=False):
        call_command("demo_load")
        added = {m: m.objects.count() for m in MODELS}
        call_command("demo_load")
    now = dt.date.fromisoformat(today)
    assert {m: m.objects.count() for m in MODELS} == added  # loading again adds none
    for code in ("430321", "430381"):
        unit = OrgUnit.objects.get(division_code=code)
        last = _year(now.year - 1)
        sessions = selectors.study_sessions_in(org_unit=unit, **last)
        assert 15 <= sessions.count() <= 25
        kinds = {s.kind for s in sessions}
        assert kinds >= {"局务会会前学法", "党组理论学习中心组学法", "专题讲座",
                         "网上学法"}
        assert selectors.study_attendance(org_unit=unit, **last) > 6 * sessions.count()
        assert selectors.seminars_in(org_unit=unit, **last).count() == 4
        assert selectors.exams_in(org_unit=unit, **last).exists()
        totals = selectors.campaign_totals(org_unit=unit, **last)
        assert totals["campaigns"] == 10 and totals["people_reached"] > 1000
        audiences = selectors.campaign_breakdown(org_unit=unit, **last)
        assert {"领导干部", "企业", "村民", "社会公众"} <= set(audiences)
        this_year = selectors.study_sessions_in(org_unit=unit, **_year(now.year))
        if now.month == 12:  # the year nearly done: nearly a year of records
            assert this_year.count() >= 15
            assert selectors.explanations_in(org_unit=unit, **_year(now.year))
            central = this_year.filter(kind="党组理论学习中心组学法").first()
            assert selectors.record_materials(central).exists()
        else:  # early January: nothing yet this year (the first study is on the 9th)
            assert not this_year.exists()
    for model in MODELS:
        latest = max(model.objects.values_list(model.PERIOD_FIELD, flat=True))
        assert latest < now  # nothing held today or later
    for item in CaseExplanation.objects.select_related("case"):
        assert item.case.state == CaseState.CLOSED
        assert item.published_on >= item.case.closed_on
        assert item.org_unit_id == item.case.org_unit_id
    assert verify().ok


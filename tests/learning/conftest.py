"""Builders for learning tests: a recorder of each county, records made through the
services on fixed 2025 days, and a closed enforcement case for "以案释法"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

DAY = dt.date(2025, 6, 10)  # a Tuesday; every test record is held on it
TODAY = dt.date(2025, 6, 20)  # "today" while the records are made
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def on(day: dt.date):
    """Freeze 'today' at 10:00 local time on ``day``."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


@pytest.fixture
def recorder(people):
    """湘潭县's legal-affairs officer, who keeps the learning records."""
    return people.xt_legal


@pytest.fixture
def session(people, recorder):
    """A study session of 湘潭县, made with ``extra`` overriding the defaults."""
    from fazhi.learning import services

    def _session(**extra):
        fields = dict(held_on=DAY, topic="学习新修订的土地管理法实施条例",
                      kind="局务会会前学法", laws=["中华人民共和国土地管理法实施条例"],
                      organiser=recorder,
                      attendees=[people.xt_principal, people.xt_officer, recorder],
                      other_attendees=2)
        fields.update(extra)
        with on(TODAY):
            return services.session_save(actor=recorder, **fields)

    return _session


@pytest.fixture
def campaign(recorder):
    from fazhi.learning import services

    def _campaign(**extra):
        fields = dict(held_on=DAY, title="土地管理法进村入户宣讲", audience="村民",
                      channel="讲座", people_reached=120, sessions=2,
                      materials_handed_out=300, place="湘潭县花石镇")
        fields.update(extra)
        with on(TODAY):
            return services.campaign_save(actor=recorder, **fields)

    return _campaign


@pytest.fixture
def case_in_state(people):
    """A case of 湘潭县 filed on 2025-05-06; ``closed=True`` ends and closes it
    (terminated, then closed) on 2025-05-20."""
    from fazhi.enforcement.cases import services

    def _case(closed: bool = True, party_name: str = "李四"):
        with on(dt.date(2025, 5, 6)):
            case = services.case_file(
                actor=people.xt_officer,
                officers=[people.xt_officer, people.xt_officer2],
                violation_type="illegal_occupation", party_name=party_name,
                party_kind="person", facts_summary="未经批准占用集体土地建房",
                location="湘潭县某镇某村", area_m2="66.67", land_class="farmland")
            case = services.case_approve_filing(case=case, actor=people.xt_principal)
        if closed:
            with on(dt.date(2025, 5, 20)):
                services.case_propose_termination(
                    case=case, actor=people.xt_officer,
                    reason="当事人已自行拆除并退还土地，违法事实已消除")
                services.case_terminate(case=case, actor=people.xt_principal)
                services.case_propose_closure(case=case, actor=people.xt_officer)
                services.case_close(case=case, actor=people.xt_principal)
        case.refresh_from_db()
        return case

    return _case

"""A court hearing is entered when the summons arrives, before it is held; its
attendance is recorded on or after its day, and only then does it count (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent
from fazhi.disputes import services

MON = dt.date(2025, 9, 1)
NEXT_WEEK = MON + dt.timedelta(days=7)
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def on(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


@pytest.fixture
def suit(people):
    with on(MON):
        return services.lawsuit_register(
            actor=people.xt_legal, court="湘潭县人民法院", case_number="（2025）湘0321行初9号",
            plaintiff="王五", challenged_act="不予许可决定", complaint_received_on=MON)


def _appearance(people):
    return {r.rate.id: r for r in services.rates_for(
        actor=people.xt_principal, period=YEAR)}["appearance_rate"]


def test_a_hearing_next_week_is_entered_ahead_and_not_yet_counted(suit, people):
    with on(MON):
        hearing = services.hearing_record(suit=suit, actor=people.xt_legal,
                                          held_on=NEXT_WEEK, attendees="局长 法务张某")
    assert hearing.scheduled and hearing.held_on == NEXT_WEEK
    assert AuditEvent.objects.filter(action="disputes.hearing_schedule").exists()
    assert _appearance(people).shown == "—"  # nothing held yet


def test_on_its_day_the_attendance_completes_the_entry(suit, people):
    with on(MON):
        services.hearing_record(suit=suit, actor=people.xt_legal, held_on=NEXT_WEEK)
    with on(NEXT_WEEK):
        services.hearing_record(suit=suit, actor=people.xt_legal, held_on=NEXT_WEEK,
                                attendees="局长", principal_appeared=True,
                                principal=people.xt_principal)
    hearing = suit.hearings.get()  # the same entry, not a second hearing
    assert not hearing.scheduled and hearing.principal_appeared
    assert _appearance(people).shown == "100.0%"
    assert verify().ok


def test_the_attendance_cannot_be_recorded_before_the_day(suit, people):
    with on(MON):
        services.hearing_record(suit=suit, actor=people.xt_legal, held_on=NEXT_WEEK)
        with pytest.raises(ValidationError, match="已登记2025-09-08的开庭"):
            services.hearing_record(suit=suit, actor=people.xt_legal,
                                    held_on=NEXT_WEEK, attendees="局长",
                                    principal_appeared=True,
                                    principal=people.xt_principal)


def test_more_than_a_year_ahead_is_refused_in_words(suit, people):
    with on(MON), pytest.raises(ValidationError) as exc:
        services.hearing_record(suit=suit, actor=people.xt_legal,
                                held_on=dt.date(2026, 9, 2))
    assert exc.value.message_dict["held_on"] == [
        "开庭日期不能晚于2026-09-01（最多可预先登记365日以内的日期），请核对年份"]


def test_a_hearing_held_today_still_needs_the_principal_or_the_reason(suit, people):
    with on(MON), pytest.raises(ValidationError, match="说明理由"):
        services.hearing_record(suit=suit, actor=people.xt_legal, held_on=MON,
                                attendees="法务 张某")

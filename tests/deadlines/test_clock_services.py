"""Clocks attached to matters: start, pause, extend, stop, holiday changes, sweep."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fazhi.core.models import AuditEvent, Notification
from fazhi.deadlines import services
from fazhi.deadlines.holidays import holiday_year_save
from fazhi.deadlines.models import ClockState, ClockStatus, ExtensionState
from fazhi.deadlines.sweep import clocks_sweep

D = dt.date


@pytest.fixture
def matter(people):
    # Any model with an org_unit can carry a clock; a staff record stands in here
    # for the matters that later modules define.
    return people.xt_disclosure


def _start(matter, start=dt.date(2025, 9, 25), rule="disclosure.reply"):
    return services.clock_start(matter=matter, rule_id=rule, start=start, actor=matter,
                                title="依申请公开答复", assignee=matter)


@time_machine.travel("2025-09-25 10:00 +0800", tick=False)
def test_reply_clock_skips_national_day(matter):
    clock = _start(matter)
    assert clock.due_date == D(2025, 10, 29)
    assert not clock.provisional
    # The explanation names the counted day, not just the number 20 somewhere.
    assert "第20个工作日为2025-10-29" in clock.explanation
    event = AuditEvent.objects.filter(action="clock.start").last()
    assert event.object_id == str(matter.pk) and "2025-10-29" in event.payload


@time_machine.travel("2025-10-10 10:00 +0800", tick=False)
def test_pause_then_resume_moves_the_due_date_by_the_paused_working_days(matter):
    clock = _start(matter)
    services.clock_pause(clock=clock, start=D(2025, 10, 13), kind="consultation",
                         reason="征求第三方意见", actor=matter)
    assert clock.state == ClockState.PAUSED
    services.clock_resume(clock=clock, end=D(2025, 10, 14), actor=matter)
    assert clock.state == ClockState.RUNNING
    assert clock.due_date == D(2025, 10, 31)


def test_a_pause_kind_the_rule_does_not_allow_is_refused(matter):
    clock = _start(matter)
    with pytest.raises(ValidationError, match="不因该事由暂停"):
        services.clock_pause(clock=clock, start=D(2025, 10, 13), kind="hearing",
                             reason="听证", actor=matter)


def test_an_extension_is_asked_with_a_reason_and_approved_by_another(people, matter):
    clock = _start(matter)
    with pytest.raises(ValidationError):
        services.clock_extension_ask(clock=clock, actor=matter, days=20, reason=" ")
    ext = services.clock_extension_ask(clock=clock, actor=matter, days=20,
                                       reason="需调取档案")
    clock.refresh_from_db()
    assert ext.state == ExtensionState.PENDING and clock.due_date == D(2025, 10, 29)
    with pytest.raises(ValidationError, match="等待审批"):
        services.clock_extension_ask(clock=clock, actor=matter, days=5, reason="再延")
    services.clock_extension_decide(extension=ext, actor=people.xt_principal,
                                    approve=True)
    clock.refresh_from_db()
    assert clock.due_date == D(2025, 11, 26) and clock.extension_days == 20
    ext.refresh_from_db()
    assert (ext.state, ext.requested_by, ext.decided_by) == (
        ExtensionState.APPROVED, matter, people.xt_principal)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-3:] == ["clock.extension_ask", "clock.extension_decide",
                            "clock.extend"]


def test_the_asker_cannot_approve_the_own_extension(matter):
    from django.core.exceptions import PermissionDenied

    clock = _start(matter)
    ext = services.clock_extension_ask(clock=clock, actor=matter, days=5,
                                       reason="复杂")
    with pytest.raises(PermissionDenied, match="不能自己审批"):
        services.clock_extension_decide(extension=ext, actor=matter, approve=True)
    clock.refresh_from_db()
    assert clock.extension_days == 0


def test_a_refused_extension_leaves_the_due_date(people, matter):
    clock = _start(matter)
    ext = services.clock_extension_ask(clock=clock, actor=matter, days=5,
                                       reason="复杂")
    services.clock_extension_decide(extension=ext, actor=people.xt_principal,
                                    approve=False)
    clock.refresh_from_db()
    assert clock.due_date == D(2025, 10, 29)
    with pytest.raises(ValidationError, match="已审批"):
        services.clock_extension_decide(extension=ext, actor=people.xt_principal,
                                        approve=True)


def test_extension_beyond_the_cap_is_refused_with_the_article(people, matter):
    clock = _start(matter)
    with pytest.raises(ValidationError, match="最多延长20个工作日"):
        services.clock_extension_ask(clock=clock, actor=matter, days=21,
                                     reason="复杂")


def test_an_approver_from_another_county_is_refused(people, matter):
    from django.core.exceptions import PermissionDenied

    clock = _start(matter)
    ext = services.clock_extension_ask(clock=clock, actor=matter, days=5,
                                       reason="复杂")
    with pytest.raises(PermissionDenied):
        services.clock_extension_decide(extension=ext, actor=people.xx_principal,
                                        approve=True)


@time_machine.travel("2025-10-20 10:00 +0800", tick=False)
def test_stopping_on_time_and_late(matter):
    on_time = services.clock_stop(clock=_start(matter), on=D(2025, 10, 20), actor=matter)
    assert on_time.status == ClockStatus.DONE
    late = services.clock_stop(clock=_start(matter), on=D(2025, 10, 30), actor=matter)
    assert late.status == ClockStatus.DONE_LATE


@time_machine.travel("2026-12-10 10:00 +0800", tick=False)
def test_a_period_into_a_year_without_data_is_provisional_until_the_table_fills(
        people, matter):
    clock = _start(matter, start=D(2026, 12, 10))
    assert clock.provisional
    # The estimate skips weekends and 元旦 (Friday 1 January): the 20th working day
    # after 10 December is Friday 8 January (15 in December, then 4–8 January).
    assert clock.due_date == D(2027, 1, 8)
    # The (invented) notice also gives Monday 4 January off: one day later, and exact.
    changed = holiday_year_save(
        year=2027, notice_number="国办发明电〔2026〕99号（测试）",
        holidays=[D(2027, 1, 1), D(2027, 1, 4)], workdays=[], actor=people.xt_sysadmin)
    assert changed == 1
    clock.refresh_from_db()
    assert (clock.due_date, clock.provisional) == (D(2027, 1, 11), False)
    event = AuditEvent.objects.filter(action="clock.recompute").get()
    assert "2027-01-08" in event.payload and "2027-01-11" in event.payload


def test_holiday_table_refuses_a_weekday_listed_as_makeup_day(people):
    with pytest.raises(ValidationError, match="无需列为调休上班日"):
        holiday_year_save(year=2027, notice_number="x", holidays=[],
                          workdays=[D(2027, 2, 1)], actor=people.xt_sysadmin)


def test_sweep_turns_yellow_then_red_and_notifies_once(matter):
    with time_machine.travel("2025-10-01 10:00 +0800", tick=False):
        clock = _start(matter)
        assert clock.status == ClockStatus.GREEN
    with time_machine.travel("2025-10-27 10:00 +0800", tick=False):
        first = clocks_sweep()
        again = clocks_sweep()
    clock.refresh_from_db()
    assert clock.status == ClockStatus.YELLOW
    assert (first.recoloured, first.notified) == (1, 1)
    assert (again.recoloured, again.notified) == (0, 0)
    with time_machine.travel("2025-10-30 10:00 +0800", tick=False):
        clocks_sweep()
    clock.refresh_from_db()
    assert clock.status == ClockStatus.RED
    messages = list(Notification.objects.filter(user=matter).values_list("message",
                                                                         flat=True))
    assert any("超期" in m for m in messages) and any("临期" in m for m in messages)
    assert AuditEvent.objects.filter(action="clock.overdue").count() == 1


def test_sweep_goes_on_past_a_bad_clock(matter):
    from fazhi.deadlines.models import Clock

    good = _start(matter)
    bad = _start(matter)
    Clock.objects.filter(pk=bad.pk).update(rule_id="no.such.rule")
    with time_machine.travel("2025-10-30 10:00 +0800", tick=False):
        result = clocks_sweep()
    assert result.errors == 1
    good.refresh_from_db()
    assert good.status == ClockStatus.RED


@pytest.mark.django_db(transaction=True)
def test_sweep_runs_through_the_task_queue_worker():
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.deadlines.tasks import sweep_clocks

    demo_load("x" * 12)
    user = User.objects.get(username="xt_disclosure")
    with time_machine.travel("2025-10-01 10:00 +0800", tick=False):
        clock = _start(user)
    with time_machine.travel("2025-10-30 10:00 +0800", tick=False):
        result = sweep_clocks.enqueue()
        call_command("db_worker", "--batch", "--no-startup-delay")
    clock.refresh_from_db()
    assert clock.status == ClockStatus.RED
    result.refresh()
    assert result.return_value["recoloured"] == 1


def _holiday_table_reads_in_sweep(matter, clocks: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.deadlines.models import Clock

    Clock.objects.all().delete()
    with time_machine.travel("2025-10-01 10:00 +0800", tick=False):
        for _ in range(clocks):
            _start(matter)
    with time_machine.travel("2025-10-27 10:00 +0800", tick=False), \
            CaptureQueriesContext(connection) as ctx:
        assert clocks_sweep().recoloured == clocks
    return sum("deadlines_holidayyear" in q["sql"] for q in ctx.captured_queries)


def test_sweep_reads_the_holiday_table_once_not_per_clock(matter):
    assert _holiday_table_reads_in_sweep(matter, 2) == _holiday_table_reads_in_sweep(
        matter, 8)

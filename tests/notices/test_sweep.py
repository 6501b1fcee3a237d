"""The daily sweep tells a clock's owner once per level (临期, then 届满/超期) and
escalates a duty of the bureau past due to that bureau's supervisor and principal
once — however often it runs; a party's window is never escalated nor called 超期."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.models import NoticeKind, Notification
from fazhi.deadlines import services as clocks
from fazhi.deadlines.sweep import clocks_sweep
from tests.disclosure.conftest import on

YELLOW_DAY = dt.date(2025, 10, 27)  # the reply (due 2025-10-29) is in its last days
LATE_DAY = dt.date(2025, 10, 30)  # the day after it fell due


def sweep(day: dt.date):
    with on(day):
        return clocks_sweep()


@pytest.fixture
def req(request_of):
    """A disclosure request of 湘潭县 received 2025-09-25: its reply due 2025-10-29,
    handled by xt_disclosure."""
    return request_of()


def test_the_owner_is_told_once_per_level(people, req, notes):
    first = sweep(YELLOW_DAY)
    assert first.notified == 1
    assert sweep(YELLOW_DAY).notified == 0  # the sweep run twice
    assert sweep(YELLOW_DAY + dt.timedelta(days=1)).notified == 0  # the next day
    title = req.reply_clock.title
    assert notes(people.xt_disclosure, NoticeKind.YELLOW) == [
        f"临期提醒：{title}将于 2025-10-29 届满"]
    sweep(LATE_DAY)
    sweep(LATE_DAY + dt.timedelta(days=1))
    assert notes(people.xt_disclosure, NoticeKind.RED) == [
        f"超期警示：{title}已于 2025-10-29 届满，仍未办结"]


def test_an_overdue_duty_is_escalated_once_to_its_own_bureaus_heads(people, req,
                                                                  notes):
    sweep(LATE_DAY)
    second = sweep(LATE_DAY + dt.timedelta(days=3))
    text = (f"超期督办：{req.reply_clock.title}（政府信息公开申请 {req.number}）"
            f"已于 2025-10-29 届满，仍未办结，承办人 {people.xt_disclosure}")
    assert notes(people.xt_supervisor, NoticeKind.ESCALATION) == [text]
    assert notes(people.xt_principal, NoticeKind.ESCALATION) == [text]
    assert second.notified == 0
    # Nobody outside 湘潭县's bureau: not the city's principal above it, not 湘乡市.
    for outsider in ("city_principal", "xx_principal", "xx_supervisor"):
        assert notes(people[outsider]) == []
    note = Notification.objects.get(user=people.xt_principal)
    assert note.link == f"/disclosure/{req.pk}/" and note.clock_id == req.reply_clock_id


def test_a_partys_window_running_out_is_neither_escalated_nor_overdue(people, req,
                                                                      notes):
    with on(dt.date(2025, 9, 25)):
        window = clocks.clock_start(
            matter=req, rule_id="disclosure.third_party", start=dt.date(2025, 9, 26),
            actor=people.xt_disclosure, title="第三方提出意见",
            assignee=people.xt_disclosure)
    sweep(window.due_date + dt.timedelta(days=1))
    window.refresh_from_db()
    told = Notification.objects.filter(clock=window)
    assert [(n.user, n.kind) for n in told] == [(people.xt_disclosure, NoticeKind.RED)]
    assert told.get().message.startswith("期间届满：第三方提出意见已于")
    assert "超期" not in told.get().message
    assert notes(people.xt_supervisor) == [] and notes(people.xt_principal) == []


def test_a_clock_already_yellow_when_the_sweep_first_sees_it_is_still_told(
        people, req, notes):
    from fazhi.deadlines.models import Clock, ClockStatus

    # Recoloured by something other than the sweep (here: by hand) before it ran.
    with on(YELLOW_DAY):
        Clock.objects.filter(pk=req.reply_clock_id).update(status=ClockStatus.YELLOW)
        result = clocks_sweep()
    assert result.recoloured == 0 and result.notified == 1
    assert len(notes(people.xt_disclosure, NoticeKind.YELLOW)) == 1

"""An extension asked tells those who decide it (never the asker, never another
bureau); its decision tells the asker, with the new due date or that it stands."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fazhi.core.models import NoticeKind, Notification
from fazhi.deadlines.models import ClockExtension
from tests.disclosure.conftest import on

ASKED_ON = dt.date(2025, 10, 10)


def _ask(client, officer, req):
    client.force_login(officer)
    with on(ASKED_ON):
        answer = client.post(reverse("disclosure:extension", args=[req.pk]),
                             {"days": 10, "reason": "需调取多年档案汇总"})
    assert answer.status_code == 302
    return ClockExtension.objects.get(clock=req.reply_clock)


def _decide(client, head, ext, approve: bool):
    client.force_login(head)
    with on(ASKED_ON + dt.timedelta(days=1)):
        answer = client.post(reverse("disclosure:extension_decide", args=[ext.pk]),
                             {"approve": "1" if approve else "0",
                              "reasons": "" if approve else "档案已电子化，可按期答复"})
    assert answer.status_code == 302


def test_the_disclosure_head_is_told_of_an_extension_asked(people, request_of, client,
                                                          notes):
    req = request_of()
    ext = _ask(client, people.xt_disclosure, req)
    assert notes(people.xt_disclosurehead) == [f"新待办：审批延期申请 {req.number}"]
    note = Notification.objects.get(user=people.xt_disclosurehead)
    assert note.kind == NoticeKind.WORK
    assert note.link == reverse("disclosure:detail", args=[req.pk])
    assert notes(people.xx_disclosurehead) == []  # another county's head
    assert notes(people.xt_disclosure) == []  # the asker
    assert ext.state == "pending"


def test_the_asker_is_told_the_extension_was_approved_and_the_new_due_date(
        people, request_of, client, notes):
    req = request_of()
    before = req.reply_clock.due_date
    ext = _ask(client, people.xt_disclosure, req)
    _decide(client, people.xt_disclosurehead, ext, approve=True)
    req.reply_clock.refresh_from_db()
    after = req.reply_clock.due_date
    assert after > before
    assert notes(people.xt_disclosure, NoticeKind.DECISION) == [
        f"延期申请已批准：{req.reply_clock.title}，延长10个工作日，届满日改为 {after}"
        f"（审批人 {people.xt_disclosurehead}）"]
    # …and sees it on 通知, with the new date.
    client.force_login(people.xt_disclosure)
    page = client.get(reverse("web:notifications")).content.decode()
    assert "延期申请已批准" in page and str(after) in page


def test_the_asker_is_told_the_extension_was_refused(people, request_of, client,
                                                     notes):
    req = request_of()
    due = req.reply_clock.due_date
    ext = _ask(client, people.xt_disclosure, req)
    _decide(client, people.xt_disclosurehead, ext, approve=False)
    assert notes(people.xt_disclosure, NoticeKind.DECISION) == [
        f"延期申请未获批准：{req.reply_clock.title}（申请延长10个工作日），"
        f"仍于 {due} 届满，理由：档案已电子化，可按期答复"
        f"（审批人 {people.xt_disclosurehead}）"]


def test_a_permit_extension_tells_the_principal_of_its_bureau(people, accepted, notes):
    from fazhi.permits import services

    app = accepted(materials=True)
    with on(dt.date(2025, 9, 22)):
        services.extension_request(application=app, actor=app.clerk, days=10,
                                   reason="需实地核查，现场条件复杂")
    assert notes(people.xt_principal) == [f"新待办：审批延期申请 {app.number}"]
    assert notes(people.xx_principal) == [] and notes(people.city_principal) == []

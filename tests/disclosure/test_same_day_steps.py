"""A step may follow its cause on the same day: a correction received, or an answer
to a consultation, on the day the request came in is registered, and the reply
period then runs from that day as if no day had been excluded (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.audit import verify
from fazhi.deadlines.models import ClockPause
from fazhi.disclosure import services
from fazhi.disclosure.models import DisclosureRequest, RequestState
from tests.disclosure.conftest import on

D = dt.date
RECEIVED = D(2025, 9, 25)  # Thu; the reply is due on 29 Oct (National Day skipped)


def test_a_correction_received_on_the_day_of_the_notice_and_of_the_request(
        register, officer):
    req = register(received=RECEIVED)
    with on(RECEIVED):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=RECEIVED, items=["明确文号"],
                                          deadline=D(2025, 10, 20))
        services.request_correction_complete(request=req, actor=officer,
                                             completed_on=RECEIVED)
    req = DisclosureRequest.objects.get(pk=req.pk)
    assert req.state == RequestState.REGISTERED
    assert req.reply_clock.state == "running"
    assert req.reply_clock.due_date == D(2025, 10, 29)  # nothing was excluded
    assert not ClockPause.objects.filter(clock=req.reply_clock).exists()
    assert verify().ok


def test_a_correction_received_the_next_day_excludes_that_one_day(register, officer):
    req = register(received=RECEIVED)
    with on(RECEIVED):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=RECEIVED, items=["明确文号"],
                                          deadline=D(2025, 10, 20))
    with on(D(2025, 9, 26)):
        services.request_correction_complete(request=req, actor=officer,
                                             completed_on=D(2025, 9, 26))
    req.reply_clock.refresh_from_db()
    # Counted from Fri 26 Sep: 20 working days end on Thu 30 Oct.
    assert req.reply_clock.due_date == D(2025, 10, 30)


def test_tomorrow_is_still_refused_with_the_day_named(register, officer):
    req = register(received=RECEIVED)
    with on(RECEIVED):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=RECEIVED, items=["明确文号"],
                                          deadline=D(2025, 10, 20))
        with pytest.raises(ValidationError) as exc:
            services.request_correction_complete(request=req, actor=officer,
                                                 completed_on=D(2025, 9, 26))
    assert "不能晚于今天（2025-09-25）" in exc.value.message_dict["completed_on"][0]


def test_a_consultation_answered_on_the_day_of_the_request(register, officer):
    req = register(received=RECEIVED)
    with on(RECEIVED):
        c = services.request_consult_start(request=req, actor=officer,
                                           party_kind="third_party",
                                           party_name="某公司", sent_on=RECEIVED)
        services.request_consult_answer(consultation=c, actor=officer,
                                        answered_on=RECEIVED, opinion="agree")
    req = DisclosureRequest.objects.get(pk=req.pk)
    assert req.state == RequestState.REGISTERED
    assert req.reply_clock.due_date == D(2025, 10, 29)

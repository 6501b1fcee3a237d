"""The disclosure request from receipt to reply: clocks, rules, audit, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent, Evidence, Instrument
from fazhi.disclosure import services
from fazhi.disclosure.models import DisclosureRequest, RequestState
from tests.disclosure.conftest import on

D = dt.date


def _state(req) -> str:
    return DisclosureRequest.objects.get(pk=req.pk).state


def test_registration_starts_the_twenty_working_day_clock(register):
    req = register()
    assert req.reply_clock.due_date == D(2025, 10, 29)  # National Day skipped
    assert req.number.endswith("号") and "2025" in req.number
    assert Evidence.objects.filter(object_id=str(req.pk)).count() == 1
    assert AuditEvent.objects.filter(action="disclosure.register",
                                     object_id=str(req.pk)).exists()


@pytest.mark.parametrize(("channel", "dates", "received"), [
    ("in_person", {"submitted_on": D(2025, 9, 22)}, D(2025, 9, 22)),
    ("registered_mail", {"submitted_on": D(2025, 9, 18), "signed_on": D(2025, 9, 22)},
     D(2025, 9, 22)),
    ("ordinary_letter", {"confirmed_on": D(2025, 9, 23)}, D(2025, 9, 23)),
    ("online", {"submitted_on": D(2025, 9, 20), "confirmed_on": D(2025, 9, 22)},
     D(2025, 9, 22)),
    ("fax", {"confirmed_on": D(2025, 9, 24)}, D(2025, 9, 24)),
])
def test_receipt_date_follows_the_channel(register, channel, dates, received):
    fields = {"submitted_on": None, **dates}
    req = register(received=received, channel=channel, **fields)
    assert req.received_on == received


def test_registered_mail_without_signing_date_names_the_field(register):
    with pytest.raises(ValidationError) as exc:
        register(channel="registered_mail", submitted_on=D(2025, 9, 20))
    assert "signed_on" in exc.value.message_dict
    assert DisclosureRequest.objects.count() == 0


def test_a_receipt_date_in_the_future_is_refused(register, officer):
    with on(D(2025, 9, 25)), pytest.raises(ValidationError) as exc:
        services.request_register(
            actor=officer, channel="in_person", submitted_on=D(2025, 9, 26),
            requester_category="natural_person", requester_name="张三", content="x",
            assignee=officer)
    assert "不能晚于今天" in exc.value.message_dict["submitted_on"][0]


def test_only_the_own_bureau_disclosure_officer_may_act(register, people):
    req = register()
    for persona in ("xx_disclosure", "xt_officer", "city_principal"):
        with pytest.raises(PermissionDenied), on(D(2025, 10, 1)):
            services.request_reply(request=req, actor=people[persona],
                                   outcome="disclose", replied_on=D(2025, 10, 1),
                                   reply_summary="公开")
    assert _state(req) == RequestState.REGISTERED


def test_correction_restarts_the_period_from_the_completed_request(register, officer):
    req = register()
    with on(D(2025, 9, 29)):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=D(2025, 9, 29),
                                          items=["明确文号"], deadline=D(2025, 10, 20))
    assert _state(req) == RequestState.CORRECTION
    with on(D(2025, 10, 15)):
        services.request_correction_complete(request=req, actor=officer,
                                             completed_on=D(2025, 10, 15))
    req.reply_clock.refresh_from_db()
    # 20 working days after Wed 2025-10-15.
    assert req.reply_clock.due_date == D(2025, 11, 12)
    assert Instrument.objects.filter(kind="disclosure.correction_notice").count() == 1


def test_correction_notice_after_seven_working_days_is_refused(register, officer):
    req = register()  # Thu 25 Sep; 7 working days end on Sat 11 Oct (make-up day)
    assert services.correction_last_day(req) == D(2025, 10, 11)
    with on(D(2025, 10, 13)), pytest.raises(ValidationError) as exc:
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=D(2025, 10, 13),
                                          items=["x"], deadline=D(2025, 10, 30))
    assert "7个工作日" in exc.value.message_dict["issued_on"][0]
    assert _state(req) == RequestState.REGISTERED


def test_a_second_correction_notice_is_refused(register, officer):
    req = register()
    with on(D(2025, 9, 26)):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=D(2025, 9, 26), items=["x"],
                                          deadline=D(2025, 10, 20))
        services.request_correction_complete(request=req, actor=officer,
                                             completed_on=D(2025, 9, 26))
        with pytest.raises(ValidationError) as exc:
            services.request_correction_issue(request=req, actor=officer,
                                              issued_on=D(2025, 9, 26), items=["y"],
                                              deadline=D(2025, 10, 20))
    assert "只能发出一次" in exc.value.message_dict["issued_on"][0]


def test_no_completion_by_the_deadline_closes_as_abandoned(register, officer):
    req = register()
    with on(D(2025, 9, 26)):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=D(2025, 9, 26), items=["x"],
                                          deadline=D(2025, 10, 20))
    with on(D(2025, 10, 20)), pytest.raises(ValidationError):
        services.request_abandon(request=req, actor=officer, on=D(2025, 10, 20))
    with on(D(2025, 10, 21)):
        services.request_abandon(request=req, actor=officer, on=D(2025, 10, 21))
    req.refresh_from_db()
    assert req.state == RequestState.ABANDONED and req.outcome == "other.no_correction"
    assert req.reply_clock.state == "cancelled"


def test_consultation_time_is_excluded_and_has_its_own_clock(register, officer):
    req = register()
    with on(D(2025, 10, 9)):
        c = services.request_consult_start(request=req, actor=officer,
                                           party_kind="third_party",
                                           party_name="某公司", sent_on=D(2025, 10, 9))
    assert c.clock.due_date == D(2025, 10, 29)  # 15 working days after 9 Oct
    with on(D(2025, 10, 16)):
        services.request_consult_answer(consultation=c, actor=officer,
                                        answered_on=D(2025, 10, 16), opinion="agree")
    req.reply_clock.refresh_from_db()
    # 9–16 Oct excluded: its 7 working days (11 Oct is a make-up Saturday) push
    # 29 Oct on to 7 Nov.
    assert req.reply_clock.due_date == D(2025, 11, 7)
    assert _state(req) == RequestState.REGISTERED


def test_extension_needs_the_head_and_not_the_asker(register, officer, head, people):
    req = register()
    with on(D(2025, 10, 20)):
        ext = services.request_extension_ask(request=req, actor=officer, days=20,
                                             reason="需调阅档案")
        with pytest.raises(PermissionDenied):
            services.request_extension_decide(extension=ext, actor=officer, approve=True)
        with pytest.raises(PermissionDenied):
            services.request_extension_decide(extension=ext, actor=people.xx_disclosurehead,
                                              approve=True)
        services.request_extension_decide(extension=ext, actor=head, approve=True)
    req.reply_clock.refresh_from_db()
    assert req.reply_clock.due_date == D(2025, 11, 26)
    assert Instrument.objects.filter(kind="disclosure.extension_notice").count() == 1


def test_a_head_who_asked_cannot_approve_own_extension(register, head):
    from fazhi.core.services import user_grant_role

    user_grant_role(user=head, role="disclosure_officer", actor=None)
    req = register()
    with on(D(2025, 10, 20)):
        ext = services.request_extension_ask(request=req, actor=head, days=5,
                                             reason="复杂")
        with pytest.raises(PermissionDenied, match="不能自己审批"):
            services.request_extension_decide(extension=ext, actor=head, approve=True)


def test_extension_over_twenty_working_days_is_refused(register, officer):
    req = register()
    with on(D(2025, 10, 20)), pytest.raises(ValidationError) as exc:
        services.request_extension_ask(request=req, actor=officer, days=21, reason="x")
    assert "20个工作日" in exc.value.message_dict["days"][0]


def test_reply_on_time_stops_the_clock_and_issues_the_letter(register, officer):
    req = register()
    with on(D(2025, 10, 20)):
        services.request_reply(request=req, actor=officer, outcome="disclose",
                               replied_on=D(2025, 10, 20), reply_summary="予以公开")
    req.refresh_from_db()
    assert (req.state, req.replied_late, req.days_late) == (RequestState.REPLIED, False, 0)
    assert req.reply_clock.status == "done"
    letter = Instrument.objects.get(kind="disclosure.reply")
    assert letter.evidence.sha256 in AuditEvent.objects.filter(
        action="instrument.issue").last().evidence


def test_a_late_reply_is_allowed_and_marked_late_forever(register, officer):
    req = register()
    with on(D(2025, 11, 3)):
        services.request_reply(request=req, actor=officer, outcome="disclose",
                               replied_on=D(2025, 11, 3), reply_summary="予以公开")
    req.refresh_from_db()
    # Due Wed 29 Oct; 30, 31 Oct and 3 Nov are 3 working days late.
    assert (req.replied_late, req.days_late) == (True, 3)
    assert req.reply_clock.status == "done_late"


def test_reply_before_receipt_is_refused(register, officer):
    req = register()
    with on(D(2025, 10, 1)), pytest.raises(ValidationError) as exc:
        services.request_reply(request=req, actor=officer, outcome="disclose",
                               replied_on=D(2025, 9, 24), reply_summary="x")
    assert "replied_on" in exc.value.message_dict


def test_partial_disclosure_needs_reasons(register, officer):
    req = register()
    with on(D(2025, 10, 1)), pytest.raises(ValidationError) as exc:
        services.request_reply(request=req, actor=officer, outcome="partial",
                               replied_on=D(2025, 10, 1), reply_summary="部分公开")
    assert "withheld_reasons" in exc.value.message_dict


def test_every_step_is_in_a_verified_chain(register, officer):
    req = register()
    with on(D(2025, 10, 20)):
        services.request_reply(request=req, actor=officer, outcome="disclose",
                               replied_on=D(2025, 10, 20), reply_summary="予以公开")
        services.request_deliver(request=req, actor=officer, method="mail",
                                 delivered_on=D(2025, 10, 20))
    actions = set(AuditEvent.objects.filter(object_id=str(req.pk)).values_list(
        "action", flat=True))
    assert {"disclosure.register", "disclosure.reply", "disclosure.deliver",
            "clock.start", "clock.stop", "instrument.issue"} <= actions
    assert verify().ok


def test_the_daily_sweep_closes_requests_not_completed_in_time(register, officer):
    from fazhi.deadlines.sweep import clocks_sweep

    req = register()
    with on(D(2025, 9, 26)):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=D(2025, 9, 26), items=["x"],
                                          deadline=D(2025, 10, 20))
    with on(D(2025, 10, 20)):
        clocks_sweep()
    assert _state(req) == RequestState.CORRECTION
    with on(D(2025, 10, 21)):
        result = clocks_sweep()
    req.refresh_from_db()
    assert req.state == RequestState.ABANDONED and req.closed_on == D(2025, 10, 21)
    assert result.errors == 0
    event = AuditEvent.objects.filter(action="disclosure.abandon").get()
    assert event.actor_name == "系统"


@pytest.mark.parametrize("action", ["correction", "consult", "extension", "withdraw"])
def test_no_step_is_recorded_by_someone_outside_the_disclosure_role(
        register, people, action):
    req = register()
    calls = {
        "correction": lambda u: services.request_correction_issue(
            request=req, actor=u, issued_on=D(2025, 9, 26), items=["x"],
            deadline=D(2025, 10, 20)),
        "consult": lambda u: services.request_consult_start(
            request=req, actor=u, party_kind="agency", party_name="林业局",
            sent_on=D(2025, 9, 26)),
        "extension": lambda u: services.request_extension_ask(
            request=req, actor=u, days=5, reason="x"),
        "withdraw": lambda u: services.request_withdraw(
            request=req, actor=u, on=D(2025, 9, 26), reason="x"),
    }
    before = AuditEvent.objects.count()
    for persona in ("xt_principal", "xx_disclosure", "xt_legal"):
        with on(D(2025, 9, 26)), pytest.raises(PermissionDenied):
            calls[action](people[persona])
    assert AuditEvent.objects.count() == before and _state(req) == RequestState.REGISTERED

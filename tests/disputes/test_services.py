"""Reconsiderations and lawsuits: clocks, outcomes marked on the matter, hearings
and the principal, the rates over real records, role and scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent
from fazhi.disputes import services

MON = dt.date(2025, 9, 1)


def on(day):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


@pytest.fixture
def legal(people):
    return people.xt_legal


@pytest.fixture
def recon(legal):
    def _recon(number="潭府复〔2025〕1号", simplified=False, challenged=None, day=MON):
        with on(day):
            return services.reconsideration_register(
                actor=legal, number=number, applicant_name="李四", body="湘潭县人民政府",
                challenged_act="行政处罚决定", copy_received_on=day,
                simplified=simplified, challenged=challenged)
    return _recon


@pytest.fixture
def suit(legal):
    def _suit(case_number="（2025）湘0321行初1号", day=MON):
        with on(day):
            return services.lawsuit_register(
                actor=legal, court="湘潭县人民法院", case_number=case_number,
                plaintiff="王五", challenged_act="不予许可决定",
                complaint_received_on=day)
    return _suit


def test_the_reply_is_due_ten_working_days_after_the_copy_or_five_if_simplified(
        recon):
    assert recon().reply_clock.due_date == dt.date(2025, 9, 15)
    assert recon("潭府复〔2025〕2号", simplified=True).reply_clock.due_date == \
        dt.date(2025, 9, 8)


def test_a_late_reply_is_recorded_and_said(recon, legal):
    item = recon()
    with on(dt.date(2025, 9, 16)):
        services.reconsideration_reply(item=item, actor=legal,
                                       replied_on=dt.date(2025, 9, 16))
    event = AuditEvent.objects.get(action="disputes.reconsideration_reply")
    assert "已超过答复期限" in event.summary
    item.reply_clock.refresh_from_db()
    assert item.reply_clock.status == "done_late"


def test_a_revocation_corrects_the_bureau_and_marks_the_case(recon, legal, decided):
    case = decided(fine="1000", served=True)
    item = recon(challenged=case, day=dt.date(2025, 9, 20))
    with on(dt.date(2025, 11, 3)):
        services.reconsideration_conclude(item=item, actor=legal, outcome="revoked",
                                          concluded_on=dt.date(2025, 11, 3))
    assert item.corrected
    case.refresh_from_db()
    assert case.corrected_on == dt.date(2025, 11, 3) and "撤销" in case.correction_note
    marked = AuditEvent.objects.get(action="enforcement.corrected")
    assert marked.object_id == str(case.pk)
    assert verify().ok


def test_an_unknown_outcome_or_a_second_outcome_is_refused(recon, legal):
    item = recon()
    with on(MON), pytest.raises(ValidationError, match="决定类型"):
        services.reconsideration_conclude(item=item, actor=legal, outcome="won",
                                          concluded_on=MON)
    with on(MON):
        services.reconsideration_conclude(item=item, actor=legal, outcome="upheld",
                                          concluded_on=MON)
        with pytest.raises(ValidationError, match="已登记结果"):
            services.reconsideration_conclude(item=item, actor=legal,
                                              outcome="revoked", concluded_on=MON)


def test_a_hearing_needs_the_principal_or_the_reason_he_did_not_appear(
        suit, legal, people):
    s = suit()
    with on(MON):
        with pytest.raises(ValidationError, match="说明理由"):
            services.hearing_record(suit=s, actor=legal, held_on=MON,
                                    attendees="法务 张某", principal_appeared=False)
        with pytest.raises(ValidationError, match="本机关负责人"):
            services.hearing_record(suit=s, actor=legal, held_on=MON,
                                    attendees="法务 张某", principal_appeared=True,
                                    principal=people.xx_principal)
        services.hearing_record(suit=s, actor=legal, held_on=MON, attendees="局长",
                                principal_appeared=True, principal=people.xt_principal)
    assert s.hearings.get().principal_appeared


def test_a_first_instance_judgment_opens_the_fifteen_day_appeal_window(suit, legal):
    s = suit()
    assert s.defence_clock.due_date == dt.date(2025, 9, 16)
    with on(dt.date(2025, 11, 3)):
        services.lawsuit_conclude(suit=s, actor=legal, result="lost",
                                  instrument="judgment",
                                  served_on=dt.date(2025, 11, 3), on_merits=True)
    assert s.appeal_clock.due_date == dt.date(2025, 11, 18)
    assert s.lost


def test_the_rates_count_the_bureaus_records_and_dash_when_empty(
        recon, suit, legal, people):
    a, b = recon(), recon("潭府复〔2025〕2号")
    s1, s2 = suit(), suit("（2025）湘0321行初2号")
    day = dt.date(2025, 10, 20)
    with on(day):
        services.reconsideration_conclude(item=a, actor=legal, outcome="revoked",
                                          concluded_on=day)
        services.reconsideration_conclude(item=b, actor=legal, outcome="upheld",
                                          concluded_on=day)
        services.hearing_record(suit=s1, actor=legal, held_on=day, attendees="局长",
                                principal_appeared=True, principal=people.xt_principal)
        services.hearing_record(suit=s2, actor=legal, held_on=day, attendees="法务",
                                principal_appeared=False, absence_reason="出差")
        services.lawsuit_conclude(suit=s1, actor=legal, result="won",
                                  instrument="judgment", served_on=day, on_merits=True)
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    got = {r.rate.id: r for r in services.rates_for(actor=people.xt_principal,
                                                    period=year)}
    assert got["correction_rate"].shown == "50.0%"
    assert got["correction_rate"].numerator == (a.pk,)
    assert got["loss_rate"].shown == "0.0%" and got["loss_rate"].denominator == (s1.pk,)
    assert got["appearance_rate"].shown == "50.0%"
    other = {r.rate.id: r.shown for r in services.rates_for(
        actor=people.xx_legal, period=year)}
    assert set(other.values()) == {"—"}  # another county's records are not counted


def test_wrong_role_other_county_and_foreign_matter_are_refused(
        people, recon, decided):
    with on(MON):
        with pytest.raises(PermissionDenied):
            services.reconsideration_register(
                actor=people.xt_officer, number="x", applicant_name="李四", body="县政府",
                challenged_act="处罚", copy_received_on=MON)
        item = recon()
        with pytest.raises(PermissionDenied):
            services.reconsideration_reply(item=item, actor=people.xx_legal,
                                           replied_on=MON)
    case = decided(fine="1000")
    with on(dt.date(2025, 9, 20)), pytest.raises(ValidationError, match="本机关"):
        services.reconsideration_register(
            actor=people.xx_legal, number="湘乡复1号", applicant_name="李四",
            body="湘乡市人民政府", challenged_act="处罚", copy_received_on=MON,
            challenged=case)


def test_bad_input_names_the_field_and_changes_nothing(legal):
    from fazhi.disputes.models import Reconsideration

    with on(MON), pytest.raises(ValidationError) as caught:
        services.reconsideration_register(
            actor=legal, number="", applicant_name="李四", body="县政府",
            challenged_act="处罚", copy_received_on=MON)
    assert "number" in caught.value.message_dict
    with on(MON), pytest.raises(ValidationError, match="不能晚于今天"):
        services.reconsideration_register(
            actor=legal, number="1", applicant_name="李四", body="县政府",
            challenged_act="处罚", copy_received_on=MON + dt.timedelta(days=1))
    assert not Reconsideration.objects.exists()


def test_a_revoked_published_decision_starts_its_withdrawal_clock(
        recon, legal, decided, people):
    from fazhi.enforcement.publicity.services import publication_publish

    case = decided(fine="1000", served=True)
    with on(dt.date(2025, 9, 16)):
        publication_publish(case=case, actor=people.xt_officer,
                            published_on=dt.date(2025, 9, 16))
    item = recon(challenged=case, day=dt.date(2025, 9, 20))
    with on(dt.date(2025, 9, 26)):
        services.reconsideration_conclude(item=item, actor=legal, outcome="revoked",
                                          concluded_on=dt.date(2025, 9, 26))
    case.publication.refresh_from_db()
    assert case.publication.withdrawal_due
    # 3 working days after Fri 26 September: Sun 9-28 (a make-up working day before
    # National Day), 9-29, 9-30.
    assert case.publication.withdraw_clock.due_date == dt.date(2025, 9, 30)


def test_a_withdrawn_reconsideration_owes_no_reply_any_more(recon, legal):
    item = recon()
    with on(dt.date(2025, 9, 5)):
        services.reconsideration_conclude(item=item, actor=legal, outcome="withdrawn",
                                          concluded_on=dt.date(2025, 9, 5))
    item.reply_clock.refresh_from_db()
    assert item.reply_clock.state == "cancelled"


def test_an_appeal_closes_the_first_instance_window_and_dates_keep_their_order(
        suit, legal):
    first = suit()
    with on(MON), pytest.raises(ValidationError, match="不能早于收到起诉状副本日期"):
        services.hearing_record(suit=first, actor=legal, held_on=MON - dt.timedelta(1),
                                attendees="法务", principal_appeared=False,
                                absence_reason="出差")
    day = dt.date(2025, 11, 3)
    with on(day):
        services.lawsuit_conclude(suit=first, actor=legal, result="lost",
                                  instrument="judgment", served_on=day, on_merits=True)
        second = services.lawsuit_register(
            actor=legal, court="湘潭市中级人民法院", case_number="（2025）湘03行终9号",
            plaintiff="湘潭县自然资源局（上诉人）", challenged_act="不予许可决定",
            complaint_received_on=day, instance="second", previous=first)
    first.appeal_clock.refresh_from_db()
    first.defence_clock.refresh_from_db()
    assert first.appeal_clock.state == "stopped" and second.previous == first
    assert first.defence_clock.state == "cancelled"  # judged before any defence


def test_the_period_bound_read_counts_what_reading_everything_counts(
        recon, suit, legal, people):
    from fazhi.disputes.rates import rate_compute

    a = recon()
    s = suit()
    old = recon("潭府复〔2024〕9号", day=dt.date(2024, 11, 4))
    with on(dt.date(2025, 10, 20)):
        services.reconsideration_conclude(item=a, actor=legal, outcome="revoked",
                                          concluded_on=dt.date(2025, 10, 20))
        services.reconsideration_conclude(item=old, actor=legal, outcome="upheld",
                                          concluded_on=dt.date(2025, 1, 6))
        services.hearing_record(suit=s, actor=legal, held_on=dt.date(2025, 10, 20),
                                attendees="局长", principal_appeared=True,
                                principal=people.xt_principal)
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    fast = services.rates_for(actor=people.xt_principal, period=year)
    facts = services._facts_all(people.xt_principal)
    full = [rate_compute(r.rate, facts, year) for r in fast]
    assert [(r.numerator, r.denominator) for r in fast] == \
        [(r.numerator, r.denominator) for r in full]
    assert set(fast[0].denominator) == {a.pk, old.pk}  # both concluded in 2025

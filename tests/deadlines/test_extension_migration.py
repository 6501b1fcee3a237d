"""The migrations that move the modules' extension requests onto the clocks'
(deadlines.ClockExtension): every request survives, with who asked, when, the
decision, who made it and the notice, and no approved one is counted twice.

They run the real migrations back to the old schema, fill it with the old models'
rows, and forward again, on whichever database the tests use (SQLite or PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.deadlines.models import ClockExtension, ExtensionState
from tests.migrating import migrate, migrate_latest

OLD = [("deadlines", "0003_clock_ended_as"),
       ("permits", "0004_permitkind_org_unit_required"),
       ("disclosure", "0001_initial")]
D = dt.date




def _clock(old, matter, rule, org, n, extension_days=0):
    ct = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=matter._meta.app_label, model=matter._meta.model_name)[0]
    return old.get_model("deadlines", "Clock").objects.create(
        content_type=ct, object_id=str(matter.pk), org_unit_id=org.pk, rule_id=rule,
        title=f"期限{n}", start_date=D(2025, 9, 1), due_date=D(2025, 9, 29),
        extension_days=extension_days)


def _application(old, org, people, n, extension_days=0):
    kind = old.get_model("permits", "PermitKind").objects.create(
        org_unit_id=org.pk, code=f"k{n}", name="事项", basis="依据",
        promised_days=5, certificate_word=f"证{n}", materials=[])
    app = old.get_model("permits", "Application").objects.create(
        org_unit_id=org.pk, number=f"受理{n}", kind=kind, applicant_name="张三",
        applicant_kind="person", project_name="项目", location="某村",
        clerk_id=people.xt_clerk.pk, received_on=D(2025, 9, 1), rating_token=f"t{n}",
        created_by_id=people.xt_clerk.pk, state="accepted")
    app.decision_clock = _clock(old, app, "permit.decision", org, n, extension_days)
    app.save()
    return app


def _request(old, org, people, n, extension_days=0):
    req = old.get_model("disclosure", "DisclosureRequest").objects.create(
        org_unit_id=org.pk, number=f"公开{n}", channel="in_person",
        received_on=D(2025, 9, 1), requester_category="natural_person",
        requester_name="李四", content="某文件", assignee_id=people.xt_disclosure.pk,
        created_by_id=people.xt_disclosure.pk)
    req.reply_clock = _clock(old, req, "disclosure.reply", org, n, extension_days)
    req.save()
    return req


@pytest.mark.django_db(transaction=True)
def test_every_extension_request_survives_the_move_to_the_clocks(orgs, people):
    old = migrate(OLD)
    xt = orgs["xt"]
    clerk, principal = people.xt_clerk, people.xt_principal
    officer, head = people.xt_disclosure, people.xt_disclosurehead
    Extension = old.get_model("permits", "Extension")
    Request = old.get_model("disclosure", "ExtensionRequest")
    OldClockExtension = old.get_model("deadlines", "ClockExtension")
    Instrument = old.get_model("core", "Instrument")

    # Permits: approved (the clock already carries its extension), pending, refused.
    approved_app = _application(old, xt, people, 1, extension_days=10)
    OldClockExtension.objects.create(clock=approved_app.decision_clock, days=10,
                                     reason="需实地核查", approved_by_id=principal.pk)
    Extension.objects.create(application=approved_app, days=10, reason="需实地核查",
                             requested_by_id=clerk.pk, requested_on=D(2025, 9, 22),
                             state="approved", decided_by_id=principal.pk,
                             decided_on=D(2025, 9, 23))
    pending_app = _application(old, xt, people, 2)
    Extension.objects.create(application=pending_app, days=5, reason="待专家意见",
                             requested_by_id=clerk.pk, requested_on=D(2025, 9, 24))
    refused_app = _application(old, xt, people, 3)
    Extension.objects.create(application=refused_app, days=3, reason="理由不足",
                             requested_by_id=clerk.pk, requested_on=D(2025, 9, 24),
                             state="refused", decided_by_id=principal.pk,
                             decided_on=D(2025, 9, 25))
    # Disclosure: a refused then an approved request on one clock, with its notice.
    req = _request(old, xt, people, 4, extension_days=20)
    refused_at = timezone.make_aware(dt.datetime(2025, 10, 9, 15, 0))
    Request.objects.create(request=req, days=20, reason="第一次", state="refused",
                           requested_by_id=officer.pk, decided_by_id=head.pk,
                           decided_at=refused_at)
    OldClockExtension.objects.create(clock=req.reply_clock, days=20,
                                     reason="需调阅档案", approved_by_id=head.pk)
    evidence = old.get_model("core", "Evidence").objects.create(
        org_unit_id=xt.pk, sha256="0" * 64, size=1, media_type="application/pdf",
        kind="document", original_name="延期告知书.docx", uploaded_by_id=head.pk)
    notice = Instrument.objects.create(
        org_unit_id=xt.pk, kind="disclosure.extension_notice", doc_number="延告1号",
        year=2025, serial=1, title="延期答复告知书",
        content_type=req.reply_clock.content_type, object_id=str(req.pk),
        evidence=evidence, created_by_id=head.pk)
    Request.objects.create(request=req, days=20, reason="需调阅档案", state="approved",
                           requested_by_id=officer.pk, decided_by_id=head.pk,
                           decided_at=refused_at + dt.timedelta(days=1),
                           instrument=notice)
    # An extension approved straight on a clock (the case period, before requests).
    case_clock = _clock(old, req, "penalty.case", xt, 5, extension_days=30)
    OldClockExtension.objects.create(clock=case_clock, days=30, reason="案情复杂",
                                     approved_by_id=principal.pk)

    migrate_latest()

    def rows(clock_id):
        return list(ClockExtension.objects.filter(clock_id=clock_id)
                    .order_by("requested_at", "pk"))

    [ext] = rows(approved_app.decision_clock_id)  # one row, not two
    assert (ext.state, ext.days, ext.requested_by_id, ext.decided_by_id) == (
        ExtensionState.APPROVED, 10, clerk.pk, principal.pk)
    assert ext.requested_on == D(2025, 9, 22) and ext.reason == "需实地核查"
    [ext] = rows(pending_app.decision_clock_id)
    assert (ext.state, ext.days, ext.requested_by_id, ext.decided_by_id) == (
        ExtensionState.PENDING, 5, clerk.pk, None)
    assert ext.requested_on == D(2025, 9, 24) and ext.reason == "待专家意见"
    [ext] = rows(refused_app.decision_clock_id)
    assert (ext.state, ext.decided_by_id, ext.decided_on) == (
        ExtensionState.REFUSED, principal.pk, D(2025, 9, 25))
    first, second = rows(req.reply_clock_id)
    assert (first.state, first.reason, first.decided_at) == (
        ExtensionState.REFUSED, "第一次", refused_at)
    assert (second.state, second.reason, second.instrument_id, second.requested_by_id
            ) == (ExtensionState.APPROVED, "需调阅档案", notice.pk, officer.pk)
    [ext] = rows(case_clock.pk)
    assert (ext.state, ext.requested_by_id, ext.decided_by_id, ext.days) == (
        ExtensionState.APPROVED, principal.pk, principal.pk, 30)
    assert ClockExtension.objects.count() == 6

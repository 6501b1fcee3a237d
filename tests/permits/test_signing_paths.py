"""The permit decision's sign-offs on every path — page, API, command line — and on
the instruments that go out: the certificate and the refusal print who undertook,
reviewed and approved the decision, from the complete round."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fazhi.core import services as core_services
from fazhi.core.models import Approval, AuditEvent, Instrument, SignOff
from fazhi.core.roles import Role
from fazhi.permits import services, workflow
from fazhi.permits.services import signing
from tests.conftest import PASSWORD
from tests.permits.conftest import MON, fresh, on
from tests.permits.test_signing import docx_text, propose, sign

TUE, WED, THU = (MON + dt.timedelta(days=n) for n in (1, 2, 3))
OWN = "须由他人签署"


def _instrument(app, kind):
    """The application's instrument of ``kind`` (a certificate: of its kind's series,
    permits.cert.<kind>)."""
    if kind == "permits.certificate":
        return Instrument.objects.get(kind__startswith="permits.cert.",
                                      object_id=str(app.pk))
    return Instrument.objects.get(kind=kind, object_id=str(app.pk))


def _signed_over_three_days(app, people, decision="approve", reasons=""):
    """The clerk proposes on Monday, the section head signs on Tuesday, the
    principal on Wednesday."""
    with on(MON):
        app = signing.application_propose(application=app, actor=people.xt_clerk,
                                          decision=decision, reasons=reasons)
    with on(TUE):
        app = signing.application_sign(application=app, actor=people.xt_sectionhead,
                                       agree=True)
    with on(WED):
        app = signing.application_sign(application=app, actor=people.xt_principal,
                                       agree=True)
    return app


# --- the instruments ------------------------------------------------------------------


def test_the_certificate_prints_who_undertook_reviewed_and_approved_with_dates(
        accepted, people):
    app = _signed_over_three_days(accepted(materials=True), people)
    with on(WED):
        app = services.application_approve(application=app, actor=people.xt_clerk,
                                           decided_on=WED)
    with on(THU):
        services.certificate_issue(application=app, actor=people.xt_clerk,
                                   issued_on=THU)
    text = docx_text(_instrument(app, "permits.certificate"))
    assert (f"承办人：{people.xt_clerk}（2025年9月1日）　"
            f"审核人：{people.xt_sectionhead}（2025年9月2日）　"
            f"批准人：{people.xt_principal}（2025年9月3日）") in text
    assert "{{" not in text


def test_the_refusal_prints_the_chain_that_signed_it(accepted, people):
    app = _signed_over_three_days(accepted(materials=True), people, "refuse",
                                  "选址位于永久基本农田")
    with on(WED):
        services.application_refuse(application=app, actor=people.xt_clerk,
                                    decided_on=WED)
    text = docx_text(_instrument(app, "permits.refusal"))
    assert "选址位于永久基本农田" in text
    assert (f"承办人：{people.xt_clerk}（2025年9月1日）　"
            f"审核人：{people.xt_sectionhead}（2025年9月2日）　"
            f"批准人：{people.xt_principal}（2025年9月3日）") in text


def test_a_kind_signed_at_review_prints_no_approver(accepted, people, clerk):
    app = propose(accepted("red_line", materials=True), clerk)
    app = sign(app, people.xt_sectionhead)
    with on(MON):
        app = services.application_approve(application=app, actor=clerk,
                                           decided_on=MON)
        services.certificate_issue(application=app, actor=clerk, issued_on=MON)
    text = docx_text(_instrument(app, "permits.certificate"))
    assert f"承办人：{clerk}（2025年9月1日）　审核人：{people.xt_sectionhead}" in text
    assert "批准人" not in text


def test_a_permit_decided_before_sign_offs_were_recorded_prints_no_names(
        approved, clerk):
    """An application approved before the chain existed (its round is not in the
    database): the certificate leaves the line out rather than invent signers."""
    app = approved()
    Approval.objects.filter(object_id=str(app.pk)).delete()
    with on(MON):
        services.certificate_issue(application=fresh(app), actor=clerk,
                                   issued_on=MON)
    text = docx_text(_instrument(app, "permits.certificate"))
    assert "承办人" not in text and "审核人" not in text and "{{" not in text


# --- nobody signs their own proposal: page, API, command line ------------------------


@pytest.fixture
def own_proposal(accepted, people):
    """湘潭县's clerk, also made a section head, proposes an approval: the 审核
    step waits, and the clerk holds its role."""
    clerk = people.xt_clerk
    core_services.user_grant_role(user=clerk, role=Role.SECTION_HEAD, actor=None)
    clerk = type(clerk).objects.get(pk=clerk.pk)
    app = propose(accepted(materials=True), clerk, reasons="材料齐全")
    return app, clerk


def _nothing_stored(app):
    """Still only the proposal: no signature, the round open, the state unmoved,
    no audit event of a sign-off."""
    assert SignOff.objects.filter(approval__object_id=str(app.pk)).count() == 1
    assert Approval.objects.get(object_id=str(app.pk)).waiting_step == 1
    assert fresh(app).state == workflow.REVIEWING
    assert not AuditEvent.objects.filter(action="approval.sign").exists()


def test_the_page_refuses_the_clerk_signing_their_own_proposal(own_proposal, client):
    app, clerk = own_proposal
    client.force_login(clerk)
    with on(MON):
        response = client.post(reverse("permits:sign", args=[app.pk]),
                               {"agree": "1", "reasons": "同意"})
    assert response.status_code == 200
    assert OWN in response.content.decode()
    _nothing_stored(app)


def test_the_api_refuses_the_clerk_signing_their_own_proposal(own_proposal, client):
    app, clerk = own_proposal
    token = client.post(reverse("api-token"), {"username": clerk.username,
                                               "password": PASSWORD}).json()["token"]
    with on(MON):
        response = client.post(
            reverse("api-permit-application-action", args=[app.pk, "sign"]),
            {"agree": "1", "reasons": "同意"}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
    assert OWN in response.json()["detail"][0]
    _nothing_stored(app)


def test_the_command_refuses_the_clerk_signing_their_own_proposal(own_proposal):
    app, clerk = own_proposal
    with on(MON), pytest.raises(CommandError, match=OWN):
        call_command("permit", "act", str(app.pk), "sign", "--user", clerk.username,
                     "--field", "agree=1", "--field", "reasons=同意",
                     stdout=StringIO())
    _nothing_stored(app)


# --- the API and the command line take the chain through --------------------------


def _token(client, username):
    return client.post(reverse("api-token"), {"username": username,
                                              "password": PASSWORD}).json()["token"]


def test_the_api_proposes_and_signs_through_the_chain(accepted, people, client):
    app = accepted(materials=True)

    def act(username, action, data):
        with on(MON):
            return client.post(
                reverse("api-permit-application-action", args=[app.pk, action]),
                data, HTTP_AUTHORIZATION=f"Token {_token(client, username)}")

    assert act("xt_clerk", "propose", {"decision": "approve",
                                       "reasons": "材料齐全"}).json()["state"] \
        == workflow.REVIEWING
    # The principal may not skip the section head; another county's head sees nothing.
    skipped = act("xt_principal", "sign", {"agree": "1"})
    assert skipped.status_code == 403 and "科室负责人" in skipped.json()["detail"][0]
    assert act("xx_sectionhead", "sign", {"agree": "1"}).status_code == 404
    assert act("xt_sectionhead", "sign", {"agree": "1", "reasons": "同意报批"}
               ).json()["state"] == workflow.SIGNING
    refused = act("xt_principal", "sign", {"agree": "0"})
    assert refused.status_code == 400 and "须写明理由" in str(refused.json())
    done = act("xt_principal", "sign", {"agree": "1"}).json()
    assert done["state"] == workflow.SIGNED
    [round_] = done["rounds"]
    assert [(s["label"], s["opinion_label"], s["signed_by"])
            for s in round_["signoffs"]] == [
        ("承办", "拟办", str(people.xt_clerk)),
        ("审核", "同意", str(people.xt_sectionhead)),
        ("批准", "同意", str(people.xt_principal))]
    detail = client.get(reverse("api-permit-application", args=[app.pk]),
                        HTTP_AUTHORIZATION=f"Token {_token(client, 'xt_clerk')}")
    assert detail.json()["rounds"] == done["rounds"]


def test_the_command_proposes_signs_and_sends_back(accepted, people):
    app = accepted(materials=True)

    def act(username, action, *fields):
        out = StringIO()
        with on(MON):
            call_command("permit", "act", str(app.pk), action, "--user", username,
                         *[a for f in fields for a in ("--field", f)], stdout=out)
        return out.getvalue()

    assert "已提出承办意见，待审核" in act("xt_clerk", "propose", "decision=approve",
                                           "reasons=材料齐全")
    assert "已签署同意" in act("xt_sectionhead", "sign", "agree=1")
    with pytest.raises(CommandError, match="须写明理由"):
        act("xt_principal", "sign", "agree=0")
    assert "退回承办人" in act("xt_principal", "sign", "agree=0",
                              "reasons=请补充现场踏勘照片")
    assert fresh(app).state == workflow.ACCEPTED
    with pytest.raises(CommandError, match="不存在或不在"):
        act("xx_sectionhead", "sign", "agree=1")
    out = StringIO()
    call_command("permit", "show", str(app.pk), "--user", "xt_clerk", stdout=out)
    assert app.number in out.getvalue()

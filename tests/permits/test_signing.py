"""The permit decision's sign-offs: the clerk proposes, the section head reviews,
the principal approves, and only then is the decision issued — on every path."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from fazhi.core import services as core_services
from fazhi.core.evidence import evidence_open
from fazhi.core.models import Approval, ApprovalState, Instrument, Notification
from fazhi.core.roles import Role
from fazhi.core.ruledata import RuleFileError
from fazhi.permits import services, workflow
from fazhi.permits.models import Application
from fazhi.permits.services import signing
from tests.permits.conftest import MON, fresh, on

D = dt.date
BUREAU_CHAIN = '''[law]
name = "中华人民共和国行政许可法"
version = "2019年修正"
source = "本局审批制度"
standing = "bureau"

[[chain]]
code = "permit.decision.rural_planning"
label = "乡村建设规划许可审批（本局）"
article = "第三十七条"
steps = [
  { code = "undertake", label = "承办", role = "window_clerk" },
  { code = "review", label = "审核", role = "section_head" },
]
'''


def propose(app, actor, decision="approve", reasons=""):
    with on(MON):
        return signing.application_propose(application=app, actor=actor,
                                           decision=decision, reasons=reasons)


def sign(app, actor, agree=True, reasons=""):
    with on(MON):
        return signing.application_sign(application=fresh(app), actor=actor,
                                         agree=agree, reasons=reasons)


def bureau_rules(settings, tmp_path, text: str) -> None:
    folder = tmp_path / "rules" / "permits"
    folder.mkdir(parents=True)
    (folder / "approvals.toml").write_text(text, encoding="utf-8")
    stamp = (folder.stat().st_mtime_ns + 10**9,) * 2
    os.utime(folder, ns=stamp)  # no clock tick hides the new file from the cache
    settings.RULES_DIRS = [tmp_path / "rules"]


def docx_text(instrument) -> str:
    with evidence_open(instrument.evidence) as f:
        doc = Document(f)
    return "\n".join(Paragraph(p, None).text for p in doc.element.body.iter(qn("w:p")))


# --- the chain, from the rule data ---------------------------------------------------


def test_the_clerks_proposal_waits_on_the_section_head_then_the_principal(
        accepted, people):
    app = accepted(materials=True)
    app = propose(app, people.xt_clerk, reasons="材料齐全，符合村庄规划")
    assert app.state == workflow.REVIEWING
    assert workflow.TABLE.waits_on(app.state) == Role.SECTION_HEAD
    app = sign(app, people.xt_sectionhead)
    assert app.state == workflow.SIGNING
    assert workflow.TABLE.waits_on(app.state) == Role.PRINCIPAL
    app = sign(app, people.xt_principal)
    assert app.state == workflow.SIGNED
    assert workflow.TABLE.waits_on(app.state) == Role.WINDOW_CLERK


def test_a_kind_whose_chain_stops_at_review_is_done_after_the_section_head(
        accepted, people):
    app = propose(accepted("red_line", materials=True), people.xt_clerk)
    assert sign(app, people.xt_sectionhead).state == workflow.SIGNED


def test_a_bureau_override_changes_a_kinds_chain_without_code(
        accepted, people, settings, tmp_path):
    bureau_rules(settings, tmp_path, BUREAU_CHAIN)
    rural = propose(accepted(materials=True), people.xt_clerk)
    assert sign(rural, people.xt_sectionhead).state == workflow.SIGNED
    # Another kind keeps the shipped chain, principal included.
    other = propose(accepted("construction_planning", materials=True),
                    people.xt_clerk)
    assert sign(other, people.xt_sectionhead).state == workflow.SIGNING


def test_a_round_keeps_the_steps_it_was_proposed_with(accepted, people, settings,
                                                      tmp_path):
    app = propose(accepted(materials=True), people.xt_clerk)
    bureau_rules(settings, tmp_path, BUREAU_CHAIN)  # changed while under review
    assert sign(app, people.xt_sectionhead).state == workflow.SIGNING


def test_a_bureau_chain_the_states_cannot_follow_is_refused_naming_file_and_code(
        accepted, people, settings, tmp_path):
    bureau_rules(settings, tmp_path, BUREAU_CHAIN.replace("section_head",
                                                          "principal"))
    app = accepted(materials=True)
    with pytest.raises(RuleFileError, match="第2步“审核”须由科室负责人签署") as error:
        propose(app, people.xt_clerk)
    assert error.value.key == "permit.decision.rural_planning"
    assert error.value.path == tmp_path / "rules" / "permits" / "approvals.toml"
    assert fresh(app).state == workflow.ACCEPTED


# --- independence and scope ----------------------------------------------------------


def test_the_clerk_cannot_sign_their_own_proposal_even_as_section_head(
        accepted, people):
    clerk = people.xt_clerk
    core_services.user_grant_role(user=clerk, role=Role.SECTION_HEAD, actor=None)
    clerk = type(clerk).objects.get(pk=clerk.pk)
    app = propose(accepted(materials=True), clerk)
    with pytest.raises(PermissionDenied, match="须由他人签署"):
        sign(app, clerk)
    assert fresh(app).state == workflow.REVIEWING


def test_another_countys_section_head_cannot_sign(accepted, people):
    app = propose(accepted(materials=True), people.xt_clerk)
    with pytest.raises(PermissionDenied):
        sign(app, people.xx_sectionhead)
    assert fresh(app).state == workflow.REVIEWING


def test_the_principal_cannot_skip_the_section_head(accepted, people):
    app = propose(accepted(materials=True), people.xt_clerk)
    with pytest.raises(PermissionDenied, match="科室负责人"):
        sign(app, people.xt_principal)
    assert fresh(app).state == workflow.REVIEWING


# --- refusal ------------------------------------------------------------------------


def test_a_refusal_returns_to_the_clerk_with_the_reason(accepted, people, client):
    app = propose(accepted(materials=True), people.xt_clerk)
    sign(app, people.xt_sectionhead)
    with pytest.raises(ValidationError) as error:
        sign(app, people.xt_principal, agree=False)
    assert "须写明理由" in error.value.message_dict["reasons"][0]
    app = sign(app, people.xt_principal, agree=False,
               reasons="选址位于永久基本农田，应拟不予许可")
    assert app.state == workflow.ACCEPTED
    assert workflow.TABLE.waits_on(app.state) == Role.WINDOW_CLERK
    note = Notification.objects.get(user=people.xt_clerk)
    assert "选址位于永久基本农田" in note.message
    client.force_login(people.xt_clerk)
    page = client.get(app.get_absolute_url()).content.decode()
    assert "审批已退回承办人：批准不同意" in page and "选址位于永久基本农田" in page
    assert reverse("permits:propose", args=[app.pk]) in page
    # The clerk proposes again: a second round, through the whole chain again.
    app = propose(app, people.xt_clerk, "refuse", "选址位于永久基本农田")
    assert app.state == workflow.REVIEWING
    assert [r.round for r in signing.decision_rounds(app)] == [1, 2]


# --- the decision only after the chain ----------------------------------------------


@pytest.mark.parametrize("stage", ["accepted", "reviewing", "signing"])
def test_the_decision_cannot_be_issued_before_the_chain_completes(
        accepted, people, stage):
    app = accepted(materials=True)
    if stage != "accepted":
        app = propose(app, people.xt_clerk)
    if stage == "signing":
        app = sign(app, people.xt_sectionhead)
    for issue in (services.application_approve, services.application_refuse):
        with on(MON), pytest.raises(ValidationError) as error:
            issue(application=fresh(app), actor=people.xt_clerk, decided_on=MON)
        assert "不能" in error.value.message_dict["state"][0]
    row = fresh(app)
    assert row.state == stage and row.decided_on is None
    assert row.certificate_clock is None
    with on(MON), pytest.raises(ValidationError):
        services.certificate_issue(application=row, actor=people.xt_clerk,
                                   issued_on=MON)


def test_the_decision_follows_what_the_chain_signed(accepted, people, signed):
    app = signed(accepted(materials=True), "refuse", "不符合村庄规划")
    with on(MON), pytest.raises(ValidationError) as error:
        services.application_approve(application=app, actor=people.xt_clerk,
                                     decided_on=MON)
    assert "不能作出准予许可决定" in error.value.message_dict["state"][0]
    with on(MON):
        app = services.application_refuse(application=app, actor=people.xt_clerk,
                                          decided_on=MON)
    assert app.state == workflow.REFUSED and app.reasons == "不符合村庄规划"


def test_the_approval_form_prints_the_chain(accepted, people, decided):
    app = decided(accepted(materials=True))
    form = Instrument.objects.get(kind="permits.approval_form", object_id=str(app.pk))
    assert form.title == "行政许可审批表"
    text = docx_text(form)
    for words in ("承办：拟准予许可", "审核：同意", "批准：同意", "承办 → 审核 → 批准",
                  str(people.xt_clerk), str(people.xt_sectionhead),
                  str(people.xt_principal), "准予许可", "行政许可法"):
        assert words in text, words


def test_a_withdrawal_during_review_ends_the_round(accepted, people):
    app = propose(accepted(materials=True), people.xt_clerk)
    with on(MON):
        services.application_withdraw(application=fresh(app), actor=people.xt_clerk,
                                      reason="申请人书面撤回", withdrawn_on=MON)
    assert Approval.objects.get().state == ApprovalState.ENDED
    with pytest.raises(ValidationError):
        sign(app, people.xt_sectionhead)


# --- pages --------------------------------------------------------------------------


def test_the_sign_off_form_shows_on_the_page_only_for_whose_turn_it_is(
        accepted, people, client):
    app = propose(accepted(materials=True), people.xt_clerk, reasons="符合规划")
    sign_url = reverse("permits:sign", args=[app.pk])
    for persona, shown in (("xt_sectionhead", True), ("xt_principal", False),
                           ("xt_clerk", False)):
        client.force_login(people[persona])
        page = client.get(app.get_absolute_url()).content.decode()
        assert (sign_url in page) == shown, persona
        assert "拟准予许可" in page and "待科室负责人签署" in page
    client.force_login(people.xt_sectionhead)
    board = client.get(reverse("permits:board")).content.decode()
    assert "待我签署" in board and app.number in board
    response = client.post(sign_url, {"agree": "1", "reasons": "同意报批"})
    assert response.status_code == 302
    assert fresh(app).state == workflow.SIGNING
    client.force_login(people.xt_principal)
    page = client.get(app.get_absolute_url()).content.decode()
    assert sign_url in page and "同意报批" in page


def test_the_clerk_signing_their_own_proposal_on_the_page_is_refused(
        accepted, people, client):
    clerk = people.xt_clerk
    core_services.user_grant_role(user=clerk, role=Role.SECTION_HEAD, actor=None)
    app = propose(accepted(materials=True), type(clerk).objects.get(pk=clerk.pk))
    client.force_login(clerk)
    page = client.get(app.get_absolute_url()).content.decode()
    assert reverse("permits:sign", args=[app.pk]) not in page
    response = client.post(reverse("permits:sign", args=[app.pk]), {"agree": "1"})
    assert response.status_code == 200
    assert "须由他人签署" in response.content.decode()
    assert fresh(app).state == workflow.REVIEWING


def test_the_decision_page_refuses_before_the_chain_completes(accepted, people,
                                                              client):
    app = propose(accepted(materials=True), people.xt_clerk)
    client.force_login(people.xt_clerk)
    with on(MON):
        response = client.post(reverse("permits:approve", args=[app.pk]),
                               {"on": "2025-09-01"})
    assert response.status_code == 200
    assert "不能准予许可" in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == workflow.REVIEWING


def test_a_disagreement_on_the_page_needs_reasons(accepted, people, client):
    app = propose(accepted(materials=True), people.xt_clerk)
    client.force_login(people.xt_sectionhead)
    response = client.post(reverse("permits:sign", args=[app.pk]), {"agree": "0"})
    assert response.status_code == 200
    assert "须写明理由" in response.content.decode()
    assert fresh(app).state == workflow.REVIEWING

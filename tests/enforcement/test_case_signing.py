"""The principal's approvals of a case are sign-offs (core.approvals): proposed by
an officer, signed by the principal, never by the proposer, a refusal back with the
officer; the approval forms print who signed, when and what."""

from __future__ import annotations

import os
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from fazhi.core import services as core_services
from fazhi.core.evidence import evidence_open
from fazhi.core.models import ApprovalState, Notification
from fazhi.core.roles import Role
from fazhi.core.ruledata import RuleFileError
from fazhi.enforcement.cases import services, workflow
from fazhi.enforcement.cases.documents import case_document_issue
from fazhi.enforcement.cases.services import signing
from fazhi.enforcement.models import Case, CaseState
from fazhi.work.items import items_mine
from tests.enforcement.conftest import DECIDED_ON, MON, noticed, on

FIELDS = dict(violation_type="illegal_occupation", party_name="李四",
              party_kind="person", facts_summary="未经批准占用集体土地建房",
              location="湘潭县某镇某村", area_m2=Decimal("66.67"),
              land_class="farmland")


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def file_by(actor, people):
    with on(MON):
        return services.case_file(actor=actor, officers=[people.xt_officer,
                                                         people.xt_officer2],
                                  **FIELDS)


def docx_text(instrument) -> str:
    with evidence_open(instrument.evidence) as f:
        doc = Document(f)
    return "\n".join(Paragraph(p, None).text for p in doc.element.body.iter(qn("w:p")))


def titles(user) -> list[str]:
    return [i.title for i in items_mine(type(user).objects.get(pk=user.pk)).first(100)]


@pytest.fixture
def officer_principal(people):
    """The principal who also holds an officer's badge: may file, never sign it."""
    core_services.user_grant_role(user=people.xt_principal,
                                  role=Role.ENFORCEMENT_OFFICER, actor=None,
                                  badge_number="43030077")
    return type(people.xt_principal).objects.get(pk=people.xt_principal.pk)


def test_the_filing_is_proposed_signed_and_printed_on_the_approval_form(people):
    case = file_by(people.xt_officer, people)
    [proposed] = signing.approval_rounds(case, signing.FILING)
    assert proposed.state == ApprovalState.OPEN
    assert proposed.waiting_role_label == "负责人"
    assert f"审批立案：{case.number}" in titles(people.xt_principal)
    with on(MON):
        case = services.case_approve_filing(case=case, actor=people.xt_principal,
                                            reasons="请依法调查")
        form = case_document_issue(case=case, kind="filing_approval",
                                   actor=people.xt_officer)
    [signed] = signing.approval_rounds(case, signing.FILING)
    assert signed.state == ApprovalState.APPROVED
    assert [(s.label, s.signed_by) for s in signed.signoffs.all()] == [
        ("承办", people.xt_officer), ("批准", people.xt_principal)]
    text = docx_text(form)
    assert "同意立案。请依法调查。" in text
    assert f"负责人：{people.xt_principal}　日期：2025年9月1日" in text
    assert f"审批立案：{case.number}" not in titles(people.xt_principal)


def test_the_principal_who_filed_cannot_sign_the_filing(people, officer_principal):
    case = file_by(officer_principal, people)
    with on(MON), pytest.raises(PermissionDenied, match="须由他人签署"):
        services.case_approve_filing(case=case, actor=officer_principal)
    with on(MON), pytest.raises(PermissionDenied, match="须由他人签署"):
        services.case_reject_filing(case=case, actor=officer_principal, reason="不立")
    assert fresh(case).state == CaseState.FILING_PENDING


def test_signing_ones_own_filing_is_refused_on_the_page_the_api_and_the_cli(
        people, officer_principal, client):
    case = file_by(officer_principal, people)
    client.force_login(officer_principal)
    with on(MON):
        page = client.post(reverse("enforcement:case_approve_filing",
                                   args=[case.pk]), {"confirm": "on"})
        api = client.post(reverse("api-enforcement-case-action",
                                  args=[case.pk, "approve_filing"]),
                          {"confirm": "on"})
    assert page.status_code == 200 and "须由他人签署" in page.content.decode()
    assert api.status_code == 403 and "须由他人签署" in str(api.json())
    with on(MON), pytest.raises(CommandError, match="须由他人签署"):
        call_command("case", "act", str(case.pk), "approve_filing",
                     "--user", officer_principal.username,
                     "--field", "confirm=on", stdout=StringIO())
    assert fresh(case).state == CaseState.FILING_PENDING
    # Another principal's signature is still waited for, and accepted.
    assert signing.approval_rounds(case, signing.FILING)[0].state == ApprovalState.OPEN


def test_a_refused_filing_is_not_filed_and_the_officer_is_told_why(people):
    case = file_by(people.xt_officer, people)
    with on(MON):
        case = services.case_reject_filing(case=case, actor=people.xt_principal,
                                           reason="占地系经批准的设施农业用地")
    assert case.state == CaseState.FILING_REJECTED
    [refused] = signing.approval_rounds(case, signing.FILING)
    assert refused.state == ApprovalState.RETURNED
    note = Notification.objects.get(user=people.xt_officer, kind="decision")
    assert "占地系经批准的设施农业用地" in note.message
    with on(MON):
        form = case_document_issue(case=case, kind="filing_approval",
                                   actor=people.xt_officer)
    assert "不同意立案，不予立案。占地系经批准的设施农业用地。" in docx_text(form)


def test_a_refused_termination_goes_back_to_the_officer_with_the_reason(
        people, filed, client):
    case = filed()
    with on(MON):
        services.case_propose_termination(case=case, actor=people.xt_officer,
                                          reason="当事人已取得用地批准")
    assert fresh(case).state == CaseState.TERMINATION_PENDING
    assert f"审批终止调查：{case.number}" in titles(people.xt_principal)
    with on(MON), pytest.raises(ValidationError, match="须写明理由"):
        services.case_terminate(case=fresh(case), actor=people.xt_principal,
                                agree=False)
    with on(MON):
        services.case_terminate(case=fresh(case), actor=people.xt_principal,
                                agree=False, reasons="批准文件不涉及本宗土地，继续调查")
    case = fresh(case)
    assert case.state == CaseState.FILED
    assert f"调查取证：{case.number}" in titles(people.xt_officer)
    note = Notification.objects.get(user=people.xt_officer, kind="decision")
    assert "批准文件不涉及本宗土地" in note.message
    client.force_login(people.xt_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "终止调查审批已退回承办人：批准不同意" in page
    assert "批准文件不涉及本宗土地" in page
    # Proposed again, and approved: the grounds are the officer's.
    with on(MON):
        services.case_propose_termination(case=case, actor=people.xt_officer,
                                          reason="当事人已自行拆除并退还土地")
        services.case_terminate(case=fresh(case), actor=people.xt_principal)
    case = fresh(case)
    assert case.state == CaseState.TERMINATED
    assert case.end_reason == "当事人已自行拆除并退还土地"
    assert [r.round for r in signing.approval_rounds(case, signing.TERMINATION)] \
        == [1, 2]


def test_the_closure_is_proposed_signed_and_printed(people, decided):
    from fazhi.enforcement.cases import execution

    case = decided(served=True)
    PAID = DECIDED_ON
    with on(PAID):
        execution.case_record_payment(case=case, actor=people.xt_officer,
                                      paid_on=PAID)
    with on(PAID), pytest.raises(ValidationError, match="没有待签署的结案审批"):
        services.case_close(case=fresh(case), actor=people.xt_principal)
    with on(PAID):
        services.case_propose_closure(case=fresh(case), actor=people.xt_officer)
    with on(PAID), pytest.raises(PermissionDenied):  # not the officer's to sign
        services.case_close(case=fresh(case), actor=people.xt_officer)
    with on(PAID):
        services.case_close(case=fresh(case), actor=people.xt_principal)
        form = case_document_issue(case=fresh(case), kind="closure_approval",
                                   actor=people.xt_officer)
    assert fresh(case).state == CaseState.CLOSED
    text = docx_text(form)
    assert "同意结案。" in text and f"负责人：{people.xt_principal}" in text


def test_a_refused_discussion_returns_to_where_the_case_was(people, filed, client):
    case = noticed(filed(), people.xt_officer, "20000")
    with on(DECIDED_ON):
        services.case_submit_review(case=case, actor=people.xt_officer)
        services.case_review(case=case, actor=people.xt_reviewer, passed=True,
                             opinion="事实清楚，证据确凿")
        services.case_submit_discussion(case=fresh(case), actor=people.xt_officer)
        client.force_login(people.xt_principal)
        response = client.post(
            reverse("enforcement:case_hold_collective_discussion", args=[case.pk]),
            {"minutes": "局务会讨论", "agree": "0", "reasons": "罚款数额须重新核算"})
    assert response.status_code == 302
    assert fresh(case).state == CaseState.REVIEW_PASSED
    assert not services.case_facts(fresh(case)).collective_discussion_held


def test_a_bureau_chain_with_a_step_the_case_cannot_wait_in_is_refused(
        people, settings, tmp_path):
    folder = tmp_path / "rules" / "enforcement"
    folder.mkdir(parents=True)
    (folder / "approvals.toml").write_text(
        '[law]\nname = "自然资源行政处罚办法"\nversion = "2024年"\n'
        'source = "本局"\n\n[[chain]]\ncode = "enforcement.filing"\n'
        'label = "立案审批"\narticle = "第十六条"\nsteps = [\n'
        '  { code = "undertake", label = "承办", role = "enforcement_officer" },\n'
        '  { code = "review", label = "审核", role = "section_head" },\n'
        '  { code = "approve", label = "批准", role = "principal" },\n]\n',
        encoding="utf-8")
    stamp = (folder.stat().st_mtime_ns + 10**9,) * 2
    os.utime(folder, ns=stamp)
    settings.RULES_DIRS = [tmp_path / "rules"]
    with pytest.raises(RuleFileError, match="最多2步") as error:
        file_by(people.xt_officer, people)
    assert error.value.key == "enforcement.filing"
    assert not Case.objects.exists()


def test_every_chain_the_case_follows_is_officer_then_principal():
    for code in workflow.CHAIN_ACTIONS:
        chain = signing.RULES[code].chain()
        assert chain.roles == (Role.ENFORCEMENT_OFFICER, Role.PRINCIPAL), code


def test_a_discussion_voided_by_a_return_to_investigation_is_proposed_again(
        people, filed):
    import datetime as dt

    case = noticed(filed(), people.xt_officer, "20000")
    officer, later = people.xt_officer, dt.date(2025, 9, 24)
    with on(DECIDED_ON):
        services.case_submit_review(case=case, actor=officer)
        services.case_review(case=case, actor=people.xt_reviewer, passed=True,
                             opinion="事实清楚，证据确凿")
        services.case_submit_discussion(case=fresh(case), actor=officer)
        services.case_hold_collective_discussion(case=fresh(case),
                                                 actor=people.xt_principal,
                                                 minutes="同意")
        services.case_reinvestigate(case=fresh(case), actor=officer,
                                    reason="当事人提交新证据")
        services.case_serve_notice(case=fresh(case), actor=officer,
                                   fine_proposed=Decimal("20000"),
                                   served_on=DECIDED_ON)
    with on(later):
        services.case_submit_review(case=fresh(case), actor=officer)
        services.case_review(case=fresh(case), actor=people.xt_reviewer, passed=True,
                             opinion="事实清楚，证据确凿")
        services.case_submit_discussion(case=fresh(case), actor=officer)
    rounds = signing.approval_rounds(case, signing.DISCUSSION)
    assert [(r.round, r.state) for r in rounds] == [
        (1, ApprovalState.APPROVED), (2, ApprovalState.OPEN)]
    assert fresh(case).state == CaseState.DISCUSSION_PENDING

"""The sign-off kit on a real matter (a permit application): rounds, independence,
scope, a refusal back to the proposer, the audit chain, one signature a step."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fazhi.core import services as core_services
from fazhi.core.approvals import (
    ChainRule,
    approval_latest,
    approval_propose,
    approval_rounds,
    approval_sign,
    approval_turn,
)
from fazhi.core.audit import verify
from fazhi.core.models import (
    ApprovalState,
    AuditEvent,
    Notification,
    Opinion,
    SignOff,
)
from fazhi.core.roles import Role
from tests.permits.conftest import accepted, clerk, kinds, registered  # noqa: F401

RULE = ChainRule("permits", "permit.decision")


@pytest.fixture
def app(accepted):  # noqa: F811 (the permit tests' fixture, imported above)
    return accepted(materials=True)


def propose(app, actor, **extra):
    return approval_propose(matter=app, rule=RULE, actor=actor, proposal="approve",
                            proposal_label="拟准予许可", variant=app.kind.code,
                            **extra)


def sign(app, actor, agree=True, reasons=""):
    return approval_sign(matter=app, rule=RULE, actor=actor, agree=agree,
                         reasons=reasons)


def test_a_round_records_who_signed_which_step_when_and_the_opinion(app, people):
    approval = propose(app, people.xt_clerk, reasons="材料齐全，符合村庄规划")
    assert approval.round == 1 and approval.state == ApprovalState.OPEN
    assert [s["label"] for s in approval.steps] == ["承办", "审核", "批准"]
    assert approval.waiting["label"] == "审核"
    assert approval.waiting_role_label == "科室负责人"
    sign(app, people.xt_sectionhead, reasons="同意报批")
    done = sign(app, people.xt_principal).approval
    assert done.state == ApprovalState.APPROVED and done.waiting is None
    rows = list(done.signoffs.all())
    assert [(s.label, s.signed_by, s.opinion) for s in rows] == [
        ("承办", people.xt_clerk, Opinion.PROPOSE),
        ("审核", people.xt_sectionhead, Opinion.AGREE),
        ("批准", people.xt_principal, Opinion.AGREE)]
    assert rows[0].reasons == "材料齐全，符合村庄规划"
    assert all(s.signed_at for s in rows)
    assert "行政许可法" in done.basis


def test_each_signature_is_in_the_audit_chain(app, people):
    propose(app, people.xt_clerk)
    sign(app, people.xt_sectionhead)
    events = AuditEvent.objects.filter(object_id=str(app.pk),
                                       action__startswith="approval.")
    assert [e.action for e in events.order_by("seq")] == ["approval.propose",
                                                          "approval.sign"]
    assert "审核意见 同意" in events.order_by("seq").last().payload
    assert verify().ok


def test_nobody_signs_their_own_proposal_even_holding_the_next_role(app, people):
    proposer = people.xt_clerk
    core_services.user_grant_role(user=proposer, role=Role.SECTION_HEAD, actor=None)
    proposer = type(proposer).objects.get(pk=proposer.pk)
    propose(app, proposer)
    assert approval_turn(app, RULE, proposer) is None  # no form offered either
    assert approval_turn(app, RULE, people.xt_sectionhead).label == "审核"
    with pytest.raises(PermissionDenied, match="须由他人签署"):
        sign(app, proposer)
    assert approval_latest(app, RULE).waiting_step == 1


def test_nobody_signs_a_later_step_after_signing_an_earlier_one(app, people):
    head = people.xt_sectionhead
    core_services.user_grant_role(user=head, role=Role.PRINCIPAL, actor=None)
    head = type(head).objects.get(pk=head.pk)
    propose(app, people.xt_clerk)
    sign(app, head)
    with pytest.raises(PermissionDenied, match="须由他人签署"):
        sign(app, head)


def test_steps_go_in_order_each_by_its_role(app, people):
    propose(app, people.xt_clerk)
    with pytest.raises(PermissionDenied, match="“审核”须由科室负责人签署"):
        sign(app, people.xt_principal)
    assert not SignOff.objects.filter(step__gt=0).exists()


def test_another_bureaus_signer_is_refused(app, people):
    propose(app, people.xt_clerk)
    assert approval_turn(app, RULE, people.xx_sectionhead) is None
    with pytest.raises(PermissionDenied, match="湘潭县自然资源局"):
        sign(app, people.xx_sectionhead)
    with pytest.raises(PermissionDenied):
        propose(app, people.xx_clerk)
    assert approval_latest(app, RULE).waiting_step == 1


def test_a_disagreement_needs_reasons_and_returns_the_round_to_the_proposer(
        app, people):
    propose(app, people.xt_clerk)
    sign(app, people.xt_sectionhead)
    with pytest.raises(ValidationError, match="须写明理由"):
        sign(app, people.xt_principal, agree=False, reasons=" ")
    returned = sign(app, people.xt_principal, agree=False,
                    reasons="现场核查与规划图不符").approval
    assert returned.state == ApprovalState.RETURNED and returned.waiting is None
    note = Notification.objects.get(user=people.xt_clerk)
    assert "批准不同意" in note.message and "现场核查与规划图不符" in note.message
    assert note.link == app.get_absolute_url()
    with pytest.raises(ValidationError, match="已退回承办人"):
        sign(app, people.xt_principal)


def test_after_a_return_the_proposer_starts_a_new_round(app, people):
    propose(app, people.xt_clerk)
    sign(app, people.xt_sectionhead, agree=False, reasons="缺现场照片")
    second = propose(app, people.xt_clerk, reasons="已补现场照片")
    assert second.round == 2
    # The section head who refused round 1 signs round 2: independence is per round.
    sign(app, people.xt_sectionhead)
    rounds = approval_rounds(app, RULE)
    assert [(r.round, r.state) for r in rounds] == [
        (1, ApprovalState.RETURNED), (2, ApprovalState.OPEN)]
    with pytest.raises(ValidationError, match="不能重复提出"):
        propose(app, people.xt_clerk)


def test_a_step_is_signed_once_even_by_two_racing_signers(app, people):
    approval = propose(app, people.xt_clerk)
    sign(app, people.xt_sectionhead)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.create(approval=approval, step=1, label="审核",
                               role=Role.SECTION_HEAD, opinion=Opinion.AGREE,
                               signed_by=people.xt_principal)

"""The permit decision's sign-offs: the clerk proposes, the section head reviews
(审核), the principal approves (批准) — the kind's chain in ``rules/approvals.toml``.

The clerk's approve or refuse is first a proposal (``application_propose``); each
signer agrees or disagrees (``application_sign``); the decision itself is issued
by the clerk only once the round is complete (``decision.application_approve`` /
``application_refuse``, whose table rows hold a guard on ``decision_facts``, and
which print the round on the 审批表, ``approval_form_issue``). The sign-offs are
``core.approvals``'; this stage keeps the application's state in step with them,
in the same transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from fazhi.core.approvals import (
    ChainRule,
    approval_complete,
    approval_end,
    approval_propose,
    approval_rounds,
    approval_sign,
    approval_turn,
)
from fazhi.core.chains import Chains, load_chains, misfit
from fazhi.core.instruments import date_cn
from fazhi.core.matters import advance, check
from fazhi.core.models import Approval, ApprovalState
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.ruledata import RuleFileError
from fazhi.permits import workflow as wf
from fazhi.permits.models import Application
from fazhi.permits.selectors import materials_missing
from fazhi.permits.services.common import err, issue_instrument
from fazhi.permits.workflow import TABLE

DECISION_CODE = "permit.decision"
PROPOSALS = {"approve": "拟准予许可", "refuse": "拟不予许可"}


def load_approvals(folders: tuple[Path, ...]) -> Chains:
    """The module's chains; a decision chain must follow the application's states
    (承办 by a clerk, 审核 by a section head, then optionally 批准 by the principal)."""
    chains = load_chains(folders)
    for code, chain in chains.items():
        if code == DECISION_CODE or code.startswith(DECISION_CODE + "."):
            if problem := misfit(chain, wf.CHAIN_POSITIONS):
                raise RuleFileError(f"{chain.path}：{problem}", path=chain.path,
                                    key=code)
    return chains


DECISION = ChainRule("permits", DECISION_CODE, load_approvals)


def decision_chain(app: Application):
    """The chain the application's kind needs before its decision is issued."""
    return decision_chain_of(app.kind)


def decision_chain_of(kind):
    """The chain a permit kind's decisions need (its own, else the default)."""
    return DECISION.chain(kind.code)


def decision_rounds(app: Application) -> list[Approval]:
    """Every round of sign-offs on the application, oldest first."""
    return approval_rounds(app, DECISION)


def sign_turn(app: Application, actor):
    """The step ``actor`` may sign now (审核 or 批准), or None: the page offers the
    form only to whoever's turn it is."""
    return approval_turn(app, DECISION, actor)


def decision_facts(app: Application) -> wf.DecisionFacts:
    """What the decision rows of the table check: the round complete, and what it
    proposed."""
    done = approval_complete(app, DECISION)
    return wf.DecisionFacts(chain_complete=done is not None,
                            proposal=done.proposal if done else "")


def signed_reasons(app: Application) -> str:
    """The reasons the complete round's proposal gave (a refusal's reasons)."""
    done = approval_complete(app, DECISION)
    return done.signoffs.get(step=0).reasons if done else ""


def signers_printed(app: Application) -> list[str]:
    """The signers of the complete round as a decision or certificate prints them,
    in one line: 承办人：张三（2025年9月1日）　审核人：李四（…）　批准人：王五（…).

    Empty for a decision taken before sign-offs were recorded (an application
    decided before the chain existed): the line is left out rather than printed
    with names nobody signed.
    """
    done = approval_complete(app, DECISION)
    if done is None:
        return []
    return ["　".join(f"{s.label}人：{s.signed_by}（{date_cn(s.signed_on)}）"
                      for s in done.signoffs.select_related("signed_by"))]


def missing_materials(app: Application) -> list[str]:
    """Required materials neither provided nor waived."""
    return materials_missing(application=app)


def require_materials(app: Application, field: str) -> None:
    """Refuse an approval while a required material is missing."""
    if missing := missing_materials(app):
        raise err(field, "以下必需材料尚未提交，也未登记免于提交，不能准予许可："
                  f"{'、'.join(missing)}")


def application_propose(*, application: Application, actor, decision: str,
                        reasons: str = "") -> Application:
    """The clerk proposes to approve or refuse (承办意见); the section head is next."""
    require_role(actor, application, Role.WINDOW_CLERK)
    check(application, TABLE, "propose", actor)
    if decision not in PROPOSALS:
        raise err("decision", "请选择拟准予许可或拟不予许可")
    if decision == "approve":
        require_materials(application, "decision")
    elif not reasons.strip():
        raise err("reasons", "拟不予许可须说明理由（行政许可法第三十八条第二款）")
    chain = decision_chain(application)
    with transaction.atomic():
        approval_propose(matter=application, rule=DECISION, actor=actor,
                         proposal=decision, proposal_label=PROPOSALS[decision],
                         reasons=reasons, variant=application.kind.code)
        return advance(application, TABLE, "propose", actor,
                       summary=f"提出承办意见：{PROPOSALS[decision]}，报"
                               f"{'、'.join(s.label for s in chain.signers)}")


def application_sign(*, application: Application, actor, agree: bool,
                     reasons: str = "") -> Application:
    """The section head or the principal signs the step waiting: agree, and the
    next step waits (or the round is complete); disagree with reasons, and the
    application goes back to the clerk."""
    action = {wf.REVIEWING: "review", wf.SIGNING: "sign"}.get(application.state)
    if action is None:
        raise err("state", f"当前状态为“{TABLE.label(application.state)}”，没有待签署的审批")
    check(application, TABLE, action, actor)  # the role whose turn it is
    with transaction.atomic():
        signoff = approval_sign(matter=application, rule=DECISION, actor=actor,
                                agree=agree, reasons=reasons)
        state = signoff.approval.state
        if state == ApprovalState.RETURNED:
            action = "send_back"
        elif state == ApprovalState.APPROVED and action == "review":
            action = "review_final"
        word = "同意" if agree else "不同意"
        note = f"：{signoff.reasons}" if signoff.reasons else ""
        return advance(application, TABLE, action, actor,
                       summary=f"{signoff.label}意见：{word}{note}")


def decision_end(app: Application) -> None:
    """The application ended without a decision: a round still waiting stops."""
    approval_end(matter=app, rule=DECISION)


def approval_form_issue(app: Application, actor, decision: str):
    """Issue the 审批表: the application and the complete round of its sign-offs
    (who, when, opinion), with the decision taken."""
    done = decision_rounds(app)[-1]
    lines = [f"{s.label}：{s.get_opinion_display() if s.step else done.proposal_label}"
             f"{'。' + s.reasons if s.reasons else ''}"
             f"（{s.signer_name}，{s.signed_on}）" for s in done.signoffs.all()]
    return issue_instrument(app, actor, "permits.approval_form", signoffs=lines,
                            route=" → ".join(step["label"] for step in done.steps),
                            chain_basis=done.basis, decision=decision,
                            accepted_date=date_cn(app.accepted_on),
                            decided_date=date_cn(app.decided_on))

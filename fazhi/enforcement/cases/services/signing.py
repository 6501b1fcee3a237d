"""The principal's approvals of a case as sign-offs: the officer proposes (承办),
the principal signs (批准) — the chains of ``rules/approvals.toml``.

Four chains: the filing (立案审批), the heads' collective discussion (集体讨论),
the termination of the investigation (终止调查审批) and the closure (结案审批). The
officer's proposal starts a round (``core.approvals.approval_propose``) in the same
transaction as the move into the state waiting on the principal; the principal's
同意 is ``approval_sign`` and the row out of that state, in one transaction; a
不同意 (with reasons) ends the round, sends the case back to the state the proposal
left (``workflow.RETURNS``; the filing's is the decision not to file) and tells
the officer, whose 我的待办 lists the case again where the state waits on them.
Nobody signs their own proposal (``chains.judge``), on every path.

The case's states follow the chain's steps, so a chain here is 承办 → 批准 and no
longer: a bureau's file that adds a step is refused on load, naming the file.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core.approvals import (
    ChainRule,
    approval_end,
    approval_latest,
    approval_propose,
    approval_rounds,
    approval_sign,
)
from fazhi.core.chains import Chains, load_chains, misfit
from fazhi.core.models import Approval, ApprovalState, SignOff
from fazhi.core.ruledata import RuleFileError
from fazhi.enforcement.cases import workflow
from fazhi.enforcement.cases.services.facts import advance, check
from fazhi.enforcement.models import Case


def load_approvals(folders: tuple[Path, ...]) -> Chains:
    """The module's chains; those the case's states follow must be 承办 (an
    officer) → 批准 (the principal)."""
    chains = load_chains(folders)
    for code in workflow.CHAIN_ACTIONS:
        chain = chains.get(code)
        if chain is None:
            continue
        problem = misfit(chain, workflow.CHAIN_POSITIONS)
        if not problem and len(chain.steps) < len(workflow.CHAIN_POSITIONS):
            problem = f"审批流程“{code}”须由负责人批准（最后一步）"
        if problem:
            raise RuleFileError(f"{chain.path}：{problem}", path=chain.path, key=code)
    return chains


FILING = ChainRule("enforcement", "enforcement.filing", load_approvals)
DISCUSSION = ChainRule("enforcement", "enforcement.collective_discussion",
                       load_approvals)
TERMINATION = ChainRule("enforcement", "enforcement.termination", load_approvals)
CLOSURE = ChainRule("enforcement", "enforcement.closure", load_approvals)
RULES = {rule.code: rule for rule in (FILING, DISCUSSION, TERMINATION, CLOSURE)}


def propose(case: Case, rule: ChainRule, actor, action: str, *, proposal: str,
            label: str, reasons: str = "", **fields) -> Approval:
    """The officer proposes: a round of ``rule`` starts and the case moves through
    ``action`` into the state waiting on the principal (inside the caller's
    transaction, or its own)."""
    check(case, action, actor)
    with transaction.atomic():
        # The table only opens the proposal where an earlier complete round no
        # longer counts (a discussion before a return to investigation).
        approval = approval_propose(matter=case, rule=rule, actor=actor,
                                    proposal=proposal, proposal_label=label,
                                    reasons=reasons, lapsed=True)
        advance(case, action, actor, note=reasons.strip(), **fields)
    return approval


def sign(case: Case, rule: ChainRule, actor, *, agree: bool, reasons: str = "",
         facts: dict | None = None, note: str = "", refused: dict | None = None,
         **fields) -> SignOff:
    """The principal signs the round waiting: 同意 moves the case on (the chain's
    action, storing ``fields``), 不同意 sends it back (``returns``, storing
    ``refused``). One transaction, or the caller's."""
    action, waiting = workflow.CHAIN_ACTIONS[rule.code]
    if case.state != waiting:
        raise ValidationError({"state": f"当前状态为“{workflow.TABLE.label(case.state)}”"
                                        f"，没有待签署的{rule.chain().label}"})
    back = action if agree else returns(case, rule)
    check(case, back, actor, **(facts or {}))
    with transaction.atomic():
        signoff = approval_sign(matter=case, rule=rule, actor=actor, agree=agree,
                                reasons=reasons)
        text = "\n".join(t for t in (note.strip(), reasons.strip()) if t)
        advance(case, back, actor, approver=actor, note=text, facts=facts,
                **(fields if agree else refused or {}))
    return signoff


def returns(case: Case, rule: ChainRule) -> str:
    """The row a 不同意 takes: the filing's is 不予立案; the others go back to the
    state the proposal left."""
    if rule is FILING:
        return "reject_filing"
    _, waiting = workflow.CHAIN_ACTIONS[rule.code]
    step = case.steps.filter(state_after=waiting).order_by("-pk").first()
    back = workflow.RETURNS[waiting]
    if step is None or step.state_before not in back:
        raise ValidationError({"state": "找不到提请前的案件状态，不能退回"})
    return back[step.state_before]


def proposal_reasons(case: Case, rule: ChainRule) -> str:
    """The reasons the newest round's proposal gave (the termination's grounds)."""
    latest = approval_latest(case, rule)
    return latest.signoffs.get(step=0).reasons if latest else ""


def rounds(case: Case) -> list[Approval]:
    """Every round of every chain on the case, oldest first."""
    found = [a for rule in RULES.values() for a in approval_rounds(case, rule)]
    return sorted(found, key=lambda a: (a.created_at, a.pk))


def returned(case: Case, found: list[Approval] | None = None) -> SignOff | None:
    """The 不同意 the case came back with, while the officer has not proposed again
    (``found``: the case's rounds, when already read)."""
    found = rounds(case) if found is None else found
    latest = max(found, key=lambda a: (a.created_at, a.pk), default=None)
    if latest is None or latest.state != ApprovalState.RETURNED or (
            latest.chain == FILING.code):
        return None
    return list(latest.signoffs.all())[-1]


def end_rounds(case: Case) -> None:
    """The case ended another way: a round still waiting stops waiting."""
    for rule in RULES.values():
        approval_end(matter=case, rule=rule)

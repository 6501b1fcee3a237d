"""The state table of a permit application (pure: no Django, no database).

An application is received at the window, accepted (the statutory clock starts),
sent back once for completion (the clock waits until the completed materials come
in), or refused at intake. Once accepted, the clerk proposes to approve or refuse
it; the proposal is signed by the section head (审核) and, for most kinds, the
principal (批准) — the kind's chain in ``rules/approvals.toml`` — and only then
does the clerk issue the decision; an approval ends in a certificate. A
disagreement sends the application back to the clerk. A certified permit may later
be withdrawn or changed. The table has the one shape of ``fazhi.core.transitions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.role_names import PRINCIPAL, SECTION_HEAD
from fazhi.core.role_names import WINDOW_CLERK as CLERK
from fazhi.core.transitions import PARTY, Guard, Table, step

RECEIVED, COMPLETION, ACCEPTED = "received", "completion", "accepted"
REVIEWING, SIGNING, SIGNED = "reviewing", "signing", "signed"
INTAKE_REFUSED, APPROVED, REFUSED = "intake_refused", "approved", "refused"
CERTIFIED, WITHDRAWN, REVOKED = "certified", "withdrawn", "revoked"

_INTAKE = (RECEIVED, COMPLETION)
_DECIDING = (ACCEPTED, REVIEWING, SIGNING, SIGNED)  # the decision clock runs
_SIGNING = (REVIEWING, SIGNING)
# The roles of the decision chain's steps, in order: the chain may stop after 审核.
CHAIN_POSITIONS = ((CLERK,), (SECTION_HEAD,), (PRINCIPAL,))


@dataclass(frozen=True)
class DecisionFacts:
    """What the decision's guards read: the newest round of the kind's chain."""

    chain_complete: bool = False  # every step of the round agreed
    proposal: str = ""  # what the round proposed: "approve" or "refuse"


CHAIN_COMPLETE = Guard(lambda f: f.chain_complete,
                       "审批流程尚未完成（承办、审核、批准），不能作出决定",
                       "行政许可法第三十七条")
PROPOSED_APPROVAL = Guard(lambda f: f.proposal == "approve",
                          "审批通过的是不予许可的意见，不能作出准予许可决定")
PROPOSED_REFUSAL = Guard(lambda f: f.proposal == "refuse",
                         "审批通过的是准予许可的意见，不能作出不予许可决定")

# fmt: off
TABLE = Table({
    RECEIVED: "已收件，待受理",  # taken in, not yet accepted
    COMPLETION: "待补正",  # told once to complete; the applicant acts
    ACCEPTED: "已受理，审查中",  # the decision clock runs; the clerk proposes
    REVIEWING: "待审核",  # proposed; the section head signs (审核)
    SIGNING: "待批准",  # reviewed; the principal signs (批准)
    SIGNED: "审批完毕，待作出决定",  # the kind's chain agreed; the clerk issues it
    INTAKE_REFUSED: "不予受理",  # not accepted, with reasons
    APPROVED: "准予许可，待发证",  # granted; certificate due
    REFUSED: "不予许可",  # refused with reasons and remedies
    CERTIFIED: "已发证",  # certificate issued
    WITHDRAWN: "申请人撤回",  # the applicant withdrew
    REVOKED: "许可已撤回",  # the permit was withdrawn later
}, {
    "accept": step("受理", [RECEIVED], ACCEPTED, CLERK, waits_on=CLERK),
    "request_completion": step("一次性告知补正", [RECEIVED], COMPLETION, CLERK,
                               waits_on=PARTY),
    "complete": step("收到补正材料", [COMPLETION], ACCEPTED, CLERK, waits_on=CLERK),
    "refuse_intake": step("不予受理", _INTAKE, INTAKE_REFUSED, CLERK),
    "material": step("登记材料", (*_INTAKE, ACCEPTED), None, CLERK),
    "pause": step("不计时（听证、专家评审等）", _DECIDING, None, CLERK),
    "resume": step("恢复计时", _DECIDING, None, CLERK),
    "request_extension": step("申请延期", _DECIDING, None, CLERK),
    "decide_extension": step("审批延期", _DECIDING, None, PRINCIPAL),
    # The sign-off chain (fazhi.core.approvals): which row follows a signature is
    # the chain's answer — another step waits, the chain is done, or sent back.
    "propose": step("提出承办意见", [ACCEPTED], REVIEWING, CLERK,
                    waits_on=SECTION_HEAD),
    "review": step("审核同意，报负责人批准", [REVIEWING], SIGNING, SECTION_HEAD,
                   waits_on=PRINCIPAL),
    "review_final": step("审核同意，审批完毕", [REVIEWING], SIGNED, SECTION_HEAD,
                         waits_on=CLERK),
    "sign": step("批准", [SIGNING], SIGNED, PRINCIPAL, waits_on=CLERK),
    "send_back": step("不同意，退回承办人", _SIGNING, ACCEPTED,
                      (SECTION_HEAD, PRINCIPAL), waits_on=CLERK),
    "approve": step("准予许可", [SIGNED], APPROVED, CLERK, CHAIN_COMPLETE,
                    PROPOSED_APPROVAL, waits_on=CLERK),
    "refuse": step("不予许可", [SIGNED], REFUSED, CLERK, CHAIN_COMPLETE,
                   PROPOSED_REFUSAL),
    "issue_certificate": step("制发证书", [APPROVED], CERTIFIED, CLERK),
    "fee": step("登记收费", (*_DECIDING, APPROVED, CERTIFIED), None, CLERK),
    "withdraw": step("申请人撤回", (*_INTAKE, *_DECIDING), WITHDRAWN, CLERK),
    "change": step("许可变更", [CERTIFIED], None, CLERK),
    "revoke": step("撤回许可", [CERTIFIED], REVOKED, PRINCIPAL),
}, closed=frozenset({INTAKE_REFUSED, REFUSED, CERTIFIED, WITHDRAWN, REVOKED}),
    noun="申请", starts={RECEIVED: CLERK},
    todo={RECEIVED: "受理审查", ACCEPTED: "审查并提出承办意见", REVIEWING: "审核许可决定",
          SIGNING: "批准许可决定", SIGNED: "作出许可决定", APPROVED: "制发证书"})
# fmt: on


def missing_materials(materials: list[tuple[str, bool, bool, bool]]) -> list[str]:
    """Labels of required materials neither provided nor waived.

    ``materials``: (label, required, provided, waived) for each item of the checklist.
    """
    return [label for label, required, provided, waived in materials
            if required and not (provided or waived)]

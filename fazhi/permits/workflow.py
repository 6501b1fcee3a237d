"""The state table of a permit application (pure: no Django, no database).

An application is received at the window, accepted (the statutory clock starts),
sent back once for completion (the clock waits until the completed materials come
in), or refused at intake; once accepted it is approved or refused, and an approval
ends in a certificate. A certified permit may later be withdrawn or changed. The
table has the one shape of ``fazhi.core.transitions``.
"""

from __future__ import annotations

from fazhi.core.role_names import PRINCIPAL
from fazhi.core.role_names import WINDOW_CLERK as CLERK
from fazhi.core.transitions import PARTY, Table, step

RECEIVED, COMPLETION, ACCEPTED = "received", "completion", "accepted"
INTAKE_REFUSED, APPROVED, REFUSED = "intake_refused", "approved", "refused"
CERTIFIED, WITHDRAWN, REVOKED = "certified", "withdrawn", "revoked"

_INTAKE = (RECEIVED, COMPLETION)

# fmt: off
TABLE = Table({
    RECEIVED: "已收件，待受理",  # taken in, not yet accepted
    COMPLETION: "待补正",  # told once to complete; the applicant acts
    ACCEPTED: "已受理，审查中",  # the decision clock runs
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
    "pause": step("不计时（听证、专家评审等）", [ACCEPTED], None, CLERK),
    "resume": step("恢复计时", [ACCEPTED], None, CLERK),
    "request_extension": step("申请延期", [ACCEPTED], None, CLERK),
    "decide_extension": step("审批延期", [ACCEPTED], None, PRINCIPAL),
    "approve": step("准予许可", [ACCEPTED], APPROVED, CLERK, waits_on=CLERK),
    "refuse": step("不予许可", [ACCEPTED], REFUSED, CLERK),
    "issue_certificate": step("制发证书", [APPROVED], CERTIFIED, CLERK),
    "fee": step("登记收费", [ACCEPTED, APPROVED, CERTIFIED], None, CLERK),
    "withdraw": step("申请人撤回", (*_INTAKE, ACCEPTED), WITHDRAWN, CLERK),
    "change": step("许可变更", [CERTIFIED], None, CLERK),
    "revoke": step("撤回许可", [CERTIFIED], REVOKED, PRINCIPAL),
}, closed=frozenset({INTAKE_REFUSED, REFUSED, CERTIFIED, WITHDRAWN, REVOKED}),
    noun="申请", starts={RECEIVED: CLERK},
    todo={RECEIVED: "受理审查", ACCEPTED: "审查决定", APPROVED: "制发证书"})
# fmt: on


def missing_materials(materials: list[tuple[str, bool, bool, bool]]) -> list[str]:
    """Labels of required materials neither provided nor waived.

    ``materials``: (label, required, provided, waived) for each item of the checklist.
    """
    return [label for label, required, provided, waived in materials
            if required and not (provided or waived)]

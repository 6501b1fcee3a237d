"""The state table of a permit application (pure: no Django, no database).

An application is received at the window, accepted (the statutory clock starts),
sent back once for completion (the clock waits until the completed materials come
in), or refused at intake; once accepted it is approved or refused, and an approval
ends in a certificate. A certified permit may later be withdrawn or changed.
"""

from __future__ import annotations

RECEIVED, COMPLETION, ACCEPTED = "received", "completion", "accepted"
INTAKE_REFUSED, APPROVED, REFUSED = "intake_refused", "approved", "refused"
CERTIFIED, WITHDRAWN, REVOKED = "certified", "withdrawn", "revoked"

STATE_LABELS = {
    RECEIVED: "已收件，待受理",
    COMPLETION: "待补正",
    ACCEPTED: "已受理，审查中",
    INTAKE_REFUSED: "不予受理",
    APPROVED: "准予许可，待发证",
    REFUSED: "不予许可",
    CERTIFIED: "已发证",
    WITHDRAWN: "申请人撤回",
    REVOKED: "许可已撤回",
}
OPEN = frozenset({RECEIVED, COMPLETION, ACCEPTED, APPROVED})


class TransitionNotAllowed(Exception):
    """The action is not open to an application in its present state."""


# action → (label, states it may be taken from, state it leads to; None keeps it)
TRANSITIONS: dict[str, tuple[str, frozenset[str], str | None]] = {
    "accept": ("受理", frozenset({RECEIVED}), ACCEPTED),
    "request_completion": ("一次性告知补正", frozenset({RECEIVED}), COMPLETION),
    "complete": ("收到补正材料", frozenset({COMPLETION}), ACCEPTED),
    "refuse_intake": ("不予受理", frozenset({RECEIVED, COMPLETION}), INTAKE_REFUSED),
    "material": ("登记材料", frozenset({RECEIVED, COMPLETION, ACCEPTED}), None),
    "pause": ("不计时（听证、专家评审等）", frozenset({ACCEPTED}), None),
    "resume": ("恢复计时", frozenset({ACCEPTED}), None),
    "request_extension": ("申请延期", frozenset({ACCEPTED}), None),
    "decide_extension": ("审批延期", frozenset({ACCEPTED}), None),
    "approve": ("准予许可", frozenset({ACCEPTED}), APPROVED),
    "refuse": ("不予许可", frozenset({ACCEPTED}), REFUSED),
    "issue_certificate": ("制发证书", frozenset({APPROVED}), CERTIFIED),
    "fee": ("登记收费", frozenset({ACCEPTED, APPROVED, CERTIFIED}), None),
    "withdraw": ("申请人撤回", frozenset({RECEIVED, COMPLETION, ACCEPTED}), WITHDRAWN),
    "change": ("许可变更", frozenset({CERTIFIED}), None),
    "revoke": ("撤回许可", frozenset({CERTIFIED}), REVOKED),
}
LABELS = {action: label for action, (label, _, _) in TRANSITIONS.items()}


def next_state(state: str, action: str) -> str:
    """Return the state ``action`` leads to, or raise TransitionNotAllowed."""
    label, sources, target = TRANSITIONS[action]
    if state not in sources:
        raise TransitionNotAllowed(
            f"当前状态为“{STATE_LABELS.get(state, state)}”，不能{label}")
    return target or state


def actions_open(state: str) -> list[str]:
    """Actions that may be taken from ``state``, in display order."""
    return [a for a, (_, sources, _) in TRANSITIONS.items() if state in sources]


def missing_materials(materials: list[tuple[str, bool, bool, bool]]) -> list[str]:
    """Labels of required materials neither provided nor waived.

    ``materials``: (label, required, provided, waived) for each item of the checklist.
    """
    return [label for label, required, provided, waived in materials
            if required and not (provided or waived)]

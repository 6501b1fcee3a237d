"""The state table of a disclosure request (pure: no Django, no database)."""

from __future__ import annotations

REGISTERED, CORRECTION, CONSULTING = "registered", "correction", "consulting"
REPLIED, ABANDONED, WITHDRAWN = "replied", "abandoned", "withdrawn"


class TransitionNotAllowed(Exception):
    """The action is not open to a request in its present state."""


# action → (states it may be taken from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "correction_issue": (frozenset({REGISTERED}), CORRECTION),
    "correction_complete": (frozenset({CORRECTION}), REGISTERED),
    "abandon": (frozenset({CORRECTION}), ABANDONED),
    "consult_start": (frozenset({REGISTERED, CONSULTING}), CONSULTING),
    "consult_answer": (frozenset({CONSULTING}), None),
    "consult_close": (frozenset({CONSULTING}), REGISTERED),
    "extension_request": (frozenset({REGISTERED, CONSULTING}), None),
    "extension_decide": (frozenset({REGISTERED, CONSULTING}), None),
    "reply": (frozenset({REGISTERED}), REPLIED),
    "deliver": (frozenset({REPLIED}), None),
    "fee_set": (frozenset({REGISTERED, CONSULTING, REPLIED}), None),
    "withdraw": (frozenset({REGISTERED, CORRECTION, CONSULTING}), WITHDRAWN),
}

LABELS = {
    "correction_issue": "补正告知",
    "correction_complete": "收到补正",
    "abandon": "视为放弃",
    "consult_start": "征求意见",
    "consult_answer": "收到意见",
    "consult_close": "征求意见结束",
    "extension_request": "申请延期",
    "extension_decide": "审批延期",
    "reply": "答复",
    "deliver": "登记送达",
    "fee_set": "核定信息处理费",
    "withdraw": "申请人撤回",
}

STATE_LABELS = {
    REGISTERED: "办理中",
    CORRECTION: "待补正",
    CONSULTING: "征求意见中",
    REPLIED: "已答复",
    ABANDONED: "视为放弃",
    WITHDRAWN: "已撤回",
}


def next_state(state: str, action: str) -> str:
    """Return the state ``action`` leads to, or raise TransitionNotAllowed."""
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise TransitionNotAllowed(
            f"当前状态为“{STATE_LABELS.get(state, state)}”，不能{LABELS[action]}"
        )
    return target or state


def actions_open(state: str) -> list[str]:
    """Actions that may be taken from ``state``, in display order."""
    return [a for a, (sources, _) in TRANSITIONS.items() if state in sources]

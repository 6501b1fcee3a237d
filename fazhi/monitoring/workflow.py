"""The state table of a change patch, from import to rectification (pure: no Django).

Satellite findings are only leads (自然资发〔2023〕258号): a verdict needs a field
check that came back, and an illegal verdict leads to rectification.
"""

from __future__ import annotations

PENDING, ASSIGNED, CHECKED, DECIDED = "pending", "assigned", "checked", "decided"
RECTIFYING, RECTIFIED = "rectifying", "rectified"

STATE_LABELS = {
    PENDING: "待派发", ASSIGNED: "待核查", CHECKED: "待判定", DECIDED: "已判定",
    RECTIFYING: "整改中", RECTIFIED: "已整改",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (PENDING, "assign"): ASSIGNED,
    (ASSIGNED, "assign"): ASSIGNED,  # sent again to another officer
    (CHECKED, "assign"): ASSIGNED,  # checked again before the verdict
    (ASSIGNED, "cancel"): PENDING,
    (ASSIGNED, "submit"): CHECKED,
    (CHECKED, "decide"): DECIDED,
    (DECIDED, "rectify"): RECTIFYING,
    (RECTIFYING, "rectified"): RECTIFIED,
}

ACTION_LABELS = {
    "assign": "派发外业核查", "cancel": "撤回核查任务", "submit": "提交核查结果",
    "decide": "判定", "rectify": "下达整改", "rectified": "整改完成",
}


class TransitionNotAllowed(Exception):
    """The patch's state does not allow the action (not a permission problem)."""


def next_state(state: str, action: str) -> str:
    """Return the state after ``action``, or raise TransitionNotAllowed."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise TransitionNotAllowed(
            f"图斑处于“{STATE_LABELS.get(state, state)}”状态，"
            f"不能{ACTION_LABELS.get(action, action)}") from None


def actions_open(state: str) -> list[str]:
    """List the actions the state allows, in table order."""
    return [action for (s, action) in TRANSITIONS if s == state]

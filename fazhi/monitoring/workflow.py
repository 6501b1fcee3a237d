"""The state table of a change patch, from import to rectification (pure: no Django).

Satellite findings are only leads (自然资发〔2023〕258号): a verdict needs a field
check that came back, and an illegal verdict leads to rectification. The table has
the one shape of ``fazhi.core.transitions``.
"""

from __future__ import annotations

from fazhi.core.role_names import ENFORCEMENT_OFFICER as OFFICER
from fazhi.core.transitions import PARTY, Table, step

PENDING, ASSIGNED, CHECKED, DECIDED = "pending", "assigned", "checked", "decided"
RECTIFYING, RECTIFIED = "rectifying", "rectified"

# fmt: off
TABLE = Table({
    PENDING: "待派发",  # imported and pre-judged; nobody sent yet
    ASSIGNED: "待核查",  # a field check is out with an officer
    CHECKED: "待判定",  # the field check came back
    DECIDED: "已判定",  # the verdict is recorded; an illegal one is rectified next
    RECTIFYING: "整改中",  # illegal: demolition or reclamation running
    RECTIFIED: "已整改",  # rectification done and proven
}, {
    # Sent again to another officer, or checked again before the verdict.
    "assign": step("派发外业核查", [PENDING, ASSIGNED, CHECKED], ASSIGNED, OFFICER,
                   waits_on=OFFICER),
    "cancel": step("撤回核查任务", [ASSIGNED], PENDING, OFFICER, waits_on=OFFICER),
    "submit": step("提交核查结果", [ASSIGNED], CHECKED, OFFICER, waits_on=OFFICER),
    "decide": step("判定", [CHECKED], DECIDED, OFFICER),
    "rectify": step("下达整改", [DECIDED], RECTIFYING, OFFICER, waits_on=PARTY),
    "rectified": step("整改完成", [RECTIFYING], RECTIFIED, OFFICER),
}, closed=frozenset({DECIDED, RECTIFIED}), noun="图斑",
    todo={PENDING: "派发外业核查", ASSIGNED: "外业核查", CHECKED: "合法性判定"})
# fmt: on

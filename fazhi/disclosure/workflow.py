"""The state table of a disclosure request (pure: no Django, no database).

A request is registered and answered within the reply period (政府信息公开条例
Art. 33); a correction notice (Art. 30) or a consultation (Art. 32) stops the
clock and hands the next move to the requester or the consulted party; the
office head approves the one extension. The table has the one shape of
``fazhi.core.transitions``.
"""

from __future__ import annotations

from fazhi.core.role_names import DISCLOSURE_HEAD
from fazhi.core.role_names import DISCLOSURE_OFFICER as OFFICER
from fazhi.core.transitions import PARTY, SYSTEM, Table, step

REGISTERED, CORRECTION, CONSULTING = "registered", "correction", "consulting"
REPLIED, ABANDONED, WITHDRAWN = "replied", "abandoned", "withdrawn"

_ANSWERING = (REGISTERED, CONSULTING)  # the reply period runs or waits on an opinion

# fmt: off
TABLE = Table({
    REGISTERED: "办理中",  # received; the reply clock runs
    CORRECTION: "待补正",  # a correction notice is out; the clock waits
    CONSULTING: "征求意见中",  # a third party or agency is consulted
    REPLIED: "已答复",  # the reply was made (delivery recorded separately)
    ABANDONED: "视为放弃",  # not completed by the notice's deadline (Art. 30)
    WITHDRAWN: "已撤回",  # the requester withdrew the request
}, {
    "correction_issue": step("补正告知", [REGISTERED], CORRECTION, OFFICER,
                             waits_on=PARTY),
    "correction_complete": step("收到补正", [CORRECTION], REGISTERED, OFFICER,
                                waits_on=OFFICER),
    # The daily sweep closes a request whose correction deadline has passed.
    "abandon": step("视为放弃", [CORRECTION], ABANDONED, (OFFICER, SYSTEM)),
    "consult_start": step("征求意见", _ANSWERING, CONSULTING, OFFICER, waits_on=PARTY),
    "consult_answer": step("收到意见", [CONSULTING], None, OFFICER),
    "consult_close": step("征求意见结束", [CONSULTING], REGISTERED, OFFICER,
                          waits_on=OFFICER),
    "extension_request": step("申请延期", _ANSWERING, None, OFFICER),
    "extension_decide": step("审批延期", _ANSWERING, None, DISCLOSURE_HEAD),
    "reply": step("答复", [REGISTERED], REPLIED, OFFICER),
    "deliver": step("登记送达", [REPLIED], None, OFFICER),
    "fee_set": step("核定信息处理费", (*_ANSWERING, REPLIED), None, OFFICER),
    "withdraw": step("申请人撤回", (REGISTERED, CORRECTION, CONSULTING), WITHDRAWN,
                     OFFICER),
}, closed=frozenset({REPLIED, ABANDONED, WITHDRAWN}), noun="申请",
    todo={REGISTERED: "办理答复"})
# fmt: on

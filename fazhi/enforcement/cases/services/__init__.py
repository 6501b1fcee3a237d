"""Every action on an enforcement case: one function each, one transaction each.

Each checks the actor's role in the case's own bureau, builds ``CaseFacts`` from the
database, asks the pure state table, moves the case with an optimistic update, writes
a ``CaseStep`` and the audit chain, and starts or stops clocks — all or nothing.

One module per stage: ``facts`` (what the guards read, ``check`` and ``advance``),
``filing``, ``notice`` (notice, statement, hearing), ``decision`` (review,
discussion, decision, its service) and ``closing`` (endings, the case period's
extension); ``signing`` records the principal's approvals as sign-offs;
execution after the decision is ``cases/execution.py``. This package
gathers their actions, so callers write ``services.case_decide(...)``.
"""

from fazhi.enforcement.cases.services.closing import (
    case_close,
    case_extension_ask,
    case_extension_decide,
    case_extension_pending,
    case_propose_closure,
    case_propose_termination,
    case_terminate,
    case_transfer,
)
from fazhi.enforcement.cases.services.decision import (
    case_decide,
    case_decide_no_penalty,
    case_hold_collective_discussion,
    case_review,
    case_serve_decision,
    case_submit_discussion,
    case_submit_review,
)
from fazhi.enforcement.cases.services.facts import (
    CASE_ROLES,
    FORM_FACTS,
    REVIEW_ACTIONS,
    case_actions,
    case_facts,
    case_participants,
    case_recommendation,
    demand_period,
    discretion_facts,
    execution_windows,
    litigation_clause,
    payment_period,
)
from fazhi.enforcement.cases.services.filing import (
    case_approve_filing,
    case_file,
    case_reject_filing,
)
from fazhi.enforcement.cases.services.notice import (
    case_hold_hearing,
    case_reinvestigate,
    case_request_hearing,
    case_serve_notice,
    case_waive_hearing,
)

__all__ = [
    "CASE_ROLES",
    "FORM_FACTS",
    "REVIEW_ACTIONS",
    "case_actions",
    "case_approve_filing",
    "case_close",
    "case_decide",
    "case_decide_no_penalty",
    "case_extension_ask",
    "case_extension_decide",
    "case_extension_pending",
    "case_facts",
    "case_file",
    "case_hold_collective_discussion",
    "case_hold_hearing",
    "case_participants",
    "case_propose_closure",
    "case_propose_termination",
    "case_recommendation",
    "case_reinvestigate",
    "case_reject_filing",
    "case_request_hearing",
    "case_review",
    "case_serve_decision",
    "case_serve_notice",
    "case_submit_discussion",
    "case_submit_review",
    "case_terminate",
    "case_transfer",
    "case_waive_hearing",
    "demand_period",
    "discretion_facts",
    "execution_windows",
    "litigation_clause",
    "payment_period",
]

"""The state table of an enforcement case (pure: no Django, no database).

The order of the ordinary procedure, as the law fixes it:

立案 (filing, approved by the principal; 自然资源行政处罚办法 Art. 16) → 调查取证
(investigation by at least two badge holders; 行政处罚法 Art. 42, 办法 Art. 17) →
告知 (pre-decision notice; Art. 44) with statement and defence (Art. 45; 5 working
days, 办法 Art. 33) and, when the party asks in time, 听证 (hearing; Arts. 63-65,
办法 Art. 34) → 法制审核 (legal review of a major decision; Art. 58, 办法 Art. 32) →
集体讨论 (collective discussion by the heads where required; Art. 57(2), 办法 Art. 31)
→ 决定 (decision) → 送达 (service; Art. 61) → 执行 (execution; Arts. 66-73), with an
application to the court when the party neither performs nor seeks a remedy in time
(行政强制法 Arts. 53-54, 办法 Art. 44) → 结案 (closure approved by the principal,
办法 Art. 46).

Legal review follows the notice and any hearing: Art. 58(1)(2) makes "a hearing was
held" a ground for review, so a review done before the hearing would not cover it.
A decision that imposes anything is ``decide`` and opens only once the party was
told and heard; a decision not to penalise (Art. 57(1)(2)-(3)) is its own action,
``decide_no_penalty``, which needs no notice and may be taken straight from
investigation (a major one still needs the review). The service computes
``penalty`` and ``is_major`` from what is being decided, never only from what was
proposed.

States beyond the issue's list: ``filing_rejected`` (不予立案, 办法 Art. 16(2)).
The principal's approvals are sign-offs (``services/signing.py``): an officer's
proposal moves the case into a state waiting on the principal — ``filing_pending``
(the case is opened in it), ``discussion_pending``, ``termination_pending``,
``closure_pending`` — and a 不同意 returns it to the state it left (``RETURNS``).
``hearing_held`` also covers a hearing ended because the party stayed away (Art.
64(6)). ``terminated`` and ``transferred`` wait for the officer to propose the
closure the principal approves (办法 Art. 46(1)-(2)); only ``closed`` and
``filing_rejected`` are final. A return to investigation (``reinvestigate``)
voids what followed the notice: the service clears the notice, hearing, review and
discussion facts when the proposal changes.

The table has the one shape of ``fazhi.core.transitions``. Guards are pure
predicates over ``CaseFacts``; the service computes the facts (the deadline engine
says whether a window has closed, ``majority`` says whether the case is major) and
this module only judges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fazhi.core.role_names import ENFORCEMENT_OFFICER as OFFICER
from fazhi.core.role_names import LEGAL_REVIEWER, PRINCIPAL, ROLE_LABELS
from fazhi.core.transitions import (
    PARTY,
    Guard,
    GuardFailed,
    RoleNotAllowed,
    Table,
    UnknownAction,
    WorkflowError,
    step,
)
from fazhi.core.transitions import NotAllowedNow as TransitionNotAllowed

__all__ = ["ROLE_LABELS", "GuardFailed", "RoleNotAllowed", "TransitionNotAllowed",
           "UnknownAction", "WorkflowError"]

# Where a case stands: code → label; the comment says what it means in the bureau.
STATE_LABELS: dict[str, str] = {
    "filing_pending": "立案待批",  # 立案呈批，待负责人批准
    "filing_rejected": "不予立案",  # 负责人决定不予立案（办法第十六条第二款）
    "filed": "已立案（调查取证）",  # 已立案，调查取证中；九十日办案期限起算
    "notice_served": "已告知（陈述申辩期）",  # 已送达告知书，陈述申辩（听证申请）期间
    "hearing_requested": "已申请听证",  # 当事人按期要求听证，待举行
    "hearing_held": "听证已结束",  # 听证已举行或视为放弃而终止
    "legal_review": "法制审核中",  # 已提请法制审核，待审核意见
    "review_returned": "法制审核退回补正",  # 法制审核退回补正
    "review_passed": "法制审核通过",  # 法制审核通过，有书面审核意见
    "discussion_pending": "待集体讨论",  # 承办人提请集体讨论，待负责人集体讨论
    "collective_discussion": "已集体讨论",  # 负责人已集体讨论，待决定书
    "decided": "已作出决定",  # 已作出处罚（或不予处罚）决定，待送达
    "served": "决定书已送达",  # 决定书已送达，当事人履行期间
    "executing": "执行中",  # 执行中：催告、代履行、没收物移交等
    "court_enforcement": "已申请法院强制执行",  # 已申请人民法院强制执行
    "termination_pending": "终止调查待批",  # 承办人提请终止调查，待负责人批准
    "terminated": "已终止调查",  # 经批准终止调查，待结案（办法第二十八条）
    "transferred": "已移送",  # 已移送有权机关，待结案（办法第十一条、第十三条）
    "closure_pending": "结案待批",  # 承办人提请结案，待负责人批准（办法第四十六条）
    "closed": "已结案",  # 经负责人批准结案（办法第四十六条）
}
State = StrEnum("State", {code.upper(): code for code in STATE_LABELS})
"""Where a case stands, by name: ``State.FILED == "filed"``."""


@dataclass(frozen=True)
class Stage:
    """A reporting stage: the case page names its responsible person and approver."""

    code: str
    label: str
    responsible_role: str
    approver_role: str
    states: frozenset[State]


# fmt: off
STAGES: tuple[Stage, ...] = (
    Stage("filing", "立案", OFFICER, PRINCIPAL,
          frozenset({State.FILING_PENDING, State.FILING_REJECTED})),
    Stage("investigation", "调查取证", OFFICER, PRINCIPAL, frozenset({State.FILED})),
    Stage("notification", "告知", OFFICER, PRINCIPAL,
          frozenset({State.NOTICE_SERVED, State.HEARING_REQUESTED,
                     State.HEARING_HELD})),
    Stage("legal_review", "法制审核", LEGAL_REVIEWER, PRINCIPAL,
          frozenset({State.LEGAL_REVIEW, State.REVIEW_RETURNED,
                     State.REVIEW_PASSED})),
    Stage("decision", "决定", PRINCIPAL, PRINCIPAL,
          frozenset({State.DISCUSSION_PENDING, State.COLLECTIVE_DISCUSSION,
                     State.DECIDED})),
    Stage("service", "送达", OFFICER, PRINCIPAL, frozenset({State.SERVED})),
    Stage("execution", "执行", OFFICER, PRINCIPAL,
          frozenset({State.EXECUTING, State.COURT_ENFORCEMENT})),
    Stage("closure", "结案", OFFICER, PRINCIPAL,
          frozenset({State.TERMINATION_PENDING, State.TERMINATED, State.TRANSFERRED,
                     State.CLOSURE_PENDING, State.CLOSED})),
)
# fmt: on


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about a case, computed by the service.

    Booleans about periods ("window closed", "deadline passed") are answered by the
    deadline engine, which counts working days and holidays; this module never
    counts days itself.
    """

    officers_count: int = 0  # badge-holding officers on the case (Art. 42: ≥ 2)
    penalty: bool = True  # a penalty is proposed / decided (False: 不予处罚)
    is_major: bool = False  # majority.is_major(): Art. 58 review is compulsory
    requires_collective_discussion: bool = False  # Art. 57(2)
    hearing_right: bool = False  # majority.hearing_right(): Art. 63
    notice_served_on: date | None = None  # day the 告知书 reached the party
    statement_window_closed: bool = False  # 5 working days passed (办法 Art. 33)
    statement_waived: bool = False  # the party expressly waived it (Art. 62)
    # None: no request; True: asked within 5 working days (Art. 64(1)); False: late
    hearing_requested_in_time: bool | None = None
    hearing_notified_7_days_ahead: bool = False  # time and place (Art. 64(2))
    hearing_held: bool = False
    hearing_waived: bool = False  # absent or left without leave (Art. 64(6))
    hearing_chair_is_case_officer: bool = False  # forbidden by Art. 64(4)
    review_passed: bool = False
    review_opinion_written: bool = False  # the reviewer's written opinion is on file
    reviewer_is_case_officer: bool = False
    collective_discussion_held: bool = False
    # The decision's deadline (fines: 15 days, Art. 67), or the end of an approved
    # deferral or instalment plan (Art. 72(2)).
    performance_deadline_passed: bool = False
    execution_complete: bool = False  # fine paid, demolition, land, handover done
    execution_terminated: bool = False  # 终结执行 (办法 Art. 46(5))
    # Reconsideration (60 days) and litigation (6 months; 15 days for a demolition
    # order, 土地管理法 Art. 83) windows both ran out, for the first part that has.
    appeal_window_closed: bool = False
    remedy_pending: bool = False  # reconsideration or suit lodged and undecided
    demand_period_elapsed: bool = False  # 10 working days since the 催告书 (Art. 54)
    court_application_deadline_passed: bool = False  # 3 months after (Art. 53)
    # The periods the guards' messages name, in words, from the rule files the
    # service reads (``statement_period``, ``hearing_request_period``,
    # ``hearing_notice_period``, ``payment_period``, ``measure_periods``,
    # ``demand_period``, ``court_period``; Guard.reason_for): no statutory number
    # is written in a message here.
    words: Mapping[str, str] = field(default_factory=dict)


# --- the guards' errors (each a GuardFailed, itself a TransitionNotAllowed) --------


class OfficersMissing(GuardFailed):
    """Fewer than two badge-holding officers on the case."""


class PenaltyRequired(GuardFailed):
    """The action only makes sense when a penalty is proposed or decided."""


class NoticeRequired(GuardFailed):
    """No pre-decision notice reached the party."""


class StatementWindowOpen(GuardFailed):
    """The party may still state a case and defend."""


class HearingNotAvailable(GuardFailed):
    """No hearing right, or the request came too late."""


class HearingRequired(GuardFailed):
    """A hearing asked for in time has not been held or waived."""


class HearingChairConflict(GuardFailed):
    """The hearing chair investigated the case."""


class ReviewRequired(GuardFailed):
    """A major decision lacks a passed legal review with a written opinion."""


class ReviewerConflict(GuardFailed):
    """The legal reviewer is one of the case officers."""


class CollectiveDiscussionRequired(GuardFailed):
    """The heads have not yet discussed the case collectively."""


class CourtEnforcementTooEarly(GuardFailed):
    """The conditions for applying to the court are not yet met."""


class CourtEnforcementTooLate(GuardFailed):
    """The three months for applying to the court have run out."""


class ClosureGroundMissing(GuardFailed):
    """No ground for closing the case is established."""


# --- guards: test, what is missing, the article, the error -------------------------


def _hearing_settled(f: CaseFacts) -> bool:
    return f.hearing_requested_in_time is not True or f.hearing_held or f.hearing_waived


def _major_reviewed(f: CaseFacts) -> bool:
    return not f.is_major or (f.review_passed and f.review_opinion_written)


_PENALTY_LAW = "行政处罚法第五十七条"
_REVIEW_LAW = "行政处罚法第五十八条"
# fmt: off
TWO_OFFICERS = Guard(
    lambda f: f.officers_count >= 2, "执法人员不得少于两人",
    "行政处罚法第四十二条；自然资源行政处罚办法第十七条", OfficersMissing)
PENALTY_PROPOSED = Guard(
    lambda f: f.penalty, "拟不予行政处罚的，无需告知，可直接作出不予行政处罚决定",
    _PENALTY_LAW, PenaltyRequired)
PENALTY_IN_DECISION = Guard(
    lambda f: f.penalty, "决定不予行政处罚的，请按“作出不予行政处罚决定”办理",
    _PENALTY_LAW, PenaltyRequired)
PENALTY_DECIDED = Guard(
    lambda f: f.penalty, "不予行政处罚的决定无需执行，送达后即可结案",
    "自然资源行政处罚办法第四十六条", PenaltyRequired)
NO_PENALTY_DECIDED = Guard(
    lambda f: not f.penalty,
    "所作决定含有罚款或其他处罚，应按“作出行政处罚决定”办理：先送达告知书、听取陈述申辩",
    "行政处罚法第四十四条、第四十五条")
NOTICE_GIVEN = Guard(
    lambda f: not f.penalty or f.notice_served_on is not None,
    "作出行政处罚决定前须告知拟处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利",
    "行政处罚法第四十四条、第六十二条", NoticeRequired)
STATEMENT_HEARD = Guard(
    lambda f: not f.penalty or f.statement_window_closed or f.statement_waived,
    "陈述、申辩期限（收到告知书后{statement_period}）未届满，当事人也未明确放弃",
    "行政处罚法第四十五条、第六十二条；自然资源行政处罚办法第三十三条",
    StatementWindowOpen)
HEARING_RIGHT = Guard(
    lambda f: f.hearing_right, "拟作出的处罚不属于应当告知听证权利的情形",
    "行政处罚法第六十三条；自然资源行政处罚办法第三十四条", HearingNotAvailable)
HEARING_REQUEST_IN_TIME = Guard(
    lambda f: f.hearing_requested_in_time is True,
    "当事人未在告知后{hearing_request_period}内要求听证", "行政处罚法第六十四条第一项",
    HearingNotAvailable)
HEARING_SETTLED = Guard(
    _hearing_settled, "当事人已按期要求听证，听证举行或依法终止前不得作出决定",
    "行政处罚法第六十三条至第六十五条", HearingRequired)
HEARING_NOTIFIED = Guard(
    lambda f: f.hearing_notified_7_days_ahead,
    "须在举行听证的{hearing_notice_period}前通知当事人听证的时间、地点",
    "行政处罚法第六十四条第二项、第八十五条", HearingNotAvailable)
HEARING_CHAIR_INDEPENDENT = Guard(
    lambda f: not f.hearing_chair_is_case_officer, "听证须由非本案调查人员主持",
    "行政处罚法第六十四条第四项", HearingChairConflict)
REVIEWER_INDEPENDENT = Guard(
    lambda f: not f.reviewer_is_case_officer,
    "法制审核人员不得是本案的承办人员，也不得是立案、调查、告知、送达等环节的经办人",
    _REVIEW_LAW, ReviewerConflict)
REVIEW_OPINION_WRITTEN = Guard(
    lambda f: f.review_opinion_written, "法制审核须出具书面审核意见", _REVIEW_LAW,
    ReviewRequired)
MAJOR_REVIEWED = Guard(
    _major_reviewed,
    "重大行政处罚决定须经法制审核并通过、出具书面审核意见；未经法制审核或者审核"
    "未通过的，不得作出决定",
    "行政处罚法第五十八条；自然资源行政处罚办法第三十二条", ReviewRequired)
MAJOR_REVIEWER_INDEPENDENT = Guard(
    lambda f: not f.is_major or not f.reviewer_is_case_officer,
    "法制审核由本案承办人员或经办人进行，不能作为通过的审核", _REVIEW_LAW,
    ReviewerConflict)
COLLECTIVE_HELD = Guard(
    lambda f: not f.requires_collective_discussion or f.collective_discussion_held,
    "情节复杂或者重大违法行为的处罚，须由负责人集体讨论决定",
    "行政处罚法第五十七条第二款；自然资源行政处罚办法第三十一条第二款",
    CollectiveDiscussionRequired)
SOMETHING_TO_ENFORCE = Guard(
    lambda f: not f.execution_complete, "决定已履行完毕，无需申请强制执行")
PERFORMANCE_OVERDUE = Guard(
    lambda f: f.performance_deadline_passed,
    "决定书载明的履行期限{payment_period}尚未届满",
    "行政处罚法第六十七条、第七十二条", CourtEnforcementTooEarly)
REMEDY_WINDOWS_CLOSED = Guard(
    lambda f: f.appeal_window_closed and not f.remedy_pending,
    "当事人申请行政复议或者提起行政诉讼的期限尚未届满（各项处罚内容依其期限"
    "{measure_periods}，见案件页“强制执行”一栏），或者复议、诉讼尚未终结",
    "行政强制法第五十三条；自然资源行政处罚办法第四十四条", CourtEnforcementTooEarly)
DEMAND_ELAPSED = Guard(
    lambda f: f.demand_period_elapsed,
    "申请前须催告，催告书送达{demand_period}后当事人仍未履行方可申请",
    "行政强制法第五十四条、第六十九条", CourtEnforcementTooEarly)
WITHIN_THREE_MONTHS = Guard(
    lambda f: not f.court_application_deadline_passed,
    "已超过申请期限（复议、诉讼期限届满之日起{court_period}）", "行政强制法第五十三条",
    CourtEnforcementTooLate)
CLOSURE_GROUND = Guard(
    lambda f: not f.penalty or f.execution_complete or f.execution_terminated,
    "决定尚未执行完毕，也未终结执行或申请强制执行", "自然资源行政处罚办法第四十六条",
    ClosureGroundMissing, only_from=(State.SERVED, State.EXECUTING))
# fmt: on


# --- the table ---------------------------------------------------------------------

S = State
_UNDECIDED = (
    S.FILED,
    S.NOTICE_SERVED,
    S.HEARING_REQUESTED,
    S.HEARING_HELD,
    S.REVIEW_RETURNED,
    S.REVIEW_PASSED,
    S.COLLECTIVE_DISCUSSION,
)
# Where a proposal may go on to review, discussion or decision (FILED: no penalty).
_READY = (S.NOTICE_SERVED, S.HEARING_HELD, S.FILED)
# Where a penalty may be decided: only after the party was told and heard.
_HEARD = (S.NOTICE_SERVED, S.HEARING_HELD, S.REVIEW_PASSED, S.COLLECTIVE_DISCUSSION)
_PARTY_HEARD = (NOTICE_GIVEN, STATEMENT_HEARD, HEARING_SETTLED)
_REVIEWED = (MAJOR_REVIEWED, MAJOR_REVIEWER_INDEPENDENT)
_CLOSE_FROM = (S.SERVED, S.EXECUTING, S.COURT_ENFORCEMENT, S.TERMINATED, S.TRANSFERRED)
# Where the officer may ask the heads to discuss the case (as for a decision).
_DISCUSS_FROM = (*_READY, S.REVIEW_PASSED)
P, R = PRINCIPAL, LEGAL_REVIEWER
_HEARING_CHAIRS = (R, P)

# Each row: label, source states, target, roles, the guards in the order checked,
# and who acts next once the case is in the target state.
#
# The principal's approvals are sign-offs of a chain (rules/approvals.toml; the
# services record them through ``fazhi.core.approvals``): the officer's proposal
# moves the case into a state waiting on the principal (立案待批 by opening the
# case, 待集体讨论, 终止调查待批, 结案待批); the principal's 同意 is the row out of it;
# a 不同意 sends the case back where it came from (``RETURNS``), or, for the
# filing, is the decision not to file.
# fmt: off
_ROWS = {
    "approve_filing": step("批准立案", [S.FILING_PENDING], S.FILED, P, TWO_OFFICERS,
                           waits_on=OFFICER),
    "reject_filing": step("不予立案", [S.FILING_PENDING], S.FILING_REJECTED, P),
    "serve_notice": step("送达处罚告知书", [S.FILED], S.NOTICE_SERVED, OFFICER,
                         TWO_OFFICERS, PENALTY_PROPOSED, waits_on=PARTY),
    "request_hearing": step("登记听证申请", [S.NOTICE_SERVED], S.HEARING_REQUESTED,
                            OFFICER, HEARING_RIGHT, HEARING_REQUEST_IN_TIME,
                            waits_on=P),
    "hold_hearing": step("举行听证", [S.HEARING_REQUESTED], S.HEARING_HELD,
                         _HEARING_CHAIRS, HEARING_NOTIFIED, HEARING_CHAIR_INDEPENDENT,
                         waits_on=OFFICER),
    "waive_hearing": step("视为放弃听证", [S.HEARING_REQUESTED], S.HEARING_HELD,
                          _HEARING_CHAIRS, waits_on=OFFICER),
    "reinvestigate": step("补充调查", _UNDECIDED[1:], S.FILED, OFFICER,
                          waits_on=OFFICER),
    "submit_review": step("提请法制审核", _READY, S.LEGAL_REVIEW, OFFICER,
                          *_PARTY_HEARD, waits_on=R),
    "pass_review": step("法制审核通过", [S.LEGAL_REVIEW], S.REVIEW_PASSED, R,
                        REVIEWER_INDEPENDENT, REVIEW_OPINION_WRITTEN, waits_on=P),
    "return_review": step("法制审核退回补正", [S.LEGAL_REVIEW], S.REVIEW_RETURNED, R,
                          REVIEWER_INDEPENDENT, REVIEW_OPINION_WRITTEN,
                          waits_on=OFFICER),
    "resubmit_review": step("补正后重新提请审核", [S.REVIEW_RETURNED], S.LEGAL_REVIEW,
                            OFFICER, *_PARTY_HEARD, waits_on=R),
    "submit_discussion": step(
        "提请集体讨论", _DISCUSS_FROM, S.DISCUSSION_PENDING, OFFICER, *_REVIEWED,
        *_PARTY_HEARD, waits_on=P),
    "hold_collective_discussion": step(
        "负责人集体讨论", [S.DISCUSSION_PENDING], S.COLLECTIVE_DISCUSSION, P,
        *_REVIEWED, *_PARTY_HEARD, waits_on=P),
    "decide": step(
        "作出行政处罚决定", _HEARD, S.DECIDED, P, PENALTY_IN_DECISION, *_REVIEWED,
        *_PARTY_HEARD, COLLECTIVE_HELD, TWO_OFFICERS, waits_on=OFFICER),
    "decide_no_penalty": step(
        "作出不予行政处罚决定", (*_READY, S.REVIEW_PASSED, S.COLLECTIVE_DISCUSSION),
        S.DECIDED, P, NO_PENALTY_DECIDED, *_REVIEWED, HEARING_SETTLED, COLLECTIVE_HELD,
        TWO_OFFICERS, waits_on=OFFICER),
    "serve_decision": step("送达决定书", [S.DECIDED], S.SERVED, OFFICER,
                           waits_on=PARTY),
    "start_execution": step("进入执行", [S.SERVED], S.EXECUTING, OFFICER,
                            PENALTY_DECIDED, waits_on=OFFICER),
    "apply_court_enforcement": step(
        "申请法院强制执行", [S.EXECUTING], S.COURT_ENFORCEMENT, P, SOMETHING_TO_ENFORCE,
        PERFORMANCE_OVERDUE, REMEDY_WINDOWS_CLOSED, DEMAND_ELAPSED, WITHIN_THREE_MONTHS,
        waits_on=PARTY),
    "propose_termination": step("提请终止调查", _UNDECIDED, S.TERMINATION_PENDING,
                                OFFICER, waits_on=P),
    "terminate": step("终止调查", [S.TERMINATION_PENDING], S.TERMINATED, P,
                      waits_on=OFFICER),
    "transfer": step("移送", (S.FILING_PENDING, *_UNDECIDED), S.TRANSFERRED, P,
                     waits_on=OFFICER),
    "propose_closure": step("提请结案", _CLOSE_FROM, S.CLOSURE_PENDING, OFFICER,
                            CLOSURE_GROUND, waits_on=P),
    "close": step("结案", [S.CLOSURE_PENDING], S.CLOSED, P),
}
# fmt: on
_TODO = {
    S.FILING_PENDING: "审批立案", S.FILED: "调查取证", S.HEARING_REQUESTED: "组织听证",
    S.HEARING_HELD: "听证后提请法制审核", S.LEGAL_REVIEW: "法制审核",
    S.REVIEW_RETURNED: "补正后重新提请审核", S.REVIEW_PASSED: "作出处理决定",
    S.DISCUSSION_PENDING: "集体讨论", S.COLLECTIVE_DISCUSSION: "作出处理决定",
    S.DECIDED: "送达决定书", S.EXECUTING: "执行决定",
    S.TERMINATION_PENDING: "审批终止调查", S.TERMINATED: "提请结案",
    S.TRANSFERRED: "提请结案", S.CLOSURE_PENDING: "审批结案"}
_SHAPE = dict(closed=frozenset({S.FILING_REJECTED, S.CLOSED}), noun="案件",
              starts={S.FILING_PENDING: P})

# Where a 不同意 sends the case: back to the state the proposal left, one row per
# state (the service reads it from the proposal's step), waiting there on whoever
# it waited on before.
_PENDING = {  # waiting state → the proposal that leads into it
    S.DISCUSSION_PENDING: "submit_discussion",
    S.TERMINATION_PENDING: "propose_termination",
    S.CLOSURE_PENDING: "propose_closure",
}
_BEFORE = Table(STATE_LABELS, _ROWS, **_SHAPE, todo=_TODO)
RETURNS: dict[str, dict[str, str]] = {
    pending: {origin: f"{pending}_return_{origin}"
              for origin in sorted(_BEFORE.transitions[proposal].sources)}
    for pending, proposal in _PENDING.items()}
# fmt: off
TABLE = Table(STATE_LABELS, {**_ROWS, **{
    action: step("不同意，退回承办人", [pending], origin, P,
                 waits_on=_BEFORE.waits_on(origin))
    for pending, back in RETURNS.items() for origin, action in back.items()}},
    **_SHAPE, todo=_TODO)
# fmt: on
del S, P, R, _BEFORE

# The chains' steps follow the states: the officer proposes (承办), the principal
# signs (批准) — two steps, no more (a third would need a state to wait in).
CHAIN_POSITIONS = ((OFFICER,), (PRINCIPAL,))
# What the principal's 同意 does on each chain, and the state the round waits in.
CHAIN_ACTIONS = {
    "enforcement.filing": ("approve_filing", State.FILING_PENDING),
    "enforcement.collective_discussion": ("hold_collective_discussion",
                                          State.DISCUSSION_PENDING),
    "enforcement.termination": ("terminate", State.TERMINATION_PENDING),
    "enforcement.closure": ("close", State.CLOSURE_PENDING),
}

# The review's own actions: taking them is no part in the case (the reviewer may
# review it again after a return).
REVIEW_ACTIONS = ("pass_review", "return_review")
TRANSITIONS = TABLE.transitions
ACTION_LABELS = TABLE.action_labels
"""The actions in display order, with the words the case page uses for them."""
TERMINAL_STATES = TABLE.terminal
check = TABLE.check
actions_open = TABLE.actions_open
actions_blocked = TABLE.actions_blocked


# --- questions only a case asks ----------------------------------------------------


def require_major_review(facts: CaseFacts) -> None:
    """Raise unless a major decision may be recorded or its instrument generated.

    The decision service and the instrument service both call this, so no path
    to a 行政处罚决定书 goes around the review of 行政处罚法 Art. 58.
    """
    for guard in (MAJOR_REVIEWED, MAJOR_REVIEWER_INDEPENDENT):
        if (error := guard.failure(State.DECIDED, facts)) is not None:
            raise error


def stage_of(state: str) -> Stage:
    """Return the reporting stage ``state`` belongs to."""
    TABLE.label(state)  # an unknown state is a programming error
    return next(stage for stage in STAGES if state in stage.states)

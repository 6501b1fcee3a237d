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
``hearing_held`` also covers a hearing ended because the party stayed away (Art.
64(6)). ``terminated`` and ``transferred`` wait for the principal's closure approval
(办法 Art. 46(1)-(2)); only ``closed`` and ``filing_rejected`` are final. A return
to investigation (``reinvestigate``) voids what followed the notice: the service
clears the notice, hearing, review and discussion facts when the proposal changes.

Guards are pure predicates over ``CaseFacts``; the service computes the facts (the
deadline engine says whether a window has closed, ``majority`` says whether the case
is major) and this module only judges. Role codes are the plain strings of
``fazhi.core.roles.Role``, repeated here because that module imports Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

OFFICER = "enforcement_officer"
LEGAL_REVIEWER = "legal_reviewer"
PRINCIPAL = "principal"
ROLE_LABELS = {OFFICER: "执法人员", LEGAL_REVIEWER: "法制审核人员", PRINCIPAL: "负责人"}


class State(StrEnum):
    """Where a case stands; the value is what the database stores."""

    FILING_PENDING = "filing_pending"  # 立案呈批，待负责人批准
    FILING_REJECTED = "filing_rejected"  # 负责人决定不予立案（办法第十六条第二款）
    FILED = "filed"  # 已立案，调查取证中；九十日办案期限起算
    NOTICE_SERVED = "notice_served"  # 已送达处罚告知书，陈述申辩（听证申请）期间
    HEARING_REQUESTED = "hearing_requested"  # 当事人按期要求听证，待举行
    HEARING_HELD = "hearing_held"  # 听证已举行或视为放弃而终止
    LEGAL_REVIEW = "legal_review"  # 已提请法制审核，待审核意见
    REVIEW_RETURNED = "review_returned"  # 法制审核退回补正
    REVIEW_PASSED = "review_passed"  # 法制审核通过，有书面审核意见
    COLLECTIVE_DISCUSSION = "collective_discussion"  # 负责人已集体讨论，待决定书
    DECIDED = "decided"  # 已作出处罚（或不予处罚）决定，待送达
    SERVED = "served"  # 决定书已送达，当事人履行期间
    EXECUTING = "executing"  # 执行中：催告、代履行、没收物移交等
    COURT_ENFORCEMENT = "court_enforcement"  # 已申请人民法院强制执行
    TERMINATED = "terminated"  # 经批准终止调查，待结案（办法第二十八条）
    TRANSFERRED = "transferred"  # 已移送有权机关，待结案（办法第十一条、第十三条）
    CLOSED = "closed"  # 经负责人批准结案（办法第四十六条）


STATE_LABELS: dict[State, str] = {
    State.FILING_PENDING: "立案待批",
    State.FILING_REJECTED: "不予立案",
    State.FILED: "已立案（调查取证）",
    State.NOTICE_SERVED: "已告知（陈述申辩期）",
    State.HEARING_REQUESTED: "已申请听证",
    State.HEARING_HELD: "听证已结束",
    State.LEGAL_REVIEW: "法制审核中",
    State.REVIEW_RETURNED: "法制审核退回补正",
    State.REVIEW_PASSED: "法制审核通过",
    State.COLLECTIVE_DISCUSSION: "已集体讨论",
    State.DECIDED: "已作出决定",
    State.SERVED: "决定书已送达",
    State.EXECUTING: "执行中",
    State.COURT_ENFORCEMENT: "已申请法院强制执行",
    State.TERMINATED: "已终止调查",
    State.TRANSFERRED: "已移送",
    State.CLOSED: "已结案",
}
TERMINAL_STATES = frozenset({State.FILING_REJECTED, State.CLOSED})


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
          frozenset({State.COLLECTIVE_DISCUSSION, State.DECIDED})),
    Stage("service", "送达", OFFICER, PRINCIPAL, frozenset({State.SERVED})),
    Stage("execution", "执行", OFFICER, PRINCIPAL,
          frozenset({State.EXECUTING, State.COURT_ENFORCEMENT})),
    Stage("closure", "结案", OFFICER, PRINCIPAL,
          frozenset({State.TERMINATED, State.TRANSFERRED, State.CLOSED})),
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
    # Reconsideration (60 days) and litigation (6 months) windows both ran out.
    appeal_window_closed: bool = False
    remedy_pending: bool = False  # reconsideration or suit lodged and undecided
    demand_period_elapsed: bool = False  # 10 working days since the 催告书 (Art. 54)
    court_application_deadline_passed: bool = False  # 3 months after (Art. 53)


# --- errors ------------------------------------------------------------------------


class WorkflowError(Exception):
    """An action cannot be taken; the message says why in Chinese."""


class UnknownAction(ValueError):
    """The action or state is not in the table: a programming error."""


class TransitionNotAllowed(WorkflowError):
    """The action is not open to the case in its present state or circumstances."""


class RoleNotAllowed(WorkflowError):
    """The acting role may not take this action; the message names who may."""


class GuardFailed(TransitionNotAllowed):
    """A legal precondition of the action is not met."""


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


# --- guards ------------------------------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """A precondition: ``test`` holds, or ``error(message)`` is raised."""

    test: Callable[[CaseFacts], bool]
    error: type[GuardFailed]
    message: str
    only_from: frozenset[State] = frozenset()  # empty: whatever the source state

    def failure(self, state: State, facts: CaseFacts) -> GuardFailed | None:
        """Return the error to raise, or None when the guard holds."""
        if self.only_from and state not in self.only_from:
            return None
        return None if self.test(facts) else self.error(self.message)


def _hearing_settled(f: CaseFacts) -> bool:
    return f.hearing_requested_in_time is not True or f.hearing_held or f.hearing_waived


def _major_reviewed(f: CaseFacts) -> bool:
    return not f.is_major or (f.review_passed and f.review_opinion_written)


TWO_OFFICERS = Guard(
    lambda f: f.officers_count >= 2,
    OfficersMissing,
    "执法人员不得少于两人（行政处罚法第四十二条；自然资源行政处罚办法第十七条）",
)
PENALTY_PROPOSED = Guard(
    lambda f: f.penalty,
    PenaltyRequired,
    "拟不予行政处罚的，无需告知，可直接作出不予行政处罚决定（行政处罚法第五十七条）",
)
PENALTY_IN_DECISION = Guard(
    lambda f: f.penalty,
    PenaltyRequired,
    "决定不予行政处罚的，请按“作出不予行政处罚决定”办理（行政处罚法第五十七条）",
)
PENALTY_DECIDED = Guard(
    lambda f: f.penalty,
    PenaltyRequired,
    "不予行政处罚的决定无需执行，送达后即可结案（自然资源行政处罚办法第四十六条）",
)
NO_PENALTY_DECIDED = Guard(
    lambda f: not f.penalty,
    GuardFailed,
    "所作决定含有罚款或其他处罚，应按“作出行政处罚决定”办理：先送达告知书、"
    "听取陈述申辩（行政处罚法第四十四条、第四十五条）",
)
NOTICE_GIVEN = Guard(
    lambda f: not f.penalty or f.notice_served_on is not None,
    NoticeRequired,
    "作出行政处罚决定前须告知拟处罚内容及事实、理由、依据和陈述、申辩、"
    "要求听证的权利（行政处罚法第四十四条、第六十二条）",
)
STATEMENT_HEARD = Guard(
    lambda f: not f.penalty or f.statement_window_closed or f.statement_waived,
    StatementWindowOpen,
    "陈述、申辩期限（收到告知书后五个工作日）未届满，当事人也未明确放弃"
    "（行政处罚法第四十五条、第六十二条；自然资源行政处罚办法第三十三条）",
)
HEARING_RIGHT = Guard(
    lambda f: f.hearing_right,
    HearingNotAvailable,
    "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条；"
    "自然资源行政处罚办法第三十四条）",
)
HEARING_REQUEST_IN_TIME = Guard(
    lambda f: f.hearing_requested_in_time is True,
    HearingNotAvailable,
    "当事人未在告知后五个工作日内要求听证（行政处罚法第六十四条第一项）",
)
HEARING_SETTLED = Guard(
    _hearing_settled,
    HearingRequired,
    "当事人已按期要求听证，听证举行或依法终止前不得作出决定"
    "（行政处罚法第六十三条至第六十五条）",
)
HEARING_NOTIFIED = Guard(
    lambda f: f.hearing_notified_7_days_ahead,
    HearingNotAvailable,
    "须在举行听证的七个工作日前通知当事人听证的时间、地点"
    "（行政处罚法第六十四条第二项、第八十五条）",
)
HEARING_CHAIR_INDEPENDENT = Guard(
    lambda f: not f.hearing_chair_is_case_officer,
    HearingChairConflict,
    "听证须由非本案调查人员主持（行政处罚法第六十四条第四项）",
)
REVIEWER_INDEPENDENT = Guard(
    lambda f: not f.reviewer_is_case_officer,
    ReviewerConflict,
    "法制审核人员不得是本案的承办人员，也不得是立案、调查、告知、送达等环节的经办人"
    "（行政处罚法第五十八条）",
)
REVIEW_OPINION_WRITTEN = Guard(
    lambda f: f.review_opinion_written,
    ReviewRequired,
    "法制审核须出具书面审核意见（行政处罚法第五十八条）",
)
MAJOR_REVIEWED = Guard(
    _major_reviewed,
    ReviewRequired,
    "重大行政处罚决定须经法制审核并通过、出具书面审核意见；未经法制审核或者审核"
    "未通过的，不得作出决定（行政处罚法第五十八条；自然资源行政处罚办法第三十二条）",
)
MAJOR_REVIEWER_INDEPENDENT = Guard(
    lambda f: not f.is_major or not f.reviewer_is_case_officer,
    ReviewerConflict,
    "法制审核由本案承办人员或经办人进行，不能作为通过的审核（行政处罚法第五十八条）",
)
COLLECTIVE_HELD = Guard(
    lambda f: not f.requires_collective_discussion or f.collective_discussion_held,
    CollectiveDiscussionRequired,
    "情节复杂或者重大违法行为的处罚，须由负责人集体讨论决定"
    "（行政处罚法第五十七条第二款；自然资源行政处罚办法第三十一条第二款）",
)
SOMETHING_TO_ENFORCE = Guard(
    lambda f: not f.execution_complete, GuardFailed, "决定已履行完毕，无需申请强制执行"
)
PERFORMANCE_OVERDUE = Guard(
    lambda f: f.performance_deadline_passed,
    CourtEnforcementTooEarly,
    "决定书载明的履行期限（罚款为收到决定书之日起十五日）尚未届满"
    "（行政处罚法第六十七条、第七十二条）",
)
REMEDY_WINDOWS_CLOSED = Guard(
    lambda f: f.appeal_window_closed and not f.remedy_pending,
    CourtEnforcementTooEarly,
    "当事人申请行政复议（六十日）或者提起行政诉讼（六个月）的期限尚未届满，"
    "或者复议、诉讼尚未终结（行政强制法第五十三条；自然资源行政处罚办法第四十四条）",
)
DEMAND_ELAPSED = Guard(
    lambda f: f.demand_period_elapsed,
    CourtEnforcementTooEarly,
    "申请前须催告，催告书送达十个工作日后当事人仍未履行方可申请"
    "（行政强制法第五十四条、第六十九条）",
)
WITHIN_THREE_MONTHS = Guard(
    lambda f: not f.court_application_deadline_passed,
    CourtEnforcementTooLate,
    "已超过复议、诉讼期限届满之日起三个月的申请期限（行政强制法第五十三条）",
)
CLOSURE_GROUND = Guard(
    lambda f: not f.penalty or f.execution_complete or f.execution_terminated,
    ClosureGroundMissing,
    "决定尚未执行完毕，也未终结执行或申请强制执行（自然资源行政处罚办法第四十六条）",
    only_from=frozenset({State.SERVED, State.EXECUTING}),
)


# --- the table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One action: where it may start, where it leads, who may take it, and when."""

    label: str
    sources: frozenset[State]
    target: State
    roles: frozenset[str]
    guards: tuple[Guard, ...] = ()


def _t(
    label: str,
    sources: Iterable[State],
    target: State,
    roles: Iterable[str],
    *guards: Guard,
) -> Transition:
    return Transition(label, frozenset(sources), target, frozenset(roles), guards)


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

# Each row: label, source states, target, roles, then the guards in the order checked.
# fmt: off
TRANSITIONS: dict[str, Transition] = {
    "approve_filing": _t("批准立案", [S.FILING_PENDING], S.FILED, [PRINCIPAL],
                         TWO_OFFICERS),
    "reject_filing": _t("不予立案", [S.FILING_PENDING], S.FILING_REJECTED,
                        [PRINCIPAL]),
    "serve_notice": _t("送达处罚告知书", [S.FILED], S.NOTICE_SERVED, [OFFICER],
                       TWO_OFFICERS, PENALTY_PROPOSED),
    "request_hearing": _t("登记听证申请", [S.NOTICE_SERVED], S.HEARING_REQUESTED,
                          [OFFICER], HEARING_RIGHT, HEARING_REQUEST_IN_TIME),
    "hold_hearing": _t("举行听证", [S.HEARING_REQUESTED], S.HEARING_HELD,
                       [LEGAL_REVIEWER, PRINCIPAL], HEARING_NOTIFIED,
                       HEARING_CHAIR_INDEPENDENT),
    "waive_hearing": _t("视为放弃听证", [S.HEARING_REQUESTED], S.HEARING_HELD,
                        [LEGAL_REVIEWER, PRINCIPAL]),
    "reinvestigate": _t("补充调查", _UNDECIDED[1:], S.FILED, [OFFICER]),
    "submit_review": _t("提请法制审核", _READY, S.LEGAL_REVIEW, [OFFICER],
                        *_PARTY_HEARD),
    "pass_review": _t("法制审核通过", [S.LEGAL_REVIEW], S.REVIEW_PASSED,
                      [LEGAL_REVIEWER], REVIEWER_INDEPENDENT, REVIEW_OPINION_WRITTEN),
    "return_review": _t("法制审核退回补正", [S.LEGAL_REVIEW], S.REVIEW_RETURNED,
                        [LEGAL_REVIEWER], REVIEWER_INDEPENDENT,
                        REVIEW_OPINION_WRITTEN),
    "resubmit_review": _t("补正后重新提请审核", [S.REVIEW_RETURNED], S.LEGAL_REVIEW,
                          [OFFICER], *_PARTY_HEARD),
    "hold_collective_discussion": _t(
        "负责人集体讨论", (*_READY, S.REVIEW_PASSED), S.COLLECTIVE_DISCUSSION,
        [PRINCIPAL], *_REVIEWED, *_PARTY_HEARD),
    "decide": _t(
        "作出行政处罚决定", _HEARD, S.DECIDED, [PRINCIPAL], PENALTY_IN_DECISION,
        *_REVIEWED, *_PARTY_HEARD, COLLECTIVE_HELD, TWO_OFFICERS),
    "decide_no_penalty": _t(
        "作出不予行政处罚决定", (*_READY, S.REVIEW_PASSED, S.COLLECTIVE_DISCUSSION),
        S.DECIDED, [PRINCIPAL], NO_PENALTY_DECIDED, *_REVIEWED, HEARING_SETTLED,
        COLLECTIVE_HELD, TWO_OFFICERS),
    "serve_decision": _t("送达决定书", [S.DECIDED], S.SERVED, [OFFICER]),
    "start_execution": _t("进入执行", [S.SERVED], S.EXECUTING, [OFFICER],
                          PENALTY_DECIDED),
    "apply_court_enforcement": _t(
        "申请法院强制执行", [S.EXECUTING], S.COURT_ENFORCEMENT, [PRINCIPAL],
        SOMETHING_TO_ENFORCE, PERFORMANCE_OVERDUE, REMEDY_WINDOWS_CLOSED,
        DEMAND_ELAPSED, WITHIN_THREE_MONTHS),
    "terminate": _t("终止调查", _UNDECIDED, S.TERMINATED, [PRINCIPAL]),
    "transfer": _t("移送", (S.FILING_PENDING, *_UNDECIDED), S.TRANSFERRED,
                   [PRINCIPAL]),
    "close": _t("结案", [S.SERVED, S.EXECUTING, S.COURT_ENFORCEMENT, S.TERMINATED,
                         S.TRANSFERRED], S.CLOSED, [PRINCIPAL], CLOSURE_GROUND),
}
# fmt: on
del S
ACTION_LABELS = {action: t.label for action, t in TRANSITIONS.items()}
"""The actions in display order, with the words the case page uses for them."""


# --- questions ---------------------------------------------------------------------


def check(
    action: str, state: str, role: str | Iterable[str], facts: CaseFacts
) -> State:
    """Return the state ``action`` leads to, or raise why it may not be taken.

    ``role`` is one role code or the set a person holds. Checked in order: the
    state (TransitionNotAllowed), the role (RoleNotAllowed), then each guard
    (a GuardFailed subclass, itself a TransitionNotAllowed) in table order.
    """
    transition, here = _lookup(action, state)
    if here not in transition.sources:
        raise TransitionNotAllowed(
            f"当前状态为“{STATE_LABELS[here]}”，不能{transition.label}"
        )
    if not transition.roles & _roles(role):
        needed = "或".join(ROLE_LABELS[r] for r in sorted(transition.roles))
        raise RoleNotAllowed(f"“{transition.label}”须由{needed}办理")
    for guard in transition.guards:
        if (error := guard.failure(here, facts)) is not None:
            raise error
    return transition.target


def actions_open(state: str, role: str | Iterable[str], facts: CaseFacts) -> list[str]:
    """Actions this role may take now, in display order."""
    return [a for a in TRANSITIONS if _why_not(a, state, role, facts) is None]


def actions_blocked(
    state: str, role: str | Iterable[str], facts: CaseFacts
) -> dict[str, str]:
    """Actions open to this role in this state but held back by a guard, with why."""
    blocked = {}
    for action, transition in TRANSITIONS.items():
        error = _why_not(action, state, role, facts)
        if isinstance(error, GuardFailed) and state in transition.sources:
            blocked[action] = str(error)
    return blocked


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
    here = _state(state)
    return next(stage for stage in STAGES if here in stage.states)


def _why_not(
    action: str, state: str, role: str | Iterable[str], facts: CaseFacts
) -> WorkflowError | None:
    try:
        check(action, state, role, facts)
    except WorkflowError as error:
        return error
    return None


def _lookup(action: str, state: str) -> tuple[Transition, State]:
    try:
        transition = TRANSITIONS[action]
    except KeyError:
        raise UnknownAction(f"未知的操作 {action!r}") from None
    return transition, _state(state)


def _state(state: str) -> State:
    try:
        return State(state)
    except ValueError:
        raise UnknownAction(f"未知的案件状态 {state!r}") from None


def _roles(role: str | Iterable[str]) -> frozenset[str]:
    return frozenset({role}) if isinstance(role, str) else frozenset(role)

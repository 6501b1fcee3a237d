"""The enforcement case state table: order of steps, roles, and the legal guards."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fazhi.enforcement.cases import workflow as wf
from fazhi.enforcement.cases.workflow import (
    LEGAL_REVIEWER,
    OFFICER,
    PRINCIPAL,
    CaseFacts,
    State,
)

ROOT = Path(__file__).resolve().parents[2]
# Every business role code of fazhi.core.roles, so a stranger role is tried too.
ALL_ROLES = (OFFICER, LEGAL_REVIEWER, PRINCIPAL, "window_clerk", "supervisor")


# The periods as the service passes them from the rule files (services.guard_words).
WORDS = {"statement_period": "五个工作日", "hearing_request_period": "五个工作日",
         "hearing_notice_period": "七个工作日", "demand_period": "十个工作日"}


def ready(**changes) -> CaseFacts:
    """An ordinary case: two officers, notice served, statement period over."""
    base = CaseFacts(
        officers_count=2,
        notice_served_on=date(2025, 3, 3),
        statement_window_closed=True,
        words=WORDS,
    )
    return replace(base, **changes)


def everything_done(**changes) -> CaseFacts:
    """Facts under which every guard in the table holds."""
    base = ready(
        hearing_right=True,
        hearing_requested_in_time=True,
        hearing_notified_7_days_ahead=True,
        hearing_held=True,
        review_passed=True,
        review_opinion_written=True,
        collective_discussion_held=True,
        performance_deadline_passed=True,
        appeal_window_closed=True,
        demand_period_elapsed=True,
    )
    return replace(base, **changes)


def test_pure_modules_import_and_run_without_django():
    script = """
import sys
from fazhi.enforcement.cases import majority
from fazhi.enforcement.cases import workflow
rules = majority.load_majority_rules()
majority.is_major(majority.CaseOutcomeFacts(fine_yuan=1), rules)
workflow.check("approve_filing", "filing_pending", "principal",
               workflow.CaseFacts(officers_count=2))
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
assert "fazhi.settings" not in sys.modules
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_full_happy_path_of_a_major_case_from_filing_to_closure():
    facts = CaseFacts(
        officers_count=2,
        is_major=True,
        hearing_right=True,
        requires_collective_discussion=True,
    )
    steps = [
        ("approve_filing", PRINCIPAL, {}, State.FILED),
        (
            "serve_notice",
            OFFICER,
            {"notice_served_on": date(2025, 3, 3)},
            State.NOTICE_SERVED,
        ),
        (
            "request_hearing",
            OFFICER,
            {"hearing_requested_in_time": True},
            State.HEARING_REQUESTED,
        ),
        (
            "hold_hearing",
            LEGAL_REVIEWER,
            {"hearing_notified_7_days_ahead": True},
            State.HEARING_HELD,
        ),
        (
            "submit_review",
            OFFICER,
            {"hearing_held": True, "statement_window_closed": True},
            State.LEGAL_REVIEW,
        ),
        (
            "pass_review",
            LEGAL_REVIEWER,
            {"review_opinion_written": True},
            State.REVIEW_PASSED,
        ),
        (
            "submit_discussion",
            OFFICER,
            {"review_passed": True},
            State.DISCUSSION_PENDING,
        ),
        ("hold_collective_discussion", PRINCIPAL, {}, State.COLLECTIVE_DISCUSSION),
        ("decide", PRINCIPAL, {"collective_discussion_held": True}, State.DECIDED),
        ("serve_decision", OFFICER, {}, State.SERVED),
        ("start_execution", OFFICER, {}, State.EXECUTING),
        ("propose_closure", OFFICER, {"execution_complete": True},
         State.CLOSURE_PENDING),
        ("close", PRINCIPAL, {}, State.CLOSED),
    ]
    state, stages = State.FILING_PENDING, [wf.stage_of(State.FILING_PENDING).code]
    for action, role, changes, expected in steps:
        facts = replace(facts, **changes)
        assert action in wf.actions_open(state, role, facts)
        state = wf.check(action, state, role, facts)
        assert state == expected
        stages.append(wf.stage_of(state).code)
    assert list(dict.fromkeys(stages)) == [s.code for s in wf.STAGES]


def test_decide_on_a_major_case_without_a_passed_review_is_refused_citing_art_58():
    with pytest.raises(wf.ReviewRequired, match="第五十八条") as caught:
        wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, ready(is_major=True))
    assert isinstance(caught.value, wf.TransitionNotAllowed)


def test_decide_on_a_non_major_case_needs_no_review():
    assert wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, ready()) == State.DECIDED


def test_a_passed_review_without_a_written_opinion_does_not_count():
    facts = ready(is_major=True, review_passed=True, review_opinion_written=False)
    with pytest.raises(wf.ReviewRequired):
        wf.check("decide", State.REVIEW_PASSED, PRINCIPAL, facts)


def test_collective_discussion_of_a_major_case_cannot_go_around_the_review():
    with pytest.raises(wf.ReviewRequired):
        wf.check("submit_discussion", State.NOTICE_SERVED, OFFICER,
                 ready(is_major=True))
    with pytest.raises(wf.ReviewRequired):
        wf.check("hold_collective_discussion", State.DISCUSSION_PENDING, PRINCIPAL,
                 ready(is_major=True))


def test_no_state_lets_a_major_case_be_decided_without_a_passed_review():
    facts = everything_done(is_major=True, review_passed=False)
    for state in State:
        assert "decide" not in wf.actions_open(state, PRINCIPAL, facts)


def test_instrument_gate_refuses_a_major_decision_without_review():
    with pytest.raises(wf.ReviewRequired):
        wf.require_major_review(ready(is_major=True))
    wf.require_major_review(ready(is_major=False))
    wf.require_major_review(
        ready(is_major=True, review_passed=True, review_opinion_written=True)
    )


def test_a_reviewer_who_is_a_case_officer_is_refused():
    facts = ready(reviewer_is_case_officer=True, review_opinion_written=True)
    with pytest.raises(wf.ReviewerConflict, match="承办人员"):
        wf.check("pass_review", State.LEGAL_REVIEW, LEGAL_REVIEWER, facts)


def test_a_decision_resting_on_a_review_by_a_case_officer_is_refused():
    facts = ready(
        is_major=True,
        review_passed=True,
        review_opinion_written=True,
        reviewer_is_case_officer=True,
    )
    with pytest.raises(wf.ReviewerConflict):
        wf.check("decide", State.REVIEW_PASSED, PRINCIPAL, facts)


def test_a_review_needs_a_written_opinion():
    with pytest.raises(wf.ReviewRequired, match="书面"):
        wf.check("pass_review", State.LEGAL_REVIEW, LEGAL_REVIEWER, ready())


def _wrong_roles():
    for action, transition in wf.TRANSITIONS.items():
        for role in ALL_ROLES:
            if role not in transition.roles:
                yield pytest.param(action, role, id=f"{action}-{role}")


@pytest.mark.parametrize(("action", "role"), list(_wrong_roles()))
def test_a_wrong_role_is_refused_naming_the_role_needed(action, role):
    transition = wf.TRANSITIONS[action]
    source = sorted(transition.sources)[0]
    with pytest.raises(wf.RoleNotAllowed) as caught:
        wf.check(action, source, role, everything_done())
    assert any(wf.ROLE_LABELS[r] in str(caught.value) for r in transition.roles)


@pytest.mark.parametrize("action", list(wf.TRANSITIONS))
def test_the_right_role_may_take_every_action_when_the_law_is_satisfied(action):
    transition = wf.TRANSITIONS[action]
    facts = everything_done(execution_complete=action == "propose_closure")
    if action == "decide_no_penalty":
        facts = replace(facts, penalty=False)
    for source in transition.sources:
        for role in transition.roles:
            assert wf.check(action, source, role, facts) == transition.target


def test_a_person_holding_several_roles_acts_under_any_of_them():
    roles = {OFFICER, PRINCIPAL}
    state = wf.check("approve_filing", State.FILING_PENDING, roles, ready())
    assert state == State.FILED


def test_a_hearing_requested_in_time_blocks_the_decision_until_held():
    facts = ready(hearing_right=True, hearing_requested_in_time=True)
    with pytest.raises(wf.HearingRequired, match="听证"):
        wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, facts)
    with pytest.raises(wf.TransitionNotAllowed):
        wf.check("decide", State.HEARING_REQUESTED, PRINCIPAL, facts)
    held = replace(facts, hearing_held=True)
    assert wf.check("decide", State.HEARING_HELD, PRINCIPAL, held) == State.DECIDED


def test_a_hearing_the_party_failed_to_attend_no_longer_blocks_the_decision():
    facts = ready(hearing_right=True, hearing_requested_in_time=True)
    state = wf.check("waive_hearing", State.HEARING_REQUESTED, LEGAL_REVIEWER, facts)
    waived = replace(facts, hearing_waived=True)
    assert wf.check("decide", state, PRINCIPAL, waived) == State.DECIDED


def test_a_late_hearing_request_or_one_without_a_right_is_refused():
    late = ready(hearing_right=True, hearing_requested_in_time=False)
    with pytest.raises(wf.HearingNotAvailable, match="五个工作日"):
        wf.check("request_hearing", State.NOTICE_SERVED, OFFICER, late)
    no_right = ready(hearing_right=False, hearing_requested_in_time=True)
    with pytest.raises(wf.HearingNotAvailable, match="第六十三条"):
        wf.check("request_hearing", State.NOTICE_SERVED, OFFICER, no_right)


def test_a_hearing_needs_seven_working_days_notice_and_an_outside_chair():
    facts = ready(hearing_requested_in_time=True)
    with pytest.raises(wf.HearingNotAvailable, match="七个工作日"):
        wf.check("hold_hearing", State.HEARING_REQUESTED, PRINCIPAL, facts)
    facts = replace(
        facts, hearing_notified_7_days_ahead=True, hearing_chair_is_case_officer=True
    )
    with pytest.raises(wf.HearingChairConflict):
        wf.check("hold_hearing", State.HEARING_REQUESTED, PRINCIPAL, facts)


def test_decide_waits_for_the_statement_period_unless_the_party_waived_it():
    open_window = ready(statement_window_closed=False)
    with pytest.raises(wf.StatementWindowOpen, match="第四十五条"):
        wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, open_window)
    waived = replace(open_window, statement_waived=True)
    assert wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, waived) == State.DECIDED


def test_a_penalty_cannot_be_decided_without_a_notice():
    with pytest.raises(wf.TransitionNotAllowed, match="已立案"):
        wf.check("decide", State.FILED, PRINCIPAL, ready(notice_served_on=None))
    # a review passed on a "no penalty" proposal does not open a penalty decision
    with pytest.raises(wf.NoticeRequired, match="第四十四条"):
        wf.check("decide", State.REVIEW_PASSED, PRINCIPAL,
                 ready(notice_served_on=None, review_passed=True,
                       review_opinion_written=True))


def test_a_decision_imposing_something_cannot_pass_as_no_penalty():
    with pytest.raises(wf.GuardFailed, match="作出行政处罚决定"):
        wf.check("decide_no_penalty", State.FILED, PRINCIPAL, ready(penalty=True))
    with pytest.raises(wf.PenaltyRequired, match="不予行政处罚"):
        wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, ready(penalty=False))


def test_a_major_decision_not_to_penalise_still_needs_the_review():
    facts = CaseFacts(officers_count=2, penalty=False, is_major=True)
    with pytest.raises(wf.ReviewRequired):
        wf.check("decide_no_penalty", State.FILED, PRINCIPAL, facts)


def test_a_decision_not_to_penalise_skips_notice_and_execution():
    facts = CaseFacts(officers_count=2, penalty=False)
    state = wf.check("decide_no_penalty", State.FILED, PRINCIPAL, facts)
    state = wf.check("serve_decision", state, OFFICER, facts)
    with pytest.raises(wf.PenaltyRequired):
        wf.check("start_execution", state, OFFICER, facts)
    state = wf.check("propose_closure", state, OFFICER, facts)
    assert wf.check("close", state, PRINCIPAL, facts) == State.CLOSED


def test_collective_discussion_required_blocks_the_decision_until_held():
    facts = ready(requires_collective_discussion=True)
    with pytest.raises(wf.CollectiveDiscussionRequired, match="第五十七条"):
        wf.check("decide", State.NOTICE_SERVED, PRINCIPAL, facts)


def test_fewer_than_two_officers_cannot_file_or_notify():
    with pytest.raises(wf.OfficersMissing, match="第四十二条"):
        wf.check(
            "approve_filing",
            State.FILING_PENDING,
            PRINCIPAL,
            CaseFacts(officers_count=1),
        )


def court_ready(**changes) -> CaseFacts:
    """A decision left unperformed, every remedy window closed, the demand served."""
    base = ready(
        performance_deadline_passed=True,
        appeal_window_closed=True,
        demand_period_elapsed=True,
    )
    return replace(base, **changes)


def test_court_enforcement_is_open_once_every_condition_is_met():
    state = wf.check(
        "apply_court_enforcement", State.EXECUTING, PRINCIPAL, court_ready()
    )
    assert state == State.COURT_ENFORCEMENT
    state = wf.check("propose_closure", state, OFFICER, court_ready())
    assert wf.check("close", state, PRINCIPAL, court_ready()) == State.CLOSED


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"performance_deadline_passed": False}, "履行期限"),
        ({"appeal_window_closed": False}, "第五十三条"),
        ({"remedy_pending": True}, "尚未终结"),
        ({"demand_period_elapsed": False}, "催告"),
    ],
    ids=["payment-due", "remedy-window-open", "remedy-pending", "no-demand"],
)
def test_court_enforcement_too_early_is_refused(changes, needle):
    with pytest.raises(wf.CourtEnforcementTooEarly, match=needle):
        wf.check(
            "apply_court_enforcement",
            State.EXECUTING,
            PRINCIPAL,
            court_ready(**changes),
        )


def test_court_enforcement_after_three_months_is_refused():
    late = court_ready(court_application_deadline_passed=True,
                       words={**WORDS, "court_period": "三个月"})
    with pytest.raises(wf.CourtEnforcementTooLate, match="三个月"):
        wf.check("apply_court_enforcement", State.EXECUTING, PRINCIPAL, late)


def test_a_guard_names_the_periods_its_facts_give_and_never_a_field_name():
    """The periods are rule data the service passes in (CaseFacts.words); without
    them the message leaves the period out rather than print its name."""
    late = court_ready(court_application_deadline_passed=True,
                       words={"court_period": "四个月"})
    with pytest.raises(wf.CourtEnforcementTooLate, match="之日起四个月"):
        wf.check("apply_court_enforcement", State.EXECUTING, PRINCIPAL, late)
    bare = court_ready(court_application_deadline_passed=True, words={})
    with pytest.raises(wf.CourtEnforcementTooLate) as refused:
        wf.check("apply_court_enforcement", State.EXECUTING, PRINCIPAL, bare)
    assert "{" not in str(refused.value) and "court_period" not in str(refused.value)
    assert "三个月" not in str(refused.value)


def test_a_case_in_execution_is_proposed_for_closure_only_when_done_or_ended():
    with pytest.raises(wf.ClosureGroundMissing):
        wf.check("propose_closure", State.EXECUTING, OFFICER, ready())
    ended = ready(execution_terminated=True)
    assert wf.check("propose_closure", State.EXECUTING, OFFICER,
                    ended) == State.CLOSURE_PENDING


def test_terminated_and_transferred_cases_close_with_the_principal_approval():
    for state in (State.TERMINATED, State.TRANSFERRED):
        assert wf.TABLE.waits_on(state) == OFFICER  # to propose the closure
        assert wf.check("propose_closure", state, OFFICER,
                        CaseFacts()) == State.CLOSURE_PENDING
        with pytest.raises(wf.TransitionNotAllowed):
            wf.check("close", state, PRINCIPAL, CaseFacts())
    assert wf.check("close", State.CLOSURE_PENDING, PRINCIPAL,
                    CaseFacts()) == State.CLOSED
    with pytest.raises(wf.RoleNotAllowed):
        wf.check("close", State.CLOSURE_PENDING, OFFICER, CaseFacts())


def test_a_refusal_returns_the_case_to_the_state_its_proposal_left():
    for pending, back in wf.RETURNS.items():
        proposal = next(a for a, t in wf.TRANSITIONS.items()
                        if t.target == pending)
        assert set(back) == wf.TRANSITIONS[proposal].sources
        for origin, action in back.items():
            assert wf.check(action, pending, PRINCIPAL, CaseFacts()) == origin


def test_a_closed_case_allows_nothing():
    for role in ALL_ROLES:
        assert wf.actions_open(State.CLOSED, role, everything_done()) == []
    with pytest.raises(wf.TransitionNotAllowed, match="已结案"):
        wf.check("reinvestigate", State.CLOSED, OFFICER, ready())


def test_actions_open_and_blocked_tell_the_page_what_to_show():
    facts = ready(is_major=True)
    assert wf.actions_open(State.NOTICE_SERVED, OFFICER, facts) == [
        "reinvestigate",
        "submit_review",
        "propose_termination",
    ]
    blocked = wf.actions_blocked(State.NOTICE_SERVED, PRINCIPAL, facts)
    assert "第五十八条" in blocked["decide"]
    assert "terminate" not in blocked


def test_every_state_belongs_to_exactly_one_of_the_eight_reporting_stages():
    assert [s.label for s in wf.STAGES] == [
        "立案",
        "调查取证",
        "告知",
        "法制审核",
        "决定",
        "送达",
        "执行",
        "结案",
    ]
    for state in State:
        assert sum(state in stage.states for stage in wf.STAGES) == 1
        assert state in wf.STATE_LABELS
    for stage in wf.STAGES:
        assert stage.responsible_role in wf.ROLE_LABELS
        assert stage.approver_role in wf.ROLE_LABELS


def test_every_state_is_reachable_and_only_terminal_states_have_no_exit():
    targets = {t.target for t in wf.TRANSITIONS.values()}
    sources = set().union(*(t.sources for t in wf.TRANSITIONS.values()))
    assert set(State) - targets == {State.FILING_PENDING}
    assert set(State) - sources == wf.TERMINAL_STATES


def test_unknown_actions_and_states_are_programming_errors():
    with pytest.raises(wf.UnknownAction):
        wf.check("approve", State.FILED, PRINCIPAL, ready())
    with pytest.raises(wf.UnknownAction):
        wf.stage_of("lost")


def test_role_codes_are_those_of_core_roles():
    from fazhi.core.roles import Role

    assert set(wf.ROLE_LABELS) <= {r.value for r in Role}
    for code, label in wf.ROLE_LABELS.items():
        assert Role(code).label == label
    assert set(ALL_ROLES) <= {r.value for r in Role}

"""Enforcement cases in their states, with steps, officers and the case clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from fazhi.core.bulk import insert, with_ids
from fazhi.core.role_names import ENFORCEMENT_OFFICER, LEGAL_REVIEWER, PRINCIPAL
from fazhi.deadlines.models import Clock
from fazhi.enforcement.cases.workflow import TABLE
from fazhi.enforcement.models import Case, CaseStep
from fazhi.province.context import Fill, spread

START = "filing_pending"
# state → weight over a year: most cases filed this year are closed; the open ones
# are spread over the stages (bench_todo reads the open ones).
STATES = {"filing_pending": 3, "filed": 8, "notice_served": 4, "legal_review": 3,
          "review_passed": 2, "decided": 2, "served": 3, "executing": 4,
          "closed": 50, "terminated": 2, "transferred": 3, "hearing_requested": 1,
          "hearing_held": 1, "review_returned": 1, "collective_discussion": 1,
          "court_enforcement": 2, "discussion_pending": 1,
          "termination_pending": 1, "closure_pending": 3, "filing_rejected": 4}
STEPS = {  # the steps a case in each state has behind it (actions, in order)
    "filing_pending": [], "filed": ["approve_filing"],
    "filing_rejected": ["reject_filing"],
    "notice_served": ["approve_filing", "serve_notice"],
    "legal_review": ["approve_filing", "serve_notice", "submit_review"],
    "review_passed": ["approve_filing", "serve_notice", "submit_review",
                      "pass_review"],
}
STEPS["decided"] = [*STEPS["review_passed"], "decide"]
STEPS["served"] = [*STEPS["decided"], "serve_decision"]
STEPS["executing"] = [*STEPS["served"], "start_execution"]
STEPS["closed"] = [*STEPS["served"], "propose_closure", "close"]
STEPS["terminated"] = ["approve_filing", "propose_termination", "terminate"]
STEPS["transferred"] = ["approve_filing", "transfer"]
STEPS["hearing_requested"] = [*STEPS["notice_served"], "request_hearing"]
STEPS["hearing_held"] = [*STEPS["hearing_requested"], "hold_hearing"]
STEPS["review_returned"] = [*STEPS["legal_review"], "return_review"]
STEPS["collective_discussion"] = [*STEPS["review_passed"], "submit_discussion",
                                  "hold_collective_discussion"]
STEPS["court_enforcement"] = [*STEPS["executing"], "apply_court_enforcement"]
STEPS["discussion_pending"] = [*STEPS["review_passed"], "submit_discussion"]
STEPS["termination_pending"] = ["approve_filing", "propose_termination"]
STEPS["closure_pending"] = [*STEPS["served"], "propose_closure"]
# The case clock ends with these steps (``end_clocks`` in the services).
ENDS = {"close", "terminate", "transfer", "reject_filing"}
APPROVED = {"approve_filing", "close", "terminate"}  # signed by the principal
RULE = "penalty.case"
OPEN_WITHIN = 120  # an open case was filed within this many days
KINDS = ["illegal_occupation", "farmland_destruction", "unlicensed_mining"]


def number(code: str, i: int) -> str:
    return f"省演{code}执{i:07d}"


def fill(f: Fill, n: int, *, states: dict[str, int] = STATES, teams=None) -> list:
    """``n`` cases of ``f.org`` in ``states`` (by weight), each with the steps
    behind it, two officers and its case clock, taken in turn by ``teams`` of
    (officer, second officer, principal[, legal reviewer]) (default: the
    county's; without a reviewer the principal stands for one in the events)."""
    if teams is None:
        officers = f.staff[ENFORCEMENT_OFFICER]
        teams = [(o, officers[(k + 1) % len(officers)], f.person(PRINCIPAL, 0),
                  f.person(LEGAL_REVIEWER, 0)) for k, o in enumerate(officers)]
    ct = ContentType.objects.get_for_model(Case)
    picks = f.rng.choices(list(states), weights=list(states.values()), k=n)
    cases, plans = [], []
    for i, state in enumerate(picks):
        team = teams[i % len(teams)]
        opened = (f.day(within=OPEN_WITHIN) if state in TABLE.open_states
                  else f.day(before=30))
        actions = STEPS[state]
        days = spread(opened, f.later(opened, len(actions), 150), len(actions))
        cases.append(_case(f, i, state, team[0], opened, days, actions))
        plans.append((team, opened, actions, days))
    with_ids(Case, cases)
    clocks, links, steps, clocked = [], [], [], []
    for case, (team, opened, actions, days) in zip(cases, plans, strict=True):
        o1, o2, principal, *more = team
        reviewer = more[0] if more else principal

        def actor_for(t, o1=o1, principal=principal, reviewer=reviewer):
            return (principal if PRINCIPAL in t.roles else
                    reviewer if LEGAL_REVIEWER in t.roles else o1)

        f.event(case, "enforcement.file", f"立案呈批 {case.number}", day=opened,
                actor=o1, after={"state": START})
        taken = f.steps(case, TABLE, START, actions, days=days, actor_for=actor_for)
        if case.filed_on:
            end = next((d for a, d in zip(actions, days, strict=True) if a in ENDS),
                       None)
            clocks.append(f.clocks.make(
                ct=ct, object_id=case.pk, org=case.org_unit, rule_id=RULE,
                title=f"办案期限 {case.number}", start=case.filed_on, assignee=o1,
                end=end, ended_as="closed" if end else ""))
            clocked.append((case, principal))
        links += [(case, o1), (case, o2)]
        steps += [CaseStep(case_id=case.pk, action=a, state_before=b, state_after=s,
                           actor=actor_for(TABLE.transitions[a]),
                           approver=principal if a in APPROVED else None)
                  for a, b, s in taken]
    with_ids(Clock, clocks)
    for (case, principal), clock in zip(clocked, clocks, strict=True):
        case.case_clock_id = clock.pk
        f.clock_event(case, clock, actor=principal)
    insert(Clock, clocks)
    insert(Case, cases)
    through = Case.officers.through
    insert(through, [through(case_id=c.pk, user_id=u.pk) for c, u in links])
    insert(CaseStep, steps)
    return cases


def _case(f: Fill, i: int, state: str, officer, opened: dt.date,
          days: list[dt.date], actions: list[str]) -> Case:
    on = dict(zip(actions, days, strict=True))
    fine = Decimal(f.rng.randrange(10, 500) * 100)
    case = Case(
        org_unit=officer.org_unit, number=number(f.code, i),
        violation_type=f.rng.choice(KINDS), party_name=f"当事人{f.code[2:]}{i}",
        party_kind="person", location=f"某镇某村{i % 97}组",
        area_m2=Decimal(f.rng.randrange(10, 5000)), land_class="farmland",
        facts_summary="未经批准占用土地", state=state, created_by=officer,
        filed_on=on.get("approve_filing"), notice_served_on=on.get("serve_notice"),
        hearing_requested_on=on.get("request_hearing"),
        fine_proposed=fine if "serve_notice" in on else Decimal(0),
        decided_on=on.get("decide"), decision_served_on=on.get("serve_decision"),
        court_applied_on=on.get("apply_court_enforcement"),
        closed_on=on.get("close"))
    if case.decided_on:
        case.fine_decided = fine
    if state == "closed":
        case.paid_on = case.execution_completed_on = case.closed_on
        case.amount_paid = fine
    if "transfer" in on:
        case.transferred_to = "县公安局"
        case.end_reason = "涉嫌犯罪，依法移送"
    if "reject_filing" in on or "propose_termination" in on:
        case.end_reason = "违法事实不能成立"
    return case

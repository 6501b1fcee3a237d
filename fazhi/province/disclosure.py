"""A year of disclosure requests with their reply clocks: answered within a month
of receipt but for a few left open past their due date."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from fazhi.core.bulk import insert, with_ids
from fazhi.core.role_names import DISCLOSURE_OFFICER
from fazhi.deadlines.models import Clock
from fazhi.disclosure.law import outcome_choices
from fazhi.disclosure.models import DisclosureRequest
from fazhi.disclosure.workflow import TABLE
from fazhi.province.context import Fill

START = "registered"
STILL_OPEN = 0.02  # share of requests left unanswered whatever their age
RULE = "disclosure.reply"


def number(code: str, i: int) -> str:
    return f"省演{code}-{i:07d}"


def fill(f: Fill, n: int, *, officers=None) -> list:
    """``n`` requests of ``f.org`` received over the year, handled in turn by
    ``officers`` (default: the county's), each with its reply clock."""
    officers = officers or f.staff[DISCLOSURE_OFFICER]
    outcome = outcome_choices()[0][0]  # the first reply type of the rule data
    ct = ContentType.objects.get_for_model(DisclosureRequest)
    reqs = []
    for i in range(n):
        received = f.day()
        officer = officers[i % len(officers)]
        r = DisclosureRequest(
            org_unit=f.org, number=number(f.code, i), channel="online",
            submitted_on=received, confirmed_on=received, received_on=received,
            requester_category="natural_person",
            requester_name=f"申请人{f.code[2:]}{i}",
            content=f"申请公开{f.org.division_name}{received.month}月第{i}号批复文件",
            assignee=officer, created_by=officer)
        if f.rng.random() >= STILL_OPEN:
            replied = received + dt.timedelta(days=f.rng.randrange(1, 32))
            if replied <= f.today:
                r.state, r.outcome, r.replied_on = "replied", outcome, replied
                r.closed_on = replied
                r.reply_summary = "经检索，予以公开"
        reqs.append(r)
    with_ids(DisclosureRequest, reqs)
    clocks = [f.clocks.make(ct=ct, object_id=r.pk, org=f.org, rule_id=RULE,
                            title=f"依申请公开答复 {r.number}", start=r.received_on,
                            assignee=r.assignee, end=r.replied_on) for r in reqs]
    with_ids(Clock, clocks)
    for r, clock in zip(reqs, clocks, strict=True):
        r.reply_clock_id = clock.pk
        if r.replied_on:
            r.replied_late = r.replied_on > clock.due_date
            r.days_late = f.clocks.days_late(clock.due_date, r.replied_on)
        f.event(r, "disclosure.register",
                f"登记依申请公开 {r.number}，收到日期 {r.received_on}",
                day=r.received_on, actor=r.assignee,
                after={"channel": r.channel, "received_on": r.received_on,
                       "assignee": r.assignee_id})
        f.clock_event(r, clock, actor=r.assignee)
        if r.replied_on:
            f.steps(r, TABLE, START, ["reply"], days=[r.replied_on],
                    actor_for=lambda t, who=r.assignee: who)
    insert(Clock, clocks)
    insert(DisclosureRequest, reqs)
    return reqs

"""Reconsiderations and lawsuits against the bureau, with their reply and defence
clocks: most concluded, the recent ones still running."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from fazhi.core.bulk import insert, with_ids
from fazhi.core.role_names import LEGAL_AFFAIRS_OFFICER
from fazhi.deadlines.models import Clock
from fazhi.disputes.models import (
    Lawsuit,
    LitigationResult,
    Reconsideration,
    ReconsiderationOutcome,
)
from fazhi.province.context import Fill

LAWSUITS = 1 / 3  # of the disputes: the rest are reconsiderations
OPEN = 0.15  # share still before the body or the court
_R, _L = ReconsiderationOutcome, LitigationResult
OUTCOMES = {_R.UPHELD: 60, _R.DISMISSED: 20, _R.REVOKED: 10, _R.WITHDRAWN: 10}
RESULTS = {_L.WON: 75, _L.LOST: 10, _L.WITHDRAWN: 15}


def fill(f: Fill, n: int, *, officer=None) -> tuple[list, list]:
    """``n`` disputes of ``f.org`` handled by ``officer`` (default: the county's
    legal affairs officer), a third of them lawsuits."""
    officer = officer or f.person(LEGAL_AFFAIRS_OFFICER, 0)
    suits = [i for i in range(n) if f.rng.random() < LAWSUITS]
    taken = set(suits)
    recons = _reconsiderations(f, [i for i in range(n) if i not in taken], officer)
    return recons, _lawsuits(f, suits, officer)


def _ended(f: Fill, received, low: int, high: int):
    """The day of the answer and of the outcome, or None for those still open."""
    if f.rng.random() < OPEN or received >= f.today:
        return f.later(received, 1, 9) if f.rng.random() < 0.5 else None, None
    answered = f.later(received, 1, 12)
    return answered, f.later(answered, low, high)


def _reconsiderations(f: Fill, numbers: list[int], officer) -> list:
    ct = ContentType.objects.get_for_model(Reconsideration)
    items = []
    for i in numbers:
        received = f.day()
        replied, concluded = _ended(f, received, 20, 60)
        items.append(Reconsideration(
            org_unit=f.org, number=f"省演{f.code}复{i:05d}",
            applicant_name=f"复议申请人{i}", body=f"{f.org.division_name}人民政府",
            challenged_act=f"行政处罚决定 省演{f.code}执{i:07d}",
            copy_received_on=received, replied_on=replied, created_by=officer,
            outcome=(f.rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
                     if concluded else ""),
            concluded_on=concluded))
    with_ids(Reconsideration, items)
    clocks = with_ids(Clock, [f.clocks.make(
        ct=ct, object_id=r.pk, org=f.org, rule_id="reconsideration.reply",
        title=f"复议答复 {r.number}", start=r.copy_received_on, assignee=officer,
        end=r.replied_on) for r in items])
    for r, clock in zip(items, clocks, strict=True):
        r.reply_clock_id = clock.pk
        f.event(r, "disputes.reconsideration_register",
                f"收到行政复议申请书副本：{r.applicant_name}，{r.challenged_act}",
                day=r.copy_received_on, actor=officer,
                after={"number": r.number, "copy_received_on": r.copy_received_on})
        f.clock_event(r, clock, actor=officer)
        if r.replied_on:
            f.event(r, "disputes.reconsideration_reply",
                    f"提交书面答复及证据（{r.replied_on}）", day=r.replied_on,
                    actor=officer)
        if r.concluded_on:
            f.event(r, "disputes.reconsideration_conclude",
                    f"行政复议决定：{ReconsiderationOutcome(r.outcome).label}"
                    f"（{r.concluded_on}）", day=r.concluded_on, actor=officer)
    insert(Clock, clocks)
    insert(Reconsideration, items)
    return items


def _lawsuits(f: Fill, numbers: list[int], officer) -> list:
    ct = ContentType.objects.get_for_model(Lawsuit)
    court = f"{f.org.division_name}人民法院"
    items = []
    for i in numbers:
        received = f.day()
        defended, concluded = _ended(f, received, 60, 180)
        items.append(Lawsuit(
            org_unit=f.org, court=court,
            case_number=f"（{received.year}）湘{f.code[2:]}行初{i}号",
            plaintiff=f"原告{i}", challenged_act=f"行政处罚决定 省演{f.code}执{i:07d}",
            complaint_received_on=received, defence_submitted_on=defended,
            created_by=officer, concluded_on=concluded,
            result=(f.rng.choices(list(RESULTS), weights=list(RESULTS.values()))[0]
                    if concluded else "")))
        suit = items[-1]
        if suit.result:
            suit.on_merits = suit.result != _L.WITHDRAWN
            suit.instrument = "judgment" if suit.on_merits else "ruling"
    with_ids(Lawsuit, items)
    clocks = with_ids(Clock, [f.clocks.make(
        ct=ct, object_id=s.pk, org=f.org, rule_id="litigation.defence",
        title=f"答辩 {s.case_number}", start=s.complaint_received_on,
        assignee=officer, end=s.defence_submitted_on) for s in items])
    for s, clock in zip(items, clocks, strict=True):
        s.defence_clock_id = clock.pk
        f.event(s, "disputes.lawsuit_register",
                f"收到起诉状副本：{s.plaintiff}诉本机关，{s.challenged_act}",
                day=s.complaint_received_on, actor=officer)
        f.clock_event(s, clock, actor=officer)
        if s.defence_submitted_on:
            f.event(s, "disputes.lawsuit_defend",
                    f"提交答辩状及证据（{s.defence_submitted_on}）",
                    day=s.defence_submitted_on, actor=officer)
        if s.concluded_on:
            f.event(s, "disputes.lawsuit_conclude",
                    f"裁判结果：{LitigationResult(s.result).label}（{s.concluded_on}）",
                    day=s.concluded_on, actor=officer)
    insert(Clock, clocks)
    insert(Lawsuit, items)
    return items

"""Permit applications in their states, with their decision, promised and
certificate clocks and the applicants' ratings."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from fazhi.core.bulk import insert, with_ids
from fazhi.core.role_names import SECTION_HEAD, SUPERVISOR, WINDOW_CLERK
from fazhi.deadlines.models import Clock
from fazhi.permits.models import Application, PermitKind, Rating
from fazhi.permits.services import kinds_sync
from fazhi.permits.workflow import TABLE
from fazhi.province.context import Fill

START = "received"
# state → weight over a year: mostly certified, a few percent still open.
STATES = {"certified": 850, "refused": 30, "intake_refused": 25, "withdrawn": 25,
          "received": 10, "completion": 5, "accepted": 45, "approved": 10}
STEPS = {
    "received": [], "completion": ["request_completion"],
    "intake_refused": ["refuse_intake"], "accepted": ["accept"],
    "withdrawn": ["accept", "withdraw"],
    "refused": ["accept", "propose", "review_final", "refuse"],
    "approved": ["accept", "propose", "review_final", "approve"],
}
STEPS["certified"] = [*STEPS["approved"], "issue_certificate"]
SCORES = {5: 70, 4: 18, 3: 8, 2: 3, 1: 1}  # window ratings; 2 or less is 差评
FEES = [Decimal("100.00"), Decimal("200.00"), Decimal("500.00")]


def number(code: str, i: int) -> str:
    return f"省演{code}许{i:07d}"


def _working_days(rng: random.Random, promised: int) -> int:
    """Working days from acceptance to decision: mostly within the promise, some
    over it, about 2% over the statutory 20."""
    roll = rng.random()
    if roll < 0.02:
        return rng.randint(21, 26)
    if roll < 0.10:
        return rng.randint(promised + 1, 20)
    return rng.randint(1, promised)


def fill(f: Fill, n: int, *, states: dict[str, int] = STATES, staff=None,
         tag: str = "") -> list:
    """``n`` applications of ``f.org`` in ``states`` (by weight), taken in turn by
    ``staff``, (clerk, supervisor) pairs (default: the county's), with their clocks,
    steps' events and ratings; ``tag`` keeps rating links apart between fills."""
    staff = staff or [(c, f.person(SUPERVISOR, 0)) for c in f.staff[WINDOW_CLERK]]
    units = {c.org_unit_id: c.org_unit for c, _ in staff}
    kinds_sync(org_units=list(units.values()))
    kinds: dict[int, list] = {}
    for kind in PermitKind.objects.filter(org_unit__in=units).order_by("pk"):
        kinds.setdefault(kind.org_unit_id, []).append(kind)
    maker = _Maker(f, kinds, staff, tag, states)
    apps = with_ids(Application, [maker.application(i) for i in range(n)])
    clocks = with_ids(Clock, maker.clocks(apps))
    for app in apps:
        for name in ("decision_clock", "promised_clock", "certificate_clock"):
            clock = getattr(app, f"_{name}", None)
            setattr(app, f"{name}_id", clock.pk if clock else None)
    ratings, complaint_clocks = maker.ratings(apps)
    with_ids(Clock, complaint_clocks)
    for rating in ratings:
        if rating._clock is not None:
            rating.complaint_clock_id = rating._clock.pk
    for app in apps:
        maker.events(app)
    insert(Clock, clocks + complaint_clocks)
    insert(Application, apps)
    insert(Rating, ratings)
    return apps


class _Maker:
    """Builds applications, then their clocks, events and ratings."""

    def __init__(self, f: Fill, kinds, staff, tag: str, states: dict[str, int]
                 ) -> None:
        self.f, self.kinds, self.staff, self.tag = f, kinds, staff, tag
        self.states = states
        self.ct = ContentType.objects.get_for_model(Application)
        self.cal = f.clocks.calendar
        self.days: dict[int, list[dt.date]] = {}

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.nth_working_day_after(day, n)

    def application(self, i: int) -> Application:
        f = self.f
        clerk, _ = self.staff[i % len(self.staff)]
        mine = self.kinds[clerk.org_unit_id]  # its own bureau's kinds
        kind = mine[i % len(mine)]
        state = f.rng.choices(list(self.states), weights=list(self.states.values()))[0]
        if state in ("received", "completion"):
            received = f.day(within=5)
        elif state in ("accepted", "approved"):
            received = f.day(within=32)
        else:
            received = f.day(before=45)
        app = Application(
            org_unit=clerk.org_unit, number=number(f.code, i), kind=kind,
            applicant_name=f"申请人{f.code[2:]}{i}",
            applicant_kind="organisation" if i % 3 else "person",
            applicant_phone=f"139{i:08d}", project_name=f"{kind.name}申请项目{i}",
            location=f"某镇某村{i % 97}组", clerk=clerk, state=state,
            received_on=received, rating_token=f"p{f.code}{self.tag}{i}",
            created_by=clerk)
        if state == "completion":
            app.completion_items = "申请书缺少申请人签章"
            app.completion_notified_on = min(received + dt.timedelta(days=1), f.today)
        elif state == "intake_refused":
            app.decided_on = app.ended_on = f.later(received, 0, 5)
            app.reasons = "申请事项依法不属于本机关职权范围"
        elif state != "received":
            self._accepted(app, kind)
        return app

    def _accepted(self, app: Application, kind) -> None:
        f = self.f
        app.accepted_on = min(app.received_on + dt.timedelta(
            days=f.rng.choice([0, 0, 0, 1, 2, 5])), f.today)
        app.decision_due = f.clocks.due(kind.decision_rule, app.accepted_on).due
        app.promised_due = f.clocks.due("permit.promised", app.accepted_on,
                                        kind.promised_days).due
        if app.state == "accepted":
            app.due_date = app.promised_due
            return
        if app.state == "withdrawn":
            app.ended_on = f.later(app.accepted_on, 1, 10)
            app.reasons = "申请人书面申请撤回"
            return
        taken = _working_days(f.rng, kind.promised_days)
        decided = self.wd(app.accepted_on, taken)
        if decided > f.today:
            decided = f.today
            taken = self.cal.working_days_between(app.accepted_on, decided)
        app.decided_on, app.working_days_taken = decided, taken
        app.decided_late = decided > app.decision_due
        app.over_promise = decided > app.promised_due
        if app.state == "refused":
            app.ended_on = decided
            app.reasons = "拟建项目不符合国土空间规划"
            return
        app.certificate_due = f.clocks.due("permit.certificate", decided).due
        if kind.fee and (app.state == "certified" or f.rng.random() < 0.5):
            app.fee_amount = f.rng.choice(FEES)
            app.fee_receipt_number = f"湘财票{app.rating_token}"
            app.fee_paid_on = decided
        if app.state == "approved":
            app.due_date = app.certificate_due
            return
        issued = min(self.wd(decided, f.rng.randint(0, 3)), f.today)
        app.certificate_issued_on = app.ended_on = issued
        app.certificate_number = (f"{kind.certificate_word}〔{issued.year}〕"
                                  f"{app.rating_token[1:]}号")

    def clocks(self, apps: list[Application]) -> list[Clock]:
        """Each accepted application's decision and promised clocks, and the
        certificate clock once approved (kept on ``_<field>`` until saved)."""
        make, out = self.f.clocks.make, []
        for a in apps:
            if a.accepted_on is None:
                continue
            withdrawn = a.state == "withdrawn"
            end = a.ended_on if withdrawn else a.decided_on
            common = dict(ct=self.ct, object_id=a.pk, org=a.org_unit,
                          assignee=a.clerk, end=end, cancelled=withdrawn,
                          ended_as="withdrawn" if withdrawn else "")
            a._decision_clock = make(rule_id=a.kind.decision_rule,
                                     title=f"许可决定 {a.kind.name} {a.number}",
                                     start=a.accepted_on, **common)
            a._promised_clock = make(rule_id="permit.promised",
                                     title=f"承诺时限 {a.kind.name} {a.number}",
                                     start=a.accepted_on,
                                     length=a.kind.promised_days, **common)
            out += [a._decision_clock, a._promised_clock]
            if a.state in ("approved", "certified"):
                a._certificate_clock = make(
                    ct=self.ct, object_id=a.pk, org=a.org_unit, assignee=a.clerk,
                    rule_id="permit.certificate", title=f"发证 {a.number}",
                    start=a.decided_on, end=a.certificate_issued_on)
                out.append(a._certificate_clock)
        return out

    def ratings(self, apps: list[Application]) -> tuple[list, list]:
        """Ratings of about 30% of the certified; a bad one opens a complaint clock
        (``rating._clock``)."""
        f, ratings, clocks = self.f, [], []
        supervisors = {c.pk: s for c, s in self.staff}
        for a in apps:
            if a.state != "certified" or f.rng.random() >= 0.3:
                continue
            score = f.rng.choices(list(SCORES), weights=list(SCORES.values()))[0]
            rating = Rating(application_id=a.pk, score=score, channel="window",
                            rated_on=a.certificate_issued_on,
                            comment="办理及时" if score > 2 else "等候时间长")
            rating._clock = None
            if score <= 2:
                answered = a.certificate_issued_on + dt.timedelta(days=5)
                if answered > f.today:
                    answered = None
                else:
                    rating.answered_on, rating.answer = answered, "已核实并答复评价人"
                    rating.answered_by = supervisors[a.clerk.pk]
                rating._clock = f.clocks.make(
                    ct=self.ct, object_id=a.pk, org=a.org_unit,
                    rule_id="permit.complaint_answer",
                    title=f"差评核实答复 {a.number}",
                    start=a.certificate_issued_on, end=answered)
                clocks.append(rating._clock)
            ratings.append(rating)
        return ratings, clocks

    def events(self, a: Application) -> None:
        """The register event, the steps' events and the clocks' events."""
        f, clerk = self.f, a.clerk
        f.event(a, "permits.register", f"登记申请 {a.number}（{a.kind.name}）",
                day=a.received_on, actor=clerk, after={"state": START})
        on = {"request_completion": a.completion_notified_on,
              "refuse_intake": a.decided_on, "accept": a.accepted_on,
              "withdraw": a.ended_on, "propose": a.decided_on,
              "review_final": a.decided_on, "refuse": a.decided_on,
              "approve": a.decided_on,
              "issue_certificate": a.certificate_issued_on}
        actions = STEPS[a.state]
        days = [on[x] or a.received_on for x in actions]
        head = f.person(SECTION_HEAD, 0)
        f.steps(a, TABLE, START, actions, days=days,
                actor_for=lambda t: clerk if WINDOW_CLERK in t.roles else head)
        for name in ("decision_clock", "promised_clock", "certificate_clock"):
            clock = getattr(a, f"_{name}", None)
            if clock is not None:
                f.clock_event(a, clock, actor=clerk)


"""Benchmark the permit window's pages with 100,000 applications.

Run: .venv/bin/python bench/bench_permit_pages.py [--applications 100000] [--explain]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench … for PostgreSQL.
Fills a fresh database with applications of both counties over five years, in
realistic states (mostly certified, a few percent open), with their decision,
promised and certificate clocks and the applicants' ratings (bulk inserts, not the
services: this measures reading), then times the clerk's queue, the board of open
applications, the ledger and the statistics through Django's test client, as
湘潭县's clerk and as the city. Prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_disclosure_list import analyze, explain, setup, time_page

# state → weight: mostly certified, a few percent still open (the board lists them).
STATES = {"certified": 880, "refused": 30, "intake_refused": 25, "withdrawn": 25,
          "received": 10, "completion": 5, "accepted": 20, "approved": 5}
FIRST_DAY = dt.date(2022, 1, 1)  # about five years of received_on dates
SCORES = {5: 70, 4: 18, 3: 8, 2: 3, 1: 1}  # window ratings; 2 or less is 差评
FEES = [Decimal("100.00"), Decimal("200.00"), Decimal("500.00")]


def _working_days(rng: random.Random, promised: int) -> int:
    """Working days from acceptance to decision: mostly within the promise, some
    over it, about 2% over the statutory 20."""
    roll = rng.random()
    if roll < 0.02:
        return rng.randint(21, 26)
    if roll < 0.10:
        return rng.randint(promised + 1, 20)
    return rng.randint(1, promised)


class _Filler:
    """Builds one chunk's applications, then their clocks and ratings."""

    def __init__(self, rng, cal, today, kinds, staff, ct, states=STATES, tag=""):
        self.rng, self.cal, self.today = rng, cal, today
        self.kinds, self.staff, self.ct = kinds, staff, ct
        self.states, self.tag = states, tag  # the tag keeps rating links unique
        self.supervisors = {c.org_unit_id: s for c, s in staff}

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.nth_working_day_after(day, n)

    def application(self, i: int):
        from fazhi.permits.models import Application

        rng, today = self.rng, self.today
        clerk, _ = self.staff[i % len(self.staff)]
        kind = rng.choice(self.kinds[clerk.org_unit_id])  # its own bureau's
        state = rng.choices(list(self.states), weights=list(self.states.values()))[0]
        if state in ("received", "completion"):
            received = today - dt.timedelta(days=rng.randrange(0, 5))
        elif state in ("accepted", "approved"):
            received = today - dt.timedelta(days=rng.randrange(0, 32))
        else:
            span = (today - FIRST_DAY).days - 45
            received = FIRST_DAY + dt.timedelta(days=rng.randrange(0, span))
        app = Application(
            org_unit=clerk.org_unit, number=f"B{i:07d}", kind=kind,
            applicant_name=f"申请人{i}",
            applicant_kind="organisation" if i % 3 else "person",
            applicant_phone=f"139{i:08d}", project_name=f"{kind.name}申请项目{i}",
            location=f"某镇某村{i % 97}组", clerk=clerk, state=state,
            received_on=received, rating_token=f"b{i}{self.tag}", created_by=clerk)
        if state == "completion":
            app.completion_items = "申请书缺少申请人签章"
            app.completion_notified_on = min(received + dt.timedelta(days=1), today)
        elif state == "intake_refused":
            app.decided_on = app.ended_on = received + dt.timedelta(
                days=rng.randrange(0, 6))
            app.reasons = "申请事项依法不属于本机关职权范围"
        elif state != "received":
            self._accepted(app, kind)
        return app

    def _accepted(self, app, kind) -> None:
        rng, today = self.rng, self.today
        app.accepted_on = min(app.received_on + dt.timedelta(
            days=rng.choice([0, 0, 0, 1, 2, 5])), today)
        app.decision_due = self.wd(app.accepted_on, 20)
        app.promised_due = self.wd(app.accepted_on, kind.promised_days)
        if app.state == "accepted":
            app.due_date = app.promised_due
            return
        if app.state == "withdrawn":
            app.ended_on = app.accepted_on + dt.timedelta(days=rng.randrange(1, 10))
            app.reasons = "申请人书面申请撤回"
            return
        taken = _working_days(rng, kind.promised_days)
        decided = self.wd(app.accepted_on, taken)
        if app.state == "approved" and decided > today:
            decided = today
            taken = self.cal.working_days_between(app.accepted_on, decided)
        app.decided_on, app.working_days_taken = decided, taken
        app.decided_late = decided > app.decision_due
        app.over_promise = decided > app.promised_due
        if app.state == "refused":
            app.ended_on = decided
            app.reasons = "拟建项目不符合国土空间规划"
            return
        app.certificate_due = self.wd(decided, 10)
        if kind.fee and (app.state == "certified" or rng.random() < 0.5):
            app.fee_amount = rng.choice(FEES)
            app.fee_receipt_number = f"湘财票{app.rating_token}"
            app.fee_paid_on = decided
        if app.state == "approved":
            app.due_date = app.certificate_due
            return
        issued = self.wd(decided, rng.randint(0, 3))
        app.certificate_issued_on = app.ended_on = issued
        app.certificate_number = (f"{kind.certificate_word}〔{issued.year}〕"
                                  f"{app.rating_token[1:]}号")

    def clocks(self, apps):
        """The apps' clocks as (app, field, clock); ratings' as (rating, …)."""
        from fazhi.deadlines.engine import clock_status
        from fazhi.deadlines.models import Clock

        def clock(app, rule, title, start, due, end=None, cancelled=False,
                  length=None, yellow=5):
            state = ("cancelled" if cancelled else "stopped" if end
                     else "running")
            if state == "running":
                status = clock_status(today=self.today, due=due,
                                      yellow_days=yellow, calendar=self.cal)
            elif state == "stopped":
                status = "done_late" if end > due else "done"
            else:
                status = "green"
            return Clock(content_type=self.ct, object_id=str(app.pk),
                         org_unit=app.org_unit, assignee=app.clerk, rule_id=rule,
                         title=title, start_date=start, due_date=due, state=state,
                         status=status, stopped_on=end if end else None,
                         length=length, yellow_days=yellow)

        out = []
        for a in apps:
            if a.accepted_on is None:
                continue
            title = f"{a.kind.name} {a.number}"
            withdrawn = a.state == "withdrawn"
            end = a.ended_on if withdrawn else a.decided_on
            out.append((a, "decision_clock", clock(
                a, a.kind.decision_rule, f"许可决定 {title}", a.accepted_on,
                a.decision_due, end, withdrawn)))
            out.append((a, "promised_clock", clock(
                a, "permit.promised", f"承诺时限 {title}", a.accepted_on,
                a.promised_due, end, withdrawn, a.kind.promised_days, 2)))
            if a.state in ("approved", "certified"):
                out.append((a, "certificate_clock", clock(
                    a, "permit.certificate", f"发证 {a.number}", a.decided_on,
                    a.certificate_due, a.certificate_issued_on, yellow=3)))
        return out

    def ratings(self, apps):
        """Ratings of about 30% of the certified; a bad one opens a complaint."""
        from fazhi.deadlines.models import Clock
        from fazhi.permits.models import Rating

        rng, ratings, clocks = self.rng, [], []
        for a in apps:
            if a.state != "certified" or rng.random() >= 0.3:
                continue
            score = rng.choices(list(SCORES), weights=list(SCORES.values()))[0]
            rating = Rating(application=a, score=score, channel="window",
                            rated_on=a.certificate_issued_on,
                            comment="办理及时" if score > 2 else "等候时间长")
            if score <= 2:
                due = self.wd(a.certificate_issued_on, 15)
                answered = a.certificate_issued_on + dt.timedelta(days=5)
                if answered > self.today:
                    answered = None
                else:
                    rating.answered_on, rating.answer = answered, "已核实并答复评价人"
                    rating.answered_by = self.supervisors[a.org_unit_id]
                rating.complaint_clock = Clock(
                    content_type=self.ct, object_id=str(a.pk), org_unit=a.org_unit,
                    rule_id="permit.complaint_answer",
                    title=f"差评核实答复 {a.number}",
                    start_date=a.certificate_issued_on, due_date=due,
                    state="stopped" if answered else "running",
                    status="done" if answered else "green", stopped_on=answered,
                    yellow_days=3)
                clocks.append(rating.complaint_clock)
            ratings.append(rating)
        Clock.objects.bulk_create(clocks)  # saved first: the ratings link to them
        Rating.objects.bulk_create(ratings)


def _kinds_by_bureau(model) -> dict[int, list]:
    kinds: dict[int, list] = {}
    for kind in model.objects.order_by("pk"):
        kinds.setdefault(kind.org_unit_id, []).append(kind)
    return kinds


def fill(n: int, *, states: dict[str, int] = STATES, staff=None, tag: str = "",
         demo: bool = True) -> None:
    """``n`` applications (after the demo's tree and people, when ``demo``) in
    ``states`` (by weight), taken in turn by ``staff``, (clerk, supervisor) pairs
    (default: 湘乡市's and 湘潭县's), with their clocks and ratings; ``tag`` keeps
    their rating links apart from those of an earlier fill."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.deadlines.calendars import calendar_from_db
    from fazhi.deadlines.models import Clock
    from fazhi.permits.models import Application, PermitKind
    from fazhi.permits.services import kinds_sync

    if demo:
        demo_load("bench-password-1")
    kinds_sync()
    staff = staff or [(User.objects.get(username=f"{p}_clerk"),
                       User.objects.get(username=f"{p}_supervisor"))
                      for p in ("xx", "xt")]
    filler = _Filler(random.Random(13), calendar_from_db(provisional=True),
                     timezone.localdate(), _kinds_by_bureau(PermitKind), staff,
                     ContentType.objects.get_for_model(Application), states, tag)
    with transaction.atomic():
        for chunk in range(0, n, 5000):
            apps = [filler.application(i) for i in range(chunk, min(n, chunk + 5000))]
            Application.objects.bulk_create(apps)
            links = filler.clocks(apps)
            Clock.objects.bulk_create([c for _, _, c in links])
            for app, field, clock in links:
                setattr(app, field, clock)
            linked = [a for a in apps if a.accepted_on is not None]
            Application.objects.bulk_update(
                linked, ["decision_clock", "promised_clock", "certificate_clock"])
            filler.ratings(apps)


def city_principal():
    """A principal of 湘潭市, whose scope is both counties."""
    from fazhi.core import services as core
    from fazhi.core.models import OrgUnit
    from fazhi.core.roles import Role

    user = core.user_create(
        username="bench_city", full_name="市局", password="bench-password-1",
        org_unit=OrgUnit.objects.get(division_code="430300"), actor=None)
    core.user_grant_role(user=user, role=Role.PRINCIPAL, actor=None)
    return user


def census(clerk) -> str:
    from fazhi.permits.models import Application
    from fazhi.permits.selectors import OPEN_STATES

    open_all = Application.objects.filter(state__in=OPEN_STATES).count()
    queue = Application.objects.filter(clerk=clerk, state__in=OPEN_STATES).count()
    return (f"open applications: {open_all:,} in both counties, {queue:,} in "
            f"{clerk.username}'s queue")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--explain", action="store_true",
                        help="after timing, print each page's queries (plans on PG)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from fazhi.core.models import User

        started = time.perf_counter()
        fill(args.applications)
        print(f"database: {connection.vendor}; filled {args.applications:,} "
              f"applications in {time.perf_counter() - started:.1f} s")
        analyze()
        clerk = User.objects.get(username="xt_clerk")
        print(census(clerk))
        year = timezone.localdate().year
        pages = [
            ("board (all open)", "/permits/board/"),
            ("ledger, first page", "/permits/all/"),
            ("ledger, page 500", "/permits/all/?page=500"),
            ("ledger, keyword search", "/permits/all/?q=申请人123"),
            (f"stats, {year}", "/permits/stats/"),
            ("stats, 2024", "/permits/stats/?year=2024"),
            ("stats records received 2024", "/permits/stats/received/?year=2024"),
        ]
        for title, user, extra in (
                ("as 湘潭县's clerk:", clerk, [("queue (mine)", "/permits/")]),
                ("as the city (both counties):", city_principal(), [])):
            client = Client()
            client.force_login(user)
            print(title)
            for label, url in [*extra, *pages]:
                median, worst, queries = time_page(client, url)
                print(f"  {label:<28} median {median:7.1f} ms   max {worst:7.1f} ms   "
                      f"{queries:4d} queries")
            if args.explain:
                for label, url in [*extra, *pages]:
                    print(label)
                    explain(client, url)


if __name__ == "__main__":
    main()

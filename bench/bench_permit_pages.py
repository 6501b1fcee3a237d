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
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_disclosure_list import analyze, explain, setup, time_page

# state → weight: mostly certified, a few percent still open (the board lists them).
STATES = {"certified": 880, "refused": 30, "intake_refused": 25, "withdrawn": 25,
          "received": 10, "completion": 5, "accepted": 20, "approved": 5}
FIRST_DAY = dt.date(2022, 1, 1)  # about five years of received_on dates


def fill(n: int, *, states: dict[str, int] = STATES, staff=None, tag: str = "",
         demo: bool = True) -> None:
    """``n`` applications (after the demo's tree and people, when ``demo``) in
    ``states`` (by weight), taken in turn by ``staff``, (clerk, supervisor) pairs
    (default: 湘乡市's and 湘潭县's), with their clocks, ratings and audit events
    (the province generator's builder, ``fazhi.province.permits``); ``tag`` keeps
    their rating links apart from those of an earlier fill."""
    from django.db import transaction

    from fazhi.core import audit
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.core.role_names import SECTION_HEAD
    from fazhi.province import build, permits

    if demo:
        demo_load("bench-password-1")
    staff = staff or [(User.objects.get(username=f"{p}_clerk"),
                       User.objects.get(username=f"{p}_supervisor"))
                      for p in ("xx", "xt")]
    head = User.objects.filter(org_unit=staff[0][0].org_unit,
                               role_grants__role=SECTION_HEAD).first()
    f = build.fill_for(staff[0][0].org_unit, first=FIRST_DAY, seed=13,
                       staff={SECTION_HEAD: [head or staff[0][1]]})
    with transaction.atomic():
        permits.fill(f, n, states=states, staff=staff, tag=tag)
        audit.append_many(f.events)


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

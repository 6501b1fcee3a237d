"""Benchmark the enforcement case list and case detail pages with 100,000 cases.

Run: .venv/bin/python bench/bench_case_pages.py [--cases 100000] [--explain]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench … for PostgreSQL.
Fills a fresh database with cases in every state (bulk inserts with their clocks,
steps and officers: this measures reading), plays one case of each county through
the services from filing to closure (the detail page's subject, with its reviews,
records, instruments and audit trail), then times the pages through Django's test
client. Prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_disclosure_list import analyze, explain, setup, time_page

STATES = ["filing_pending", "filed", "filed", "notice_served", "legal_review",
          "review_passed", "decided", "served", "executing", "closed", "closed",
          "closed", "terminated", "transferred"]


def fill(n: int, *, states: list[str] = STATES, teams=None,
         filed_from: dt.date = dt.date(2017, 1, 1), demo: bool = True) -> None:
    """``n`` cases (after the demo's tree and people, when ``demo``), each in one of
    ``states`` (picked evenly) with the steps behind it, its officers, case clock
    and audit events (the province generator's builder, ``fazhi.province.cases``),
    filed from ``filed_from`` (the open ones within the last 120 days), taken in
    turn by ``teams`` of (officer, second officer, principal[, reviewer]) (default:
    湘乡市's and 湘潭县's)."""
    from collections import Counter

    from django.db import transaction

    from fazhi.core import audit
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.province import build, cases

    if demo:
        demo_load("bench-password-1")
    teams = teams or [tuple(User.objects.get(username=f"{p}_{r}")
                            for r in ("officer", "officer2", "principal", "reviewer"))
                      for p in ("xx", "xt")]
    f = build.fill_for(teams[0][0].org_unit, first=filed_from, seed=11)
    with transaction.atomic():
        cases.fill(f, n, states=dict(Counter(states)), teams=teams)
        audit.append_many(f.events)


def played_case(prefix: str):
    """One case taken through the services from filing to closure, on past days."""
    import time_machine
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from fazhi.core.models import User
    from fazhi.enforcement.cases import execution, records, services
    from fazhi.enforcement.cases.documents import case_document_issue

    o1, o2, reviewer, principal = (
        User.objects.get(username=f"{prefix}_{r}")
        for r in ("officer", "officer2", "reviewer", "principal"))
    jpeg = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
            b"\x00\x00\xff\xd9")

    def on(day):
        return time_machine.travel(f"{day} 10:00 +0800", tick=False)

    with on("2025-09-01"):
        case = services.case_file(
            actor=o1, officers=[o1, o2], violation_type="illegal_occupation",
            party_name="李四", party_kind="person",
            facts_summary="未经批准占用耕地建房",
            location="某镇某村", area_m2=Decimal("10"), land_class="farmland")
        services.case_approve_filing(case=case, actor=principal)
        for act in ("site_inspection", "inquiry"):
            records.case_record_add(
                case=case, actor=o1, act=act, kind="photo",
                file=ContentFile(jpeg, name=f"{act}.jpg"), captured_at=timezone.now(),
                place="某镇某村", device="执法记录仪 ZFJLY-001")
        services.case_serve_notice(case=case, actor=o1, fine_proposed=Decimal(3000),
                                   served_on=dt.date(2025, 9, 1))
    with on("2025-09-10"):
        services.case_submit_review(case=case, actor=o1)
        services.case_review(case=case, actor=reviewer, passed=True, opinion="同意")
        services.case_decide(case=case, actor=principal, fine_decided=Decimal(3000))
        case_document_issue(case=case, kind="decision", actor=principal)
        services.case_serve_decision(case=case, actor=o1,
                                     served_on=dt.date(2025, 9, 10))
        execution.case_record_payment(case=case, actor=o1, paid_on=dt.date(2025, 9, 10))
        services.case_propose_closure(case=case, actor=o1)
        services.case_close(case=case, actor=principal)
    return case


def city_principal(division_code: str = "430300", username: str = "bench_city"):
    """A principal of 湘潭市 (by default), whose scope is both counties."""
    from fazhi.core import services as core
    from fazhi.core.models import OrgUnit
    from fazhi.core.roles import Role

    user = core.user_create(
        username=username, full_name="市局", password="bench-password-1",
        org_unit=OrgUnit.objects.get(division_code=division_code), actor=None)
    core.user_grant_role(user=user, role=Role.PRINCIPAL, actor=None)
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--explain", action="store_true",
                        help="after timing, print each page's queries (plans on PG)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection
        from django.test import Client

        from fazhi.core.models import User

        started = time.perf_counter()
        fill(args.cases)
        played = played_case("xt")
        print(f"database: {connection.vendor}; filled {args.cases:,} cases in "
              f"{time.perf_counter() - started:.1f} s")
        analyze()
        middle = User.objects.get(username="xt_officer")
        from fazhi.enforcement.models import Case

        bulk = Case.objects.filter(org_unit=middle.org_unit,
                                   state="legal_review").first()
        pages = [
            ("list, first page", "/enforcement/"),
            ("list, page 500", "/enforcement/?page=500"),
            ("filter stage=legal_review", "/enforcement/?stage=legal_review"),
            ("filter overdue", "/enforcement/?overdue=on"),
            ("keyword search", "/enforcement/?q=12345"),
            ("detail, played case", played.get_absolute_url()),
            ("detail, bulk case", bulk.get_absolute_url()),
        ]
        for title, user in (("as 湘潭县's officer:", middle),
                            ("as the city (both counties):", city_principal())):
            client = Client()
            client.force_login(user)
            print(title)
            for label, url in pages:
                median, worst, queries = time_page(client, url)
                print(f"  {label:<26} median {median:7.1f} ms   max {worst:7.1f} ms   "
                      f"{queries:4d} queries")
            if args.explain:
                for label, url in pages:
                    print(label)
                    explain(client, url)


if __name__ == "__main__":
    main()

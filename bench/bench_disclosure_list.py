"""Benchmark the disclosure list page with 100,000 requests in the database.

Run: .venv/bin/python bench/bench_disclosure_list.py [--requests 100000] [--explain]
     [--no-analyze]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench … for PostgreSQL.
Fills a fresh database with requests (bulk inserts, not the services: this measures
reading), then times the list page through Django's test client. Prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup(tmp: str, *, fresh: bool = True) -> None:
    """Settings for a bench in the data folder ``tmp``, and a migrated database:
    emptied first when ``fresh`` (a kept one is reused as it is). The PostgreSQL
    database DATABASE_URL names is created when the server has none of that name."""
    os.environ.setdefault("FAZHI_DATA_DIR", tmp)
    os.environ.setdefault("FAZHI_DEBUG", "0")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-only")
    os.environ.setdefault("FAZHI_AUDIT_KEY", "bench-only-audit-key-of-32-characters")
    os.environ.setdefault("FAZHI_HTTPS", "0")
    # The test client sends Host: testserver; outside debug the default hosts refuse it.
    os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    import django
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL"):
        from bench_load import _pg_create

        _pg_create(os.environ["DATABASE_URL"])
    django.setup()
    call_command("flush", "--noinput", verbosity=0) if fresh and _has_tables() else None
    call_command("migrate", verbosity=0)


def _has_tables() -> bool:
    from django.db import connection

    return "core_orgunit" in connection.introspection.table_names()


STATES = ["registered", "replied", "replied", "replied", "correction", "abandoned"]


def fill(n: int, *, states: list[str] = STATES, officers=None,
         received_from: dt.date = dt.date(2022, 1, 1), received_days: int = 1700,
         demo: bool = True) -> None:
    """``n`` requests (after the demo's tree and people, when ``demo``), handled in
    turn by ``officers`` (default: 湘乡市's and 湘潭县's disclosure officers), in
    ``states`` (picked evenly), received over ``received_days`` days from
    ``received_from``, each with its reply clock (running while registered)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.deadlines.models import Clock
    from fazhi.disclosure.models import DisclosureRequest

    if demo:
        demo_load("bench-password-1")
    rng = random.Random(7)
    officers = officers or [User.objects.get(username=f"{p}_disclosure")
                            for p in ("xx", "xt")]
    ct = ContentType.objects.get_for_model(DisclosureRequest)
    with transaction.atomic():
        for chunk in range(0, n, 5000):
            reqs, clocks = [], []
            for i in range(chunk, min(n, chunk + 5000)):
                officer = officers[i % len(officers)]
                received = received_from + dt.timedelta(
                    days=rng.randrange(0, received_days))
                reqs.append(DisclosureRequest(
                    org_unit=officer.org_unit, number=f"B{i:07d}", channel="online",
                    submitted_on=received, confirmed_on=received, received_on=received,
                    requester_category="natural_person", requester_name=f"申请人{i}",
                    content=f"申请公开第{i}号文件", assignee=officer,
                    state=rng.choice(states), created_by=officer,
                    replied_late=rng.random() < 0.05))
            DisclosureRequest.objects.bulk_create(reqs)
            for r in reqs:
                clocks.append(Clock(
                    content_type=ct, object_id=str(r.pk), org_unit=r.org_unit,
                    assignee=r.assignee, rule_id="disclosure.reply",
                    title=f"答复 {r.number}", start_date=r.received_on,
                    due_date=r.received_on + dt.timedelta(days=28),
                    state="running" if r.state == "registered" else "stopped",
                    status="green"))
            Clock.objects.bulk_create(clocks)
            for r, c in zip(reqs, clocks, strict=True):
                r.reply_clock = c
            DisclosureRequest.objects.bulk_update(reqs, ["reply_clock"])


def time_page(client, url: str, runs: int = 15) -> tuple[float, float, int]:
    """Median and worst time over ``runs`` requests, and the page's query count
    (from one more request, so that capturing does not slow the timed ones)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return (statistics.median(timings) * 1000, max(timings) * 1000,
            len(ctx.captured_queries))


def analyze() -> bool:
    """On PostgreSQL, refresh the planner's statistics as autovacuum would after a
    bulk load (a server with autovacuum off, or a run within its first minute, has
    none, and the planner then sorts every row of the scope for the first page)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return True


def explain(client, url: str) -> None:
    """Print the page's queries grouped by shape (count, total time), the slowest
    ones, and on PostgreSQL EXPLAIN ANALYZE of the slowest ones."""
    import re
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    total = (time.perf_counter() - started) * 1000
    queries = ctx.captured_queries
    in_db = sum(float(q["time"]) for q in queries) * 1000
    print(f"  {len(queries)} queries, {in_db:.1f} ms in the database, "
          f"{total:.1f} ms for the whole page")
    shapes: Counter[str] = Counter()
    shape_time: Counter[str] = Counter()
    for q in queries:
        shape = re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"])
        shapes[shape] += 1
        shape_time[shape] += float(q["time"]) * 1000
    for shape, count in shapes.most_common(4):
        if count > 1:
            print(f"  repeated x{count} ({shape_time[shape]:.1f} ms): {shape[:400]}")
    worst = sorted(queries, key=lambda q: -float(q["time"]))
    for q in worst[:3]:
        print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")
    if connection.vendor != "postgresql":
        return
    for q in worst[:2]:
        if float(q["time"]) < 0.02:
            continue
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            print("\n".join("    " + row[0] for row in cur.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--explain", action="store_true",
                        help="after timing, print each page's queries (plans on PG)")
    parser.add_argument("--no-analyze", action="store_true",
                        help="PostgreSQL: no ANALYZE after the fill (no stats)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection
        from django.test import Client

        from fazhi.core.models import User

        started = time.perf_counter()
        fill(args.requests)
        print(f"database: {connection.vendor}; filled {args.requests:,} requests in "
              f"{time.perf_counter() - started:.1f} s")
        if not args.no_analyze:
            started = time.perf_counter()
            if analyze():
                print(f"ANALYZE after the fill: {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(User.objects.get(username="xt_disclosure"))
        pages = [
            ("list, first page", "/disclosure/"),
            ("list, page 500", "/disclosure/?page=500"),
            ("filter state=registered", "/disclosure/?state=registered"),
            ("filter overdue", "/disclosure/?overdue=on"),
            ("keyword search", "/disclosure/?q=12345"),
            ("date range",
             "/disclosure/?received_from=2024-01-01&received_to=2024-03-31"),
        ]
        for label, url in pages:
            median, worst, queries = time_page(client, url)
            print(f"{label:<26} median {median:7.1f} ms   max {worst:7.1f} ms   "
                  f"{queries:4d} queries")
        if args.explain:
            for label, url in pages:
                print(label)
                explain(client, url)


if __name__ == "__main__":
    main()

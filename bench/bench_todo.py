"""Benchmark 我的待办 (the home page) with 100,000 open matters in one county, and
for a province above several counties.

Run: .venv/bin/python bench/bench_todo.py [--matters 100000] [--counties 6]
     [--county-matters 5000] [--runs 15] [--data DIR] [--explain] [--profile]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_benchtodo … for PostgreSQL
     (created when missing).

Builds, with bulk inserts (this measures reading; the generators are the other
benches'): the demo's tree and people; 湘潭县 with ``--matters`` open matters —
cases in every open state with their steps, officers and case clocks
(bench_case_pages), permit applications being handled with their clocks
(bench_permit_pages), disclosure requests with their reply clocks
(bench_disclosure_list), patches waiting to be sent, out for a field check (due in
ten days, a third of them past it), checked or being rectified, and pending
extension requests on a few percent of the running clocks — handled by 40 officers,
10 window clerks and 5 disclosure officers; ``--counties`` synthetic counties under
one synthetic city of the province (bench_metrics), each with ``--county-matters``
open matters of the same mix, and 湘乡市 with as many. The bulk rows have no audit
events, so an item's "since" is blank (its query still runs, on the shown items);
they go around the services that keep the work items' table, so it is rebuilt
once they are in (a database built by an older version gets it when migrated).

Then times ``/`` through Django's test client (the whole request: middleware,
session, view, templates) as 湘潭县's principal, an officer, the legal reviewer
and a principal of the province (湖南省): ``--runs`` requests each, after one to
warm; prints median, p90 and max, the queries per request and their time, and the
items the page had to sort. ``--data DIR`` keeps the built database (the SQLite
file in DIR; on PostgreSQL a marker that the database was built) and reuses it.
``--profile`` prints where one request of each spends its Python time;
``--explain`` the queries (with their plans on PostgreSQL).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_case_pages
import bench_disclosure_list
import bench_metrics
import bench_permit_pages

# Of a county's open matters: cases, permit applications, requests, patches.
SHARES = {"cases": 0.40, "permits": 0.20, "disclosure": 0.15, "patches": 0.25}
PERMIT_STATES = {"received": 3, "completion": 1, "accepted": 10, "approved": 2}
REQUEST_STATES = ["registered"] * 4 + ["correction", "consulting"]
PATCH_STATES = {"pending": 3, "assigned": 4, "checked": 2, "rectifying": 1}
STAFF = {"officers": 40, "clerks": 10, "disclosure": 5}  # 湘潭县's, demo's included
EXTENSIONS = 0.03  # running clocks with a pending extension request
USERS = [("湘潭县 principal", "xt_principal"), ("湘潭县 officer", "xt_officer"),
         ("湘潭县 legal reviewer", "xt_reviewer"), ("湖南省 principal", "bench_province")]


# --- building -------------------------------------------------------------------


def open_case_states() -> list[str]:
    from fazhi.enforcement.cases.workflow import TABLE

    return [s for s in TABLE.states if s not in TABLE.closed]


def county_staff(org, prefix: str, demo: str = "") -> dict[str, list]:
    """The county's officers, clerks, disclosure officers and its principal and
    supervisor; with ``demo`` (a demo prefix) the demo's people of each role first,
    made up to ``STAFF`` with bench accounts, else only the few a county needs."""
    from fazhi.core.models import User
    from fazhi.core.roles import Role

    def demo_user(stem):
        return [User.objects.get(username=f"{demo}_{stem}")] if demo else []

    scale = 1 if demo else 0.1
    found = {}
    for key, role, stems, name in (
            ("officers", Role.ENFORCEMENT_OFFICER, ("officer", "officer2"), "执法"),
            ("clerks", Role.WINDOW_CLERK, ("clerk",), "窗口"),
            ("disclosure", Role.DISCLOSURE_OFFICER, ("disclosure",), "公开")):
        mine = [u for stem in stems for u in demo_user(stem)]
        more = max(2, int(STAFF[key] * scale)) - len(mine)
        found[key] = mine + bench_metrics.people(org, f"{prefix}{key[0]}", more, role,
                                                 name)
    for key, role, name in (("principal", Role.PRINCIPAL, "局长"),
                            ("supervisor", Role.SUPERVISOR, "督察")):
        found[key] = (demo_user(key) or
                      bench_metrics.people(org, f"{prefix}{key[0]}", 1, role, name))[0]
    return found


def fill_county(org, prefix: str, n: int, staff: dict) -> None:
    """``n`` open matters of ``org``, in ``SHARES``, handled by ``staff``."""
    from django.utils import timezone

    today = timezone.localdate()
    count = {k: int(n * share) for k, share in SHARES.items()}
    count["patches"] = n - sum(v for k, v in count.items() if k != "patches")
    officers = staff["officers"]
    teams = [(o, officers[(k + 1) % len(officers)], staff["principal"])
             for k, o in enumerate(officers)]
    # Filed within the last 120 days: a case clock runs 90, so about a quarter late.
    bench_case_pages.fill(count["cases"], states=open_case_states(), teams=teams,
                          filed_from=today - dt.timedelta(days=120),
                          demo=False)
    bench_permit_pages.fill(count["permits"], states=PERMIT_STATES,
                            staff=[(c, staff["supervisor"]) for c in staff["clerks"]],
                            tag=prefix, demo=False)
    # Received within the last 45 days, a reply due within 28.
    bench_disclosure_list.fill(count["disclosure"], states=REQUEST_STATES,
                               officers=staff["disclosure"],
                               received_from=today - dt.timedelta(days=45),
                               received_days=45, demo=False)
    fill_patches(org, count["patches"], officers, prefix, today)
    ask_extensions(org, today)


def fill_patches(org, n: int, officers: list, prefix: str, today: dt.date) -> None:
    """``n`` patches in ``PATCH_STATES`` (the province generator's builder,
    ``fazhi.province.patches``): a patch out for a check has an open check of one
    of ``officers``, due when its monthly batch says; a checked one a submitted
    check; a rectifying one its order."""
    from django.db import transaction

    from fazhi.core import audit
    from fazhi.province import build, patches

    f = build.fill_for(org, first=today - dt.timedelta(days=60), seed=17)
    with transaction.atomic():
        patches.fill(f, n, states=PATCH_STATES, officers=officers)
        audit.append_many(f.events)


def ask_extensions(org, today: dt.date) -> None:
    """A pending extension request on ``EXTENSIONS`` of the county's running clocks,
    asked by the clock's holder."""
    from django.db import transaction
    from django.utils import timezone

    from fazhi.deadlines.models import Clock, ClockExtension

    rng = random.Random(19)
    running = Clock.objects.filter(org_unit=org, state="running",
                                   assignee__isnull=False).order_by("pk")
    asked = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    with transaction.atomic():
        ClockExtension.objects.bulk_create([
            ClockExtension(clock_id=pk, days=10, reason="案情复杂，需延长办理期限",
                           requested_by_id=who, requested_at=asked)
            for pk, who in running.values_list("pk", "assignee_id")
            if rng.random() < EXTENSIONS], batch_size=2000)


def build(matters: int, counties: int, county_matters: int) -> None:
    """The whole data set: the demo's people, 湘潭县, 湘乡市 and the synthetic
    counties, and the province's principal."""
    from fazhi.core.demo import demo_load
    from fazhi.core.models import OrgUnit

    demo_load("bench-password-1")
    synthetic = bench_metrics.make_counties(counties, cities=1)
    for code, prefix, demo, n in (("430321", "xt", "xt", matters),
                                  ("430381", "xx", "xx", county_matters)):
        org = OrgUnit.objects.get(division_code=code)
        fill_county(org, prefix, n, county_staff(org, prefix, demo))
    for i, org in enumerate(synthetic):
        fill_county(org, f"c{i}", county_matters, county_staff(org, f"c{i}"))
    bench_case_pages.city_principal("430000", "bench_province")


def fill_table() -> None:
    """Fill the work items' table: the bulk inserts went around the services that
    keep it, as an upgrade's data does (``fazhi work_items --rebuild``)."""
    from fazhi.work import waiting

    started = time.perf_counter()
    rows = waiting.rebuild()
    print(f"work items' table: {rows:,} rows in {time.perf_counter() - started:.0f} s")


def census() -> None:
    """The open matters of each county, by module."""
    from django.db.models import Count

    from fazhi.core.models import OrgUnit
    from fazhi.work.items import tabled_kinds

    rows: dict[int, dict[str, int]] = {}
    for kind in tabled_kinds():
        closed = kind.table.closed
        for unit, n in (kind.model()._default_manager.exclude(state__in=closed)
                        .order_by().values_list("org_unit").annotate(n=Count("pk"))):
            rows.setdefault(unit, {})[kind.app_label] = n
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    for unit, by in sorted(rows.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {names[unit]:<16} {sum(by.values()):7,} open: "
              + ", ".join(f"{m} {n:,}" for m, n in by.items()))


# --- timing ---------------------------------------------------------------------


def measure(client, runs: int) -> dict:
    """``runs`` timed requests of 我的待办 (after one to warm), and the queries of
    one more (see ``queries``)."""
    assert client.get("/").status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    found = queries(client)
    return {"median": statistics.median(times),
            "p90": times[min(len(times) - 1, int(len(times) * 0.9))],
            "max": times[-1], "queries": len(found),
            "db": sum(ms for ms, _ in found), "slowest": found[:3]}


def queries(client) -> list[tuple[float, str]]:
    """The queries of one request, each run again and read to its last row and
    timed (SQLite computes rows as they are fetched, so the time of ``execute``
    alone says little), slowest first: (ms, SQL)."""
    from django.db import connection

    seen = []

    def keep(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        client.get("/")
    timed = []
    with connection.cursor() as cursor:
        for sql, params in seen:
            if not sql.lstrip().upper().startswith("SELECT"):
                timed.append((0.0, sql))  # the session's save, a savepoint
                continue
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timed.append(((time.perf_counter() - started) * 1000, sql))
    return sorted(timed, key=lambda t: -t[0])


def workload(user) -> str:
    """What the page had to gather for ``user``: their items, their people's
    overdue items, the bureaus of the per-county table."""
    from django.utils import timezone

    from fazhi.work import items, oversight

    today = timezone.localdate()
    mine = items.items_mine(user, today)
    people = oversight.people_overdue(user, today, mine=mine)
    units = oversight.counts_by_unit(user, today)
    waiting = sum(u.total for u in units)
    return (f"{mine.count():,} items, {people.count():,} of their people overdue"
            + (f", {len(units)} units below with {waiting:,} waiting" if units else ""))


def profile(client, top: int = 18) -> None:
    """Where a request spends its time, by function (cumulative), ours first."""
    profiler = cProfile.Profile()
    profiler.enable()
    client.get("/")
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"fazhi/(work|web/views/home|deadlines)", top)
    print("\n".join("    " + line for line in out.getvalue().splitlines()
                    if line.strip() and not line.startswith(("   Ordered", "   List"))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--matters", type=int, default=100_000,
                        help="open matters of 湘潭县")
    parser.add_argument("--counties", type=int, default=6,
                        help="synthetic counties under the province")
    parser.add_argument("--county-matters", type=int, default=5_000,
                        help="open matters of 湘乡市 and of each synthetic county")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--data", type=Path,
                        help="keep the database in this folder, and reuse it when "
                        "it was built there with the same figures")
    parser.add_argument("--build-only", action="store_true",
                        help="build the database (into --data) and stop")
    parser.add_argument("--profile", action="store_true",
                        help="print the Python time of one request per user")
    parser.add_argument("--explain", action="store_true",
                        help="print each user's queries (plans on PostgreSQL)")
    args = parser.parse_args()
    tmp = None
    if args.data is None:
        tmp = tempfile.TemporaryDirectory(prefix="fazhi-bench-todo-")
        args.data = Path(tmp.name)
    args.data.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] or "sqlite"
    marker = (args.data / f"built-{database}-{args.matters}-{args.counties}-"
              f"{args.county_matters}")
    try:
        bench_disclosure_list.setup(str(args.data), fresh=not marker.exists())
        from django.db import connection
        from django.test import Client

        from fazhi.core.models import User

        started = time.perf_counter()
        if not marker.exists():
            build(args.matters, args.counties, args.county_matters)
            fill_table()
            bench_disclosure_list.analyze()
            marker.touch()
            print(f"database: {connection.vendor}; built in "
                  f"{time.perf_counter() - started:.0f} s")
        else:
            print(f"database: {connection.vendor}; reused the one built in "
                  f"{args.data}")
        if connection.vendor == "postgresql":  # its JIT compiles costly plans
            with connection.cursor() as cursor:
                cursor.execute("SHOW jit")
                print(f"PostgreSQL jit: {cursor.fetchone()[0]} (PGOPTIONS='-c jit=off' "
                      "turns it off for a run)")
        census()
        if args.build_only:
            return
        print(f"我的待办, {args.runs} requests each (ms):")
        for label, username in USERS:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            m = measure(client, args.runs)
            print(f"  {label:<22} median {m['median']:7.1f}  p90 {m['p90']:7.1f}  "
                  f"max {m['max']:7.1f}  {m['queries']:3d} queries "
                  f"({m['db']:.1f} ms in the database); {workload(user)}")
            if args.profile:
                for ms, sql in m["slowest"]:
                    print(f"    {ms:7.1f} ms  {sql[:300]}")
                profile(client)
            if args.explain:
                bench_disclosure_list.explain(client, "/")
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()

"""Benchmark a province on PostgreSQL: app nodes under 200 concurrent county users.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_benchprov \\
     .venv/bin/python bench/bench_province_load.py [--matters 100000] [--million]
     [--sessions 200] [--seconds 60] [--nodes 2,1] [--think 0,5] [--threads 8]
     [--no-worker] [--data DIR]

Builds (or finishes building: ``fazhi province_data`` skips the counties it made
before) the province with ``fazhi migrate`` and ``fazhi province_data --matters N``
(``--million`` for 1e6): 14 cities, 122 counties, each county's staff, a year of
disclosure requests with their reply clocks and audit trail. Then, for each entry
of ``--nodes`` in turn (default two nodes, then one): that many waitress processes
(``--threads`` threads each) on their own ports over the one database, and one
``fazhi db_worker`` (the issue's set-up; ``--no-worker`` leaves it out), and
``--sessions`` sessions, each a different county's disclosure officer logged in
through the login form, dealt round-robin to the nodes (each keeps its keep-alive
connection to its node, as a balancer with persistent connections does). Each
session walks for ``--seconds`` seconds, once per entry of ``--think``:

  list      /disclosure/                   its county's requests, newest first
  detail    /disclosure/<pk>/              one of its county's requests
  search    /disclosure/?q=<name>          a requester's name
  dashboard /reports/dashboard/
  withdraw form, withdraw                  the 申请人撤回 form, read for its CSRF
                                           token, then posted: a registered request
                                           is withdrawn (its clock ends, an audit
                                           event is chained) — a real state change

``--think 0`` is the saturation run: every session sends its next request as
soon as the last is answered, so 200 sessions keep every core busy and the wait is
the queue (Little's law: p95 under 300 ms for 200 such sessions would need about
700 requests/s). ``--think 5`` is the paced run: after each answer a session pauses
a random 2.5–7.5 s (0.5–1.5 × the value, uniform), as staff read a page before the
next click, and the first clicks are spread over the first 5 s; 200 sessions then
ask about 36 requests/s, and when the machine keeps up the figures are the pages'
own time. Both are printed; neither replaces the other.

Prints requests/s, p50/p95/p99 per page and errors (an answer other than 200, or
302 for the post; a failed connection) for each node count and think time, then
side by side, with the machine's load average before each run. The client runs on the same
cores as the servers and the database: the figures compare set-ups on one
machine, they are not a capacity. Each run withdraws requests for good; a later
run takes other ones (a county has thousands), so rerunning needs no rebuild.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_load
from bench_load import BIN, Session, _pct, drive, free_port, serve

PASSWORD = "fazhi-province-2026"
PAGES = ["list", "detail", "search", "dashboard", "withdraw form", "withdraw"]


def build(env: dict[str, str], matters: int) -> None:
    fazhi = str(BIN / "fazhi")
    bench_load._pg_create(env["DATABASE_URL"])
    subprocess.run([fazhi, "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([fazhi, "province_data", "--matters", str(matters),
                    "--password", PASSWORD], env=env, check=True)
    print(f"province_data: {time.perf_counter() - started:.0f} s (with start-up)")


def plan_sessions(n: int) -> list[dict]:
    """``n`` users, each a different county disclosure officer (counties first,
    then the next officer of each), with their county's requests to read and its
    registered ones to withdraw, dealt so that no two sessions share a request."""
    from fazhi.core.models import OrgUnit, User
    from fazhi.disclosure.models import DisclosureRequest
    from fazhi.province.build import STAFF

    officers_per_county = next(c for _, stem, _, c in STAFF if stem == "disclosure")
    made = User.objects.filter(username__regex=r"^p[0-9]{6}_disclosure1$")
    counties = list(OrgUnit.objects.filter(pk__in=made.values("org_unit"))
                    .order_by("division_code"))
    if n > len(counties) * officers_per_county:
        raise SystemExit(f"only {len(counties) * officers_per_county} officers")
    sessions = []
    for i in range(n):
        county = counties[i % len(counties)]
        j, share = i // len(counties), -(-n // len(counties))
        user = User.objects.get(
            username=f"p{county.division_code}_disclosure{j + 1}")
        reads = list(DisclosureRequest.objects.filter(org_unit=county)
                     .order_by("pk").values_list("pk", "requester_name"))[j::share]
        open_ = list(DisclosureRequest.objects.filter(org_unit=county,
                                                      state="registered")
                     .order_by("pk").values_list("pk", flat=True))[j::share]
        sessions.append({"user": user.username, "reads": reads, "open": open_})
    return sessions


def log_in(ports: list[int], sessions: list[dict], at_once: int = 4) -> float:
    """Log every session in through the login form, ``at_once`` at a time (each
    login hashes the password on purpose, so 200 at once only queue behind each
    other); the session cookies are kept and serve every later run, on any node,
    as the sessions live in the database. Returns the seconds it took."""
    todo = [p for p in sessions if not p.get("cookies")]
    gate = threading.Semaphore(at_once)
    failed: list[str] = []

    def one(index: int, plan: dict) -> None:
        with gate:
            session = Session(ports[index % len(ports)], plan["user"])
            try:
                session.login(PASSWORD)
                plan["cookies"] = dict(session.cookies)
            except (RuntimeError, AttributeError, http.client.HTTPException,
                    OSError) as exc:
                failed.append(f"{plan['user']}: {exc}")
            finally:
                session.conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(todo)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise SystemExit(f"{len(failed)} logins failed, e.g. {failed[0]}")
    return time.perf_counter() - started


def run(ports: list[int], sessions: list[dict], seconds: float,
        think: float = 0.0) -> dict:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    ready = threading.Barrier(len(sessions) + 1)
    stop = threading.Event()
    today = time.strftime("%Y-%m-%d")
    pause = random.Random(19)  # one for all sessions: its methods are thread-safe

    def timed(session, label, method, url, body=None, expect=200):
        started = time.perf_counter()
        try:
            status, content = session.request(method, url, body)
        except (http.client.HTTPException, OSError) as exc:
            status, content = type(exc).__name__, b""
        elapsed = time.perf_counter() - started
        if not stop.is_set():
            with lock:
                latencies[label].append(elapsed)
                if status != expect:
                    errors[f"{label}: {status}"] += 1
        if think:  # a person reads the page before the next click
            stop.wait(pause.uniform(0.5 * think, 1.5 * think))
        return status, content

    def walk(index: int, plan: dict) -> None:
        session = Session(ports[index % len(ports)], plan["user"])
        session.cookies = dict(plan["cookies"])
        ready.wait()
        reads, open_ = plan["reads"], plan["open"]  # withdrawn ones leave the list
        step = 0
        if think:  # staff do not all click at the same instant
            stop.wait(pause.uniform(0, think))
        while not stop.is_set():
            pk, name = reads[step % len(reads)]
            timed(session, "list", "GET", "/disclosure/")
            timed(session, "detail", "GET", f"/disclosure/{pk}/")
            timed(session, "search", "GET", f"/disclosure/?q={_quote(name)}")
            timed(session, "dashboard", "GET", "/reports/dashboard/")
            if open_:
                target = open_.pop(0)
                url = f"/disclosure/{target}/withdraw/"
                status, page = timed(session, "withdraw form", "GET", url)
                token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                if status == 200 and token:
                    timed(session, "withdraw", "POST", url, {
                        "csrfmiddlewaretoken": token.group(1).decode(), "on": today,
                        "reason": "申请人来电撤回", "confirm": "on"}, expect=302)
            step += 1

    elapsed = drive(walk, sessions, seconds, ready, stop)
    return {"latencies": latencies, "errors": errors, "elapsed": elapsed}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def report(nodes: int, think: float, load: str, result: dict) -> dict:
    lat, errors, elapsed = result["latencies"], result["errors"], result["elapsed"]
    total = sum(len(v) for v in lat.values())
    every = sorted(x for v in lat.values() for x in v)
    row = {"run": f"{nodes} node(s), think {think:g} s", "load": load,
           "rps": total / elapsed, "errors": sum(errors.values()), "all": every,
           "pages": lat}
    print(f"\n{row['run']}; load average before: {load}, after: {_load()}")
    print(f"{total} requests in {elapsed:.1f} s: {row['rps']:.1f} requests/s; all "
          f"p50 {_pct(every, 50):.0f} ms, p95 {_pct(every, 95):.0f} ms, "
          f"p99 {_pct(every, 99):.0f} ms; {row['errors']} errors")
    print(f"{'page':<14} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label in PAGES:
        values = sorted(lat.get(label, []))
        print(f"{label:<14} {len(values):6d} {_pct(values, 50):8.0f} "
              f"{_pct(values, 95):8.0f} {_pct(values, 99):8.0f}")
    for what, n in errors.most_common(10):
        print(f"  error x{n}: {what}")
    return row


def side_by_side(rows: list[dict]) -> None:
    print("\nside by side (ms: p50/p95/p99)")
    head = "".join(f"{r['run']:>22}" for r in rows)
    print(f"{'':<14}{head}")
    print(f"{'requests/s':<14}" + "".join(f"{r['rps']:>22.1f}" for r in rows))
    print(f"{'errors':<14}" + "".join(f"{r['errors']:>22d}" for r in rows))
    for label in ["all", *PAGES]:
        cells = []
        for r in rows:
            v = r["all"] if label == "all" else sorted(r["pages"].get(label, []))
            cells.append(f"{_pct(v, 50):.0f}/{_pct(v, 95):.0f}/{_pct(v, 99):.0f}")
        print(f"{label:<14}" + "".join(f"{c:>22}" for c in cells))
    print(f"{'load before':<14}" + "".join(f"{r['load']:>22}" for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="--matters 1000000")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--nodes", default="2,1",
                        help="node counts to run in turn, e.g. 2,1")
    parser.add_argument("--think", default="0,5",
                        help="seconds a session pauses after each answer (uniform "
                        "0.5-1.5 x), one run per entry, e.g. 0,5")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--data", type=Path, help="data folder to keep (anchor, logs)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_province_load: skipped, it needs DATABASE_URL=postgres://… "
              "(a province runs on PostgreSQL)")
        return
    matters = 1_000_000 if args.million else args.matters
    data = args.data or Path(tempfile.mkdtemp(prefix="fazhi-bench-province-"))
    try:
        env = bench_load.environment(data / "data")
        build(env, matters)
        os.environ.update(env)
        import django
        from django.db import connection

        django.setup()
        from fazhi.disclosure.models import DisclosureRequest

        print(f"province: {DisclosureRequest.objects.count():,} requests, "
              f"{DisclosureRequest.objects.filter(state='registered').count():,} "
              "open")
        rows = []
        sessions = plan_sessions(args.sessions)
        connection.close()
        for nodes in [int(n) for n in args.nodes.split(",")]:
            rows += one_run(env, data, nodes, sessions, args)
        side_by_side(rows)
    finally:
        if not args.data:
            shutil.rmtree(data, ignore_errors=True)


def one_run(env, data: Path, nodes: int, sessions: list[dict], args) -> list[dict]:
    """Start ``nodes`` servers (and the worker) and run the sessions once per think
    time against them."""
    log = open(data / f"nodes-{nodes}.log", "ab")
    servers = [serve(env, free_port(), args.threads, log) for _ in range(nodes)]
    worker = None
    if not args.no_worker:
        worker = subprocess.Popen([str(BIN / "fazhi"), "db_worker"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        ports = [int(s.args[1].rsplit(":", 1)[1]) for s in servers]
        print(f"\n{nodes} node(s) on ports {ports}", flush=True)
        if not all(p.get("cookies") for p in sessions):
            took = log_in(ports, sessions)
            print(f"logged {len(sessions)} sessions in through the form in {took:.0f} s "
                  "(their cookies serve every run)", flush=True)
        rows = []
        for think in [float(t) for t in args.think.split(",")]:
            load = _load()
            rows.append(report(nodes, think, load,
                               run(ports, sessions, args.seconds, think)))
        return rows
    finally:
        for proc in [*servers, *([worker] if worker else [])]:
            proc.terminate()
        for proc in [*servers, *([worker] if worker else [])]:
            proc.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main()

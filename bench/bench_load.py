"""Benchmark the pages under load: many logged-in sessions walking the main pages of
the demo through waitress, and a per-page profile (queries and time).

Run: .venv/bin/python bench/bench_load.py [--sessions 50] [--seconds 60]
     [--threads 8] [--profile-only | --no-profile] [--explain]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_benchload … for PostgreSQL
     (that database is emptied first).

In a temporary data folder: ``fazhi migrate`` and ``fazhi demo_load`` build the demo
(two counties, one user per role, password ``fazhi-demo-2026``). Then:

- profile: each page, as the role that works on it, through Django's test client in
  this process: median time over ``--runs`` requests, the time spent rendering
  templates (queries a template triggers count in it), the number of queries and
  their time, and the most repeated query shape; sorted by time, slowest first;
- load: waitress (``--threads`` threads) serving fazhi in a subprocess; ``--sessions``
  sessions, each logged in as one demo role of one county (officers, clerks,
  principals, reviewers, disclosure officers, supervisors, legal affairs, audit
  administrators), walk their pages in turn for ``--seconds`` seconds, each with its
  own keep-alive connection and cookies, without think time. Prints requests/s,
  p50/p95/p99 latency per page, and errors (any answer but 200, or a failed
  connection).

The client runs in this process, on the same cores as the server: the figures are
for comparing before and after on one machine, not a capacity.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "fazhi-demo-2026"
# The roles the sessions take, in turn; each session is one of them in one county.
ROLES = ["officer", "clerk", "principal", "officer2", "reviewer", "disclosure",
         "supervisor", "legal", "clerk", "officer", "auditadmin"]
COUNTIES = ["xt", "xx"]


def environment(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "FAZHI_DATA_DIR": str(data),
        "FAZHI_DEBUG": "0",
        "FAZHI_SECRET_KEY": "bench-only",
        "FAZHI_AUDIT_KEY": "bench-only-audit-key-of-32-characters",
        "FAZHI_AUDIT_ANCHOR": str(data / "anchor.json"),
        "FAZHI_HTTPS": "0",
        "FAZHI_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "fazhi.settings",
        # The server and the commands run this checkout, whatever the venv installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                    os.environ.get("PYTHONPATH")])),
    })
    return env


def build(env: dict[str, str]) -> None:
    """Migrate and load the demo with the ``fazhi`` command, as an operator would."""
    fazhi = str(BIN / "fazhi")
    if env.get("DATABASE_URL"):  # a PostgreSQL database of earlier runs: start clean
        _pg_create(env["DATABASE_URL"])
        subprocess.run([fazhi, "migrate", "-v0"], env=env, check=True)
        subprocess.run([fazhi, "flush", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([fazhi, "migrate", "-v0"], env=env, check=True)
    subprocess.run([fazhi, "demo_load"], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _pg_create(url: str) -> None:
    """Create the database ``url`` names if the server has none of that name."""
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    with psycopg.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"],
                         host=db["HOST"], port=db["PORT"] or 5432,
                         autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


# --- the pages -------------------------------------------------------------------

def pages_by_role() -> dict[str, list[tuple[str, str]]]:
    """Each demo user's walk: (label, url) of the main pages of its work."""
    from fazhi.core.models import OrgUnit

    walks = {}
    for county in COUNTIES:
        org = OrgUnit.objects.get(division_code={"xt": "430321",
                                                 "xx": "430381"}[county])
        d = _details(org)
        common = [("home 我的待办", "/"), ("notifications", "/notifications/")]
        dash = [("dashboard", "/reports/dashboard/"),
                ("dashboard clocks", "/reports/dashboard/clocks/?kind=overdue"),
                ("metric list", "/reports/metrics/")]
        cases = [("case list", "/enforcement/"), ("case detail", d["case"])]
        monitoring = [("patch batches", "/monitoring/"),
                      ("batch patches", d["batch"]), ("patch detail", d["patch"])]
        walks[f"{county}_officer"] = [
            *common, *cases, ("lead list", "/enforcement/leads/"), *monitoring,
            ("field tasks", "/monitoring/field/"), dash[0]]
        walks[f"{county}_officer2"] = walks[f"{county}_officer"]
        walks[f"{county}_reviewer"] = [*common, *cases, *monitoring[:2], dash[0]]
        walks[f"{county}_principal"] = [
            *common, *cases, *dash, ("annual reports", "/reports/annual/"),
            ("disputes rates", "/disputes/rates/"), ("permit stats", "/permits/stats/"),
            ("disclosure list", "/disclosure/"), ("publicity due",
                                                  "/enforcement/publicity/"),
            *monitoring[:1], ("permit board", "/permits/board/")]
        walks[f"{county}_clerk"] = [
            *common, ("permit queue", "/permits/"), ("permit board", "/permits/board/"),
            ("permit list", "/permits/all/"), ("permit detail", d["permit"]),
            ("permit stats", "/permits/stats/"), dash[0]]
        walks[f"{county}_disclosure"] = [
            *common, ("disclosure list", "/disclosure/"),
            ("disclosure detail", d["disclosure"]),
            ("disclosure stats", "/disclosure/stats/"), dash[0]]
        walks[f"{county}_supervisor"] = [
            *common, ("inaction", "/enforcement/supervision/inaction/"),
            ("file reviews", "/enforcement/supervision/reviews/"),
            ("permit complaints", "/permits/complaints/"),
            ("disputes list", "/disputes/"), *cases[:1], *dash]
        walks[f"{county}_legal"] = [
            *common, ("disputes list", "/disputes/"),
            ("disputes rates", "/disputes/rates/"), dash[2],
            ("annual reports", "/reports/annual/"), ("learning", "/learning/"),
            dash[0]]
        walks[f"{county}_auditadmin"] = [("audit log", "/audit/"),
                                         ("audit log, page 2", "/audit/?page=2"),
                                         ("notifications", "/notifications/")]
    # Drop pages a county has nothing for (湘乡市 has no patch batches in the demo).
    return {user: [(label, url) for label, url in walk if url]
            for user, walk in walks.items()}


def _details(org) -> dict[str, str | None]:
    """The detail pages walked in ``org``: its richest case, a permit application,
    a disclosure request, a patch batch and one of its patches."""
    from django.db.models import Count

    from fazhi.disclosure.models import DisclosureRequest
    from fazhi.enforcement.models import Case
    from fazhi.monitoring.models import Patch, PatchBatch
    from fazhi.permits.models import Application

    def url(obj):
        return obj.get_absolute_url() if obj is not None else None

    case = (Case.objects.filter(org_unit=org).annotate(n=Count("steps"))
            .order_by("-n", "pk").first())
    batch = PatchBatch.objects.filter(org_unit=org).order_by("pk").first()
    patch = Patch.objects.filter(batch=batch).order_by("pk").first() if batch else None
    return {
        "case": url(case),
        "permit": url(Application.objects.filter(org_unit=org).order_by("pk").first()),
        "disclosure": url(DisclosureRequest.objects.filter(org_unit=org)
                          .order_by("pk").first()),
        "batch": url(batch), "patch": url(patch),
    }


# --- profile: queries and time per page, in process ------------------------------

class TemplateTimer:
    """Time spent in the outermost template render of each request (includes the
    queries that lazy querysets and model methods run from the template)."""

    def __init__(self) -> None:
        from django.template.base import Template

        self.total = 0.0
        self.depth = 0
        original = Template.render
        timer = self

        def render(template, context):
            timer.depth += 1
            started = time.perf_counter()
            try:
                return original(template, context)
            finally:
                timer.depth -= 1
                if timer.depth == 0:
                    timer.total += time.perf_counter() - started

        Template.render = render


def profile(walks: dict[str, list[tuple[str, str]]], runs: int,
            explain: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fazhi.core.models import User

    timer = TemplateTimer()
    seen: set[str] = set()
    rows = []
    for username, walk in walks.items():
        if not username.startswith("xt_"):
            continue  # one county is enough here; the load walks both
        client = Client()
        client.force_login(User.objects.get(username=username))
        role = username.removeprefix("xt_")
        for label, url in walk:
            if (label, url) in seen:
                continue
            seen.add((label, url))
            response = client.get(url)  # warm: first-use caches, imports
            if response.status_code != 200:
                print(f"  {label} ({url}) as {username}: {response.status_code}")
                continue
            times, templates = [], []
            for _ in range(runs):
                timer.total = 0.0
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
                templates.append(timer.total)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            queries = ctx.captured_queries
            shapes = Counter(_shape(q["sql"]) for q in queries)
            top, top_n = shapes.most_common(1)[0] if shapes else ("", 0)
            rows.append((statistics.median(times) * 1000,
                         statistics.median(templates) * 1000,
                         len(queries), sum(float(q["time"]) for q in queries) * 1000,
                         top_n, label, role, url, top, queries))
    rows.sort(key=lambda r: -r[0])
    print(f"\nper page, as 湘潭县's user (median of {runs}; template time includes "
          "queries run from templates):")
    print(f"{'page':<22} {'role':<11} {'total ms':>9} {'tmpl ms':>8} "
          f"{'queries':>8} {'db ms':>7} {'same':>5}")
    for total, tmpl, n, db, top_n, label, role, _url, _top, _q in rows:
        print(f"{label:<22} {role:<11} {total:9.1f} {tmpl:8.1f} {n:8d} {db:7.1f} "
              f"{top_n:5d}")
    print(f"all pages: {sum(r[0] for r in rows):.0f} ms, "
          f"{sum(r[2] for r in rows)} queries")
    if explain:
        for _total, _t, n, _db, top_n, label, _role, url, top, queries in rows:
            print(f"\n{label} {url}: {n} queries; most repeated x{top_n}: {top[:300]}")
            for shape, count in Counter(_shape(q["sql"]) for q in queries
                                        ).most_common(6)[1:]:
                if count > 1:
                    print(f"   x{count}: {shape[:300]}")


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b|%s", "?", sql)


# --- load: waitress and the sessions ---------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict[str, str], port: int, threads: int, log) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "waitress-serve"), f"--listen=127.0.0.1:{port}",
         f"--threads={threads}", "--connection-limit=1000", "--channel-timeout=120",
         "fazhi.wsgi:application"], env=env, cwd=ROOT,
        # waitress warns of its queue depth on every request under load
        stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("waitress did not start") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("waitress did not answer")


class Session:
    """One logged-in user: a keep-alive connection and its cookies."""

    def __init__(self, port: int, username: str) -> None:
        self.port, self.username = port, username
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, url: str, body: dict | None = None):
        headers = {"Host": "127.0.0.1",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{url}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, url, body=data, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()  # the server closed a kept-alive connection
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content

    def login(self, password: str = PASSWORD) -> None:
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        status, _ = self.request("POST", "/login/", {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": self.username, "password": password})
        if status != 302:
            raise RuntimeError(f"{self.username} could not log in ({status})")


def load(port: int, walks: dict[str, list[tuple[str, str]]], sessions: int,
         seconds: float) -> None:
    users = [f"{COUNTIES[i % 2]}_{ROLES[(i // 2) % len(ROLES)]}"
             for i in range(sessions)]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    ready = threading.Barrier(sessions + 1)
    stop = threading.Event()

    def run(index: int, username: str) -> None:
        session = Session(port, username)
        try:
            session.login()
        finally:
            ready.wait()
        walk = walks[username]
        step = index  # sessions of one role do not walk in step
        while not stop.is_set():
            label, url = walk[step % len(walk)]
            step += 1
            started = time.perf_counter()
            try:
                status, _ = session.request("GET", url)
            except (http.client.HTTPException, OSError) as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            if stop.is_set():
                break  # finished after the bell: not counted
            with lock:
                latencies[label].append(elapsed)
                if status != 200:
                    errors[f"{label}: {status}"] += 1

    elapsed = drive(run, users, seconds, ready, stop)
    report_load(latencies, errors, elapsed, Counter(users))


def drive(worker, items: list, seconds: float, ready: threading.Barrier,
          stop: threading.Event) -> float:
    """Run ``worker(index, item)`` in a thread per item: they start together when all
    have reached ``ready``, and ``stop`` is rung after ``seconds``. Return the span
    measured, for requests per second."""
    threads = [threading.Thread(target=worker, args=(i, item), daemon=True)
               for i, item in enumerate(items)]
    for t in threads:
        t.start()
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    for t in threads:
        t.join(timeout=130)
    return elapsed


def report_load(latencies, errors, elapsed: float, users: Counter) -> None:
    total = sum(len(v) for v in latencies.values())
    every = sorted(x for v in latencies.values() for x in v)
    print(f"\nload: {sum(users.values())} sessions "
          f"({', '.join(f'{n} {u}' for u, n in sorted(users.items()))})")
    print(f"{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s; "
          f"all pages p50 {_pct(every, 50):.0f} ms, p95 {_pct(every, 95):.0f} ms, "
          f"p99 {_pct(every, 99):.0f} ms; {sum(errors.values())} errors")
    print(f"{'page':<22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label, values in sorted(latencies.items(), key=lambda kv: -_pct(kv[1], 95)):
        values.sort()
        print(f"{label:<22} {len(values):6d} {_pct(values, 50):8.0f} "
              f"{_pct(values, 95):8.0f} {_pct(values, 99):8.0f}")
    for what, n in errors.most_common():
        print(f"  error x{n}: {what}")


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--runs", type=int, default=5,
                        help="profile: requests per page (median)")
    parser.add_argument("--profile-only", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--explain", action="store_true",
                        help="profile: print each page's repeated query shapes")
    parser.add_argument("--data", type=Path,
                        help="keep the demo in this folder, and reuse it when it "
                        "holds one already (SQLite)")
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="fazhi-bench-load-"))
    try:
        env = environment(data / "data")
        started = time.perf_counter()
        if not (data / "data" / "built").exists():
            build(env)
            (data / "data" / "built").touch()
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django
        from django.db import connection

        django.setup()
        print(f"database: {connection.vendor}; demo built in "
              f"{time.perf_counter() - started:.0f} s")
        walks = pages_by_role()
        if not args.no_profile:
            profile(walks, args.runs, args.explain)
        connection.close()
        if args.profile_only:
            return
        log = open(data / "waitress.log", "wb")
        server = serve(env, free_port(), args.threads, log)
        try:
            load(int(server.args[1].rsplit(":", 1)[1]), walks, args.sessions,
                 args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    finally:
        if not args.data:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

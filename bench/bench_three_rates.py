"""Benchmark the three rates, year on year and the class view with 100,000 matters.

Run: .venv/bin/python bench/bench_three_rates.py [--matters 100000] [--explain]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench3 … for PostgreSQL.
Fills a fresh database with ten years of reconsiderations (60%) and lawsuits (40%,
each with 0–2 hearings) of the demo's two counties, and a review with one or two
measures for most corrected or lost ones (bulk inserts, not the services, and no
clocks: the rates do not read them), then times ``rates_for``,
``rates_year_on_year`` and ``class_view`` as 湘潭县's legal-affairs officer and as
the city, and shows where ``rates_for``'s time goes. Prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_case_pages import city_principal
from bench_disclosure_list import analyze, setup, time_page

# outcome → weight ("" still open): mostly upheld or dismissed, about 20% corrected.
OUTCOMES = {"upheld": 420, "dismissed": 150, "revoked": 100, "varied": 20,
            "declared_unlawful": 50, "ordered_to_perform": 30, "declared_void": 5,
            "mediated": 40, "terminated": 50, "withdrawn": 85, "": 50}
RESULTS = {"won": 540, "lost": 110, "partly_lost": 50, "withdrawn": 180,
           "mediated": 20, "dismissed_procedure": 60, "": 40}
MERITS = {"won", "lost", "partly_lost"}
CHUNK = 5000


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def fill(n: int, years: range) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.disputes.models import (
        CaseReview,
        CourtHearing,
        Lawsuit,
        Measure,
        Reconsideration,
        ReviewCause,
    )
    from fazhi.disputes.review import causes_sync
    from fazhi.enforcement.models import Case

    demo_load("bench-password-1")
    causes_sync()
    causes = list(ReviewCause.objects.all())
    rng = random.Random(13)
    people = {p: (User.objects.get(username=f"{p}_legal"),
                  User.objects.get(username=f"{p}_principal")) for p in ("xt", "xx")}
    case_ct = ContentType.objects.get_for_model(Case)
    cts = {Reconsideration: ContentType.objects.get_for_model(Reconsideration),
           Lawsuit: ContentType.objects.get_for_model(Lawsuit)}
    start = dt.date(years.start, 1, 1)
    span = (dt.date(years.stop - 1, 12, 31) - start).days
    with transaction.atomic():
        for chunk in range(0, n, CHUNK):
            recons, suits = [], []
            for i in range(chunk, min(n, chunk + CHUNK)):
                legal, _ = people["xt" if i % 2 else "xx"]
                received = start + dt.timedelta(days=rng.randrange(0, span - 120))
                ended = received + dt.timedelta(days=rng.randrange(20, 120))
                link = dict(content_type=case_ct, object_id=str(i)) \
                    if rng.random() < 0.3 else {}
                if rng.random() < 0.6:
                    outcome = _pick(rng, OUTCOMES)
                    recons.append(Reconsideration(
                        org_unit=legal.org_unit, number=f"B{i:07d}",
                        applicant_name=f"申请人{i}", body="某县人民政府",
                        challenged_act="行政处罚决定", copy_received_on=received,
                        replied_on=received + dt.timedelta(days=7), outcome=outcome,
                        concluded_on=ended if outcome else None, created_by=legal,
                        **link))
                else:
                    result = _pick(rng, RESULTS)
                    suits.append(Lawsuit(
                        org_unit=legal.org_unit, court="某县人民法院",
                        case_number=f"B{i:07d}", plaintiff=f"原告{i}",
                        challenged_act="行政处罚决定", complaint_received_on=received,
                        defence_submitted_on=received + dt.timedelta(days=10),
                        result=result, on_merits=result in MERITS,
                        instrument=("judgment" if result in MERITS else "ruling")
                        if result else "", concluded_on=ended if result else None,
                        created_by=legal, **link))
            Reconsideration.objects.bulk_create(recons)
            Lawsuit.objects.bulk_create(suits)
            hearings = []
            for s in suits:
                for k in range(rng.choice((0, 1, 1, 1, 2))):
                    appeared = rng.random() < 0.7
                    _, principal = people["xt" if s.org_unit.division_code == "430321"
                                          else "xx"]
                    hearings.append(CourtHearing(
                        lawsuit=s, held_on=s.complaint_received_on
                        + dt.timedelta(days=30 + 20 * k), attendees="法务、律师",
                        principal_appeared=appeared,
                        principal=principal if appeared else None,
                        absence_reason="" if appeared else "因公务无法出庭"))
            CourtHearing.objects.bulk_create(hearings)
            bad = [m for m in recons if m.corrected] + [s for s in suits if s.lost]
            reviews = [CaseReview(
                org_unit=m.org_unit, content_type=cts[type(m)], object_id=str(m.pk),
                cause=rng.choice(causes), responsible_unit=rng.choice(
                    ["执法大队", "法规股", "办公室", "不动产登记中心"]),
                summary="复盘分析", reviewed_on=m.concluded_on + dt.timedelta(days=10),
                created_by=m.created_by) for m in bad if rng.random() < 0.85]
            CaseReview.objects.bulk_create(reviews)
            Measure.objects.bulk_create([Measure(
                review=r, description="整改措施", owner=r.created_by,
                deadline=r.reviewed_on + dt.timedelta(days=30 * (k + 1)),
                done_on=r.reviewed_on + dt.timedelta(days=20 * (k + 1))
                if rng.random() < 0.8 else None)
                for r in reviews for k in range(rng.choice((1, 2)))])


def timed(fn, runs: int = 5) -> tuple[float, float, int]:
    """Median and worst time over ``runs`` calls, and the call's query count (from
    one more call, so that capturing does not slow the timed ones)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return (statistics.median(timings) * 1000, max(timings) * 1000,
            len(ctx.captured_queries))


def _step(fn, runs: int = 3):
    """Run ``fn`` ``runs`` times: its result, and the median wall time and time in
    the database (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, sqls = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            out = fn()
            walls.append((time.perf_counter() - started) * 1000)
        sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    return out, statistics.median(walls), statistics.median(sqls)


def where_time_goes(actor, period) -> None:
    """Split ``rates_for`` into its steps (median of three runs each): the two
    querysets turned into model instances (the lawsuits with and without the
    prefetch of hearings), the facts and the pure counting; beside them, the same
    rows fetched as tuples."""
    from fazhi.core.scope import scoped
    from fazhi.disputes import rates, services
    from fazhi.disputes.models import CourtHearing, Lawsuit, Reconsideration

    recons, r_ms, r_sql = _step(lambda: list(scoped(
        Reconsideration.objects.all(), actor)))
    _, l_ms, l_sql = _step(lambda: list(scoped(Lawsuit.objects.all(), actor)))
    suits, s_ms, s_sql = _step(lambda: list(scoped(
        Lawsuit.objects.all(), actor).prefetch_related("hearings")))

    def build():
        facts = [rates.MatterFacts(r.pk, "reconsideration", r.concluded_on,
                                   r.outcome) for r in recons]
        return facts + [rates.MatterFacts(
            s.pk, "litigation", s.concluded_on, s.result, s.on_merits,
            tuple(rates.Hearing(h.held_on, h.principal_appeared)
                  for h in s.hearings.all())) for s in suits]

    facts, b_ms, _ = _step(build)
    _, c_ms, _ = _step(lambda: [rates.rate_compute(d, facts, period)
                                for d in services.rate_definitions().values()])
    tuples, t_ms, t_sql = _step(lambda: (
        list(scoped(Reconsideration.objects.all(), actor).values_list(
            "pk", "concluded_on", "outcome")),
        list(scoped(Lawsuit.objects.all(), actor).values_list(
            "pk", "concluded_on", "result", "on_merits")),
        list(scoped(CourtHearing.objects.all(), actor, "lawsuit__org_unit")
             .values_list("lawsuit_id", "held_on", "principal_appeared"))))
    first, last = period
    hearings = sum(len(s.hearings.all()) for s in suits)
    in_period = sum(1 for f in facts if f.concluded_on and
                    first <= f.concluded_on <= last)
    print(f"  where one rates_for goes ({len(recons):,} reconsiderations, "
          f"{len(suits):,} lawsuits, {hearings:,} hearings loaded; "
          f"{in_period:,} matters concluded in the period); 'execute' is the time\n"
          f"  Django records for the statements, rows are fetched while iterating:")
    rows = [("reconsiderations as models", r_ms, r_sql),
            ("lawsuits as models, no hearings", l_ms, l_sql),
            ("lawsuits + prefetch of hearings", s_ms, s_sql),
            ("MatterFacts (s.hearings.all() each)", b_ms, None),
            ("rate_compute, four rates", c_ms, None),
            (f"the same {sum(map(len, tuples)):,} rows as tuples", t_ms, t_sql)]
    for label, wall, sql in rows:
        extra = f"  (execute {sql:6.1f} ms)" if sql is not None else ""
        print(f"    {label:<36} {wall:8.1f} ms{extra}")


def rates_full_load(*, actor, period):
    """The rates counted over every matter of the subtree (what a definition not
    bound to the period needs), to compare with the period-bound read."""
    from fazhi.disputes import rates, services

    facts = services._facts_all(actor)
    return [rates.rate_compute(d, facts, period)
            for d in services.rate_definitions().values()]


def check_fix(actor, period, runs: int) -> None:
    from fazhi.disputes import services

    now = services.rates_for(actor=actor, period=period)
    full = rates_full_load(actor=actor, period=period)
    same = all(set(a.numerator) == set(b.numerator)
               and set(a.denominator) == set(b.denominator) and a.value == b.value
               for a, b in zip(now, full, strict=True))
    median, worst, queries = timed(
        lambda: rates_full_load(actor=actor, period=period), runs)
    print(f"  reading every matter instead: median {median:7.1f} ms   "
          f"max {worst:7.1f} ms   {queries:4d} queries; "
          f"{'same' if same else 'DIFFERENT'} ids and values as rates_for")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true",
                        help="after timing, print rates_for's queries (plans on PG)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from fazhi.core.models import User
        from fazhi.disputes import review, services

        this_year = timezone.localdate().year
        years = range(this_year - 9, this_year + 1)
        started = time.perf_counter()
        fill(args.matters, years)
        print(f"database: {connection.vendor}; filled {args.matters:,} matters "
              f"({years.start}–{years.stop - 1}) in "
              f"{time.perf_counter() - started:.1f} s")
        if analyze():
            print("ANALYZE after the fill")
        last = this_year - 1
        period = (dt.date(last, 1, 1), dt.date(last, 12, 31))
        calls = [
            (f"rates_for {last}", lambda a: services.rates_for(actor=a,
                                                               period=period)),
            (f"rates_year_on_year {this_year}",
             lambda a: review.rates_year_on_year(actor=a, year=this_year)),
            (f"class_view {last}", lambda a: review.class_view(actor=a,
                                                               period=period)),
        ]
        county = User.objects.get(username="xt_legal")
        for title, user in (("as 湘潭县's legal-affairs officer:", county),
                            ("as the city (both counties):", city_principal())):
            print(title)
            for label, call in calls:
                median, worst, queries = timed(lambda c=call, u=user: c(u),
                                               args.runs)
                print(f"  {label:<26} median {median:8.1f} ms   max {worst:8.1f} ms"
                      f"   {queries:4d} queries")
            client = Client()
            client.force_login(user)
            for label, url in ((f"page: three rates {this_year}",
                                f"/disputes/rates/?year={this_year}"),
                               (f"page: class review {last}",
                                f"/disputes/review/?year={last}")):
                median, worst, queries = time_page(client, url, args.runs)
                print(f"  {label:<26} median {median:8.1f} ms   max {worst:8.1f} ms"
                      f"   {queries:4d} queries")
            where_time_goes(user, period)
            check_fix(user, period, args.runs)
            if args.explain:
                explain_rates(user, period)


def explain_rates(actor, period) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.disputes import services

    with CaptureQueriesContext(connection) as ctx:
        services.rates_for(actor=actor, period=period)
    for q in ctx.captured_queries:
        print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:300]}")
        if connection.vendor == "postgresql" and q["sql"].startswith("SELECT"):
            with connection.cursor() as cur:
                cur.execute("EXPLAIN ANALYZE " + q["sql"])
                print("\n".join("    " + r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()

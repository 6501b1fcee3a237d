"""Benchmark every metric for one county's year and for a province of counties.

Run: .venv/bin/python bench/bench_metrics.py [--counties 122] [--copies 1] [--runs 3]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_benchm … for PostgreSQL.

Loads the demo into a fresh database (``fazhi demo_load``: every module's services
played on past days, for 湘潭县 and 湘乡市), then copies 湘潭县's records — permit
applications and ratings, cases with their legal and file reviews and rectification
items, tips, reconsiderations, lawsuits and hearings, disclosure requests, patch
batches with patches, checks and rectifications, learning records — ``--copies``
times into each of ``--counties`` synthetic counties under 14 synthetic cities of the
province (bulk inserts; clocks are shared, the metrics read only their due dates).
Then times, for the demo's current year: every metric for 湘潭县 (the demo's own
year of records, and its copies when ``--copies`` > 1), for 湘潭市 and for the
province; ``metric_compare`` (this year beside last) for the same; and the slowest
metrics of the province run. Prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_disclosure_list import setup

CITIES = 14  # Hunan has 14 prefecture-level divisions


def load_demo() -> None:
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("demo_load", password="bench-password-1", stdout=io.StringIO())
    print(f"demo_load: {time.perf_counter() - t:.1f} s")


def make_counties(n: int, cities: int = CITIES):
    """``cities`` synthetic cities under the demo province and ``n`` counties
    under them, in turn."""
    from fazhi.core.models import OrgLevel, OrgUnit

    province = OrgUnit.objects.get(division_code="430000")
    made = [OrgUnit.objects.get_or_create(
        division_code=f"43{c + 50:02d}00", defaults=dict(
            division_name=f"测试市{c}", name=f"测试市{c}自然资源和规划局",
            level=OrgLevel.CITY, parent=province))[0] for c in range(cities)]
    counties = []
    for i in range(n):
        city = made[i % cities]
        code = f"{city.division_code[:4]}{i // cities + 1:02d}"
        counties.append(OrgUnit.objects.get_or_create(
            division_code=code, defaults=dict(
                division_name=f"测试县{i}", name=f"测试县{i}自然资源局",
                short_name=f"测{i}", level=OrgLevel.COUNTY, parent=city))[0])
    return counties


def _copy(model, rows, **changes):
    """Bulk-insert copies of ``rows`` with ``changes`` (values or row → value)."""
    copies = []
    for row in rows:
        new = model(**{f.attname: getattr(row, f.attname)
                       for f in model._meta.concrete_fields if not f.primary_key})
        for name, value in changes.items():
            setattr(new, name, value(row) if callable(value) else value)
        copies.append(new)
    made = model.objects.bulk_create(copies, batch_size=500)
    return {old.pk: new.pk for old, new in zip(rows, made, strict=True)}


def clone(src, dst, tag: str) -> None:
    """Copy ``src``'s records into ``dst``; ``tag`` keeps unique numbers unique."""
    from fazhi.disclosure.models import DisclosureRequest
    from fazhi.disputes.models import CourtHearing, Lawsuit, Reconsideration
    from fazhi.enforcement.models import (
        Case,
        FileReview,
        Lead,
        LegalReview,
    )
    from fazhi.enforcement.models import Rectification as ReviewItem
    from fazhi.learning import models as lm
    from fazhi.monitoring.models import CheckTask, Patch, PatchBatch, Rectification
    from fazhi.permits.models import Application, Rating

    mine = {"org_unit": dst}
    apps = list(Application.objects.filter(org_unit=src))
    app_ids = _copy(Application, apps, **mine,
                    rating_token=lambda a: f"{a.rating_token[:28]}{tag}")
    _copy(Rating, list(Rating.objects.filter(application__org_unit=src)),
          application_id=lambda r: app_ids[r.application_id])
    _copy(Lead, list(Lead.objects.filter(org_unit=src)), **mine)
    cases = list(Case.objects.filter(org_unit=src))
    case_ids = _copy(Case, cases, **mine, lead_id=None)
    _copy(LegalReview, list(LegalReview.objects.filter(case__org_unit=src)),
          case_id=lambda r: case_ids[r.case_id])
    reviews = list(FileReview.objects.filter(org_unit=src))
    review_ids = _copy(FileReview, reviews, **mine,
                       case_id=lambda r: case_ids[r.case_id])
    _copy(ReviewItem, list(ReviewItem.objects.filter(org_unit=src)), **mine,
          review_id=lambda r: review_ids[r.review_id])
    _copy(Reconsideration, list(Reconsideration.objects.filter(org_unit=src)), **mine)
    suits = list(Lawsuit.objects.filter(org_unit=src))
    suit_ids = _copy(Lawsuit, suits, **mine, previous_id=None,
                     case_number=lambda s: f"{s.case_number}-{tag}")
    _copy(CourtHearing, list(CourtHearing.objects.filter(lawsuit__org_unit=src)),
          lawsuit_id=lambda h: suit_ids[h.lawsuit_id])
    _copy(DisclosureRequest, list(DisclosureRequest.objects.filter(org_unit=src)),
          **mine, reply_clock_id=None)
    batches = list(PatchBatch.objects.filter(org_unit=src))
    batch_ids = _copy(PatchBatch, batches, **mine)
    patches = list(Patch.objects.filter(org_unit=src))
    patch_ids = _copy(Patch, patches, **mine, lead_id=None,
                      batch_id=lambda p: batch_ids[p.batch_id])
    _copy(CheckTask, list(CheckTask.objects.filter(org_unit=src)), **mine,
          patch_id=lambda t: patch_ids[t.patch_id])
    _copy(Rectification, list(Rectification.objects.filter(org_unit=src)), **mine,
          patch_id=lambda r: patch_ids[r.patch_id])
    for model in (lm.StudySession, lm.CaseSeminar, lm.OutreachCampaign):
        _copy(model, list(model.objects.filter(org_unit=src)), **mine)
    exams = list(lm.QualificationExam.objects.filter(org_unit=src))
    # One exam sitting a day per person: each copied sitting has a person of its own.
    sitters = iter(people(dst, tag, len(exams)))
    _copy(lm.QualificationExam, exams, **mine, person_id=lambda e: next(sitters).pk)
    _copy(lm.CaseExplanation, list(lm.CaseExplanation.objects.filter(org_unit=src)),
          **mine, case_id=lambda e: case_ids[e.case_id])


def fill(counties, copies: int) -> None:
    from django.db import transaction

    from fazhi.core.models import OrgUnit

    xt = OrgUnit.objects.get(division_code="430321")
    t = time.perf_counter()
    with transaction.atomic():
        if copies > 1:  # the demo county itself grows to ``copies`` years' worth
            for k in range(1, copies):
                clone(xt, xt, f"x{k}")
        for i, county in enumerate(counties):
            for k in range(copies):
                clone(xt, county, f"c{i}k{k}")
    print(f"copies of 湘潭县's records into {len(counties)} counties × {copies}: "
          f"{time.perf_counter() - t:.1f} s")


def people(org, tag: str, n: int, role: str = "", name: str = "考生"):
    """``n`` accounts of ``org`` (no password: the benches log them in directly),
    holding ``role`` when one is given (officers with a badge number)."""
    from fazhi.core.models import User, UserRole
    from fazhi.core.roles import Role

    users = User.objects.bulk_create([
        User(username=f"bench_{tag}_{j}", full_name=f"{name}{tag}{j}", org_unit=org,
             badge_number=f"湘{org.division_code}{tag}{j}"
             if role == Role.ENFORCEMENT_OFFICER else "")
        for j in range(n)])
    if role:
        UserRole.objects.bulk_create([UserRole(user=u, role=role) for u in users])
    return users


def counts(org) -> str:
    from fazhi.permits.models import Application

    return f"{Application.objects.filter(org_unit__path__startswith=org.path).count()}"


def time_all(org, year: int, runs: int) -> tuple[float, dict[str, float], int]:
    """Median seconds for every metric of ``org``'s subtree and the year; the last
    run's time per metric; the records counted."""
    from fazhi.reports.metrics import metric_defs, metric_value

    ids = list(metric_defs())
    totals, per, records = [], {}, 0
    for _ in range(runs):
        t0 = time.perf_counter()
        records = 0
        for mid in ids:
            t = time.perf_counter()
            mv = metric_value(mid, org_unit=org, start=dt.date(year, 1, 1),
                              end=dt.date(year, 12, 31))
            per[mid] = time.perf_counter() - t
            records += len(mv.records)
        totals.append(time.perf_counter() - t0)
    return statistics.median(totals), per, records


def time_compare(org, year: int, runs: int) -> tuple[float, float]:
    """Seconds for every metric's ``metric_compare``: the first pass (last year's
    pages not yet read), and the median of ``runs`` after it."""
    from fazhi.reports.metrics import metric_compare, metric_defs

    times = []
    for _ in range(runs + 1):
        t = time.perf_counter()
        for mid in metric_defs():
            metric_compare(mid, org_unit=org, year=year)
        times.append(time.perf_counter() - t)
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=122)
    parser.add_argument("--copies", type=int, default=1,
                        help="copies of 湘潭县's demo records per county")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection
        from django.utils import timezone

        from fazhi.core.models import OrgUnit

        print(f"database: {connection.vendor}")
        load_demo()
        fill(make_counties(args.counties), args.copies)
        year = timezone.localdate().year
        units = [OrgUnit.objects.get(division_code=c) for c in
                 ("430321", "430300", "430000")]
        cold, _, _ = time_all(units[0], year, 1)
        print(f"first pass, cold (imports, rule files, URL map): {cold * 1000:.1f} ms")
        for org in units:
            median, per, records = time_all(org, year, args.runs)
            print(f"{org.name:<16} {year}: every metric (n={len(per)}) "
                  f"{median * 1000:8.1f} ms median of {args.runs}, "
                  f"{records} records listed, {counts(org)} applications in subtree")
        for org in units:
            first, median = time_compare(org, year, args.runs)
            print(f"{org.name:<16} metric_compare {year} vs {year - 1}, every metric: "
                  f"first {first * 1000:8.1f} ms, then {median * 1000:8.1f} ms median")
        _, per, _ = time_all(units[-1], year, 1)
        slow = sorted(per.items(), key=lambda kv: -kv[1])[:8]
        print("slowest for the province: " + ", ".join(
            f"{k} {v * 1000:.1f} ms" for k, v in slow))


if __name__ == "__main__":
    main()

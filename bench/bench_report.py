"""Benchmark the annual report: one county with a year of demo-scale records, and a
province of 122 counties.

Run: .venv/bin/python bench/bench_report.py [--counties 122] [--repeat 3]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_benchreport … for PostgreSQL.

In a scratch database: the demo tree and users; 湘潭县's last year played through the
services (the past-year demo: window work, disclosure requests, cases through
payment; the disputes demo's reconsiderations and lawsuits; the learning demo's
study and outreach records); then 湖南省 filled out to 14 cities and ``--counties``
county bureaus, each county given a copy of 湘潭县's rows of last year (main rows
with their own numbers, bulk-inserted; child rows such as hearings and materials, and
exams, are not copied, so a copy's figures are sparser than the original's). Times, as
medians of ``--repeat`` runs: gathering the figures (``report_facts``: every metric
with its year-on-year comparison, the class review and the OGI table), assembling
the document, writing the .docx; for the county, the province, and one county of
the filled province. Prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_disclosure_list import setup

# (app label, model, the date field that places a row in a year); main rows only.
# Exams are not copied: one is unique per person and day, and the people are 湘潭县's.
COPIED = [
    ("permits", "Application", "received_on"),
    ("disclosure", "DisclosureRequest", "received_on"),
    ("enforcement", "Case", "filed_on"),
    ("disputes", "Reconsideration", "copy_received_on"),
    ("disputes", "Lawsuit", "complaint_received_on"),
    ("learning", "StudySession", "held_on"),
    ("learning", "CaseSeminar", "held_on"),
    ("learning", "OutreachCampaign", "held_on"),
]
CITIES = 14


def seed_county(year: int) -> None:
    from django.db import transaction

    from fazhi.core.demo import demo_load
    from fazhi.disputes.demo import load as disputes
    from fazhi.learning.demo import load as learning
    from fazhi.reports.annual_demo import load as last_year

    demo_load("bench-pass-123")
    with transaction.atomic():
        for loader in (disputes, learning, last_year):
            loader(prefix="xt")


def grow_province(counties: int, year: int) -> int:
    """Cities and counties under 湖南省 up to ``counties``, each a copy of 湘潭县."""
    from django.apps import apps
    from django.db import transaction

    from fazhi.core import services
    from fazhi.core.models import OrgUnit

    province = OrgUnit.objects.get(division_code="430000")
    source = OrgUnit.objects.get(division_code="430321")
    cities = [OrgUnit.objects.get(division_code="430300")]
    with transaction.atomic():
        for c in (c for c in range(1, CITIES + 1) if c != 3):
            code = f"43{c:02d}00"
            cities.append(services.org_unit_ensure(
                division_code=code, division_name=f"演示市{c}",
                name=f"演示市{c}自然资源局", level="city", parent=province,
                short_name=f"演{c}自然资"))
        have = OrgUnit.objects.filter(level="county").count()
        rows = 0
        for i in range(counties - have):
            city = cities[i % len(cities)]
            county = services.org_unit_ensure(
                division_code=f"{city.division_code[:4]}{50 + i // len(cities):02d}",
                division_name=f"演示县{i + 1}", name=f"演示县{i + 1}自然资源局",
                level="county", parent=city, short_name=f"演县{i + 1}自然资")
            for label, model, field in COPIED:
                rows += _copy(apps.get_model(label, model), field, source, county, year)
    return rows


def _copy(model, field: str, source, county, year: int) -> int:
    unique = {f.attname for f in model._meta.concrete_fields
              if f.unique and not f.primary_key and _is_text(f)}
    together = [tuple(c.fields) for c in model._meta.constraints
                if getattr(c, "fields", None)] + list(model._meta.unique_together)
    for names in together:  # a constraint not naming the bureau: suffix its text
        if "org_unit" not in names:
            unique |= {model._meta.get_field(n).attname for n in names
                       if _is_text(model._meta.get_field(n))}
    # A one-to-one link (a clock of its own) is not copied: the copy has none.
    links = [f.attname for f in model._meta.concrete_fields
             if f.unique and f.is_relation and f.null]
    copies = []
    for obj in model.objects.filter(org_unit=source, **{f"{field}__year": year}):
        obj.pk = obj.id = None
        obj.org_unit = county
        for name in links:
            setattr(obj, name, None)
        for name in unique:
            value = getattr(obj, name)
            if value:
                setattr(obj, name, f"{value}-{county.division_code}")
        copies.append(obj)
    model.objects.bulk_create(copies, batch_size=2000)
    return len(copies)


def _is_text(field) -> bool:
    return field.get_internal_type() in ("CharField", "SlugField")


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def measure(org, year: int, repeat: int) -> dict:
    from fazhi.reports import annual, annual_facts, render_docx

    facts_s, facts = timed(lambda: annual_facts.report_facts(org=org, year=year),
                           repeat)
    doc_s, doc = timed(lambda: annual.assemble(facts), repeat)
    docx_s, data = timed(lambda: render_docx.render(doc), repeat)
    figures = len(doc.figure_runs())
    return {"facts": facts_s, "assemble": doc_s, "docx": docx_s,
            "total": facts_s + doc_s + docx_s, "figures": figures, "bytes": len(data),
            "permits": facts.figures["permits.accepted"].value}


def show(label: str, m: dict) -> None:
    print(f"{label}: {m['total']:.2f} s in all — figures {m['facts']:.2f} s, "
          f"document {m['assemble'] * 1000:.1f} ms, .docx {m['docx'] * 1000:.0f} ms "
          f"({m['figures']} figures, {m['bytes'] // 1024} KiB, "
          f"permits accepted {m['permits']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=122)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-report-") as tmp:
        setup(tmp)
        from django.db import connection

        from fazhi.core.models import OrgUnit

        year = dt.date.today().year - 1
        t = time.perf_counter()
        seed_county(year)
        print(f"database: {connection.vendor}; report year {year}; "
              f"湘潭县 seeded through the services in {time.perf_counter() - t:.1f} s")
        county = OrgUnit.objects.get(division_code="430321")
        show("one county (湘潭县)", measure(county, year, args.repeat))
        t = time.perf_counter()
        rows = grow_province(args.counties, year)
        n = OrgUnit.objects.filter(level="county").count()
        print(f"province filled: {n} counties, {CITIES} cities, {rows} rows copied in "
              f"{time.perf_counter() - t:.1f} s")
        show(f"one county of the {n}", measure(county, year, args.repeat))
        show(f"province (湖南省, {n} counties)",
             measure(OrgUnit.objects.get(division_code="430000"), year, args.repeat))


if __name__ == "__main__":
    main()

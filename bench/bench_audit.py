"""Benchmark the audit chain: append overhead per state change, verify of 1M events.

Run: .venv/bin/python bench/bench_audit.py [--events 1000000] [--changes 2000]
Uses a fresh SQLite database in a temporary data folder (DATABASE_URL to test PG).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup(tmp: str) -> None:
    os.environ.setdefault("FAZHI_DATA_DIR", tmp)
    os.environ.setdefault("FAZHI_DEBUG", "0")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-only")
    os.environ.setdefault("FAZHI_AUDIT_KEY", "bench-only-audit-key-of-32-characters")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bench_append(changes: int) -> None:
    from django.db import transaction

    from fazhi.core import audit
    from fazhi.core.demo import org_tree_ensure
    from fazhi.core.models import OrgUnit

    unit = org_tree_ensure()["430321"]

    def change(i: int, with_audit: bool) -> None:
        with transaction.atomic():
            OrgUnit.objects.filter(pk=unit.pk).update(short_name=f"潭县{i % 10}")
            if with_audit:
                audit.record(actor=None, obj=unit, action="bench.change",
                             before={"i": i - 1}, after={"i": i})

    timings = {}
    for with_audit in (False, True):
        start = time.perf_counter()
        for i in range(changes):
            change(i, with_audit)
        timings[with_audit] = (time.perf_counter() - start) / changes
    overhead = timings[True] - timings[False]
    print(f"state change without audit: {timings[False] * 1e6:8.1f} µs")
    print(f"state change with audit:    {timings[True] * 1e6:8.1f} µs")
    print(f"audit append overhead:      {overhead * 1e6:8.1f} µs per state change "
          f"({changes} changes, each its own transaction, anchor file updated)")


def fill_chain(events: int) -> None:
    """Append ``events`` valid events quickly (bulk SQL, keyed as record does)."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from fazhi.core.audit import SCHEME, canonical_json, event_fields, keyed_fields
    from fazhi.core.hashing import keyed_hash
    from fazhi.core.models import AuditHead

    head = AuditHead.objects.get(pk=1)
    seq, prev = head.seq, head.hash
    at = timezone.now()
    sql = ("INSERT INTO core_auditevent (seq, at, actor_name, org_code, object_type, "
           "object_id, object_repr, action, payload, evidence, prev_hash, hash, "
           "algorithm, scheme, anchored) "
           "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)")
    key = settings.AUDIT_KEY.encode("utf-8")
    batch = []
    with transaction.atomic(), connection.cursor() as cur:
        for i in range(events):
            seq += 1
            stamp = at + dt.timedelta(microseconds=i)
            payload = canonical_json({"summary": f"第{i}步", "before": None,
                                      "after": {"i": i}})
            fields = event_fields(seq, stamp, None, "系统", "430321", "bench.Matter",
                                  str(i), "bench.step", payload, "", prev)
            prev_hash = fields[-1]
            prev = keyed_hash("sha256", key,
                              keyed_fields(fields, None, "", "sha256", False))
            batch.append((seq, stamp, "系统", "430321", "bench.Matter", str(i), "",
                          "bench.step", payload, "", prev_hash, prev, "sha256",
                          SCHEME, False))
            if len(batch) == 20000:
                cur.executemany(sql, batch)
                batch.clear()
        if batch:
            cur.executemany(sql, batch)
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)


def bench_verify(events: int) -> None:
    from fazhi.core import audit

    start = time.perf_counter()
    fill_chain(events)
    print(f"filled {events:,} events in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    result = audit.verify(audit.Anchor(0, "", ""))
    seconds = time.perf_counter() - start
    assert result.ok, result.message
    print(f"audit verify: {result.checked:,} events in {seconds:.2f} s "
          f"({result.checked / seconds:,.0f} events/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection

        print(f"database: {connection.vendor}")
        bench_append(args.changes)
        bench_verify(args.events)


if __name__ == "__main__":
    main()

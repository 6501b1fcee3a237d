"""Permit metrics, through the window's own statistics (fazhi.permits.stats)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from fazhi.reports.metric_queries.base import (
    OrgScope,
    Period,
    RecordRef,
    refs,
    url_maker,
)

# --- permits (fazhi.permits.stats: the window's own statistics) ---------------------


# Read as plain values: the window's own query decides which applications count; a
# metric needs only these columns of each (a full row with its kind, clerk and three
# clocks costs about ten times as much, and a province lists thousands).
_APPLICATION = ("pk", "number", "kind__name", "received_on",
                "accepted_on", "decided_on", "certificate_issued_on", "fee_paid_on",
                "fee_amount", "decided_late", "working_days_taken")


def _applications(qs, *more: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(**row) for row in qs.values(*_APPLICATION, *more)]


def _permits(code: str, on: str, **extra):
    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.permits import stats

        rows = stats.metric_records(actor=OrgScope(org), metric=code, period=p)
        return _application_refs(_applications(rows), on, **extra)

    return query


def _application_refs(rows, on: str, **extra) -> list[RecordRef]:
    rows = sorted(rows, key=lambda a: (getattr(a, on) or dt.date.min, a.pk))
    return refs(rows, url_maker("permits:detail"),
                 lambda a: f"{a.number} {a.kind__name}",
                 lambda a: getattr(a, on), **extra)


def _on_time(org, p: Period) -> list[RecordRef]:
    from fazhi.permits import stats

    rows = stats.metric_records(actor=OrgScope(org), metric="decided", period=p)
    late = set(stats.metric_records(actor=OrgScope(org), metric="late", period=p)
               .values_list("pk", flat=True))
    return _application_refs(_applications(rows), "decided_on",
                             in_numerator=lambda a: a.pk not in late)


def _overdue(org, p: Period) -> list[RecordRef]:
    from fazhi.permits import stats

    rows = stats.overdue_list(actor=OrgScope(org), period=p)
    return _application_refs(_applications(rows), "received_on")


def _average_days(org, p: Period) -> list[RecordRef]:
    from fazhi.permits import stats

    rows = stats.metric_records(actor=OrgScope(org), metric="decided", period=p)
    return _application_refs(
        _applications(rows.filter(working_days_taken__isnull=False)), "decided_on",
        amount=lambda a: a.working_days_taken)


def _complaints(org, p: Period) -> list[RecordRef]:
    from fazhi.permits import stats

    rows = stats.metric_records(actor=OrgScope(org), metric="bad_rating", period=p)
    rows = sorted(_applications(rows, "rating__rated_on", "rating__score"),
                  key=lambda a: (a.rating__rated_on, a.pk))
    return refs(rows, url_maker("permits:detail"),
                 lambda a: f"{a.number} {a.kind__name}：{a.rating__score}分",
                 lambda a: a.rating__rated_on)


PERMITS = {
    "permits.accepted": _permits("accepted", "accepted_on"),
    "permits.issued": _permits("approved", "decided_on"),
    "permits.by_kind": _permits("approved", "decided_on",
                                key=lambda a: a.kind__name),
    "permits.certified": _permits("certified", "certificate_issued_on"),
    "permits.decided": _permits("decided", "decided_on"),
    "permits.on_time_rate": _on_time,
    "permits.overdue": _overdue,
    "permits.average_days": _average_days,
    "permits.fees_yuan": _permits("fee_paid", "fee_paid_on",
                                  amount=lambda a: a.fee_amount or Decimal(0)),
    "permits.complaints": _complaints,
}

"""Reconsideration and litigation metrics, through the three rates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q

from fazhi.reports.metric_queries.base import (
    OrgScope,
    Period,
    RecordRef,
    in_subtree,
    memoised,
    refs,
    url_maker,
    values_of,
)

# --- reconsideration and litigation (fazhi.disputes: the three rates) --------------


def _dispute_model(kind: str):
    from fazhi.disputes.models import Lawsuit, Reconsideration

    return Reconsideration if kind == "reconsideration" else Lawsuit


_DISPUTE_FIELDS = {
    "reconsideration": ("number", "outcome", "copy_received_on", "concluded_on"),
    "litigation": ("court", "case_number", "result", "complaint_received_on",
                   "concluded_on"),
}


def _dispute_refs(kind: str, qs, on, **extra) -> list[RecordRef]:
    # Labels name the matter and its outcome, not the applicant or plaintiff.
    from fazhi.disputes.models import LitigationResult, ReconsiderationOutcome

    if kind == "reconsideration":
        outcomes = dict(ReconsiderationOutcome.choices)

        def label(r):
            outcome = outcomes.get(r.outcome, "未审结")
            return f"{r.number}（{outcome}）"
    else:
        results = dict(LitigationResult.choices)

        def label(r):
            return f"{r.court}{r.case_number}（{results.get(r.result, '未审结')}）"
    more = ("heard_on",) if "heard_on" in qs.query.annotations else ()
    rows = sorted(values_of(qs, *_DISPUTE_FIELDS[kind], *more),
                  key=lambda r: (on(r) or dt.date.min, r.pk))
    detail = "reconsideration" if kind == "reconsideration" else "lawsuit"
    return refs(rows, url_maker("disputes:detail", detail), label, on, **extra)


def _disputes_by_date(kind: str, field: str):
    def query(org, p: Period) -> list[RecordRef]:
        rows = _dispute_model(kind).objects.filter(in_subtree(org),
                                                   **{f"{field}__range": p})
        return _dispute_refs(kind, rows, lambda r: getattr(r, field))

    return query


def _rate_rows(org, p: Period, rate_id: str, side: str):
    """The matters on one side of a rate, as ``rates_for`` counted them, each with
    the date that put it in the period (a hearing-based rate: its first hearing)."""
    from fazhi.disputes import services

    every = memoised(("rates", org.pk, p),
                     lambda: services.rates_for(actor=OrgScope(org), period=p))
    result = next(r for r in every if r.rate.id == rate_id)
    rows = _dispute_model(result.rate.matter).objects.filter(
        pk__in=getattr(result, side))
    rate = result.rate
    if rate.denominator.hearing_held or rate.numerator.hearing_held:
        rows = rows.annotate(heard_on=Min("hearings__held_on", filter=Q(
            hearings__held_on__range=p, hearings__principal_appeared__isnull=False)))
        return result, rows, lambda r: r.heard_on
    return result, rows, lambda r: r.concluded_on


def _rate(rate_id: str):
    def query(org, p: Period) -> list[RecordRef]:
        result, rows, on = _rate_rows(org, p, rate_id, "denominator")
        numerator = set(result.numerator)
        return _dispute_refs(result.rate.matter, rows, on,
                             in_numerator=lambda r: r.pk in numerator)

    return query


def _rate_numerator(rate_id: str):
    def query(org, p: Period) -> list[RecordRef]:
        result, rows, on = _rate_rows(org, p, rate_id, "numerator")
        return _dispute_refs(result.rate.matter, rows, on)

    return query


DISPUTES = {
    "reconsideration.received": _disputes_by_date("reconsideration",
                                                  "copy_received_on"),
    "reconsideration.concluded": _disputes_by_date("reconsideration", "concluded_on"),
    "reconsideration.corrected": _rate_numerator("correction_rate"),
    "reconsideration.correction_rate": _rate("correction_rate"),
    "litigation.received": _disputes_by_date("litigation", "complaint_received_on"),
    "litigation.concluded": _disputes_by_date("litigation", "concluded_on"),
    "litigation.lost": _rate_numerator("loss_rate"),
    "litigation.loss_rate": _rate("loss_rate"),
    "litigation.appearance_rate": _rate("appearance_rate"),
}

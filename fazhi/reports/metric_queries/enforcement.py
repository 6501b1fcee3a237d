"""Tip, enforcement-case and supervision metrics."""

from __future__ import annotations

from django.utils import timezone

from fazhi.reports.metric_queries.base import (
    Period,
    RecordRef,
    day_bounds,
    in_subtree,
    refs,
    url_maker,
    values_of,
)

# --- tips (enforcement leads from a citizen's tip) ---------------------------------


def _tips(org, p: Period, field: str):
    from fazhi.enforcement.models import Lead, LeadSource

    qs = Lead.objects.filter(in_subtree(org), source=LeadSource.TIP,
                             **{f"{field}__range": p}).order_by(field, "pk")
    return values_of(qs, "number", "location", "received_on", "answered_on",
                 "reply_clock_id", "reply_clock__due_date")


def _tip_refs(rows, field: str, **extra) -> list[RecordRef]:
    # The tipster is protected: a label names the place, never the person.
    return refs(rows, url_maker("enforcement:lead_detail"),
                 lambda t: f"{t.number} {t.location}", lambda t: getattr(t, field),
                 **extra)


def _tips_received(org, p: Period) -> list[RecordRef]:
    return _tip_refs(_tips(org, p, "received_on"), "received_on")


def _tips_answered(org, p: Period) -> list[RecordRef]:
    return _tip_refs(_tips(org, p, "answered_on"), "answered_on")


def _tips_on_time(org, p: Period) -> list[RecordRef]:
    rows = [t for t in _tips(org, p, "answered_on") if t.reply_clock_id]
    return _tip_refs(rows, "answered_on",
                     in_numerator=lambda t: t.answered_on <= t.reply_clock__due_date)


TIPS = {"tips.received": _tips_received, "tips.answered": _tips_answered,
        "tips.answered_on_time_rate": _tips_on_time}


# --- enforcement cases and supervision -------------------------------------------


def _cases(field: str, amount: str = "", key: bool = False):
    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.enforcement.models import Case

        qs = Case.objects.filter(in_subtree(org), **{f"{field}__range": p})
        labels = _violation_labels()
        extra = {}
        if amount:
            qs = qs.filter(**{f"{amount}__gt": 0})
            extra["amount"] = lambda c: getattr(c, amount)
        if key:
            extra["key"] = lambda c: labels.get(c.violation_type, c.violation_type)
        rows = values_of(qs.order_by(field, "pk"), "number", "violation_type",
                         *{field, amount or field})
        # A label names the matter, not the party: the list is open to every
        # business role, the case page only to those who may read it.
        return refs(rows, url_maker("enforcement:case_detail"),
                    lambda c: f"{c.number} {labels.get(c.violation_type, '')}",
                    lambda c: getattr(c, field), **extra)

    return query


def _violation_labels() -> dict[str, str]:
    from fazhi.enforcement.cases.forms import violation_choices

    return dict(violation_choices())


def _legal_reviews(org, p: Period) -> list[RecordRef]:
    from fazhi.enforcement.models import LegalReview, ReviewResult

    first, after = day_bounds(p)
    qs = (LegalReview.objects.filter(in_subtree(org, "case__org_unit"),
                                     decided_at__gte=first, decided_at__lt=after)
          .order_by("decided_at", "pk"))
    results = dict(ReviewResult.choices)
    case_url = url_maker("enforcement:case_detail")
    return [RecordRef(f"{r.case__number} 法制审核：{results[r.result]}",
                      case_url(r.case_id), timezone.localdate(r.decided_at))
            for r in values_of(qs, "case_id", "case__number", "result", "decided_at")]


def _file_reviews(org, p: Period) -> list[RecordRef]:
    from fazhi.enforcement.models import FileReview

    qs = FileReview.objects.filter(in_subtree(org), reviewed_on__range=p).order_by(
        "reviewed_on", "pk")
    return refs(values_of(qs, "case__number", "score", "grade", "reviewed_on"),
                 url_maker("enforcement:file_review_detail"),
                 lambda r: f"{r.case__number} 评查得分{r.score}（{r.grade}）",
                 lambda r: r.reviewed_on)


def _rectifications(field: str):
    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.enforcement.models import Rectification

        qs = Rectification.objects.filter(in_subtree(org), **{f"{field}__range": p})
        rows = values_of(qs.order_by(field, "pk"), "review_id", "review__case__number",
                     "description", "completed_on", "review__reviewed_on")
        review_url = url_maker("enforcement:file_review_detail")
        return [RecordRef(f"{r.review__case__number} 整改：{r.description[:40]}",
                          review_url(r.review_id), getattr(r, field)) for r in rows]

    return query


ENFORCEMENT = {
    "cases.filed": _cases("filed_on"),
    "cases.closed": _cases("closed_on"),
    "cases.by_type": _cases("filed_on", key=True),
    "cases.fines_imposed_yuan": _cases("decided_on", amount="fine_decided"),
    "cases.fines_collected_yuan": _cases("paid_on", amount="amount_paid"),
    "cases.legal_reviews": _legal_reviews,
    "file_review.files": _file_reviews,
    "supervision.rectification_items": _rectifications("review__reviewed_on"),
    "supervision.rectification_completed": _rectifications("completed_on"),
}

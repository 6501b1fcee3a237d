"""The window's figures for a period and subtree, each traceable to its records.

Every figure is a named filter over applications (``METRICS``): the statistics
page counts it per kind with one grouped query, and the same filter lists the
applications behind any number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from fazhi.core.numbers import percent
from fazhi.core.scope import scoped
from fazhi.deadlines.overdue import overdue_ids
from fazhi.permits.models import Application, ApplicationState, PermitKind
from fazhi.permits.selectors import CLOCKS, DEFERRED

S = ApplicationState
DECIDED = (S.APPROVED, S.CERTIFIED, S.REFUSED, S.REVOKED)


def _decided(p) -> Q:
    return Q(decided_on__range=p, state__in=DECIDED)


def _overdue(t) -> Q:
    """Has a duty of the bureau past due today (deadlines.overdue: decision,
    certificate, the answer to a bad rating)."""
    return Q(pk__in=overdue_ids(Application, t))


def _late(p, t) -> Q:
    """Decided in the period, and the decision or the certificate after its
    statutory date (issued late, or still not issued past it)."""
    cert_late = Q(certificate_clock__stopped_on__gt=F("certificate_clock__due_date"))
    cert_overdue = Q(certificate_clock__state="running",
                     certificate_clock__due_date__lt=t)
    return _decided(p) & (Q(decided_late=True) | cert_late | cert_overdue)


def _bad_score() -> int:
    from fazhi.permits.services import rating_scale

    return rating_scale()[1]


# code → (label, filter for period p = (first, last) and today)
METRICS = {
    "received": ("收件", lambda p, t: Q(received_on__range=p)),
    "accepted": ("受理", lambda p, t: Q(accepted_on__range=p)),
    "decided": ("作出决定", lambda p, t: _decided(p)),
    "approved": ("准予许可", lambda p, t: _decided(p) & ~Q(state=S.REFUSED)),
    "refused": ("不予许可", lambda p, t: Q(decided_on__range=p, state=S.REFUSED)),
    "intake_refused": ("不予受理",
                       lambda p, t: Q(decided_on__range=p, state=S.INTAKE_REFUSED)),
    "certified": ("发证", lambda p, t: Q(certificate_issued_on__range=p)),
    "late": ("超法定期限（决定或发证）", _late),
    "over_promise": ("超承诺时限办结",
                     lambda p, t: _decided(p) & Q(over_promise=True)),
    "open_overdue": ("在办已超期", lambda p, t: _overdue(t)
                     & Q(received_on__lte=p[1])),
    "fee_paid": ("缴费件数", lambda p, t: Q(fee_paid_on__range=p)),
    "rated": ("评价件数", lambda p, t: Q(rating__rated_on__range=p)),
    "bad_rating": ("差评", lambda p, t: Q(rating__rated_on__range=p,
                                          rating__score__lte=_bad_score())),
}


@dataclass
class Row:
    """One kind's figures (or the total)."""

    kind: PermitKind | None
    counts: dict[str, int] = field(default_factory=dict)
    fees: Decimal = Decimal(0)
    avg_days: float | None = None
    avg_score: float | None = None

    @property
    def on_time_rate(self) -> str:
        """Share of decisions with decision and certificate on time, '—' when none
        were decided."""
        return rate(self.counts.get("decided", 0) - self.counts.get("late", 0),
                    self.counts.get("decided", 0))


def rate(numerator: int, denominator: int) -> str:
    """A percentage with one decimal, or '—' for an empty denominator."""
    if not denominator:
        return "—"
    return percent(Decimal(numerator) / denominator, 1)


def period_of(year: int | None, first: dt.date | None,
              last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period asked for: given dates, else the year, else this year."""
    year = year or timezone.localdate().year
    return first or dt.date(year, 1, 1), last or dt.date(year, 12, 31)


def base(actor) -> QuerySet[Application]:
    return scoped(Application.objects.all(), actor)


def window_stats(*, actor, period: tuple[dt.date, dt.date]) -> list[Row]:
    """Figures per kind for the period, then the total row (kind None).

    One grouped scan counts every figure but the open-overdue one, which alone
    needs the clocks and is counted by its own small query; the total row is
    summed from the kinds' rows. Every join is to-one, so no DISTINCT is needed.
    """
    today = timezone.localdate()
    scan = {c: f for c, (_, f) in METRICS.items() if c != "open_overdue"}
    ann = {code: Count("pk", filter=f(period, today)) for code, f in scan.items()}
    ann["fees"] = Sum("fee_amount", filter=METRICS["fee_paid"][1](period, today))
    ann["days_sum"] = Sum("working_days_taken", filter=_decided(period))
    ann["days_n"] = Count("working_days_taken", filter=_decided(period))
    ann["score_sum"] = Sum("rating__score", filter=Q(rating__rated_on__range=period))
    grouped = {g["kind_id"]: g for g in
               base(actor).values("kind_id").annotate(**ann).order_by("kind_id")}
    overdue = dict(base(actor).filter(METRICS["open_overdue"][1](period, today))
                   .values("kind_id").annotate(n=Count("pk")).order_by()
                   .values_list("kind_id", "n"))
    kinds = {k.pk: k for k in
             PermitKind.objects.select_related("org_unit").filter(pk__in=grouped)}
    rows = [_row(kinds[pk], {**g, "open_overdue": overdue.get(pk, 0)})
            for pk, g in grouped.items()]
    total = {key: sum(g[key] or 0 for g in grouped.values()) for key in ann}
    total["open_overdue"] = sum(overdue.values())
    return [*rows, _row(None, total)]


def _row(kind, values: dict) -> Row:
    rated = values["rated"] or 0
    return Row(kind=kind, counts={c: values[c] or 0 for c in METRICS},
               fees=values["fees"] or Decimal(0),
               avg_days=(values["days_sum"] / values["days_n"]
                         if values["days_n"] else None),
               avg_score=(values["score_sum"] / rated if rated else None))


def metric_records(*, actor, metric: str, period, kind: int | None = None):
    """The applications a figure counted."""
    if metric not in METRICS:
        raise KeyError(metric)
    qs = base(actor).filter(METRICS[metric][1](period, timezone.localdate()))
    if kind:
        qs = qs.filter(kind_id=kind)
    return qs.select_related("kind", "clerk", "org_unit", *CLOCKS).defer(
        *DEFERRED).order_by("-received_on", "-pk")


def overdue_list(*, actor, period) -> QuerySet[Application]:
    """Decided in the period with the decision or certificate after its statutory
    date, or with a duty of the bureau past due today (the goal: none)."""
    today = timezone.localdate()
    q = METRICS["late"][1](period, today) | METRICS["open_overdue"][1](period, today)
    return base(actor).filter(q).select_related("kind", "clerk", "decision_clock")



"""One query per metric: the records of an organisation's subtree that a figure counts.

Each query takes the organisation unit and the period (first, last: both included) and
returns the matters counted as ``RecordRef``s — with the amount each adds for a sum or
an average, whether it is in the numerator for a rate, and its breakdown key. The
figure itself is computed from these records (``metrics.py``), so it can never differ
from the list behind it. Where an app already counts a figure (the window's
statistics, the three rates, the OGI annual table, the learning selectors) the query
calls that code rather than repeating it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

Period = tuple[dt.date, dt.date]
_PK = 987654321  # a placeholder id: reverse() once per list, not once per row


@dataclass(frozen=True)
class RecordRef:
    """One matter behind a figure, with the link to its page."""

    label: str
    url: str
    on: dt.date | None  # the date that put it in the period
    amount: Decimal | int | None = None  # sums and averages: what it adds
    in_numerator: bool | None = None  # rates: counted in the numerator too
    key: str = ""  # breakdown key (e.g. the permit kind's name)


@dataclass(frozen=True)
class OrgScope:
    """The organisation unit as the apps' scoped selectors expect a caller: they see
    ``org_unit``'s subtree, and nothing in them asks for more than that."""

    org_unit: object
    is_authenticated: bool = True


def url_maker(name: str, *prefix) -> Callable[[int], str]:
    """Return pk → the page of that record, reversing ``name`` once, when first
    needed (an empty list never asks for a page)."""
    template: list[str] = []

    def url(pk) -> str:
        if not template:
            template.append(reverse(name, args=[*prefix, _PK]))
        return template[0].replace(str(_PK), str(pk))

    return url


def subtree_ids(org) -> list[int]:
    """The ids of ``org`` and every unit under it (by its materialised path)."""
    from fazhi.core.models import OrgUnit

    return list(OrgUnit.objects.filter(path__startswith=org.path)
                .values_list("pk", flat=True))


def _sub(org, field: str = "org_unit") -> Q:
    # By ids, not by a join on the path: a LIKE on the path cannot use the matters'
    # org_unit index (SQLite), so a county among 122 would scan the province's rows.
    return Q(**{f"{field}_id__in": subtree_ids(org)})


def _rows(qs, *fields: str) -> list[SimpleNamespace]:
    """``qs``'s rows as plain values: "pk" and ``fields`` (names as given)."""
    return [SimpleNamespace(**r) for r in qs.values("pk", *fields)]


def _moments(p: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's days as aware datetimes [first 00:00, day after last 00:00)."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(p[0], dt.time.min, tz),
            dt.datetime.combine(p[1] + dt.timedelta(days=1), dt.time.min, tz))


def _refs(rows: Iterable, url, label, on, **extra) -> list[RecordRef]:
    return [RecordRef(label(r), url(r.pk), on(r), **{k: f(r) for k, f in extra.items()})
            for r in rows]


# --- learning (fazhi.learning.selectors) -------------------------------------------


def _learning(name: str, url: str, fields, label, amount=None, key=None, **kw):
    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.learning import selectors

        qs = getattr(selectors, name)(org_unit=org, start=p[0], end=p[1], **kw)
        extra = {"amount": amount} if amount else {}
        if key:
            extra["key"] = key
        field = qs.model.PERIOD_FIELD
        rows = _rows(qs, field, *fields)
        return _refs(rows, url_maker(url), label, lambda r: getattr(r, field), **extra)

    return query


def _session(r) -> str:
    return f"{r.kind}：{r.topic}（{r.org_unit__short_name or r.org_unit__name}）"


SESSION = ("kind", "topic", "org_unit__short_name", "org_unit__name", "attendance")
EXAM = ("person__full_name", "person__username", "exam_name")
CAMPAIGN = ("title", "channel", "audience", "people_reached")


def _examinee(r) -> str:
    return f"{r.person__full_name or r.person__username} {r.exam_name}"


LEARNING = {
    "study.sessions": _learning("study_sessions_in", "learning:session_detail",
                                SESSION, _session),
    "study.attendances": _learning("study_sessions_in", "learning:session_detail",
                                   SESSION,
                                   lambda r: f"{_session(r)}，{r.attendance}人次",
                                   amount=lambda r: r.attendance),
    "exams.sat": _learning("exams_in", "learning:exam_detail", EXAM, _examinee),
    "exams.passed": _learning("exams_in", "learning:exam_detail", EXAM, _examinee,
                              passed=True),
    "seminars.held": _learning("seminars_in", "learning:seminar_detail", ("topic",),
                               lambda r: f"案例研讨：{r.topic}"),
    "outreach.campaigns": _learning("campaigns_in", "learning:campaign_detail",
                                    CAMPAIGN, lambda r: f"{r.title}（{r.channel}）",
                                    key=lambda r: r.audience),
    "outreach.audience": _learning("campaigns_in", "learning:campaign_detail",
                                   CAMPAIGN,
                                   lambda r: f"{r.title}，{r.people_reached}人次",
                                   amount=lambda r: r.people_reached,
                                   key=lambda r: r.audience),
    "outreach.case_explanations": _learning(
        "explanations_in", "learning:explanation_detail", ("title", "case__number"),
        lambda r: f"{r.title}（案件 {r.case__number}）"),
}


# --- permits (fazhi.permits.stats: the window's own statistics) ---------------------


# Read as plain values: the window's own query decides which applications count; a
# metric needs only these columns of each (a full row with its kind, clerk and three
# clocks costs about ten times as much, and a province lists thousands).
_APPLICATION = ("pk", "number", "kind__name", "applicant_name", "received_on",
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
    return _refs(rows, url_maker("permits:detail"),
                 lambda a: f"{a.number} {a.kind__name}（{a.applicant_name}）",
                 lambda a: getattr(a, on), **extra)


def _on_time(org, p: Period) -> list[RecordRef]:
    from fazhi.permits import stats

    rows = stats.metric_records(actor=OrgScope(org), metric="decided", period=p)
    return _application_refs(_applications(rows), "decided_on",
                             in_numerator=lambda a: not a.decided_late)


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
    return _refs(rows, url_maker("permits:detail"),
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


# --- tips (enforcement leads from a citizen's tip) ---------------------------------


def _tips(org, p: Period, field: str):
    from fazhi.enforcement.models import Lead, LeadSource

    qs = Lead.objects.filter(_sub(org), source=LeadSource.TIP,
                             **{f"{field}__range": p}).order_by(field, "pk")
    return _rows(qs, "number", "location", "received_on", "answered_on",
                 "reply_clock_id", "reply_clock__due_date")


def _tip_refs(rows, field: str, **extra) -> list[RecordRef]:
    # The tipster is protected: a label names the place, never the person.
    return _refs(rows, url_maker("enforcement:lead_detail"),
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

        qs = Case.objects.filter(_sub(org), **{f"{field}__range": p})
        extra = {}
        if amount:
            qs = qs.filter(**{f"{amount}__gt": 0})
            extra["amount"] = lambda c: getattr(c, amount)
        if key:
            labels = _violation_labels()
            extra["key"] = lambda c: labels.get(c.violation_type, c.violation_type)
        rows = _rows(qs.order_by(field, "pk"), "number", "party_name",
                     "violation_type", *{field, amount or field})
        return _refs(rows, url_maker("enforcement:case_detail"),
                     lambda c: f"{c.number} {c.party_name}",
                     lambda c: getattr(c, field), **extra)

    return query


def _violation_labels() -> dict[str, str]:
    from fazhi.enforcement.forms import violation_choices

    return dict(violation_choices())


def _legal_reviews(org, p: Period) -> list[RecordRef]:
    from fazhi.enforcement.models import LegalReview

    first, after = _moments(p)
    from fazhi.enforcement.models import ReviewResult

    qs = (LegalReview.objects.filter(_sub(org, "case__org_unit"),
                                     decided_at__gte=first, decided_at__lt=after)
          .order_by("decided_at", "pk"))
    results = dict(ReviewResult.choices)
    case_url = url_maker("enforcement:case_detail")
    return [RecordRef(f"{r.case__number} {r.case__party_name}：{results[r.result]}",
                      case_url(r.case_id), timezone.localdate(r.decided_at))
            for r in _rows(qs, "case_id", "case__number", "case__party_name",
                           "result", "decided_at")]


def _file_reviews(org, p: Period) -> list[RecordRef]:
    from fazhi.enforcement.models import FileReview

    qs = FileReview.objects.filter(_sub(org), reviewed_on__range=p).order_by(
        "reviewed_on", "pk")
    return _refs(_rows(qs, "case__number", "score", "grade", "reviewed_on"),
                 url_maker("enforcement:file_review_detail"),
                 lambda r: f"{r.case__number} 评查得分{r.score}（{r.grade}）",
                 lambda r: r.reviewed_on)


def _rectifications(field: str):
    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.enforcement.models import Rectification

        qs = Rectification.objects.filter(_sub(org), **{f"{field}__range": p})
        rows = _rows(qs.order_by(field, "pk"), "review_id", "review__case__number",
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


# --- reconsideration and litigation (fazhi.disputes: the three rates) --------------


def _dispute_model(kind: str):
    from fazhi.disputes.models import Lawsuit, Reconsideration

    return Reconsideration if kind == "reconsideration" else Lawsuit


_DISPUTE_FIELDS = {
    "reconsideration": ("number", "applicant_name", "outcome", "copy_received_on",
                        "concluded_on"),
    "litigation": ("court", "case_number", "plaintiff", "result",
                   "complaint_received_on", "concluded_on"),
}


def _dispute_refs(kind: str, qs, on, **extra) -> list[RecordRef]:
    from fazhi.disputes.models import LitigationResult, ReconsiderationOutcome

    if kind == "reconsideration":
        outcomes = dict(ReconsiderationOutcome.choices)

        def label(r):
            outcome = outcomes.get(r.outcome, "未审结")
            return f"{r.number} {r.applicant_name}（{outcome}）"
    else:
        results = dict(LitigationResult.choices)

        def label(r):
            return (f"{r.court}{r.case_number} {r.plaintiff}"
                    f"（{results.get(r.result, '未审结')}）")
    more = ("heard_on",) if "heard_on" in qs.query.annotations else ()
    rows = sorted(_rows(qs, *_DISPUTE_FIELDS[kind], *more),
                  key=lambda r: (on(r) or dt.date.min, r.pk))
    detail = "reconsideration" if kind == "reconsideration" else "lawsuit"
    return _refs(rows, url_maker("disputes:detail", detail), label, on, **extra)


def _disputes_by_date(kind: str, field: str):
    def query(org, p: Period) -> list[RecordRef]:
        rows = _dispute_model(kind).objects.filter(_sub(org), **{f"{field}__range": p})
        return _dispute_refs(kind, rows, lambda r: getattr(r, field))

    return query


def _rate_rows(org, p: Period, rate_id: str, side: str):
    """The matters on one side of a rate, as ``rates_for`` counted them, each with
    the date that put it in the period (a hearing-based rate: its first hearing)."""
    from fazhi.disputes import services

    result = next(r for r in services.rates_for(actor=OrgScope(org), period=p)
                  if r.rate.id == rate_id)
    rows = _dispute_model(result.rate.matter).objects.filter(
        pk__in=getattr(result, side))
    rate = result.rate
    if rate.denominator.hearing_held or rate.numerator.hearing_held:
        rows = rows.annotate(heard_on=Min("hearings__held_on", filter=Q(
            hearings__held_on__range=p)))
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


# --- disclosure (fazhi.disclosure.stats: the OGI annual table) ---------------------


def _calendar_year(p: Period) -> int | None:
    first, last = p
    whole = (first.year == last.year and (first.month, first.day) == (1, 1)
             and (last.month, last.day) == (12, 31))
    return first.year if whole else None


def _disclosure(row_kind: str, field: str):
    """A row of table 3 (total column) for a calendar year; the same test for any
    other period: received in it, or concluded (closed with an outcome) in it."""

    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.disclosure.models import DisclosureRequest

        year = _calendar_year(p)
        if year is not None:
            from fazhi.disclosure.stats import ogi_table_for

            table = ogi_table_for(org=org, year=year)
            row = table.layout.row_of_kind(row_kind)
            column = next(c for c in table.layout.columns if c.kind == "total")
            rows = DisclosureRequest.objects.filter(
                pk__in=table.cell(row.code, column.code).ids)
        else:
            rows = DisclosureRequest.objects.filter(_sub(org), **{f"{field}__range": p})
        return _request_refs(rows, field)

    return query


def _request_refs(qs, field: str) -> list[RecordRef]:
    rows = _rows(qs.order_by(field, "pk"), "number", "content", field)
    return _refs(rows, url_maker("disclosure:detail"),
                 lambda r: f"{r.number} {r.content[:30]}", lambda r: getattr(r, field))


def _disclosure_late(org, p: Period) -> list[RecordRef]:
    from fazhi.disclosure.models import DisclosureRequest

    rows = DisclosureRequest.objects.filter(_sub(org), replied_late=True,
                                            replied_on__range=p)
    return _request_refs(rows, "replied_on")


DISCLOSURE = {
    "disclosure.requests": _disclosure("received_this_year", "received_on"),
    "disclosure.replied": _disclosure("total", "closed_on"),
    "disclosure.late": _disclosure_late,
}


# --- satellite patches (fazhi.monitoring) -------------------------------------------


def _patch_refs(qs, on, *fields: str) -> list[RecordRef]:
    rows = sorted(_rows(qs, "code", "batch__code", *fields),
                  key=lambda x: (on(x) or dt.date.min, x.pk))
    return _refs(rows, url_maker("monitoring:patch_detail"),
                 lambda x: f"{x.batch__code} 图斑 {x.code}", on)


def _patches(org):
    from fazhi.monitoring.models import Patch

    return Patch.objects.filter(_sub(org))


def _patches_received(org, p: Period) -> list[RecordRef]:
    rows = _patches(org).filter(batch__received_on__range=p)
    return _patch_refs(rows, lambda x: x.batch__received_on, "batch__received_on")


def _patches_checked(org, p: Period) -> list[RecordRef]:
    from fazhi.monitoring.models import TaskState

    first, after = _moments(p)
    submitted = Q(tasks__state=TaskState.SUBMITTED)
    rows = (_patches(org).annotate(checked_at=Min("tasks__submitted_at",
                                                  filter=submitted))
            .filter(checked_at__gte=first, checked_at__lt=after))
    return _patch_refs(rows, lambda x: timezone.localdate(x.checked_at), "checked_at")


def _patches_illegal(org, p: Period) -> list[RecordRef]:
    rows = _patches(org).filter(verdict="illegal", verdict_on__range=p)
    return _patch_refs(rows, lambda x: x.verdict_on, "verdict_on")


def _patches_rectified(org, p: Period) -> list[RecordRef]:
    from fazhi.monitoring.models import PatchState, RectificationState

    done = Q(rectifications__state=RectificationState.DONE)
    rows = (_patches(org).filter(state=PatchState.RECTIFIED)
            .annotate(rectified_on=Min("rectifications__done_on", filter=done))
            .filter(rectified_on__range=p))
    return _patch_refs(rows, lambda x: x.rectified_on, "rectified_on")


MONITORING = {"patches.received": _patches_received,
              "patches.checked": _patches_checked,
              "patches.illegal": _patches_illegal,
              "patches.rectified": _patches_rectified}

QUERIES: dict[str, Callable[[object, Period], list[RecordRef]]] = {
    **LEARNING, **PERMITS, **TIPS, **ENFORCEMENT, **DISPUTES, **DISCLOSURE,
    **MONITORING}


# --- does fazhi hold records of a module for a period? ------------------------------


def _probe(model_path: str, *fields: str, org_field: str = "org_unit"):
    def has(org, p: Period) -> bool:
        from django.apps import apps

        model = apps.get_model(model_path)
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__range": p})
        return model.objects.filter(q, _sub(org, org_field)).exists()

    return has


# A metric's last-year value comes from the records when the subtree has records of
# its kind dated in that year (a year with cases but no lawsuit lost says 0 lost);
# otherwise from a baseline. Keyed by the metric id's first part.
PROBES = {
    "study": _probe("learning.StudySession", "held_on"),
    "exams": _probe("learning.QualificationExam", "sat_on"),
    "seminars": _probe("learning.CaseSeminar", "held_on"),
    "outreach": _probe("learning.OutreachCampaign", "held_on"),
    "permits": _probe("permits.Application", "received_on", "decided_on"),
    "tips": _probe("enforcement.Lead", "received_on", "answered_on"),
    "cases": _probe("enforcement.Case", "filed_on", "decided_on", "closed_on"),
    "file_review": _probe("enforcement.FileReview", "reviewed_on"),
    "supervision": _probe("enforcement.FileReview", "reviewed_on"),
    "reconsideration": _probe("disputes.Reconsideration", "copy_received_on",
                              "concluded_on"),
    "litigation": _probe("disputes.Lawsuit", "complaint_received_on", "concluded_on"),
    "disclosure": _probe("disclosure.DisclosureRequest", "received_on", "closed_on"),
    "patches": _probe("monitoring.Patch", "batch__received_on", "verdict_on"),
}
# 以案释法 is an outreach record of its own.
PROBES_BY_ID = {"outreach.case_explanations": _probe("learning.CaseExplanation",
                                                     "published_on")}

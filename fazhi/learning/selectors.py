"""Read queries for learning and outreach records.

Two families:

- pages: ``<record>_list(actor=…, filters=…)`` and ``<record>_get(actor=…, pk=…)``,
  scoped to the caller's subtree (outside it: 404);
- metrics (for ``fazhi.reports.metrics``): ``<records>_in(org_unit=…, start=…,
  end=…)`` return the records of ``org_unit``'s subtree whose date of effect lies in
  ``start..end`` inclusive, and the sums next to them add those querysets up. The
  date of effect is the model's ``PERIOD_FIELD``: the day a session, seminar or
  campaign was held, the day an exam was sat, the day an explanation was published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet, Sum
from django.db.models.functions import Coalesce

from fazhi.core.filters import search
from fazhi.core.models import AuditEvent, Evidence
from fazhi.core.numbers import doc_number_normalise
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.learning.models import (
    CaseExplanation,
    CaseSeminar,
    OutreachCampaign,
    QualificationExam,
    StudySession,
)

# Study and outreach records concern all staff: every business role reads them.
READ_ROLES = tuple(sorted(BUSINESS_ROLES))
# The 法规股 (legal affairs) and 督察股 (supervision) keep the bureau's learning
# records; the principal reads and is answerable for them.
RECORD_ROLES = (Role.LEGAL_AFFAIRS_OFFICER, Role.SUPERVISOR)
# Exam scores are personal: those who keep the records and the principal read them.
EXAM_READ_ROLES = (*RECORD_ROLES, Role.PRINCIPAL)


# --- metrics: a period of an organisation's subtree ---------------------------------


def _in(model: type[Model], org_unit, start: dt.date, end: dt.date) -> QuerySet:
    field = model.PERIOD_FIELD
    return model.objects.filter(
        org_unit__path__startswith=org_unit.path,
        **{f"{field}__gte": start, f"{field}__lte": end},
    ).select_related("org_unit").order_by(field, "pk")


def _sum(qs: QuerySet, field: str) -> int:
    return qs.order_by().aggregate(n=Coalesce(Sum(field), 0))["n"]


def study_sessions_in(*, org_unit, start: dt.date, end: dt.date
                      ) -> QuerySet[StudySession]:
    """Study sessions held in ``start..end`` by ``org_unit``'s subtree."""
    return _in(StudySession, org_unit, start, end)


def study_attendance(*, org_unit, start: dt.date, end: dt.date) -> int:
    """Attendances (人次) of those sessions: named attendees plus others counted."""
    return _sum(study_sessions_in(org_unit=org_unit, start=start, end=end),
                "attendance")


def exams_in(*, org_unit, start: dt.date, end: dt.date, passed: bool | None = None
             ) -> QuerySet[QualificationExam]:
    """Qualification exams sat in ``start..end``; ``passed=True`` keeps the passes."""
    qs = _in(QualificationExam, org_unit, start, end).select_related("person")
    return qs if passed is None else qs.filter(passed=passed)


def seminars_in(*, org_unit, start: dt.date, end: dt.date) -> QuerySet[CaseSeminar]:
    """Case seminars held in ``start..end``."""
    return _in(CaseSeminar, org_unit, start, end)


def campaigns_in(*, org_unit, start: dt.date, end: dt.date, audience: str = "",
                 channel: str = "") -> QuerySet[OutreachCampaign]:
    """Outreach campaigns held in ``start..end``, of one audience or channel if told."""
    qs = _in(OutreachCampaign, org_unit, start, end)
    if audience:
        qs = qs.filter(audience=audience)
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def campaign_totals(*, org_unit, start: dt.date, end: dt.date, audience: str = "",
                    channel: str = "") -> dict[str, int]:
    """Sums of those campaigns: ``campaigns``, ``sessions`` (场次), ``people_reached``
    (受众人次) and ``materials_handed_out`` (份)."""
    qs = campaigns_in(org_unit=org_unit, start=start, end=end, audience=audience,
                      channel=channel).order_by()
    sums = qs.aggregate(**{f: Coalesce(Sum(f), 0) for f in
                           ("sessions", "people_reached", "materials_handed_out")})
    return {"campaigns": qs.count(), **sums}


def campaign_audience(*, org_unit, start: dt.date, end: dt.date,
                      audience: str = "") -> int:
    """People reached (受众人次) by those campaigns."""
    return _sum(campaigns_in(org_unit=org_unit, start=start, end=end,
                             audience=audience), "people_reached")


def campaign_breakdown(*, org_unit, start: dt.date, end: dt.date,
                       by: str = "audience") -> dict[str, dict[str, int]]:
    """Campaign count and people reached per audience (or per ``by="channel"``)."""
    if by not in ("audience", "channel"):
        raise ValueError(by)
    rows = (campaigns_in(org_unit=org_unit, start=start, end=end).order_by()
            .values(by).annotate(n=Count("pk"), people=Sum("people_reached"))
            .order_by(by))
    return {row[by]: {"campaigns": row["n"], "people_reached": row["people"] or 0}
            for row in rows}


def explanations_in(*, org_unit, start: dt.date, end: dt.date
                    ) -> QuerySet[CaseExplanation]:
    """"以案释法" items published in ``start..end``."""
    return _in(CaseExplanation, org_unit, start, end).select_related("case")


# --- pages: the caller's subtree ---------------------------------------------------


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    org_code: str = ""  # a division code inside the caller's subtree
    kind: str = ""  # sessions: 学法形式
    audience: str = ""  # campaigns
    channel: str = ""  # campaigns
    passed: bool | None = None  # exams
    q: str = ""


SEARCH = {
    StudySession: ("topic", "speaker", "summary"),
    QualificationExam: ("exam_name", "person__full_name", "certificate_number"),
    CaseSeminar: ("topic", "other_cases", "conclusions"),
    OutreachCampaign: ("title", "place", "summary"),
    CaseExplanation: ("title", "published_in", "case__number"),
}
RELATED = {
    StudySession: ("org_unit", "organiser"),
    QualificationExam: ("org_unit", "person"),
    CaseSeminar: ("org_unit",),
    OutreachCampaign: ("org_unit",),
    CaseExplanation: ("org_unit", "case"),
}


def record_list(model: type[Model], *, actor, filters: Filters | None = None
                ) -> QuerySet:
    """Records of ``model`` in the caller's subtree, newest first, as filtered."""
    f = filters or Filters()
    qs = scoped(model.objects.all(), actor).select_related(*RELATED[model])
    if f.year:
        qs = qs.filter(**{f"{model.PERIOD_FIELD}__year": f.year})
    if f.org_code:
        qs = qs.filter(org_unit__path__contains=f"{f.org_code}/")
    for name in ("kind", "audience", "channel"):
        if getattr(f, name) and hasattr(model, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.passed is not None and model is QualificationExam:
        qs = qs.filter(passed=f.passed)
    return search(qs, f.q, *SEARCH[model])


def record_totals(model: type[Model], qs: QuerySet) -> dict[str, int]:
    """The figures a list page shows above its rows: count and the model's sums."""
    sums = {StudySession: ("attendance",), CaseSeminar: ("attendance",),
            OutreachCampaign: ("sessions", "people_reached", "materials_handed_out")}
    totals = {"count": qs.count()}
    for field in sums.get(model, ()):
        totals[field] = _sum(qs, field)
    if model is QualificationExam:
        totals["passed"] = qs.filter(passed=True).count()
    return totals


def record_get(model: type[Model], *, actor, pk) -> Model:
    """One record of the caller's subtree, or Http404."""
    return get_scoped_or_404(model.objects.select_related(*RELATED[model],
                                                          "created_by"),
                             actor, pk=pk)


def record_materials(obj: Model) -> QuerySet[Evidence]:
    """The files attached to ``obj`` through the evidence store, oldest first."""
    return Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk)).select_related("uploaded_by").order_by("pk")


def record_timeline(obj: Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label,
                                     object_id=str(obj.pk)).order_by("seq")


def record_years(model: type[Model], *, actor) -> list[int]:
    """The years the caller's subtree has records of ``model`` in, newest first."""
    dates = scoped(model.objects.all(), actor).dates(model.PERIOD_FIELD, "year",
                                                     order="DESC")
    return [d.year for d in dates]


# --- enforcement cases the records point to --------------------------------------


class CaseNotUsable(ValueError):
    """The case named cannot be used for this record; the message says why."""


def cases_by_number(*, actor, numbers: list[str]) -> dict:
    """Cases of the caller's subtree by number (numbers not found are left out)."""
    if not numbers:
        return {}
    qs = enforcement_selectors.case_list(actor=actor).filter(number__in=numbers)
    return {case.number: case for case in qs}


def closed_case_get(*, actor, number: str):
    """The closed case numbered ``number`` in the caller's subtree, or CaseNotUsable.

    "以案释法" explains decided matters only: a case still open is refused.
    """
    if not number:
        raise CaseNotUsable("请填写案件编号")
    number = doc_number_normalise(number)
    case = cases_by_number(actor=actor, numbers=[number]).get(number)
    if case is None:
        raise CaseNotUsable(f"案件编号“{number}”不存在或不在本机关范围内")
    if not enforcement_selectors.case_is_closed(case):
        raise CaseNotUsable(
            f"案件 {number} 尚未结案（当前：{case.get_state_display()}），"
            "以案释法只能选用已结案的案件")
    return case


def closed_cases(*, actor) -> QuerySet:
    """Closed cases of the caller's subtree, latest closed first (for choosing)."""
    return enforcement_selectors.case_list_closed(actor=actor).order_by(
        "-closed_on", "-pk")

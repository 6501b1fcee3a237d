"""Does fazhi hold records of a kind for a period? (year-on-year source)"""

from __future__ import annotations

from django.db.models import Q

from fazhi.reports.metric_queries.base import (
    Period,
    in_subtree,
    memoised,
)

# --- does fazhi hold records of a module for a period? ------------------------------


def _probe(model_path: str, *fields: str, org_field: str = "org_unit"):
    def has(org, p: Period) -> bool:
        from django.apps import apps

        model = apps.get_model(model_path)
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__range": p})
        return memoised(("probe", model_path, fields, org.pk, p), lambda: (
            model.objects.filter(q, in_subtree(org, org_field)).exists()))

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
    "clocks": _probe("deadlines.Clock", "start_date", "stopped_on"),
}
# 以案释法 is an outreach record of its own.
PROBES_BY_ID = {"outreach.case_explanations": _probe("learning.CaseExplanation",
                                                     "published_on")}

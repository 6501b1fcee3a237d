"""Learning and outreach metrics, through the learning selectors."""

from __future__ import annotations

from fazhi.reports.metric_queries.base import (
    Period,
    RecordRef,
    refs,
    url_maker,
    values_of,
)

# --- learning (fazhi.learning.selectors) -------------------------------------------


def _learning(name: str, url: str, fields, label, amount=None, key=None, **kw):
    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.learning import selectors

        qs = getattr(selectors, name)(org_unit=org, start=p[0], end=p[1], **kw)
        extra = {"amount": amount} if amount else {}
        if key:
            extra["key"] = key
        field = qs.model.PERIOD_FIELD
        rows = values_of(qs, field, *fields)
        return refs(rows, url_maker(url), label, lambda r: getattr(r, field), **extra)

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

"""What each record type's pages show: list columns, export columns, detail facts.

One ``Page`` per record type; views.py serves all five with the same few views.
A cell is text, or (text, url) when it links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from fazhi.learning import selectors, services
from fazhi.learning.models import (
    CaseExplanation,
    CaseSeminar,
    OutreachCampaign,
    QualificationExam,
    StudySession,
)

Cell = Any
Columns = list[tuple[str, Callable[[Any], Cell]]]


@dataclass(frozen=True)
class Page:
    key: str  # url-name stem: session → learning:session_list …
    model: type[Model]
    title: str
    save: Callable[..., Model]  # the service creating / correcting a record
    record_arg: str  # the service's keyword for the record being corrected
    columns: Columns  # list page, first column links to the detail
    export: Columns  # the Excel sheet
    facts: Callable[[Any], list[tuple[str, Cell]]]
    totals: list[tuple[str, str]]  # (totals key, label) above the list
    filters: tuple[str, ...] = ()  # extra list filters (FilterForm.EXTRA)
    read_roles: tuple[str, ...] = selectors.READ_ROLES


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _names(people) -> str:
    return "、".join(str(p) for p in people)


def _laws(obj) -> str:
    return "；".join(obj.laws)


def _people(obj) -> str:
    named = obj.attendance - obj.other_attendees
    others = f"，其他人员{obj.other_attendees}人" if obj.other_attendees else ""
    return f"{obj.attendance}人次（本机关{named}人{others}）"


def _case_cell(seminar) -> str:
    numbers = "、".join(c.number for c in seminar.cases.all())
    others = seminar.other_cases.splitlines()
    return numbers or (others[0] + ("等" if len(others) > 1 else "") if others else "")


def _cases(seminar) -> list:
    return [(c.number, c.get_absolute_url()) for c in seminar.cases.all()]


SESSION = Page(
    "session", StudySession, "学法活动", services.session_save, "session",
    columns=[("学法主题", lambda o: o.topic), ("日期", lambda o: _d(o.held_on)),
             ("形式", lambda o: o.kind), ("学习的法律法规", _laws),
             ("参加人次", lambda o: o.attendance), ("机关", lambda o: o.org_unit.name)],
    export=[("日期", lambda o: o.held_on), ("机关", lambda o: o.org_unit.name),
            ("学法形式", lambda o: o.kind), ("学法主题", lambda o: o.topic),
            ("学习的法律法规", _laws), ("主讲人", lambda o: o.speaker),
            ("组织者", lambda o: str(o.organiser)),
            ("本机关参加人员", lambda o: _names(o.attendees.all())),
            ("其他参加人数", lambda o: o.other_attendees),
            ("参加人次", lambda o: o.attendance),
            ("学习内容摘要", lambda o: o.summary)],
    facts=lambda o: [("学法日期", _d(o.held_on)), ("学法形式", o.kind),
                     ("学习的法律法规", _laws(o)), ("主讲人", o.speaker or "—"),
                     ("组织者", str(o.organiser)), ("参加", _people(o)),
                     ("学习内容摘要", o.summary or "—")],
    totals=[("count", "次"), ("attendance", "人次")],
    filters=("kind",),
)

EXAM = Page(
    "exam", QualificationExam, "执法资格考试", services.exam_save, "exam",
    columns=[("考试人员", lambda o: str(o.person)), ("考试", lambda o: o.exam_name),
             ("日期", lambda o: _d(o.sat_on)), ("成绩", lambda o: o.score),
             ("结果", lambda o: "合格" if o.passed else "不合格"),
             ("执法证号", lambda o: o.certificate_number),
             ("有效期至", lambda o: _d(o.certificate_valid_until))],
    export=[("考试日期", lambda o: o.sat_on), ("机关", lambda o: o.org_unit.name),
            ("考试人员", lambda o: str(o.person)), ("考试名称", lambda o: o.exam_name),
            ("成绩", lambda o: o.score),
            ("考试合格", lambda o: "是" if o.passed else "否"),
            ("执法证号", lambda o: o.certificate_number),
            ("有效期起", lambda o: o.certificate_valid_from),
            ("有效期至", lambda o: o.certificate_valid_until),
            ("备注", lambda o: o.note)],
    facts=lambda o: [("考试人员", str(o.person)), ("考试名称", o.exam_name),
                     ("考试日期", _d(o.sat_on)), ("成绩", f"{o.score}分"),
                     ("结果", "合格" if o.passed else "不合格"),
                     ("执法证号", o.certificate_number or "—"),
                     ("有效期", f"{_d(o.certificate_valid_from)} 至 "
                               f"{_d(o.certificate_valid_until)}"
                      if o.certificate_valid_from else "—"),
                     ("备注", o.note or "—")],
    totals=[("count", "人次参加考试"), ("passed", "人次合格")],
    filters=("passed",),
    read_roles=selectors.EXAM_READ_ROLES,
)

SEMINAR = Page(
    "seminar", CaseSeminar, "案例研讨", services.seminar_save, "seminar",
    columns=[("研讨主题", lambda o: o.topic), ("日期", lambda o: _d(o.held_on)),
             ("案件", _case_cell),
             ("参加人次", lambda o: o.attendance), ("机关", lambda o: o.org_unit.name)],
    export=[("日期", lambda o: o.held_on), ("机关", lambda o: o.org_unit.name),
            ("研讨主题", lambda o: o.topic),
            ("本系统案件", lambda o: "、".join(c.number for c in o.cases.all())),
            ("其他案例", lambda o: o.other_cases),
            ("本机关参加人员", lambda o: _names(o.attendees.all())),
            ("其他参加人数", lambda o: o.other_attendees),
            ("参加人次", lambda o: o.attendance),
            ("研讨意见", lambda o: o.conclusions)],
    facts=lambda o: [("研讨日期", _d(o.held_on)), ("研讨主题", o.topic),
                     ("研讨的本系统案件", _cases(o) or "—"),
                     ("其他案例", o.other_cases or "—"), ("参加", _people(o)),
                     ("研讨意见", o.conclusions or "—")],
    totals=[("count", "次"), ("attendance", "人次")],
)

CAMPAIGN = Page(
    "campaign", OutreachCampaign, "普法宣传活动", services.campaign_save, "campaign",
    columns=[("活动名称", lambda o: o.title), ("日期", lambda o: _d(o.held_on)),
             ("对象", lambda o: o.audience), ("形式", lambda o: o.channel),
             ("场次", lambda o: o.sessions), ("受众人次", lambda o: o.people_reached),
             ("发放资料", lambda o: o.materials_handed_out),
             ("机关", lambda o: o.org_unit.name)],
    export=[("日期", lambda o: o.held_on), ("机关", lambda o: o.org_unit.name),
            ("活动名称", lambda o: o.title), ("宣传对象", lambda o: o.audience),
            ("宣传形式", lambda o: o.channel), ("地点", lambda o: o.place),
            ("宣传的法律法规", _laws), ("场次", lambda o: o.sessions),
            ("受众人次", lambda o: o.people_reached),
            ("发放资料（份）", lambda o: o.materials_handed_out),
            ("活动情况", lambda o: o.summary)],
    facts=lambda o: [("活动日期", _d(o.held_on)), ("宣传对象", o.audience),
                     ("宣传形式", o.channel), ("地点", o.place or "—"),
                     ("宣传的法律法规", _laws(o) or "—"), ("场次", o.sessions),
                     ("受众人次", o.people_reached),
                     ("发放资料（份）", o.materials_handed_out),
                     ("活动情况", o.summary or "—")],
    totals=[("count", "次活动"), ("sessions", "场"), ("people_reached", "人次受众"),
            ("materials_handed_out", "份资料")],
    filters=("audience", "channel"),
)

EXPLANATION = Page(
    "explanation", CaseExplanation, "以案释法", services.explanation_save,
    "explanation",
    columns=[("标题", lambda o: o.title), ("发布日期", lambda o: _d(o.published_on)),
             ("案件", lambda o: (o.case.number, o.case.get_absolute_url())),
             ("发布载体", lambda o: o.published_in),
             ("机关", lambda o: o.org_unit.name)],
    export=[("发布日期", lambda o: o.published_on), ("机关", lambda o: o.org_unit.name),
            ("标题", lambda o: o.title), ("案件编号", lambda o: o.case.number),
            ("发布载体", lambda o: o.published_in), ("网址", lambda o: o.url),
            ("释法内容", lambda o: o.summary)],
    facts=lambda o: [("案件", [(f"{o.case.number}（{_d(o.case.closed_on)}结案）",
                               o.case.get_absolute_url())]),
                     ("发布载体", o.published_in), ("发布日期", _d(o.published_on)),
                     ("网址", [(o.url, o.url)] if o.url else "—"),
                     ("释法内容", o.summary)],
    totals=[("count", "篇")],
)

PAGES = {p.key: p for p in (SESSION, EXAM, SEMINAR, CAMPAIGN, EXPLANATION)}

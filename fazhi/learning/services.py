"""Recording the bureau's learning and outreach work: one function per user action.

Who records: the legal-affairs officers (法规股) and supervisors (督察股) of the bureau
that held the activity; a record is kept, edited and removed only by its own bureau.
Every write checks the fields, saves, attaches the materials through the evidence
store and appends the audit event in one transaction. Errors name the field in
Chinese, all of a form's errors at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from fazhi.core import audit, dates
from fazhi.core.evidence import evidence_store
from fazhi.core.models import EvidenceKind, User
from fazhi.core.numbers import doc_number_normalise
from fazhi.core.permissions import require_role_over
from fazhi.core.rule_folders import module_rules
from fazhi.learning import selectors
from fazhi.learning import vocabulary as vocab
from fazhi.learning.models import (
    CaseExplanation,
    CaseSeminar,
    OutreachCampaign,
    QualificationExam,
    StudySession,
)

LAW_MAX = 100  # characters of one law's title
# (audit action stem, what the bureau calls it)
NAMES = {
    StudySession: ("session", "学法活动"),
    QualificationExam: ("exam", "执法资格考试"),
    CaseSeminar: ("seminar", "案例研讨"),
    OutreachCampaign: ("campaign", "普法宣传活动"),
    CaseExplanation: ("explanation", "以案释法"),
}


def vocabulary() -> vocab.Vocabulary:
    """The words offered now: shipped, then ``<FAZHI_RULES_DIRS>/learning/``."""
    return module_rules("learning", vocab.load_vocabulary)


# --- checks -----------------------------------------------------------------------


class _Errors(dict):
    """Field errors gathered so a form shows them all at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def record_allow(actor, record: models.Model | None = None) -> None:
    """Raise PermissionDenied unless ``actor`` may enter records and, for ``record``,
    change it: only their own bureau's, not one below it."""
    require_role_over(actor, None, *selectors.RECORD_ROLES, what="登记学法普法记录")
    if record is not None and record.org_unit_id != actor.org_unit_id:
        raise PermissionDenied(
            f"只能修改本机关的记录（该记录属于{record.org_unit.name}）")


def _day(errors: _Errors, field: str, label: str, day: Any) -> dt.date | None:
    if not isinstance(day, dt.date):
        errors.add(field, f"请填写{label}")
        return None
    if day > dates.today():
        errors.add(field, f"{label}不能晚于今天（{dates.today():%Y-%m-%d}），"
                          "请登记已举行的活动")
    return day


def _text(errors: _Errors, field: str, label: str, text: Any, max_length: int,
          required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        errors.add(field, f"请填写{label}")
    elif len(text) > max_length:
        errors.add(field, f"{label}不超过{max_length}字（现为{len(text)}字）")
    return text


def _count(errors: _Errors, field: str, label: str, value: Any,
           minimum: int = 0) -> int:
    if not isinstance(value, int) or value < minimum:
        errors.add(field, f"{label}应为不小于{minimum}的整数")
        return minimum
    return value


def _word(errors: _Errors, field: str, name: str, word: str) -> str:
    words = vocabulary()  # a broken file is the administrator's error, not the form's
    try:
        return vocab.check(words, name, word or "")
    except vocab.VocabularyError as exc:
        errors.add(field, str(exc))
        return (word or "").strip()


def _laws(errors: _Errors, laws: Iterable[str] | str, required: bool) -> list[str]:
    if isinstance(laws, str):
        laws = laws.splitlines()
    titles = list(dict.fromkeys(t.strip() for t in laws if t and t.strip()))
    if required and not titles:
        errors.add("laws", "请至少填写一部学习的法律法规（每行一部）")
    for title in titles:
        if len(title) > LAW_MAX:
            errors.add("laws", f"法律法规名称不超过{LAW_MAX}字：“{title[:20]}…”")
    return titles


def _staff(errors: _Errors, field: str, label: str, actor, people: Iterable[User]
           ) -> list[User]:
    people = list(people)
    outside = [str(p) for p in people if p.org_unit_id != actor.org_unit_id]
    if outside:
        errors.add(field, f"{label}须为本机关人员，其他单位人员请计入“其他参加人数”："
                          f"{'、'.join(outside)}")
    return people


def _attendance(errors: _Errors, attendees: list, others: Any) -> dict:
    others = _count(errors, "other_attendees", "其他参加人数", others)
    if not attendees and not others:
        errors.add("attendees", "请选择参加人员，或填写其他参加人数")
    return {"other_attendees": others, "attendance": len(attendees) + others}


# --- writing ----------------------------------------------------------------------


def _snapshot(obj: models.Model) -> dict:
    data = {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at", "created_by")}
    for f in obj._meta.many_to_many:
        data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return data


def _write(model, *, actor, record, fields: dict, m2m: dict | None = None,
           files: Sequence = ()) -> models.Model:
    """Create (``record`` None) or update a record, attach ``files``, audit it."""
    stem, label = NAMES[model]
    with transaction.atomic():
        if record is None:
            obj, before = model(org_unit=actor.org_unit, created_by=actor), None
            action = "create"
        else:
            obj = model.objects.select_for_update().get(pk=record.pk)
            before, action = _snapshot(obj), "update"
        for name, value in fields.items():
            setattr(obj, name, value)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise _duplicate(model) from None
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        after = _snapshot(obj)
        if before is not None:
            changed = [k for k in after if after[k] != before[k]]
            before = {k: before[k] for k in changed}
            after = {k: after[k] for k in changed}
        verb = "登记" if action == "create" else "修改"
        audit.record(actor=actor, obj=obj, action=f"learning.{stem}_{action}",
                     summary=f"{verb}{label}：{obj}", before=before, after=after)
        for file in files:
            _attach(obj, actor, file)
    return obj


def _duplicate(model) -> ValidationError:
    if model is QualificationExam:
        return ValidationError({"sat_on": "该人员当日已有一条考试记录"})
    return ValidationError("与已有记录重复，请检查后重试")


def _attach(record, actor, file, kind: str = EvidenceKind.DOCUMENT,
            description: str = ""):
    evidence = evidence_store(file=file, actor=actor, org_unit=record.org_unit,
                              kind=kind, description=description, matter=record)
    stem, label = NAMES[type(record)]
    audit.record(actor=actor, obj=record, action=f"learning.{stem}_material",
                 summary=f"上传{label}材料“{evidence.original_name}”",
                 evidence=[evidence.sha256],
                 after={"evidence": evidence.pk, "sha256": evidence.sha256})
    return evidence


def material_add(*, record: models.Model, actor, file,
                 kind: str = EvidenceKind.DOCUMENT, description: str = ""):
    """Attach one file (photos, sign-in sheet, courseware …) to a record."""
    record_allow(actor, record)
    with transaction.atomic():
        return _attach(record, actor, file, kind, description)


def record_delete(*, record: models.Model, actor, reason: str) -> None:
    """Remove a record entered by mistake (e.g. twice); the audit keeps its content."""
    record_allow(actor, record)
    errors = _Errors()
    reason = _text(errors, "reason", "删除理由", reason, 200)
    errors.raise_any()
    stem, label = NAMES[type(record)]
    with transaction.atomic():
        before = _snapshot(record)
        audit.record(actor=actor, obj=record, action=f"learning.{stem}_delete",
                     summary=f"删除{label}：{record}（理由：{reason}）", before=before)
        type(record).objects.filter(pk=record.pk).delete()


# --- study sessions ---------------------------------------------------------------


def session_save(*, actor, session: StudySession | None = None, held_on: dt.date,
                 topic: str, kind: str, laws: Iterable[str] | str, organiser: User,
                 attendees: Iterable[User] = (), other_attendees: int = 0,
                 speaker: str = "", summary: str = "", files: Sequence = ()
                 ) -> StudySession:
    """Record (or correct) a staff legal study session."""
    record_allow(actor, session)
    e = _Errors()
    people = _staff(e, "attendees", "参加人员", actor, attendees)
    fields = {
        "held_on": _day(e, "held_on", "学法日期", held_on),
        "topic": _text(e, "topic", "学法主题", topic, 200),
        "kind": _word(e, "kind", "study_kinds", kind),
        "laws": _laws(e, laws, required=True),
        "speaker": _text(e, "speaker", "主讲人", speaker, 100, required=False),
        "summary": (summary or "").strip(),
        **_attendance(e, people, other_attendees),
    }
    if organiser is None:
        e.add("organiser", "请选择组织者")
    else:
        fields["organiser"] = _staff(e, "organiser", "组织者", actor, [organiser])[0]
    e.raise_any()
    return _write(StudySession, actor=actor, record=session, fields=fields,
                  m2m={"attendees": people}, files=files)


# --- qualification exams ----------------------------------------------------------


def _score(e: _Errors, score: Any) -> Decimal:
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        e.add("score", "请填写成绩（0至100分）")
        return Decimal(0)
    if not Decimal(0) <= value <= Decimal(100):
        e.add("score", "成绩应在0至100分之间")
    return value


def _certificate(e: _Errors, passed: bool, sat_on, number: str, valid_from,
                 valid_until) -> dict:
    number = _text(e, "certificate_number", "执法证号", number, 30, required=False)
    if not passed and (number or valid_from or valid_until):
        e.add("certificate_number", "考试未合格，不能登记执法证号及有效期")
    if bool(valid_from) != bool(valid_until):
        e.add("certificate_valid_until", "执法证有效期的起止日期须同时填写")
    if valid_from and valid_until and valid_until <= valid_from:
        e.add("certificate_valid_until", "有效期截止日须晚于起始日")
    if valid_from and isinstance(sat_on, dt.date) and valid_from < sat_on:
        e.add("certificate_valid_from", "执法证有效期不能早于考试日期")
    if (valid_from or valid_until) and not number:
        e.add("certificate_number", "登记有效期时请填写执法证号")
    return {"certificate_number": number, "certificate_valid_from": valid_from,
            "certificate_valid_until": valid_until}


def exam_save(*, actor, exam: QualificationExam | None = None, person: User,
              exam_name: str, sat_on: dt.date, score: Any, passed: bool,
              certificate_number: str = "",
              certificate_valid_from: dt.date | None = None,
              certificate_valid_until: dt.date | None = None, note: str = "",
              files: Sequence = ()) -> QualificationExam:
    """Record (or correct) one person's qualification-exam result and certificate."""
    record_allow(actor, exam)
    e = _Errors()
    if person is None:
        e.add("person", "请选择考试人员")
    else:
        _staff(e, "person", "考试人员", actor, [person])
    fields = {
        "person": person,
        "exam_name": _text(e, "exam_name", "考试名称", exam_name, 200),
        "sat_on": _day(e, "sat_on", "考试日期", sat_on),
        "score": _score(e, score),
        "passed": bool(passed),
        "note": (note or "").strip(),
        **_certificate(e, bool(passed), sat_on, certificate_number,
                       certificate_valid_from, certificate_valid_until),
    }
    e.raise_any()
    return _write(QualificationExam, actor=actor, record=exam, fields=fields,
                  files=files)


# --- case seminars ----------------------------------------------------------------


def _numbers(text: Iterable[str] | str) -> list[str]:
    if isinstance(text, str):
        text = text.replace("，", "\n").replace(",", "\n").splitlines()
    return list(dict.fromkeys(doc_number_normalise(n) for n in text if n and n.strip()))


def seminar_save(*, actor, seminar: CaseSeminar | None = None, held_on: dt.date,
                 topic: str, case_numbers: Iterable[str] | str = (),
                 other_cases: str = "", attendees: Iterable[User] = (),
                 other_attendees: int = 0, conclusions: str = "",
                 files: Sequence = ()) -> CaseSeminar:
    """Record (or correct) a case seminar; cases of fazhi are named by number."""
    record_allow(actor, seminar)
    e = _Errors()
    numbers = _numbers(case_numbers)
    cases = selectors.cases_by_number(actor=actor, numbers=numbers)
    missing = [n for n in numbers if n not in cases]
    if missing:
        e.add("case_numbers",
              f"以下案件编号不存在或不在本机关范围内：{'、'.join(missing)}")
    other_cases = (other_cases or "").strip()
    if not numbers and not other_cases:
        e.add("case_numbers", "请填写研讨的案件编号，或在“其他案例”中写明研讨的案例")
    people = _staff(e, "attendees", "参加人员", actor, attendees)
    fields = {
        "held_on": _day(e, "held_on", "研讨日期", held_on),
        "topic": _text(e, "topic", "研讨主题", topic, 200),
        "other_cases": other_cases,
        "conclusions": (conclusions or "").strip(),
        **_attendance(e, people, other_attendees),
    }
    e.raise_any()
    return _write(CaseSeminar, actor=actor, record=seminar, fields=fields,
                  m2m={"attendees": people, "cases": list(cases.values())},
                  files=files)


# --- outreach campaigns -----------------------------------------------------------


def campaign_save(*, actor, campaign: OutreachCampaign | None = None,
                  held_on: dt.date, title: str, audience: str, channel: str,
                  people_reached: int, sessions: int = 1,
                  materials_handed_out: int = 0, place: str = "",
                  laws: Iterable[str] | str = (), summary: str = "",
                  files: Sequence = ()) -> OutreachCampaign:
    """Record (or correct) a public legal-education activity and its counts."""
    record_allow(actor, campaign)
    e = _Errors()
    fields = {
        "held_on": _day(e, "held_on", "活动日期", held_on),
        "title": _text(e, "title", "活动名称", title, 200),
        "audience": _word(e, "audience", "audiences", audience),
        "channel": _word(e, "channel", "channels", channel),
        "place": _text(e, "place", "地点", place, 200, required=False),
        "laws": _laws(e, laws, required=False),
        "sessions": _count(e, "sessions", "场次", sessions, minimum=1),
        "people_reached": _count(e, "people_reached", "受众人次", people_reached,
                                 minimum=1),
        "materials_handed_out": _count(e, "materials_handed_out", "发放资料份数",
                                       materials_handed_out),
        "summary": (summary or "").strip(),
    }
    e.raise_any()
    return _write(OutreachCampaign, actor=actor, record=campaign, fields=fields,
                  files=files)


# --- case explanations ------------------------------------------------------------


def explanation_save(*, actor, explanation: CaseExplanation | None = None,
                     case_number: str, title: str, summary: str, published_in: str,
                     published_on: dt.date, url: str = "", files: Sequence = ()
                     ) -> CaseExplanation:
    """Record (or correct) a "以案释法" item explaining one closed case."""
    record_allow(actor, explanation)
    e = _Errors()
    case = None
    try:
        case = selectors.closed_case_get(actor=actor,
                                         number=(case_number or "").strip())
    except selectors.CaseNotUsable as exc:
        e.add("case_number", str(exc))
    fields = {
        "title": _text(e, "title", "标题", title, 200),
        "summary": _text(e, "summary", "释法内容", summary, 20000),
        "published_in": _text(e, "published_in", "发布载体", published_in, 200),
        "published_on": _day(e, "published_on", "发布日期", published_on),
        "url": _url(e, url),
    }
    on = fields["published_on"]
    if case is not None and case.closed_on and isinstance(on, dt.date) \
            and on < case.closed_on:
        e.add("published_on",
              f"发布日期不能早于该案结案日期（{case.closed_on:%Y-%m-%d}）")
    e.raise_any()
    return _write(CaseExplanation, actor=actor, record=explanation,
                  fields={**fields, "case": case}, files=files)


def _url(e: _Errors, url: str) -> str:
    url = (url or "").strip()
    if url and not url.startswith(("http://", "https://")):
        e.add("url", "网址应以 http:// 或 https:// 开头")
    if len(url) > 500:
        e.add("url", "网址不超过500个字符")
    return url

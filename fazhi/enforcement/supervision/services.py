"""Supervision of enforcement: file review, rectification and inaction flags.

Services (one per user action, one transaction each, audited) and selectors (scoped
to the caller's subtree) for 案卷评查 and 整改, and the inaction list (不作为) the
supervisor works from. Scoring is the pure ``file_review`` module's; this module only
checks who may act, stores and reads.

Who may do what:
- a file review is recorded by a 督察人员 or 法务人员 of the case's bureau or of a
  bureau above it (the city reviews its counties), never by one of the case officers,
  and only on a closed case;
- rectification items are issued by the reviewer (or another holder of those roles
  in scope), reported done by the person made responsible, and accepted (or sent
  back with reasons) by the role the chain ``enforcement.rectification`` of the
  rule data names — never by the responsible person; report and acceptance are
  sign-offs of that chain (``fazhi.core.approvals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from fazhi.core import audit, dates
from fazhi.core.approvals import (
    ChainRule,
    approval_latest,
    approval_propose,
    approval_rounds,
    approval_sign,
    approval_turn,
)
from fazhi.core.dates import FUTURE_DAYS_SCHEDULED, date_check
from fazhi.core.models import ApprovalState, User
from fazhi.core.permissions import require_role
from fazhi.core.role_names import ROLE_LABELS
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.calendars import calendar_from_db, calendar_memo
from fazhi.deadlines.models import ClockState
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import coercion, workflow
from fazhi.enforcement.models import (
    Case,
    CaseState,
    FileReview,
    Lead,
    LeadSource,
    LeadState,
    Rectification,
)
from fazhi.enforcement.supervision import file_review

REVIEW_ROLES = (Role.SUPERVISOR, Role.LEGAL_AFFAIRS_OFFICER)
# Rectification acceptance (整改验收): the responsible person reports, the role the
# rule data names accepts (enforcement/rules/approvals.toml).
RECTIFICATION = ChainRule("enforcement", "enforcement.rectification")
READ_ROLES = (*REVIEW_ROLES, Role.PRINCIPAL)


def checklist() -> file_review.Checklist:
    """The checklist in force: the shipped file merged with the bureau's overrides."""
    return rulesets.checklist()


def _may_review(actor, org) -> bool:
    """Hold a review role in ``org``'s bureau or a bureau above it."""
    own = actor.org_unit
    return bool(
        actor.is_active
        and actor.has_role(*REVIEW_ROLES)
        and own is not None
        and own.contains(org)
    )


def _require_reviewer(actor, org) -> None:
    if not _may_review(actor, org):
        raise PermissionDenied(
            f"只有{org.name}或其上级机关的督察人员、法务人员可以办理此事项"
        )


# --- file review ---------------------------------------------------------------------


def file_review_record(
    *,
    case: Case,
    actor,
    deductions: Iterable,
    opinion: str = "",
    reviewed_on: dt.date | None = None,
) -> FileReview:
    """Score a closed case file against the checklist and store the review."""
    _require_reviewer(actor, case.org_unit)
    if case.officers.filter(pk=actor.pk).exists():
        raise PermissionDenied("评查人员不得是本案承办人员")
    if case.state != CaseState.CLOSED:
        state = case.get_state_display()
        raise ValidationError(
            {"case": f"只能评查已结案的案卷，本案当前状态为“{state}”"}
        )
    reviewed_on = reviewed_on or dates.today()
    if reviewed_on > dates.today() or (case.closed_on and reviewed_on < case.closed_on):
        raise ValidationError({"reviewed_on": "评查日期须在结案日期之后、不晚于今天"})
    rules = checklist()
    try:
        result = file_review.score(rules, deductions)
    except file_review.DeductionError as error:
        raise ValidationError({"deductions": str(error)}) from error
    with transaction.atomic():
        review = FileReview.objects.create(
            case=case,
            org_unit=case.org_unit,
            reviewer=actor,
            reviewed_on=reviewed_on,
            checklist=rules.label,
            deductions=[d.as_json() for d in result.deductions],
            score=result.score,
            grade=result.grade,
            opinion=opinion.strip(),
        )
        audit.record(
            actor=actor,
            obj=review,
            action="enforcement.file_review",
            summary=f"案卷评查 {case.number}：{result.score}分，{result.grade}"
            + ("（一票否决）" if result.vetoed else ""),
            after={
                "case": case.number,
                "checklist": rules.label,
                "score": str(result.score),
                "grade": result.grade,
                "deductions": review.deductions,
            },
        )
    return review


def file_review_result(review: FileReview) -> file_review.Result:
    """Re-score a stored review for display: its lines with their articles.

    A review stored under an older checklist may name items the present one lacks;
    those lines are dropped rather than failing the page, and the stored score and
    grade stay what they were.
    """
    rules = checklist()
    known = {i.code for i in rules.items} | {v.code for v in rules.vetoes}
    found = [d for d in review.deductions if d["code"] in known]
    return file_review.score(rules, found)


# --- rectification -------------------------------------------------------------------


def rectification_issue(
    *, review: FileReview, actor, description: str, responsible, deadline: dt.date
) -> Rectification:
    """Order an item fixed by ``deadline`` and name who answers for it."""
    if not (actor.is_active and actor.pk == review.reviewer_id):
        _require_reviewer(actor, review.org_unit)
    errors = {}
    if not description.strip():
        errors["description"] = "请写明整改事项"
    if deadline < dates.today():
        errors["deadline"] = "整改期限不能早于今天"
    else:
        try:  # a deadline in 9999 would never fall due: the item escapes supervision
            date_check(deadline, field="deadline", label="整改期限",
                       future_days=FUTURE_DAYS_SCHEDULED)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not responsible.is_active or responsible.org_unit_id != review.org_unit_id:
        errors["responsible"] = f"整改责任人须为{review.org_unit.name}的在职人员"
    elif responsible.pk == actor.pk:
        errors["responsible"] = "整改责任人不能是评查人员本人"
    elif not responsible.has_role(report := RECTIFICATION.chain().proposer.role):
        errors["responsible"] = (f"整改责任人须为{ROLE_LABELS[report]}"
                                 "（由其报告整改完成，报验收）")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = Rectification.objects.create(
            review=review,
            org_unit=review.org_unit,
            description=description.strip(),
            responsible=responsible,
            deadline=deadline,
        )
        audit.record(
            actor=actor,
            obj=item,
            action="enforcement.rectification_issue",
            summary=f"下达整改事项（{review.case.number}），责任人{responsible}，"
            f"期限{deadline}",
            after={
                "review": review.pk,
                "responsible": responsible.pk,
                "deadline": str(deadline),
                "description": item.description,
            },
        )
    return item


def rectification_complete(
    *, item: Rectification, actor, completed_on: dt.date, note: str
) -> Rectification:
    """Report the item fixed; only the person responsible for it may. The report is
    the proposal of the chain ``enforcement.rectification`` (报告整改完成), recorded
    with it: a new round after an acceptance refused."""
    if actor.pk != item.responsible_id or not actor.is_active:
        raise PermissionDenied(f"只有整改责任人{item.responsible}可以报告整改完成")
    errors = {}
    if completed_on > dates.today() or completed_on < item.review.reviewed_on:
        errors["completed_on"] = "完成日期须在评查日期之后、不晚于今天"
    if not note.strip():
        errors["note"] = "请写明整改情况"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        done = Rectification.objects.filter(pk=item.pk, completed_on__isnull=True)
        if not done.update(completed_on=completed_on, completion_note=note.strip()):
            raise ValidationError({"state": "该整改事项已报告完成，请刷新页面"})
        item.completed_on, item.completion_note = completed_on, note.strip()
        late = "（逾期）" if completed_on > item.deadline else ""
        approval_propose(matter=item, rule=RECTIFICATION, actor=actor,
                         proposal="done", proposal_label=f"{completed_on}整改完成{late}",
                         reasons=note)
        audit.record(
            actor=actor,
            obj=item,
            action="enforcement.rectification_complete",
            summary=f"报告整改完成 {completed_on}{late}",
            before={"completed_on": None},
            after={"completed_on": str(completed_on), "note": item.completion_note},
        )
    return item


def rectification_turn(item: Rectification, actor) -> bool:
    """Whether ``actor`` may accept (or refuse) the item now: its report waits on
    their role, and they did not make it."""
    return item.completed_on is not None and item.verified_by_id is None and (
        approval_turn(item, RECTIFICATION, actor) is not None)


def rectification_rounds(item: Rectification):
    """The item's reports and acceptances (who, when, opinion), oldest first."""
    return approval_rounds(item, RECTIFICATION)


def rectification_verify(
    *, item: Rectification, actor, agree: bool = True, reasons: str = ""
) -> Rectification:
    """Accept a completed item (验收), or refuse it with reasons: the role the chain
    ``enforcement.rectification`` names, never the responsible person (who
    reported it: ``chains.judge``). A refusal sends the item back: the responsible
    person is told why and reports again."""
    if actor.pk == item.responsible_id:
        raise PermissionDenied("整改责任人不能验收本人的整改")
    if item.completed_on is None:
        raise ValidationError({"state": "整改尚未报告完成，不能验收"})
    if item.verified_by_id is not None:
        raise ValidationError({"state": "该整改事项已验收，请刷新页面"})
    latest = approval_latest(item, RECTIFICATION)
    if latest is None or latest.state != ApprovalState.OPEN:
        # Reported before acceptance was signed: the chain's role accepts, unsigned.
        step = RECTIFICATION.chain().steps[-1]
        require_role(actor, item, step.role, what=f"{step.label}整改事项")
        if not agree:
            raise ValidationError({"state": "该整改事项报告于启用签署之前，只能验收"})
    with transaction.atomic():
        if latest is not None and latest.state == ApprovalState.OPEN:
            approval_sign(matter=item, rule=RECTIFICATION, actor=actor, agree=agree,
                          reasons=reasons)
        if agree:
            open_ = Rectification.objects.filter(
                pk=item.pk, completed_on__isnull=False, verified_by__isnull=True
            )
            if not open_.update(verified_by=actor):
                raise ValidationError({"state": "该整改事项已验收，请刷新页面"})
            item.verified_by = actor
            audit.record(
                actor=actor,
                obj=item,
                action="enforcement.rectification_verify",
                summary=f"验收整改事项（{item.review.case.number}）",
                before={"verified_by": None},
                after={"verified_by": actor.pk},
            )
        else:
            back = Rectification.objects.filter(
                pk=item.pk, completed_on=item.completed_on, verified_by__isnull=True)
            if not back.update(completed_on=None):
                raise ValidationError({"state": "该整改事项刚被他人处理，请刷新页面"})
            audit.record(
                actor=actor,
                obj=item,
                action="enforcement.rectification_return",
                summary=f"整改验收不通过，退回整改责任人（{item.review.case.number}）："
                        f"{reasons.strip()}",
                before={"completed_on": str(item.completed_on)},
                after={"completed_on": None},
            )
            item.completed_on = None
    return item


# --- selectors -----------------------------------------------------------------------


def file_review_list(*, actor) -> QuerySet[FileReview]:
    """Reviews of the caller's subtree, newest first, with their open item count."""
    unverified = Q(items__verified_by__isnull=True)
    return (
        scoped(FileReview.objects.all(), actor)
        .select_related("case", "org_unit", "reviewer")
        .annotate(open_items=Count("items", filter=unverified))
        .order_by("-reviewed_on", "-pk")
    )


def file_review_get(*, actor, pk) -> FileReview:
    """One review with its items, or Http404 outside the caller's subtree."""
    items = Rectification.objects.select_related("responsible", "verified_by")
    return get_scoped_or_404(
        FileReview.objects.select_related(
            "case", "org_unit", "reviewer"
        ).prefetch_related(Prefetch("items", queryset=items)),
        actor,
        pk=pk,
    )


def file_review_case_get(*, actor, pk) -> Case:
    """The case to review, or Http404 outside the caller's subtree."""
    return get_scoped_or_404(Case.objects.select_related("org_unit"), actor, pk=pk)


def file_review_candidates(*, actor) -> QuerySet[Case]:
    """Closed cases of the caller's subtree not yet reviewed, latest closed first."""
    return (
        scoped(Case.objects.filter(state=CaseState.CLOSED), actor)
        .filter(file_reviews__isnull=True)
        .select_related("org_unit")
        .order_by("-closed_on", "-pk")
    )


def rectification_list(
    *, actor, overdue: bool = False, as_of: dt.date | None = None
) -> QuerySet[Rectification]:
    """Items of the caller's subtree by deadline; ``overdue``: open and past it."""
    qs = scoped(Rectification.objects.all(), actor).select_related(
        "review__case", "org_unit", "responsible", "verified_by"
    )
    if overdue:
        qs = qs.filter(completed_on__isnull=True, deadline__lt=as_of or dates.today())
    return qs


def rectification_get(*, actor, pk) -> Rectification:
    """One item, or Http404 outside the caller's subtree."""
    return get_scoped_or_404(
        Rectification.objects.select_related(
            "review__case", "review__reviewer", "org_unit", "responsible"
        ),
        actor,
        pk=pk,
    )


# --- inaction flags ------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One duty left undone past its deadline, and who answers for it."""

    kind: str  # case_overdue | fine_unenforced | lead_unchecked | tip_unanswered |
    #            rectification_overdue
    label: str  # the kind in Chinese
    target: str  # "case" | "lead" | "review": which page the link opens
    target_pk: int
    subject: str  # the case, lead or item as the list shows it
    org_unit: str
    stage: str  # the workflow stage, or what is awaited
    responsible: tuple[str, ...]  # names of the people who answer for it
    responsible_role: str
    due_date: dt.date
    days_overdue: int  # calendar days past the due date
    basis: str  # the rule the deadline comes from
    court_deadline: dt.date | None = None  # last day to apply to the court
    note: str = ""


KIND_LABELS = {
    "case_overdue": "办案超期",
    "fine_unenforced": "罚款未缴纳且未申请强制执行",
    "lead_unchecked": "线索逾期未核查",
    "tip_unanswered": "举报逾期未答复",
    "rectification_overdue": "整改逾期未完成",
}
# The 90-day period runs to the decision (行政处罚法 Art. 60); in these states it no
# longer applies, whatever the clock says.
_NOT_DECIDING = (
    CaseState.FILING_PENDING,
    CaseState.FILING_REJECTED,
    CaseState.TERMINATED,
    CaseState.TRANSFERRED,
    CaseState.CLOSED,
)


def inaction_flags(*, actor, today: dt.date | None = None) -> list[Flag]:
    """Duties past their deadline in the caller's subtree, most overdue first.

    Four queries whatever the number of rows: cases (with their officers), leads,
    rectification items; and, when a fine is flagged, the holiday table's version
    read once (two more) for the court deadline. Paused clocks (a remedy or a
    correction pending) are not inaction and are left out.
    """
    today = today or dates.today()
    with calendar_memo():
        flags = [
            *_case_flags(actor, today),
            *_lead_flags(actor, today),
            *_rectification_flags(actor, today),
        ]
    return sorted(flags, key=lambda f: (-f.days_overdue, f.kind, f.subject))


def _case_late(today: dt.date) -> Q:
    return Q(
        case_clock__state=ClockState.RUNNING,
        case_clock__due_date__lt=today,
        decided_on__isnull=True,
    ) & ~Q(state__in=_NOT_DECIDING)


def _fine_late(today: dt.date) -> Q:
    return Q(
        payment_clock__state=ClockState.RUNNING,
        payment_clock__due_date__lt=today,
        paid_on__isnull=True,
        court_applied_on__isnull=True,
        execution_completed_on__isnull=True,
    ) & ~Q(state=CaseState.CLOSED)


def _case_flags(actor, today: dt.date) -> Iterator[Flag]:
    officers = User.objects.order_by("pk")
    cases = (
        scoped(Case.objects.all(), actor)
        .filter(_case_late(today) | _fine_late(today))
        .select_related("org_unit", "case_clock", "payment_clock")
        .prefetch_related(Prefetch("officers", queryset=officers))
    )
    for case in cases:
        stage = workflow.stage_of(case.state)
        if (
            _is_late(case.case_clock, today)
            and case.decided_on is None
            and (case.state not in _NOT_DECIDING)
        ):
            yield _case_flag(
                case,
                stage,
                "case_overdue",
                case.case_clock,
                today,
                "行政处罚法第六十条；自然资源行政处罚办法第三十八条"
                "（自立案之日起九十日内作出决定）",
            )
        if _is_late(case.payment_clock, today) and _fine_open(case):
            yield _fine_flag(case, stage, today)


def _is_late(clock, today: dt.date) -> bool:
    return bool(clock and clock.state == ClockState.RUNNING and clock.due_date < today)


def _fine_open(case: Case) -> bool:
    return not (
        case.paid_on
        or case.court_applied_on
        or case.execution_completed_on
        or case.state == CaseState.CLOSED
    )


def _case_flag(case, stage, kind, clock, today, basis, **extra) -> Flag:
    return Flag(
        kind=kind,
        label=KIND_LABELS[kind],
        target="case",
        target_pk=case.pk,
        subject=f"{case.number} {case.party_name}",
        org_unit=case.org_unit.name,
        stage=stage.label,
        responsible=tuple(str(u) for u in case.officers.all()),
        responsible_role=workflow.ROLE_LABELS[stage.responsible_role],
        due_date=clock.due_date,
        days_overdue=(today - clock.due_date).days,
        basis=basis,
        **extra,
    )


def _fine_flag(case: Case, stage, today: dt.date) -> Flag:
    last = court_application_last_day(case)
    if last is None:
        note = "复议或诉讼进行中，申请法院强制执行的期限待其终结后计算"
    elif last < today:
        note = f"已超过申请法院强制执行的期限（{last}）"
    else:
        note = (
            f"申请法院强制执行最迟 {last}：复议、诉讼期限届满之日起三个月内"
            "（当事人的复议、诉讼期限最后一日遇节假日的顺延到节后第一个工作日，"
            "三个月不顺延）；申请须负责人批准并先行催告"
        )
    return _case_flag(
        case,
        stage,
        "fine_unenforced",
        case.payment_clock,
        today,
        "行政处罚法第六十七条第三款、第七十二条；行政强制法第五十三条、第五十四条；"
        "自然资源行政处罚办法第四十四条",
        court_deadline=last,
        note=note,
    )


def court_application_last_day(case: Case) -> dt.date | None:
    """The last day to apply to the court to enforce the fine (行政强制法 Art. 53),
    or None.

    The party's remedy windows run from service: 60 days for reconsideration and six
    months for a suit, each moved off a holiday to the next working day (民法典 Art.
    203; 行诉解释 Art. 48) before the later is taken; the bureau then has three months,
    not moved, so the day shown is never late (``coercion.windows``). None while a
    remedy is pending or has been sought: the period then depends on it.
    """
    if case.decision_served_on is None or case.remedy_pending or case.remedy_started_on:
        return None
    return coercion.windows(
        case.decision_served_on, rulesets.execution_rules(),
        calendar_from_db(True).working_day_on_or_after).court_last_day


def _lead_flags(actor, today: dt.date) -> Iterator[Flag]:
    unchecked = Q(
        state=LeadState.RECEIVED,
        check_clock__state=ClockState.RUNNING,
        check_clock__due_date__lt=today,
    )
    unanswered = Q(
        source=LeadSource.TIP,
        tipster_anonymous=False,
        answered_on__isnull=True,
        reply_clock__state=ClockState.RUNNING,
        reply_clock__due_date__lt=today,
    )
    leads = scoped(Lead.objects.filter(unchecked | unanswered), actor).select_related(
        "org_unit", "assignee", "check_clock", "reply_clock"
    )
    for lead in leads:
        if lead.state == LeadState.RECEIVED and _is_late(lead.check_clock, today):
            yield _lead_flag(
                lead,
                "lead_unchecked",
                "核查",
                lead.check_clock,
                today,
                "自然资源行政处罚办法第十五条（发现涉嫌违法应当及时核查）",
            )
        if lead.awaiting_answer and _is_late(lead.reply_clock, today):
            yield _lead_flag(
                lead,
                "tip_unanswered",
                "答复举报人",
                lead.reply_clock,
                today,
                "举报答复期限",
            )


def _lead_flag(lead: Lead, kind, stage, clock, today, basis) -> Flag:
    return Flag(
        kind=kind,
        label=KIND_LABELS[kind],
        target="lead",
        target_pk=lead.pk,
        subject=f"{lead.number} {lead.location}",
        org_unit=lead.org_unit.name,
        stage=stage,
        responsible=(str(lead.assignee),),
        responsible_role="核查人",
        due_date=clock.due_date,
        days_overdue=(today - clock.due_date).days,
        basis=f"{basis}；{clock.title}",
    )


def _rectification_flags(actor, today: dt.date) -> Iterator[Flag]:
    for item in rectification_list(actor=actor, overdue=True, as_of=today):
        kind = "rectification_overdue"
        yield Flag(
            kind=kind,
            label=KIND_LABELS[kind],
            target="review",
            target_pk=item.review_id,
            subject=f"{item.review.case.number}：{item.description[:40]}",
            org_unit=item.org_unit.name,
            stage="整改",
            responsible=(str(item.responsible),),
            responsible_role="整改责任人",
            due_date=item.deadline,
            days_overdue=(today - item.deadline).days,
            basis=f"案卷评查整改期限（{item.review.reviewed_on} 评查）",
        )

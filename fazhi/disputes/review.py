"""Case-by-case and class review (个案+类案复盘), year-on-year baselines.

Every corrected reconsideration and lost lawsuit gets a review: its cause, the
responsible unit and rectification measures with owners and deadlines. The class
view groups them by cause, by the kind of matter challenged and by unit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from fazhi.core import audit, dates
from fazhi.core.errors import field_error as _err
from fazhi.core.models import Department
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.scope import scoped
from fazhi.core.selectors import staff_for_work
from fazhi.disputes import rates
from fazhi.disputes.models import (
    CORRECTING,
    LOSING,
    CaseReview,
    Lawsuit,
    Measure,
    RateBaseline,
    Reconsideration,
    ReviewCause,
)
from fazhi.disputes.services import rates_for


def causes_sync() -> int:
    """Add the shipped causes the database lacks."""
    have = set(ReviewCause.objects.values_list("code", flat=True))
    new = [ReviewCause(code=code, label=label) for code, label in rates.load_causes()
           if code not in have]
    ReviewCause.objects.bulk_create(new)
    return len(new)


def cause_add(*, actor, code: str, label: str) -> ReviewCause:
    """Extend the list of causes (the bureau's legal-affairs officer)."""
    require_role(actor, actor.org_unit, Role.LEGAL_AFFAIRS_OFFICER)
    if not label.strip() or not code.strip():
        raise _err("label", "请填写原因的编码和名称")
    if ReviewCause.objects.filter(code=code).exists():
        raise _err("code", "该编码已存在")
    with transaction.atomic():
        cause = ReviewCause.objects.create(code=code, label=label)
        audit.record(actor=actor, obj=None, action="disputes.cause_add",
                     object_type="disputes.ReviewCause", object_id=str(cause.pk),
                     summary=f"新增复盘原因：{label}")
    return cause


def _corrected_or_lost(matter) -> bool:
    if isinstance(matter, Reconsideration):
        return matter.corrected
    return isinstance(matter, Lawsuit) and matter.lost


def review_record(*, matter, actor, cause: ReviewCause, department: Department,
                  summary: str, reviewed_on: dt.date) -> CaseReview:
    """Record the review of a corrected or lost matter."""
    require_role(actor, matter, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(reviewed_on, field="reviewed_on", label="复盘日期")
    if not _corrected_or_lost(matter):
        raise _err("matter", "只有被纠错的复议案件和败诉的诉讼案件需要复盘")
    if matter.concluded_on and reviewed_on < matter.concluded_on:
        raise _err("reviewed_on", "复盘日期不能早于案件结果日期")
    if department is None or department.org_unit_id != matter.org_unit_id \
            or not department.is_active:
        raise _err("department", "请从本机关在用的股室中选择责任单位")
    if not summary.strip():
        raise _err("summary", "请填写复盘分析")
    responsible_unit = department.name
    ct = ContentType.objects.get_for_model(matter)
    if CaseReview.objects.filter(content_type=ct, object_id=str(matter.pk)).exists():
        raise _err("matter", "该案件已复盘")
    with transaction.atomic():
        review = CaseReview.objects.create(
            org_unit=matter.org_unit, content_type=ct, object_id=str(matter.pk),
            cause=cause, department=department, responsible_unit=responsible_unit,
            summary=summary,
            reviewed_on=reviewed_on, created_by=actor)
        audit.record(actor=actor, obj=matter, action="disputes.review",
                     summary=f"复盘：{cause.label}；责任单位 {responsible_unit}")
    return review


def measure_add(*, review: CaseReview, actor, description: str, owner,
                deadline: dt.date) -> Measure:
    """Add a rectification measure with its owner and deadline."""
    require_role(actor, review, Role.LEGAL_AFFAIRS_OFFICER)
    if not description.strip():
        raise _err("description", "请填写整改措施")
    if not staff_for_work(org_unit=review.org_unit).filter(pk=owner.pk).exists():
        raise _err("owner", "责任人须为本机关在岗的业务人员（管理员账号不承担整改）")
    if deadline < dates.today():
        raise _err("deadline", "整改期限不能早于今天")
    dates.date_check(deadline, field="deadline", label="整改期限",
                     future_days=dates.FUTURE_DAYS_SCHEDULED)
    with transaction.atomic():
        measure = Measure.objects.create(review=review, description=description,
                                         owner=owner, deadline=deadline)
        audit.record(actor=actor, obj=review.matter, action="disputes.measure_add",
                     summary=f"整改措施：{description}（{owner}，{deadline}前）")
    return measure


def measure_complete(*, measure: Measure, actor, done_on: dt.date,
                     note: str) -> Measure:
    """The owner (or the legal-affairs officer) records the measure done."""
    if actor.pk != measure.owner_id:
        require_role(actor, measure, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(done_on, field="done_on", label="完成日期")
    if measure.done_on:
        raise _err("done_on", "该措施已完成")
    if not note.strip():
        raise _err("note", "请写明完成情况")
    with transaction.atomic():
        if not Measure.objects.filter(pk=measure.pk, done_on__isnull=True).update(
                done_on=done_on, done_note=note):
            raise _err("done_on", "该措施刚被他人处理，请刷新页面")
        audit.record(actor=actor, obj=measure.review.matter,
                     action="disputes.measure_complete",
                     summary=f"整改完成：{measure.description}（{done_on}）：{note}")
    measure.refresh_from_db()
    return measure


# --- the class view ---------------------------------------------------------------------


@dataclass
class ClassView:
    """Corrected and lost matters of a period, grouped three ways."""

    by_cause: Counter = field(default_factory=Counter)
    by_cause_before: Counter = field(default_factory=Counter)
    by_matter_type: Counter = field(default_factory=Counter)
    by_unit: Counter = field(default_factory=Counter)
    unreviewed: list = field(default_factory=list)
    measures_open: int = 0
    measures_done: int = 0


def _matter_type(item) -> str:
    ct = item.content_type
    return ct.model_class()._meta.verbose_name if ct else "未关联系统内事项"


def _corrected_in(actor, period) -> list:
    """Corrected reconsiderations and lost lawsuits concluded in the period."""
    items = list(scoped(Reconsideration.objects.filter(
        concluded_on__range=period, outcome__in=CORRECTING), actor)
        .select_related("content_type"))
    items += list(scoped(Lawsuit.objects.filter(
        concluded_on__range=period, result__in=LOSING), actor)
        .select_related("content_type"))
    return items


def _reviews_of(items) -> dict:
    by_type = defaultdict(list)
    for item in items:
        by_type[ContentType.objects.get_for_model(item).pk].append(str(item.pk))
    reviews = {}
    for ct, ids in by_type.items():
        for r in CaseReview.objects.filter(content_type_id=ct, object_id__in=ids
                                           ).select_related("cause", "department"):
            reviews[(ct, r.object_id)] = r
    return reviews


def class_view(*, actor, period: tuple[dt.date, dt.date]) -> ClassView:
    """Where the bureau is corrected or loses, how the measures stand, and each
    cause's count in the period before (of the same length), to see whether the
    measures work."""
    first, last = period
    items = _corrected_in(actor, period)
    reviews = _reviews_of(items)
    view = ClassView()
    for item in items:
        review = reviews.get((ContentType.objects.get_for_model(item).pk,
                              str(item.pk)))
        view.by_matter_type[_matter_type(item)] += 1
        if review is None:
            view.unreviewed.append(item)
            continue
        view.by_cause[review.cause.label] += 1
        view.by_unit[unit_name(review)] += 1
    span = last - first + dt.timedelta(days=1)
    before = _corrected_in(actor, (first - span, first - dt.timedelta(days=1)))
    for review in _reviews_of(before).values():
        view.by_cause_before[review.cause.label] += 1
    measures = scoped(Measure.objects.all(), actor, field="review__org_unit")
    view.measures_open = measures.filter(done_on__isnull=True).count()
    view.measures_done = measures.filter(done_on__range=(first, last)).count()
    return view


def measures_taken(*, actor, period: tuple[dt.date, dt.date]) -> tuple[str, ...]:
    """The measures of the reviews held in ``period`` in the caller's subtree, as
    the annual report lists them: in the order reviewed, each once."""
    rows = (scoped(Measure.objects.filter(review__reviewed_on__range=period), actor,
                   field="review__org_unit")
            .order_by("review__reviewed_on", "pk")
            .values_list("description", flat=True))
    return tuple(dict.fromkeys(rows))


# --- year on year -----------------------------------------------------------------------


def baseline_enter(*, actor, year: int, rate_id: str, numerator: int,
                   denominator: int, source: str) -> RateBaseline:
    """Enter last year's figure of a rate where fazhi holds no records for it."""
    from fazhi.disputes.services import rate_definitions

    require_role(actor, actor.org_unit, Role.LEGAL_AFFAIRS_OFFICER)
    if rate_id not in rate_definitions():
        raise _err("rate_id", "未知的指标")
    if not 0 <= numerator <= denominator:
        raise _err("numerator", "分子须为不大于分母的非负整数")
    if not source.strip():
        raise _err("source", "请写明数据来源（如：2024年法治政府建设年度报告）")
    with transaction.atomic():
        baseline, _ = RateBaseline.objects.update_or_create(
            org_unit=actor.org_unit, year=year, rate_id=rate_id,
            defaults=dict(numerator=numerator, denominator=denominator, source=source,
                          entered_by=actor))
        audit.record(actor=actor, obj=None, action="disputes.baseline",
                     object_type="disputes.RateBaseline", object_id=str(baseline.pk),
                     org_unit=actor.org_unit,
                     summary=f"录入{year}年{rate_id}基数：{numerator}/{denominator}"
                             f"（{source}）")
    return baseline


@dataclass(frozen=True)
class YearOnYear:
    now: rates.RateResult
    before: Fraction | None
    before_source: str  # "fazhi" | the baseline's source | ""
    change: str

    @property
    def before_shown(self) -> str:
        return "—" if self.before is None else f"{float(self.before) * 100:.1f}%"


def rates_year_on_year(*, actor, year: int) -> list[YearOnYear]:
    """This year's rates beside last year's (records first, else the baseline)."""
    now = rates_for(actor=actor, period=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    last = {r.rate.id: r for r in rates_for(
        actor=actor, period=(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)))}
    base = defaultdict(lambda: [0, 0, []])
    for b in scoped(RateBaseline.objects.filter(year=year - 1), actor):
        entry = base[b.rate_id]
        entry[0] += b.numerator
        entry[1] += b.denominator
        entry[2].append(b.source)
    out = []
    for result in now:
        before, source = last[result.rate.id].value, "fazhi"
        if before is None and result.rate.id in base:
            n, d, sources = base[result.rate.id]
            before, source = (Fraction(n, d) if d else None), "；".join(sources)
        if before is None:
            source = ""
        out.append(YearOnYear(result, before, source,
                              rates.change_in_points(result.value, before)))
    return out


def baselines_of(*, actor, year: int, rate_id: str) -> list[RateBaseline]:
    """The figures entered for a rate of ``year`` in the caller's subtree (the 三率
    page adds them up)."""
    return list(scoped(RateBaseline.objects.filter(year=year, rate_id=rate_id),
                       actor))


def unit_name(review: CaseReview) -> str:
    """The department answerable, as the class review counts it: the listed
    department's name, else the text of an older review with its spaces gone."""
    if review.department_id:
        return review.department.name
    return "".join(review.responsible_unit.split())

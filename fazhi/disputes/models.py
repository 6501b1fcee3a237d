"""Reconsiderations and lawsuits in which the bureau answers, and their hearings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from fazhi.core.models import Matter, number_unique_per_org


class ReconsiderationOutcome(models.TextChoices):
    UPHELD = "upheld", "维持"  # the act stands (行政复议法第六十八条)
    DISMISSED = "dismissed", "驳回复议请求"  # the request fails (第六十九条)
    REVOKED = "revoked", "撤销"  # the act is revoked, maybe remade (第六十四条)
    VARIED = "varied", "变更"  # the body changes the act (第六十三条)
    DECLARED_UNLAWFUL = "declared_unlawful", "确认违法"  # unlawful, not revoked (第六十五条)
    ORDERED_TO_PERFORM = "ordered_to_perform", "责令履行"  # the duty must be done (第六十六条)
    DECLARED_VOID = "declared_void", "确认无效"  # void from the start (第六十七条)
    MEDIATED = "mediated", "调解"  # settled by mediation (第七十三条)
    TERMINATED = "terminated", "终止"  # ended without a decision (第四十一条)
    WITHDRAWN = "withdrawn", "撤回申请"  # the applicant withdrew (第七十四条)


class LitigationResult(models.TextChoices):
    WON = "won", "胜诉（驳回诉讼请求）"  # the claim fails (行政诉讼法第六十九条)
    LOST = "lost", "败诉"  # revoked, declared unlawful or void, ordered, varied
    PARTLY_LOST = "partly_lost", "部分败诉"  # lost on part of the claim
    WITHDRAWN = "withdrawn", "撤诉"  # the plaintiff withdrew (第六十二条)
    MEDIATED = "mediated", "调解"  # mediated, where the law allows (第六十条)
    DISMISSED_PROCEDURE = "dismissed_procedure", "裁定驳回起诉"  # not on the merits


# Outcomes that correct the bureau: the original matter is marked, a published
# penalty decision withdrawn (行政处罚法第四十八条第二款).
CORRECTING = {ReconsiderationOutcome.REVOKED, ReconsiderationOutcome.VARIED,
              ReconsiderationOutcome.DECLARED_UNLAWFUL,
              ReconsiderationOutcome.ORDERED_TO_PERFORM,
              ReconsiderationOutcome.DECLARED_VOID}
LOSING = {LitigationResult.LOST, LitigationResult.PARTLY_LOST}


class Challenged(models.Model):
    """The act challenged, linked to the matter in fazhi when there is one."""

    challenged_act = models.CharField("被申请（被诉）行政行为", max_length=300)
    content_type = models.ForeignKey(ContentType, models.PROTECT, null=True,
                                     blank=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    challenged = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class Reconsideration(Matter, Challenged):
    """A reconsideration in which the bureau is respondent (被申请人)."""

    number = models.CharField("复议案号", max_length=80)
    applicant_name = models.CharField("申请人", max_length=100)
    body = models.CharField("行政复议机关", max_length=100)
    copy_received_on = models.DateField("收到申请书副本日期")
    simplified = models.BooleanField("简易程序", default=False)
    reply_clock = models.ForeignKey("deadlines.Clock", models.PROTECT, null=True,
                                    related_name="+")
    replied_on = models.DateField("提交答复日期", null=True, blank=True)
    outcome = models.CharField("复议结果", max_length=30, blank=True,
                               choices=ReconsiderationOutcome.choices)
    concluded_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    decision_summary = models.TextField("决定要旨", blank=True)

    class Meta:
        ordering = ["-copy_received_on", "-pk"]
        verbose_name = "行政复议"
        constraints = [number_unique_per_org("reconsideration_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", args=["reconsideration", self.pk])

    @property
    def corrected(self) -> bool:
        return self.outcome in CORRECTING


class Lawsuit(Matter, Challenged):
    """A lawsuit in which the bureau is defendant (被告), one instance per row."""

    court = models.CharField("人民法院", max_length=100)
    case_number = models.CharField("案号", max_length=80)
    instance = models.CharField("审级", max_length=20, default="first", choices=[
        ("first", "一审"), ("second", "二审"), ("retrial", "再审")])
    previous = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                 related_name="next_instances",
                                 verbose_name="上一审级")
    plaintiff = models.CharField("原告（上诉人）", max_length=100)
    complaint_received_on = models.DateField("收到起诉状副本日期")
    defence_clock = models.ForeignKey("deadlines.Clock", models.PROTECT, null=True,
                                      related_name="+")
    defence_submitted_on = models.DateField("提交答辩状日期", null=True, blank=True)
    result = models.CharField("结果", max_length=30, blank=True,
                              choices=LitigationResult.choices)
    on_merits = models.BooleanField("实体判决", default=False)
    instrument = models.CharField("裁判文书", max_length=10, blank=True,
                                  choices=[("judgment", "判决"), ("ruling", "裁定")])
    concluded_on = models.DateField("裁判文书送达日期", null=True, blank=True,
                                    db_index=True)
    appeal_clock = models.ForeignKey("deadlines.Clock", models.PROTECT, null=True,
                                     blank=True, related_name="+")

    class Meta:
        ordering = ["-complaint_received_on", "-pk"]
        verbose_name = "行政诉讼"
        constraints = [models.UniqueConstraint(fields=["court", "case_number"],
                                               name="lawsuit_case_number")]

    def __str__(self) -> str:
        return f"{self.case_number} {self.plaintiff}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", args=["lawsuit", self.pk])

    @property
    def lost(self) -> bool:
        return self.result in LOSING


class CourtHearing(models.Model):
    """One court hearing: who appeared for the bureau, and whether the principal did.

    A hearing is entered when the court's summons arrives, before it is held: until
    its attendance is recorded (``principal_appeared`` is None) it is scheduled, and
    the rates do not count it.
    """

    lawsuit = models.ForeignKey(Lawsuit, models.CASCADE, related_name="hearings")
    held_on = models.DateField("开庭日期")
    attendees = models.CharField("出庭人员", max_length=200, blank=True)
    principal_appeared = models.BooleanField("负责人出庭", null=True)
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                  blank=True, related_name="+",
                                  verbose_name="出庭的负责人")
    absence_reason = models.TextField("负责人未出庭的理由", blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"开庭 {self.held_on}"

    @property
    def scheduled(self) -> bool:
        """Entered ahead; the attendance is still to be recorded."""
        return self.principal_appeared is None

    @property
    def org_unit(self):
        return self.lawsuit.org_unit


class ReviewCause(models.Model):
    """A cause of correction or loss; the bureau extends the shipped list."""

    code = models.SlugField("编码", max_length=40, unique=True)
    label = models.CharField("原因", max_length=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class CaseReview(models.Model):
    """个案复盘 of one corrected reconsideration or lost lawsuit."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    matter = GenericForeignKey("content_type", "object_id")
    cause = models.ForeignKey(ReviewCause, models.PROTECT, related_name="reviews",
                              verbose_name="原因")
    # The bureau's department (股室) answerable; ``responsible_unit`` keeps its name
    # as written then (and the free text of reviews entered before the list).
    department = models.ForeignKey("core.Department", models.PROTECT, null=True,
                                   blank=True, related_name="+",
                                   verbose_name="责任单位")
    responsible_unit = models.CharField("责任单位", max_length=100)
    summary = models.TextField("复盘分析")
    reviewed_on = models.DateField("复盘日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"],
                                               name="one_review_per_matter")]

    def __str__(self) -> str:
        return f"复盘：{self.cause}"


class Measure(models.Model):
    """One rectification measure of a review, with its owner and deadline."""

    review = models.ForeignKey(CaseReview, models.CASCADE, related_name="measures")
    description = models.TextField("整改措施")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                              related_name="+", verbose_name="责任人")
    deadline = models.DateField("整改期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.TextField("完成情况", blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def org_unit(self):
        return self.review.org_unit


class RateBaseline(models.Model):
    """A rate's figures for a year fazhi holds no records of, entered by hand or
    imported from a published report, with where they came from."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    rate_id = models.CharField("指标", max_length=40)
    numerator = models.PositiveIntegerField("分子")
    denominator = models.PositiveIntegerField("分母")
    source = models.CharField("来源", max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org_unit", "year", "rate_id"],
                                               name="one_baseline_per_rate_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.rate_id} {self.numerator}/{self.denominator}"

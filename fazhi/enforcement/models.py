"""Enforcement cases (行政处罚案件), the steps taken on them and their legal reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.enforcement.workflow import STATE_LABELS
from fazhi.enforcement.workflow import State as S


class CaseState(models.TextChoices):
    FILING_PENDING = S.FILING_PENDING, STATE_LABELS[S.FILING_PENDING]  # awaits approval
    FILING_REJECTED = S.FILING_REJECTED, STATE_LABELS[S.FILING_REJECTED]  # not filed
    FILED = S.FILED, STATE_LABELS[S.FILED]  # investigating; 90-day clock runs
    NOTICE_SERVED = S.NOTICE_SERVED, STATE_LABELS[S.NOTICE_SERVED]  # statement period
    HEARING_REQUESTED = S.HEARING_REQUESTED, STATE_LABELS[S.HEARING_REQUESTED]  # asked
    HEARING_HELD = S.HEARING_HELD, STATE_LABELS[S.HEARING_HELD]  # held or waived
    LEGAL_REVIEW = S.LEGAL_REVIEW, STATE_LABELS[S.LEGAL_REVIEW]  # with the reviewer
    REVIEW_RETURNED = S.REVIEW_RETURNED, STATE_LABELS[S.REVIEW_RETURNED]  # sent back
    REVIEW_PASSED = S.REVIEW_PASSED, STATE_LABELS[S.REVIEW_PASSED]  # written opinion
    COLLECTIVE_DISCUSSION = (
        S.COLLECTIVE_DISCUSSION,
        STATE_LABELS[S.COLLECTIVE_DISCUSSION],
    )  # the heads discussed it
    DECIDED = S.DECIDED, STATE_LABELS[S.DECIDED]  # decision made, not yet served
    SERVED = S.SERVED, STATE_LABELS[S.SERVED]  # decision served; party performs
    EXECUTING = S.EXECUTING, STATE_LABELS[S.EXECUTING]  # execution under way
    COURT_ENFORCEMENT = (
        S.COURT_ENFORCEMENT,
        STATE_LABELS[S.COURT_ENFORCEMENT],
    )  # the court was asked to enforce
    TERMINATED = S.TERMINATED, STATE_LABELS[S.TERMINATED]  # investigation ended
    TRANSFERRED = S.TRANSFERRED, STATE_LABELS[S.TRANSFERRED]  # sent to another body
    CLOSED = S.CLOSED, STATE_LABELS[S.CLOSED]  # closure approved by the principal


class PartyKind(models.TextChoices):
    PERSON = "person", "公民"  # a natural person
    ORGANISATION = "organisation", "法人或者其他组织"  # a company or other body


class CaseSerial(models.Model):
    """The per-bureau, per-year case number series (no instrument kind exists)."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year"], name="enforcement_serial_per_org_year"
            )
        ]


class Case(models.Model):
    """One administrative-penalty case, from the filing request to closure."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    number = models.CharField("案件编号", max_length=60)
    violation_type = models.CharField("违法类型", max_length=60)
    party_name = models.CharField("当事人", max_length=100)
    party_kind = models.CharField(
        "当事人类型", max_length=20, choices=PartyKind.choices
    )
    party_id_number = models.CharField("证件号码", max_length=40, blank=True)
    party_phone = models.CharField("联系电话", max_length=30, blank=True)
    party_address = models.CharField("住址", max_length=200, blank=True)
    location = models.CharField("违法地点", max_length=200, blank=True)
    area_m2 = models.DecimalField(
        "面积（m²）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    land_class = models.CharField("地类", max_length=40, blank=True)
    facts_summary = models.TextField("案情摘要")
    state = models.CharField(
        "状态",
        max_length=30,
        choices=CaseState.choices,
        default=CaseState.FILING_PENDING,
        db_index=True,
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="承办执法人员"
    )
    filed_on = models.DateField("立案日期", null=True, blank=True)
    case_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    statement_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    hearing_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    hearing_requested_on = models.DateField("听证申请日期", null=True, blank=True)
    fine_proposed = models.DecimalField(
        "拟罚款（元）", max_digits=14, decimal_places=2, default=0
    )
    fine_decided = models.DecimalField(
        "决定罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    other_measures = models.TextField("其他处理措施", blank=True)
    departure_reason = models.TextField("偏离裁量基准的理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    is_major = models.BooleanField("重大执法决定", default=False)
    major_reasons = models.TextField("重大执法决定的理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "行政处罚案件"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "number"], name="enforcement_number_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"


class CaseStep(models.Model):
    """One transition: who acted and, for approvals, who approved."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="steps")
    action = models.CharField(max_length=40)
    state_before = models.CharField(max_length=30)
    state_after = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class ReviewResult(models.TextChoices):
    PASSED = "passed", "通过"  # the decision may be made
    RETURNED = "returned", "退回补正"  # sent back to the officers


class LegalReview(models.Model):
    """The legal review of a case's proposed decision (行政处罚法第五十八条)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(max_length=10, choices=ReviewResult.choices)
    opinion = models.TextField("书面审核意见")
    departure_seen = models.BooleanField("已审查偏离裁量基准理由", default=False)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_result_display()}"

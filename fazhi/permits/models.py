"""Permit kinds, applications at the window, their materials, fees and ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.core.matters import state_choices, state_field
from fazhi.core.models import Matter, PartyKind, number_unique_per_org
from fazhi.permits import workflow as wf


class PermitKind(models.Model):
    """One kind of document a bureau's window issues, with its law, limits and
    checklist.

    Each bureau owns its own copy: the shipped catalogue (rules/kinds.toml) is
    copied into every county bureau by ``kinds_sync``, so one bureau's change of a
    limit or checklist never reaches another bureau's applications.
    """

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+",
                                 verbose_name="机关")
    code = models.SlugField("编码", max_length=40)
    name = models.CharField("许可事项", max_length=100)
    basis = models.TextField("法律依据")
    decision_rule = models.CharField("法定期限规则", max_length=60,
                                     default="permit.decision")
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    # Unique within the bureau: its certificates are numbered in the bureau's series.
    certificate_word = models.CharField("证书文号代字", max_length=10)
    fee = models.BooleanField("收费", default=False)
    fee_basis = models.TextField("收费依据", blank=True)
    # [{"code", "label", "required"}], in the order of the checklist.
    materials = models.JSONField("申请材料清单", default=list)
    is_active = models.BooleanField("启用", default=True)
    added_by_bureau = models.BooleanField("本机关新增", default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = "许可事项"
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "code"],
                                    name="permit_kind_code_per_org"),
            models.UniqueConstraint(fields=["org_unit", "certificate_word"],
                                    name="permit_kind_word_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


# Where an application stands: the states of the permit table, labels and comments.
ApplicationState = state_choices("ApplicationState", wf.TABLE, __name__)


class Application(Matter):
    """One permit application, from intake at the window to its certificate."""

    number = models.CharField("受理编号", max_length=60)
    kind = models.ForeignKey(PermitKind, models.PROTECT, related_name="applications",
                             verbose_name="许可事项")
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_kind = models.CharField("申请人类型", max_length=20,
                                      choices=PartyKind.choices)
    applicant_id_number = models.CharField("证件号码", max_length=40, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=30, blank=True)
    project_name = models.CharField("项目名称", max_length=200)
    location = models.CharField("项目位置", max_length=200)
    polygon = models.JSONField("项目范围（GeoJSON）", null=True, blank=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                              related_name="+", verbose_name="承办人")
    state = state_field(ApplicationState, ApplicationState.RECEIVED)
    received_on = models.DateField("收件日期")
    completion_items = models.TextField("需补正内容", blank=True)
    completion_notified_on = models.DateField("补正告知日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    decision_clock = models.ForeignKey("deadlines.Clock", models.PROTECT, null=True,
                                       blank=True, related_name="+")
    promised_clock = models.ForeignKey("deadlines.Clock", models.PROTECT, null=True,
                                       blank=True, related_name="+")
    certificate_clock = models.ForeignKey("deadlines.Clock", models.PROTECT,
                                          null=True, blank=True, related_name="+")
    # The open clock's due date, copied for the queue's order (soonest first).
    due_date = models.DateField("届满日", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    reasons = models.TextField("不予受理或不予许可的理由", blank=True)
    working_days_taken = models.PositiveSmallIntegerField(
        "办理用时（工作日，不计除外时间）", null=True, blank=True)
    decided_late = models.BooleanField("超过法定期限", default=False)
    over_promise = models.BooleanField("超过承诺时限", default=False)
    certificate_number = models.CharField("证书编号", max_length=60, blank=True)
    certificate_issued_on = models.DateField("发证日期", null=True, blank=True)
    fee_amount = models.DecimalField("收费金额（元）", max_digits=12, decimal_places=2,
                                     null=True, blank=True)
    fee_receipt_number = models.CharField("收费票据号", max_length=60, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)
    ended_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    rating_token = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "许可申请"
        constraints = [number_unique_per_org("permit_number_per_org")]
        indexes = [
            models.Index(fields=["org_unit", "-received_on", "-id"],
                         name="permit_list_order"),
            models.Index(fields=["clerk", "state", "due_date"], name="permit_queue"),
            models.Index(fields=["org_unit", "decided_on"], name="permit_decided"),
            # A bureau's applications in the states waiting on a role (我的待办).
            models.Index(fields=["org_unit", "state"], name="permit_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    def get_absolute_url(self) -> str:
        return reverse("permits:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in wf.TABLE.open_states


class Material(models.Model):
    """One item of the application's checklist: provided (with a scan) or waived."""

    application = models.ForeignKey(Application, models.CASCADE,
                                    related_name="materials")
    code = models.CharField(max_length=40)
    label = models.CharField("材料", max_length=200)
    required = models.BooleanField("必需", default=True)
    provided_on = models.DateField("提交日期", null=True, blank=True)
    evidence = models.ForeignKey("core.Evidence", models.PROTECT, null=True,
                                 blank=True, related_name="+")
    waived = models.BooleanField("免于提交", default=False)
    waiver_reason = models.TextField("免于提交的理由", blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "code"],
                                               name="permit_material_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def provided(self) -> bool:
        return self.provided_on is not None


class RatingChannel(models.TextChoices):
    WINDOW = "window", "窗口评价器"  # at the window, recorded by the clerk
    ONLINE = "online", "网上评价"  # by the applicant on the rating page


class Rating(models.Model):
    """The applicant's rating of the service (好差评), 1 (very bad) to 5."""

    application = models.OneToOneField(Application, models.CASCADE,
                                       related_name="rating")
    score = models.PositiveSmallIntegerField("评分")
    comment = models.TextField("评价内容", blank=True)
    channel = models.CharField("评价渠道", max_length=10, choices=RatingChannel.choices)
    rated_on = models.DateField("评价日期")
    # A bad rating (差评) opens a complaint a supervisor must answer on its clock.
    complaint_clock = models.ForeignKey("deadlines.Clock", models.PROTECT, null=True,
                                        blank=True, related_name="+")
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer = models.TextField("核实整改及答复情况", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.score}分"

    @property
    def org_unit(self):
        return self.application.org_unit

    @property
    def is_bad(self) -> bool:
        return self.complaint_clock_id is not None

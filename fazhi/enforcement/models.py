"""Enforcement cases (行政处罚案件), the steps taken on them and their legal reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.core.matters import state_choices, state_field
from fazhi.core.models import Matter, PartyKind, number_unique_per_org
from fazhi.enforcement.cases import workflow

# Where a case stands: the states of the case table, with its labels and comments.
CaseState = state_choices("CaseState", workflow.TABLE, __name__)


class Case(Matter):
    """One administrative-penalty case, from the filing request to closure."""

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
    state = state_field(CaseState, CaseState.FILING_PENDING, max_length=30)
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
    # What the notice proposed and the decision imposed besides the fine, by kind
    # (majority.MEASURES: amounts as strings, flags as true; "other": words) with the
    # case's circumstances (majority.CIRCUMSTANCES): the major-decision criteria are
    # judged on these. ``other_measures`` is their text, as instruments print it.
    measures_proposed = models.JSONField("拟作出的处罚种类", default=dict, blank=True)
    measures_decided = models.JSONField("决定的处罚种类", default=dict, blank=True)
    # Discretion inputs beyond area and land class (discretion.Facts) and the
    # recommendation computed when the notice was served, kept as it was shown.
    ore_value_yuan = models.DecimalField(
        "违法开采矿产品价值（元）", max_digits=16, decimal_places=2, null=True,
        blank=True,
    )
    illegal_gains_yuan = models.DecimalField(
        "违法所得（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    # 违法行为终了之日 (行政处罚法第三十七条): which version of a law governs the act;
    # empty while the act goes on or when not entered
    violation_ended_on = models.DateField("违法行为终了日期", null=True, blank=True)
    factors = models.JSONField("从重从轻情节", default=list, blank=True)
    conforms_to_plan = models.BooleanField("符合国土空间规划", null=True, blank=True)
    recommendation = models.JSONField("裁量建议", default=dict, blank=True)
    departure_summary = models.TextField("裁量说明", blank=True)
    departure_reason = models.TextField("偏离裁量基准的理由", blank=True)
    lead = models.ForeignKey(
        "enforcement.Lead", models.PROTECT, null=True, blank=True,
        related_name="cases", verbose_name="来源线索",
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)
    # Execution (行政处罚法第六十六条至第七十三条；行政强制法第五十三条、第五十四条)
    paid_on = models.DateField("罚款缴纳日期", null=True, blank=True)
    amount_paid = models.DecimalField(
        "已缴金额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    remedy_pending = models.BooleanField("复议或诉讼进行中", default=False)
    remedy_started_on = models.DateField("复议/诉讼提起日期", null=True, blank=True)
    # The surcharge is not counted from the start to this end (行政处罚法第七十三条第三款)
    remedy_ended_on = models.DateField("复议/诉讼终结日期", null=True, blank=True)
    demand_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    court_name = models.CharField("受理法院", max_length=100, blank=True)
    execution_completed_on = models.DateField("执行完毕日期", null=True, blank=True)
    execution_note = models.TextField("执行情况", blank=True)
    end_reason = models.TextField("终止调查或移送的理由", blank=True)
    transferred_to = models.CharField("移送机关", max_length=100, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    # Set when a reconsideration or a court corrects the decision (撤销、变更、
    # 确认违法…): when, by whom, and the matter that did it.
    corrected_on = models.DateField("被纠错日期", null=True, blank=True)
    correction_note = models.TextField("被纠错情况", blank=True)
    is_major = models.BooleanField("重大执法决定", default=False)
    major_reasons = models.TextField("重大执法决定的理由", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "行政处罚案件"
        constraints = [number_unique_per_org("enforcement_number_per_org")]
        indexes = [
            models.Index(
                fields=["org_unit", "-created_at", "-id"], name="case_org_created"
            ),
            # A bureau's cases in the states waiting on a role: 我的待办 counts them.
            models.Index(fields=["org_unit", "state"], name="case_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:case_detail", args=[self.pk])


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


# --- leads and tips (线索 / 举报) ------------------------------------------------------


class LeadSource(models.TextChoices):
    TIP = "tip", "群众举报"  # a citizen's tip: the tipster is protected and answered
    PATROL = "patrol", "日常巡查"  # found by the bureau's own patrol
    AGENCY = "agency", "部门移送"  # passed on by another agency
    SUPERIOR = "superior", "上级交办"  # assigned by a higher bureau
    PATCH = "patch", "卫片执法图斑"  # a satellite or drone change patch
    MEDIA = "media", "媒体曝光"  # reported in the media


class TipChannel(models.TextChoices):
    PHONE = "phone", "电话"  # 12336 or the bureau's line
    LETTER = "letter", "信函"  # a letter
    ONLINE = "online", "网络"  # the website or the 12336 WeChat platform
    HOTLINE = "hotline_12345", "12345热线转办"  # transferred by the 12345 hotline
    VISIT = "visit", "来访"  # in person


class LeadState(models.TextChoices):
    RECEIVED = "received", "待核查"  # registered; the check clock runs
    FILED = "filed", "已立案"  # a case was opened from it
    TRANSFERRED = "transferred", "已移送"  # sent to the competent agency
    CLOSED = "closed", "不予立案"  # checked and closed with reasons


class Lead(Matter):
    """A suspected violation not yet filed as a case (违法线索)."""

    number = models.CharField("线索编号", max_length=60)
    source = models.CharField("线索来源", max_length=20, choices=LeadSource.choices)
    channel = models.CharField(
        "举报方式", max_length=20, choices=TipChannel.choices, blank=True
    )
    received_on = models.DateField("收到日期", db_index=True)
    location = models.CharField("违法地点", max_length=200)
    suspect = models.CharField("涉嫌违法主体", max_length=100, blank=True)
    violation_type = models.CharField("涉嫌违法类型", max_length=60, blank=True)
    description = models.TextField("线索内容")
    # The tipster's identity: shown only to the roles that need it (services.py).
    tipster_name = models.CharField("举报人姓名", max_length=100, blank=True)
    tipster_phone = models.CharField("举报人电话", max_length=30, blank=True)
    tipster_contact = models.CharField("举报人其他联系方式", max_length=200, blank=True)
    tipster_anonymous = models.BooleanField("匿名举报", default=False)
    external_ref = models.CharField("来源编号", max_length=100, blank=True)
    state = state_field(LeadState, LeadState.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
        verbose_name="核查人",
    )
    check_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_on = models.DateField("核查日期", null=True, blank=True)
    check_findings = models.TextField("核查情况", blank=True)
    outcome_reason = models.TextField("处理理由", blank=True)
    transferred_to = models.CharField("移送机关", max_length=100, blank=True)
    answered_on = models.DateField("答复举报人日期", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "违法线索"
        constraints = [number_unique_per_org("lead_number_per_org")]

    def __str__(self) -> str:
        return f"{self.number} {self.location}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:lead_detail", args=[self.pk])

    @property
    def is_tip(self) -> bool:
        return self.source == LeadSource.TIP

    @property
    def awaiting_answer(self) -> bool:
        """A tip whose tipster can be reached and has not been answered."""
        return self.is_tip and not self.tipster_anonymous and self.answered_on is None


# --- full-process records (全过程记录) -------------------------------------------------


class RecordKind(models.TextChoices):
    VIDEO = "video", "视频"  # audio-video recording
    AUDIO = "audio", "录音"  # audio only
    PHOTO = "photo", "照片"  # photographs
    WRITTEN = "written", "文字记录"  # a signed written record (笔录) scanned


class AVRecord(models.Model):
    """One record of an enforcement act: what, when, where, on which device."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="records")
    act = models.CharField("执法环节", max_length=40)  # a code of rules/recording.toml
    kind = models.CharField("记录形式", max_length=20, choices=RecordKind.choices)
    evidence = models.ForeignKey("core.Evidence", models.PROTECT, related_name="+")
    captured_at = models.DateTimeField("拍摄（记录）时间")
    place = models.CharField("地点", max_length=200)
    device = models.CharField("记录设备", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
        verbose_name="记录人",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["captured_at", "pk"]
        verbose_name = "全过程记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.act} {self.get_kind_display()}"


# --- publicity (执法公示) ---------------------------------------------------------------


class Publication(models.Model):
    """A penalty decision as published to the public, redacted, and its withdrawal."""

    case = models.OneToOneField(Case, models.PROTECT, related_name="publication")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    decision_number = models.CharField("决定书文号", max_length=100)
    party_shown = models.CharField("当事人（公示）", max_length=100)
    violation_label = models.CharField("违法行为类型", max_length=100)
    facts_shown = models.TextField("主要违法事实（公示）")
    penalty_shown = models.TextField("处罚内容（公示）")
    basis_shown = models.TextField("处罚依据", blank=True)
    decided_on = models.DateField("决定日期")
    published_on = models.DateField("公示日期", db_index=True)
    published_late = models.BooleanField("逾期公示", default=False)
    redactions = models.JSONField("遮蔽记录", default=list, blank=True)
    withdraw_clock = models.ForeignKey(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_due = models.BooleanField("待撤下", default=False)
    withdraw_ground = models.TextField("撤下事由", blank=True)
    withdrawn_on = models.DateField("撤下日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = "行政处罚决定公示"

    def __str__(self) -> str:
        return self.decision_number


# --- supervision: file review and rectification (案卷评查 / 整改) -----------------------


class FileReview(models.Model):
    """One reviewer's scoring of a closed case file against the checklist."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="file_reviews")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("评查日期")
    checklist = models.CharField("评查标准", max_length=200)  # name and version
    deductions = models.JSONField("扣分项", default=list)  # [{code, points, note}]
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)
    grade = models.CharField("等次", max_length=20)
    opinion = models.TextField("评查意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = "案卷评查"

    def __str__(self) -> str:
        return f"{self.case_id} {self.score}"


class Rectification(models.Model):
    """An item the reviewer ordered fixed, its deadline and its completion."""

    review = models.ForeignKey(FileReview, models.CASCADE, related_name="items")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    description = models.TextField("整改事项")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
        verbose_name="整改责任人",
    )
    deadline = models.DateField("整改期限")
    completed_on = models.DateField("完成日期", null=True, blank=True)
    completion_note = models.TextField("整改情况", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="验收人",
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "整改事项"

    def __str__(self) -> str:
        return self.description[:30]

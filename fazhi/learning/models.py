"""Learning and outreach records (学法/普法): what the annual report's first sections
count.

Every record belongs to the bureau that held it (``org_unit``) and has one date of
legal effect that the report's period is matched against (``PERIOD_FIELD``). The
kind of a study session and the audience and channel of a campaign are stored as the
Chinese words of ``rules/vocabulary.toml`` (the bureau may extend the list without a
migration); the report writes those words as they are. Materials are evidence rows
attached to the record (``Evidence.matter``), so they are hashed and audited like
any other file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

USER = settings.AUTH_USER_MODEL


class StudySession(models.Model):
    """One legal study session of the bureau's staff (学法活动)."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    held_on = models.DateField("学法日期")
    topic = models.CharField("学法主题", max_length=200)
    kind = models.CharField("学法形式", max_length=40)  # a word of vocabulary.toml
    # The laws studied, one title each, e.g. ["中华人民共和国土地管理法"].
    laws = models.JSONField("学习的法律法规", default=list)
    speaker = models.CharField("主讲人", max_length=100, blank=True)
    organiser = models.ForeignKey(USER, models.PROTECT, related_name="+",
                                  verbose_name="组织者")
    attendees = models.ManyToManyField(USER, related_name="+", blank=True,
                                       verbose_name="参加人员")
    other_attendees = models.PositiveIntegerField("其他参加人数", default=0)
    # len(attendees) + other_attendees, kept by the services so a period's total is
    # one SUM, not a join per session.
    attendance = models.PositiveIntegerField("参加人次", default=0)
    summary = models.TextField("学习内容摘要", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERIOD_FIELD = "held_on"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "学法活动"
        verbose_name_plural = "学法活动"
        indexes = [models.Index(fields=["org_unit", "held_on"],
                                name="learning_session_period")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.kind}：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("learning:session_detail", args=[self.pk])


class QualificationExam(models.Model):
    """One person's sitting of the enforcement qualification exam (执法资格考试)."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    person = models.ForeignKey(USER, models.PROTECT, related_name="+",
                               verbose_name="考试人员")
    exam_name = models.CharField("考试名称", max_length=200)
    sat_on = models.DateField("考试日期")
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1)
    passed = models.BooleanField("考试合格", default=False)
    certificate_number = models.CharField("执法证号", max_length=30, blank=True)
    certificate_valid_from = models.DateField("执法证有效期起", null=True, blank=True)
    certificate_valid_until = models.DateField("执法证有效期至", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERIOD_FIELD = "sat_on"

    class Meta:
        ordering = ["-sat_on", "-pk"]
        verbose_name = "执法资格考试"
        verbose_name_plural = "执法资格考试"
        constraints = [models.UniqueConstraint(fields=["person", "sat_on"],
                                               name="learning_exam_once_a_day")]
        indexes = [models.Index(fields=["org_unit", "sat_on"],
                                name="learning_exam_period")]

    def __str__(self) -> str:
        return f"{self.person} {self.exam_name}（{self.sat_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("learning:exam_detail", args=[self.pk])


class CaseSeminar(models.Model):
    """One case seminar (案例研讨): staff discussing enforcement cases."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    held_on = models.DateField("研讨日期")
    topic = models.CharField("研讨主题", max_length=200)
    # Cases of fazhi discussed; cases from elsewhere (a higher bureau's typical cases,
    # court judgments) are written in ``other_cases``.
    cases = models.ManyToManyField("enforcement.Case", related_name="+", blank=True,
                                   verbose_name="研讨的本系统案件")
    other_cases = models.TextField("其他案例", blank=True)
    attendees = models.ManyToManyField(USER, related_name="+", blank=True,
                                       verbose_name="参加人员")
    other_attendees = models.PositiveIntegerField("其他参加人数", default=0)
    attendance = models.PositiveIntegerField("参加人次", default=0)  # as for sessions
    conclusions = models.TextField("研讨意见", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERIOD_FIELD = "held_on"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "案例研讨"
        verbose_name_plural = "案例研讨"
        indexes = [models.Index(fields=["org_unit", "held_on"],
                                name="learning_seminar_period")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 案例研讨：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("learning:seminar_detail", args=[self.pk])


class OutreachCampaign(models.Model):
    """One public legal-education activity (普法宣传活动)."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    held_on = models.DateField("活动日期")
    title = models.CharField("活动名称", max_length=200)
    audience = models.CharField("宣传对象", max_length=40)  # a word of vocabulary.toml
    channel = models.CharField("宣传形式", max_length=40)  # a word of vocabulary.toml
    place = models.CharField("地点", max_length=200, blank=True)
    laws = models.JSONField("宣传的法律法规", default=list)
    sessions = models.PositiveIntegerField("场次", default=1)
    people_reached = models.PositiveIntegerField("受众人次", default=0)
    materials_handed_out = models.PositiveIntegerField("发放资料（份）", default=0)
    summary = models.TextField("活动情况", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERIOD_FIELD = "held_on"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "普法宣传活动"
        verbose_name_plural = "普法宣传活动"
        indexes = [models.Index(fields=["org_unit", "held_on"],
                                name="learning_campaign_period")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("learning:campaign_detail", args=[self.pk])


class CaseExplanation(models.Model):
    """One "以案释法" item: a closed case explained to the public."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    case = models.ForeignKey("enforcement.Case", models.PROTECT, related_name="+",
                             verbose_name="案件")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("释法内容")
    published_in = models.CharField("发布载体", max_length=200)
    url = models.URLField("网址", max_length=500, blank=True)
    published_on = models.DateField("发布日期")
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERIOD_FIELD = "published_on"

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = "以案释法"
        verbose_name_plural = "以案释法"
        indexes = [models.Index(fields=["org_unit", "published_on"],
                                name="learning_explanation_period")]

    def __str__(self) -> str:
        return f"{self.published_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("learning:explanation_detail", args=[self.pk])

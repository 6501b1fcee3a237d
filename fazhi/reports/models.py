"""Baselines for year-on-year comparison, annual reports and their edited versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Baseline(models.Model):
    """A figure of a year fazhi has no records for, entered or imported by hand.

    Typically read from the bureau's published report of that year (``fazhi baseline
    extract``) and reviewed in the browser before it is stored.
    """

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    metric_id = models.CharField("指标", max_length=80)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    source = models.CharField("来源", max_length=300)  # e.g. the report's document number
    note = models.TextField("说明", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        ordering = ["org_unit", "-year", "metric_id"]
        constraints = [models.UniqueConstraint(
            fields=["org_unit", "year", "metric_id"], name="reports_baseline_unique")]
        verbose_name = "基期数据"

    def __str__(self) -> str:
        return f"{self.year} {self.metric_id} = {self.value}"


class ReportState(models.TextChoices):
    DRAFT = "draft", "起草中"  # figures and paragraphs may still change
    SIGNED = "signed", "已签发"  # signed off; a change needs a new version


class AnnualReport(models.Model):
    """A bureau's annual rule-of-law report (法治政府建设年度报告) of one year."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    document_number = models.CharField("发文字号", max_length=60, blank=True)
    addressee = models.CharField("主送机关", max_length=200, blank=True)
    signing_org = models.CharField("署名机关", max_length=100, blank=True)
    signed_on = models.DateField("成文日期", null=True, blank=True)
    # The elements of a document reported to the level above (GB/T 9704 §7.2.6, §7.4).
    issuer = models.CharField("签发人", max_length=50, blank=True)
    copy_to = models.CharField("抄送机关", max_length=200, blank=True)
    printing_org = models.CharField("印发机关", max_length=100, blank=True)
    printed_on = models.DateField("印发日期", null=True, blank=True)
    print_masthead = models.BooleanField(
        "打印版头", default=True,
        help_text="使用已印好红色版头的公文纸时取消：版头和红线处留空")
    state = models.CharField("状态", max_length=10, choices=ReportState.choices,
                             default=ReportState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["org_unit", "-year"]
        constraints = [models.UniqueConstraint(
            fields=["org_unit", "year"], name="reports_annual_unique")]
        verbose_name = "法治政府建设年度报告"

    def __str__(self) -> str:
        return f"{self.org_unit.name}{self.year}年法治政府建设年度报告"


class ReportVersion(models.Model):
    """One saved state of a report: the staff's paragraph edits and the figures used."""

    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    # {paragraph id: text as edited by staff}; paragraphs not here are generated.
    edits = models.JSONField("编辑的段落", default=dict)
    # {metric id: {"value", "records"}} as computed when the version was saved.
    figures = models.JSONField("数据快照", default=dict)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(
            fields=["report", "number"], name="reports_version_unique")]
        verbose_name = "报告版本"

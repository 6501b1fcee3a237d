"""A rule set the bureau adopted: the document that gives a rule file's values force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AdoptedStanding(models.TextChoices):
    PROVINCE = "province", "省厅文件"  # the province's document, applied by the bureau
    BUREAU = "bureau", "本局规定"  # the bureau's own decision


class RuleAdoption(models.Model):
    """One adoption: the newest for a module's rule file is the one in force."""

    module = models.CharField("模块", max_length=40)
    rule = models.CharField("规则文件", max_length=80)
    standing = models.CharField("效力", max_length=20, choices=AdoptedStanding.choices)
    title = models.CharField("文件名称", max_length=200)
    document = models.CharField("文号", max_length=100)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    in_force = models.DateField("施行日期", null=True, blank=True)
    # the scanned document (evidence store); a province's file loaded whole names
    # where its text was read instead
    scan = models.ForeignKey("core.Evidence", models.PROTECT, null=True, blank=True,
                             related_name="+")
    source = models.TextField("出处", blank=True)
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")
    adopted_at = models.DateTimeField("采用时间", default=timezone.now)

    class Meta:
        ordering = ["module", "rule", "-adopted_at", "-pk"]
        verbose_name = "规则采用"
        verbose_name_plural = "规则采用"

    def __str__(self) -> str:
        return f"{self.title}（{self.document}）"

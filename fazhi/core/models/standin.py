"""Stand-ins for people on leave (请假代理): who acts for whom, from when to when."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class StandInQuerySet(models.QuerySet):
    def on(self, day: dt.date) -> StandInQuerySet:
        """The periods in force on ``day``: begun, not past their last day, not
        ended early."""
        return self.filter(starts_on__lte=day, ends_on__gte=day, ended_at__isnull=True)


class StandIn(models.Model):
    """One period in which ``standin`` acts for ``absent`` (leave, a trip).

    During it the stand-in sees the absent person's work items and may take the
    actions of the absent person's business roles in their bureau, recorded as
    acting for them (``fazhi.core.standins``). Ended early by setting ``ended_at``.
    """

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+",
                                 verbose_name="机关")
    absent = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                               related_name="standins_given", verbose_name="请假人")
    standin = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                related_name="standing_in", verbose_name="代理人")
    starts_on = models.DateField("起始日")
    ends_on = models.DateField("结束日")
    reason = models.CharField("事由", max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+", verbose_name="登记人")
    entered_at = models.DateTimeField("登记时间")
    ended_at = models.DateTimeField("提前结束时间", null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 verbose_name="提前结束人")

    objects = StandInQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = "请假代理"
        verbose_name_plural = "请假代理"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="standin_dates_in_order"),
            models.CheckConstraint(condition=~Q(absent=F("standin")),
                                   name="standin_not_self"),
        ]
        indexes = [models.Index(fields=["standin", "ends_on"]),
                   models.Index(fields=["absent", "ends_on"])]

    def __str__(self) -> str:
        return (f"{self.standin}代{self.absent}"
                f"（{self.starts_on:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}）")

    def in_force(self, day: dt.date) -> bool:
        return self.ended_at is None and self.starts_on <= day <= self.ends_on

    def status(self, day: dt.date) -> str:
        """In words, as the list shows it."""
        if self.ended_at is not None:
            return "已提前结束"
        if day < self.starts_on:
            return "未开始"
        return "代理中" if day <= self.ends_on else "已结束"

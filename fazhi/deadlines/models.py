"""The holiday table and the Clock that attaches a statutory deadline to a matter."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class HolidayYear(models.Model):
    """One year's holiday arrangement as published by the State Council's notice."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice_number = models.CharField("通知文号", max_length=50)  # e.g. 国办发明电〔2025〕7号
    notice_title = models.CharField("通知标题", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排"

    def __str__(self) -> str:
        return f"{self.year}年（{self.notice_number}）"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"  # an official day off, even on a weekday
    WORKDAY = "workday", "调休上班"  # a weekend day made a working day


class HolidayDay(models.Model):
    """A date whose status differs from the ordinary Monday-to-Friday week."""

    year = models.ForeignKey(HolidayYear, models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=30, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ClockState(models.TextChoices):
    RUNNING = "running", "计时中"  # the period is running
    PAUSED = "paused", "已暂停"  # an excluded period (correction, consultation…) is open
    STOPPED = "stopped", "已办结"  # the duty was performed; the clock is closed
    CANCELLED = "cancelled", "已撤销"  # the matter ended without the duty (e.g. withdrawn)


# A clock still counting (running, or paused for an excluded period): a duty open.
OPEN_STATES = (ClockState.RUNNING, ClockState.PAUSED)


class ClockEnd(models.TextChoices):
    """How the matter ended, for a clock it cancelled (the badge says so)."""

    WITHDRAWN = "withdrawn", "已撤回"  # the applicant or requester withdrew
    ABANDONED = "abandoned", "视为放弃"  # deemed abandoned (e.g. no correction in time)
    CLOSED = "closed", "已办结"  # the matter ended another way (closed, terminated…)


class ClockStatus(models.TextChoices):
    GREEN = "green", "正常"  # comfortably within the period
    YELLOW = "yellow", "临期"  # within the rule's warning window
    RED = "red", "超期"  # past the due date and still open
    PAUSED = "paused", "暂停"  # not counting
    DONE = "done", "按期办结"  # performed on or before the due date
    DONE_LATE = "done_late", "超期办结"  # performed after the due date


class Clock(models.Model):
    """A statutory period attached to one matter, with its stored due date."""

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.CharField(max_length=64)
    matter = GenericForeignKey("content_type", "object_id")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="clocks")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="clocks",
    )
    rule_id = models.CharField("期限规则", max_length=60)
    title = models.CharField("事项", max_length=200)
    start_date = models.DateField("起算日")
    due_date = models.DateField("届满日", db_index=True)
    provisional = models.BooleanField("估算", default=False, db_index=True)
    extension_days = models.PositiveSmallIntegerField("延长", default=0)
    # A shorter length than the rule's, in the rule's unit: the bureau's promised
    # limit for one permit kind counts under rule permit.promised with its own days.
    length = models.PositiveSmallIntegerField("期限长度（短于规则的）", null=True,
                                              blank=True)
    yellow_days = models.PositiveSmallIntegerField("临期预警（工作日）", default=3)
    state = models.CharField(max_length=10, choices=ClockState.choices,
                             default=ClockState.RUNNING, db_index=True)
    status = models.CharField(max_length=10, choices=ClockStatus.choices,
                              default=ClockStatus.GREEN, db_index=True)
    stopped_on = models.DateField("办结日", null=True, blank=True)
    ended_as = models.CharField("事项终结方式", max_length=10, blank=True,
                                choices=ClockEnd.choices)
    explanation = models.TextField("计算过程", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "期限"
        indexes = [
            # A matter's clocks, and whether one of them runs.
            models.Index(fields=["content_type", "object_id", "state", "due_date"]),
            # A kind's running clocks, soonest first: 我的待办 reads them in this
            # order until it has the matters a page shows.
            models.Index(fields=["content_type", "state", "due_date"]),
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["assignee", "state", "due_date"]),
            # A bureau's running clocks past due: what the heads' lists of their
            # people's overdue items read (not every bureau's, then filtered).
            models.Index(fields=["org_unit", "state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.title}（届满 {self.due_date}）"

    @property
    def is_open(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.PAUSED)


class ClockPause(models.Model):
    """Days excluded from a period (补正, 征求意见, 听证, 专家评审…), inclusive."""

    clock = models.ForeignKey(Clock, models.CASCADE, related_name="pauses")
    kind = models.CharField("暂停事由类型", max_length=30)
    reason = models.CharField("事由", max_length=300)
    start = models.DateField("起")
    end = models.DateField("止", null=True, blank=True)  # open while it runs
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.start}–{self.end or '…'} {self.reason}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"  # asked with a reason; the clock has not moved
    APPROVED = "approved", "已批准"  # approved by another person; the clock moved
    REFUSED = "refused", "未批准"  # refused; the clock stands


class ClockExtension(models.Model):
    """An extension of a clock: asked by one person with a reason, decided by another.

    Only an approved one moves the clock (``Clock.extension_days`` adds them up).
    """

    clock = models.ForeignKey(Clock, models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长天数")
    reason = models.TextField("理由")
    state = models.CharField("审批状态", max_length=10, choices=ExtensionState.choices,
                             default=ExtensionState.PENDING, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
        verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    # The notice telling the requester or applicant of the new date, when one is due.
    instrument = models.ForeignKey(
        "core.Instrument", models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = "期限延长"

    def __str__(self) -> str:
        return f"延长{self.days}日（{self.get_state_display()}）：{self.reason}"

    @property
    def org_unit(self):
        return self.clock.org_unit

    @property
    def requested_on(self):
        return timezone.localdate(self.requested_at)

    @property
    def decided_on(self):
        return timezone.localdate(self.decided_at) if self.decided_at else None

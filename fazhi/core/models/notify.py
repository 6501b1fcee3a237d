"""Notifications: what a person is told in the platform, and its copies sent out.

A ``Notification`` is the in-app message, always written. A ``Delivery`` is one copy
of it sent through an outbound channel (e-mail, SMS) a bureau has turned on; its
state records whether it went out, so a failed copy is retried by the next sweep
and never takes the in-app message with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NoticeKind(models.TextChoices):
    """What a notification is about."""

    WORK = "work", "新待办"  # a matter now waits on the person
    DECISION = "decision", "审批结果"  # someone decided what the person asked
    YELLOW = "yellow", "临期提醒"  # a clock the person owns entered its warning days
    RED = "red", "期限届满"  # a clock the person owns ran past its due date
    ESCALATION = "escalation", "超期督办"  # a duty of the bureau is past due
    NOTE = "note", "通知"  # anything else


class Notification(models.Model):
    """A message to one user, optionally about a clock."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=12, choices=NoticeKind.choices,
                            default=NoticeKind.NOTE)
    message = models.CharField("内容", max_length=300)
    link = models.CharField("链接", max_length=300, blank=True)
    clock = models.ForeignKey(
        "deadlines.Clock", models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What this message is about and to whom (``fazhi.core.notices``), so a retried
    # sweep or worker never sends the same message twice.
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "通知"
        # The sweep asks, per clock, whether its owner was told of a level.
        indexes = [models.Index(fields=["clock", "kind"],
                                name="notification_clock_kind")]

    def __str__(self) -> str:
        return self.message


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"  # written with the notification, not yet sent
    SENDING = "sending", "发送中"  # claimed by a worker or the sweep
    SENT = "sent", "已发送"  # the channel accepted it
    FAILED = "failed", "发送失败"  # the last try failed; the next sweep tries again
    GAVE_UP = "gave_up", "已放弃"  # failed every try; the in-app message stands


class Delivery(models.Model):
    """One copy of a notification sent through one outbound channel."""

    notification = models.ForeignKey(Notification, models.CASCADE,
                                      related_name="deliveries")
    channel = models.CharField("渠道", max_length=200)  # the backend's dotted path
    address = models.CharField("发送至", max_length=254)  # e-mail address or phone
    state = models.CharField("状态", max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("最近错误", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "外发通知"
        constraints = [models.UniqueConstraint(fields=["notification", "channel"],
                                               name="one_delivery_per_channel")]

    def __str__(self) -> str:
        return f"{self.notification} → {self.address}（{self.get_state_display()}）"

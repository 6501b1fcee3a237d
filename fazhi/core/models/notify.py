"""In-app notifications: what the daily sweep and the workflows tell people."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message to one user, optionally about a clock."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    message = models.CharField("内容", max_length=300)
    link = models.CharField("链接", max_length=300, blank=True)
    clock = models.ForeignKey(
        "deadlines.Clock", models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The sweep's key for what this message is about, so a retried sweep never
    # sends the same message twice.
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "通知"

    def __str__(self) -> str:
        return self.message

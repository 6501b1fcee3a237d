"""The audit chain: append-only, hash-chained events of every state change."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models


class AuditImmutable(Exception):
    """Raised on any attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计事件只能追加，不能修改")

    def delete(self):
        raise AuditImmutable("审计事件只能追加，不能删除")

    def bulk_update(self, *args, **kwargs):
        raise AuditImmutable("审计事件只能追加，不能修改")

    def bulk_create(self, *args, **kwargs):
        raise AuditImmutable("审计事件只能经 fazhi.core.audit.record 追加")


class AuditEvent(models.Model):
    """One state change: who, when, what, before/after summary, evidence hashes."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("操作人", max_length=100)
    org_unit = models.ForeignKey(
        "core.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+"
    )
    org_code = models.CharField("机关代码", max_length=6, blank=True)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("操作", max_length=100)
    payload = models.TextField("内容")  # canonical JSON, hashed as stored
    evidence = models.TextField("证据哈希", blank=True)  # comma-separated SHA-256
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    algorithm = models.CharField(max_length=10)
    # Which digest covers the event: 1, events written before the chain had a key
    # (fazhi.core.audit.event_fields, unkeyed); 2, every field under the chain's key.
    scheme = models.PositiveSmallIntegerField("摘要版本")
    # Whether an anchor file existed when the event was written: once one has, a
    # missing anchor means it was deleted, and verification fails.
    anchored = models.BooleanField("已有锚点", default=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计事件"
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    @property
    def summary(self) -> str:
        """The human sentence recorded with the event."""
        try:
            return json.loads(self.payload).get("summary") or ""
        except (ValueError, AttributeError):
            return ""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计事件只能追加，不能删除")


class AuditHead(models.Model):
    """The newest link of the chain; its row lock serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"审计链头 #{self.seq}"

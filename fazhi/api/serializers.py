"""Serializers of the base API (each module adds its own beside its app)."""

from __future__ import annotations

from rest_framework import serializers

from fazhi.core.models import AuditEvent, Evidence, Notification, OrgUnit, User
from fazhi.deadlines.models import Clock
from fazhi.deadlines.overdue import clock_badge, rule_duty


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="division_code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["division_code", "division_name", "name", "level", "parent"]


class MeSerializer(serializers.ModelSerializer):
    org_unit = OrgUnitSerializer(read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "full_name", "org_unit", "badge_number", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


class ClockSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="division_code", read_only=True)
    matter_type = serializers.CharField(source="content_type.model", read_only=True)
    explanation = serializers.SerializerMethodField()
    duty = serializers.SerializerMethodField()
    badge = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Clock
        fields = ["id", "title", "rule_id", "org_unit", "matter_type", "object_id",
                  "assignee", "start_date", "due_date", "provisional", "extension_days",
                  "state", "status", "stopped_on", "explanation", "duty", "badge",
                  "overdue"]

    def get_duty(self, clock) -> str:
        """bureau (the bureau's duty), promise (its own promise) or party."""
        return rule_duty(clock.rule_id)

    def get_badge(self, clock) -> str:
        """The clock's standing as the pages show it (超期, 已届满, 已办结…)."""
        return clock_badge(clock).label

    def get_overdue(self, clock) -> bool:
        """Whether the clock counts as the bureau's 超期 today."""
        return clock_badge(clock).overdue

    def get_explanation(self, clock) -> list[str]:
        return clock.explanation.splitlines()


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "link", "clock", "created_at", "read_at"]


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "seq", "at", "actor_name", "org_code", "object_type",
                  "object_id", "object_repr", "action", "payload", "evidence",
                  "prev_hash", "hash", "algorithm"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "sha256", "size", "media_type", "kind", "original_name",
                  "description", "uploaded_at"]


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", trim_whitespace=False,
                                     style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="请求头写 Authorization: Token <token>；只显示这一次")
    expires_at = serializers.DateTimeField(help_text="最迟失效时间")
    idle_minutes = serializers.IntegerField(help_text="连续这么多分钟未使用即失效")

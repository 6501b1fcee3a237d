"""Serializers of the base API (each module adds its own beside its app)."""

from __future__ import annotations

from rest_framework import serializers

from fazhi.core.models import AuditEvent, Evidence, Notification, OrgUnit, User
from fazhi.deadlines.models import Clock


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

    class Meta:
        model = Clock
        fields = ["id", "title", "rule_id", "org_unit", "matter_type", "object_id",
                  "assignee", "start_date", "due_date", "provisional", "extension_days",
                  "state", "status", "stopped_on", "explanation"]

    def get_explanation(self, clock) -> list[str]:
        return clock.explanation.splitlines()


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "link", "clock", "created_at", "read_at"]


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

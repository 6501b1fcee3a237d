"""Base API views: thin wrappers over the same selectors the pages use."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.views import APIView

from fazhi.api.serializers import (
    AuditEventSerializer,
    ClockSerializer,
    EvidenceSerializer,
    MeSerializer,
    NotificationSerializer,
    OrgUnitSerializer,
)
from fazhi.core import selectors as core
from fazhi.core.evidence import evidence_get
from fazhi.core.models import Notification
from fazhi.core.permissions import HasRole
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.deadlines import selectors as clocks
from fazhi.web.views.evidence import evidence_response


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class OrgUnitList(generics.ListAPIView):
    serializer_class = OrgUnitSerializer

    def get_queryset(self):
        return core.org_unit_list(actor=self.request.user)


class OrgUnitDetail(generics.RetrieveAPIView):
    serializer_class = OrgUnitSerializer

    def get_object(self):
        return core.org_unit_get(actor=self.request.user,
                                 division_code=self.kwargs["division_code"])


class ClockList(generics.ListAPIView):
    """The caller's open clocks; ``?scope=all`` lists every open clock in the subtree."""

    serializer_class = ClockSerializer
    permission_classes = [HasRole(*BUSINESS_ROLES)]

    def get_queryset(self):
        if self.request.query_params.get("scope") == "all":
            return clocks.clock_list_open(actor=self.request.user)
        return clocks.clock_list_mine(actor=self.request.user)


class ClockDetail(generics.RetrieveAPIView):
    serializer_class = ClockSerializer
    permission_classes = [HasRole(*BUSINESS_ROLES)]

    def get_object(self):
        return clocks.clock_get(actor=self.request.user, pk=self.kwargs["pk"])


class NotificationList(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user)


class EvidenceDetail(generics.RetrieveAPIView):
    """Metadata of one evidence file (hash, size, type) in the caller's subtree."""

    serializer_class = EvidenceSerializer
    permission_classes = [HasRole(*BUSINESS_ROLES)]

    def get_object(self):
        return evidence_get(actor=self.request.user, pk=self.kwargs["pk"])


class EvidenceDownload(APIView):
    """The file itself, verified against its SHA-256 before it is sent."""

    permission_classes = [HasRole(*BUSINESS_ROLES)]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        return evidence_response(evidence_get(actor=request.user, pk=pk))


class AuditEventList(generics.ListAPIView):
    serializer_class = AuditEventSerializer
    permission_classes = [HasRole(Role.AUDIT_ADMIN)]

    def get_queryset(self):
        params = self.request.query_params
        return core.audit_event_search(
            actor=self.request.user, object_type=params.get("object_type", ""),
            object_id=params.get("object_id", ""),
            actor_name=params.get("actor_name", ""), action=params.get("action", ""))


class AuditEventDetail(generics.RetrieveAPIView):
    serializer_class = AuditEventSerializer
    permission_classes = [HasRole(Role.AUDIT_ADMIN)]

    def get_object(self):
        return core.audit_event_get(actor=self.request.user, pk=self.kwargs["pk"])

"""Base API views: thin wrappers over the same selectors the pages use."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.serializers import (
    AuditEventSerializer,
    ClockSerializer,
    EvidenceSerializer,
    LoginSerializer,
    MeSerializer,
    NotificationSerializer,
    OrgUnitSerializer,
    TokenSerializer,
)
from fazhi.core import selectors as core
from fazhi.core import tokens
from fazhi.core.auth import client_ip
from fazhi.core.evidence import evidence_get
from fazhi.core.models import ApiToken, Notification
from fazhi.core.permissions import HasRole
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.deadlines import selectors as clocks
from fazhi.ui.evidence import evidence_response
from fazhi.ui.login import LoginForm, login_refusal


class TokenView(APIView):
    """POST: log in for the API and get a token. DELETE: revoke the token in use.

    A token dies after ``API_TOKEN_IDLE_MINUTES`` unused and ``API_TOKEN_DAYS`` after
    it was issued; the login shares the page's lockout and per-client throttle.
    """

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=LoginSerializer, responses={200: TokenSerializer})
    def post(self, request):
        login = LoginSerializer(data=request.data)
        login.is_valid(raise_exception=True)
        user = authenticate(request, **login.validated_data)
        if user is None:
            params = {"limit": settings.LOGIN_LOCKOUT_FAILURES,
                      "minutes": settings.LOGIN_LOCKOUT_MINUTES}
            message = LoginForm.error_messages[login_refusal(request)] % params
            raise ValidationError({"detail": message})
        token, key = tokens.token_issue(user=user, remote_addr=client_ip(request))
        return Response(TokenSerializer({
            "token": key, "expires_at": token.expires_at,
            "idle_minutes": settings.API_TOKEN_IDLE_MINUTES}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"detail": "本次请求未使用接口令牌"})
        tokens.token_revoke(token=request.auth, actor=request.user, reason="持有人注销")
        return Response(status=status.HTTP_204_NO_CONTENT)


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


# The documentation page's own policy: the site's, plus inline style attributes,
# which the Swagger UI sets on its elements. Its scripts are files served from our
# own origin (the split view serves the start-up script as a file too), so scripts
# stay under 'self' as everywhere else.
API_DOCS_CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
    "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'",
    "form-action 'self'",
])


class ApiDocs(SpectacularSwaggerSplitView):
    """The offline API browser (Swagger UI from the installed sidecar package), in
    Chinese, under a content security policy that lets it run."""

    template_name = "web/api_docs.html"
    title = "接口文档"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = API_DOCS_CSP
        return response

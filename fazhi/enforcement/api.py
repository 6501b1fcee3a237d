"""Enforcement endpoints of the API: cases to read, and actions through the same
services as the pages — so the API goes around no guard the pages keep."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.permissions import HasRole
from fazhi.enforcement import selectors, views
from fazhi.enforcement.models import Case
from fazhi.enforcement.selectors import CASE_ROLES, READ_ROLES, CaseFilters


class CaseSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="division_code", read_only=True)
    due_date = serializers.DateField(source="case_clock.due_date", read_only=True,
                                     default=None)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "org_unit", "violation_type", "party_name",
                  "party_kind", "location", "area_m2", "land_class", "state",
                  "state_label", "is_major", "filed_on", "due_date", "fine_proposed",
                  "fine_decided", "decided_on", "decision_served_on", "paid_on",
                  "closed_on"]


class CaseList(generics.ListAPIView):
    """Cases of the caller's subtree; filters: state, stage, violation_type, q."""

    serializer_class = CaseSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.case_list(actor=self.request.user, filters=CaseFilters(
            state=p.get("state", ""), stage=p.get("stage", ""),
            violation_type=p.get("violation_type", ""), q=p.get("q", "")))


class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_object(self):
        return selectors.case_get(actor=self.request.user, pk=self.kwargs["pk"])


class CaseAction(APIView):
    """POST the fields of an action's form to take it: the page's form and service
    run unchanged, so every refusal there is a refusal here (400 or 403)."""

    permission_classes = [HasRole(*CASE_ROLES)]

    def post(self, request, pk: int, action: str):
        step = views.STEPS.get(action)
        if step is None or action == "return_review":
            return Response({"detail": "未知的操作"}, status=status.HTTP_404_NOT_FOUND)
        case = selectors.case_get(actor=request.user, pk=pk)
        if not request.user.has_role(*step.roles) or (
                request.user.org_unit_id != case.org_unit_id):
            return Response({"detail": "无权办理此事项"},
                            status=status.HTTP_403_FORBIDDEN)
        form = views.step_form(action, case, request.data, None)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            step.call(case, request.user, form.cleaned_data)
        except ValidationError as exc:
            body = exc.message_dict if hasattr(exc, "error_dict") else {
                "detail": exc.messages}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        case.refresh_from_db()
        return Response(CaseSerializer(case).data)

"""Enforcement endpoints of the API: cases to read, and actions through the same
services as the pages — so the API goes around no guard the pages keep."""

from __future__ import annotations

from rest_framework import generics, serializers

from fazhi.core.permissions import HasRole
from fazhi.enforcement import selectors
from fazhi.enforcement.cases import views
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


CaseAction = views.PAGES.api_view(
    "CaseAction", roles=CASE_ROLES, show=lambda case: CaseSerializer(case).data,
    hidden=("return_review",))
CaseAction.__doc__ = """POST the fields of an action's form to take it: the page's form
and service run unchanged, so every refusal there is a refusal here (400 or 403)."""

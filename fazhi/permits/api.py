"""Permit endpoints of the API: applications to read (with their rounds of
sign-offs), and actions — the clerk's proposal, the section head's and the
principal's sign-offs, the decision — through the same steps as the pages, so the
API goes around no rule the pages keep (order, role, independence, scope)."""

from __future__ import annotations

from rest_framework import generics, serializers

from fazhi.core.models import Approval, SignOff
from fazhi.core.permissions import HasRole
from fazhi.permits import selectors, views
from fazhi.permits.models import Application
from fazhi.permits.selectors import READ_ROLES, Filters
from fazhi.permits.services import signing


class SignOffSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.__str__", read_only=True)
    opinion_label = serializers.CharField(source="get_opinion_display",
                                          read_only=True)

    class Meta:
        model = SignOff
        fields = ["step", "label", "role", "opinion", "opinion_label", "reasons",
                  "signed_by", "signed_at"]


class RoundSerializer(serializers.ModelSerializer):
    signoffs = SignOffSerializer(many=True, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Approval
        fields = ["round", "title", "state", "state_label", "proposal",
                  "proposal_label", "steps", "basis", "signoffs"]


class ApplicationSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="division_code", read_only=True)
    kind = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "number", "org_unit", "kind", "kind_name", "applicant_name",
                  "project_name", "location", "state", "state_label", "received_on",
                  "accepted_on", "due_date", "decided_on", "reasons",
                  "certificate_number", "certificate_issued_on"]


class ApplicationDetailSerializer(ApplicationSerializer):
    rounds = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "rounds"]

    def get_rounds(self, app) -> list[dict]:
        """Every round of sign-offs on the decision, oldest first."""
        return RoundSerializer(signing.decision_rounds(app), many=True).data


class ApplicationList(generics.ListAPIView):
    """Applications of the caller's subtree; filters: state, q."""

    serializer_class = ApplicationSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.application_list(actor=self.request.user, filters=Filters(
            state=p.get("state", ""), q=p.get("q", "")))


class ApplicationDetail(generics.RetrieveAPIView):
    serializer_class = ApplicationDetailSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_object(self):
        return selectors.application_get(actor=self.request.user, pk=self.kwargs["pk"])


ApplicationAction = views.PAGES.api_view(
    "ApplicationAction", roles=READ_ROLES,
    show=lambda app: ApplicationDetailSerializer(app).data)
ApplicationAction.__doc__ = """POST the fields of an action's form to take it (propose:
decision, reasons; sign: agree 1/0, reasons): the page's form and service run
unchanged, so every refusal there is a refusal here (400 or 403)."""

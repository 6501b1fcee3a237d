"""Lead endpoints of the API (read side; actions go through the pages).

The tipster fields are filled only for callers ``leads.may_see_tipster`` admits;
everyone else gets the mask in ``tipster_name`` and empty phone and contact.
"""

from __future__ import annotations

from rest_framework import generics, serializers

from fazhi.core.permissions import HasRole
from fazhi.deadlines.overdue import clock_badge
from fazhi.enforcement.leads import services as leads
from fazhi.enforcement.leads.services import READ_ROLES
from fazhi.enforcement.models import Lead


class LeadSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="division_code", read_only=True)
    assignee = serializers.CharField(source="assignee.full_name", read_only=True)
    check_due = serializers.DateField(source="check_clock.due_date", read_only=True,
                                      default=None)
    check_status = serializers.SerializerMethodField()
    reply_due = serializers.DateField(source="reply_clock.due_date", read_only=True,
                                      default=None)
    reply_status = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = [
            "id", "number", "org_unit", "source", "channel", "received_on",
            "location", "suspect", "violation_type", "description",
            "tipster_name", "tipster_phone", "tipster_contact", "tipster_anonymous",
            "external_ref", "state", "assignee", "check_due", "check_status",
            "checked_on", "check_findings", "outcome_reason", "transferred_to",
            "reply_due", "reply_status", "answered_on",
        ]

    def get_check_status(self, lead: Lead) -> str | None:
        return _light(lead.check_clock)

    def get_reply_status(self, lead: Lead) -> str | None:
        return _light(lead.reply_clock)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = request.user if request is not None else None
        shown = leads.tipster_shown(user, instance)
        data["tipster_name"] = shown["name"]
        data["tipster_phone"] = shown["phone"]
        data["tipster_contact"] = shown["contact"]
        return data


class LeadList(generics.ListAPIView):
    """Leads of the caller's subtree; filters: state, source, overdue=1, q."""

    serializer_class = LeadSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_queryset(self):
        p = self.request.query_params
        return leads.lead_list(
            actor=self.request.user, state=p.get("state", ""),
            source=p.get("source", ""), overdue=p.get("overdue") == "1",
            q=p.get("q", ""),
        )


class LeadDetail(generics.RetrieveAPIView):
    serializer_class = LeadSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_object(self):
        return leads.lead_get(actor=self.request.user, pk=self.kwargs["pk"])


def _light(clock) -> str | None:
    """The clock's badge colour as the pages show it (red: the bureau's 超期)."""
    return clock_badge(clock).code if clock is not None else None

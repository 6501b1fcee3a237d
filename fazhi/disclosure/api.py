"""Disclosure endpoints of the API (read side; actions go through the pages)."""

from __future__ import annotations

from rest_framework import generics, serializers

from fazhi.core.permissions import HasRole
from fazhi.disclosure import selectors
from fazhi.disclosure.models import DisclosureRequest
from fazhi.disclosure.selectors import READ_ROLES, RequestFilters


class DisclosureRequestSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="division_code", read_only=True)
    due_date = serializers.DateField(source="reply_clock.due_date", read_only=True)
    clock_status = serializers.CharField(source="reply_clock.status", read_only=True)
    assignee = serializers.CharField(source="assignee.full_name", read_only=True)

    class Meta:
        model = DisclosureRequest
        fields = [
            "id",
            "number",
            "org_unit",
            "channel",
            "received_on",
            "requester_category",
            "requester_name",
            "requester_id_number",
            "requester_phone",
            "content",
            "assignee",
            "state",
            "due_date",
            "clock_status",
            "outcome",
            "replied_on",
            "replied_late",
            "days_late",
            "delivery_method",
            "delivered_on",
            "fee_amount",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not selectors.may_see_identity(request.user):
            for field in ("requester_id_number", "requester_phone"):
                data[field] = ""
        return data


class DisclosureRequestList(generics.ListAPIView):
    """Requests of the caller's subtree; filters: state, channel, overdue=1."""

    serializer_class = DisclosureRequestSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.request_list(
            actor=self.request.user,
            filters=RequestFilters(
                state=p.get("state", ""),
                channel=p.get("channel", ""),
                overdue=p.get("overdue") == "1",
                q=p.get("q", ""),
            ),
        )


class DisclosureRequestDetail(generics.RetrieveAPIView):
    serializer_class = DisclosureRequestSerializer
    permission_classes = [HasRole(*READ_ROLES)]

    def get_object(self):
        return selectors.request_get(actor=self.request.user, pk=self.kwargs["pk"])

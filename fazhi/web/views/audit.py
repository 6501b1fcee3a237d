"""The audit administrator's page: search events by object, actor and date."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.core.selectors import audit_event_search
from fazhi.ui.forms import PlausibleDateField


class AuditSearchForm(forms.Form):
    object_type = forms.CharField(label="对象类型", required=False,
                                  help_text="如 core.User、deadlines.Clock")
    object_id = forms.CharField(label="对象编号", required=False)
    actor_name = forms.CharField(label="操作人", required=False, help_text="姓名或用户名")
    action = forms.CharField(label="操作", required=False)
    # The chain begins with the system: ten years back is more than it holds, and a
    # search up to a day ahead is harmless; year 1 or 9999 overflowed the day sums.
    date_from = PlausibleDateField(label="起始日期", required=False, future_days=1)
    date_to = PlausibleDateField(label="截止日期", required=False, future_days=1)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and (
                data["date_from"] > data["date_to"]):
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data


@require_roles(Role.AUDIT_ADMIN)
def audit_search(request):
    form = AuditSearchForm(request.GET or None)
    events = audit_event_search(actor=request.user, **(
        form.cleaned_data if form.is_valid() else {}))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/audit_search.html",
                  {"form": form, "page": page, "query": query.urlencode()})

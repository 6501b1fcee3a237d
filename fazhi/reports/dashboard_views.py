"""工作看板: the caller's role-specific dashboard, and the clocks behind its counts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.models import OrgUnit
from fazhi.core.permissions import require_roles
from fazhi.core.scope import get_scoped_or_404
from fazhi.reports import dashboard, dashboard_clocks
from fazhi.ui.paging import page_by_ids


class DashboardFilter(forms.Form):
    org = forms.CharField(label="机关（行政区划代码）", required=False, max_length=6)
    year = forms.IntegerField(label="年度", required=False, min_value=2000,
                              error_messages={"invalid": "年度须为四位数字，如 2025",
                                              "min_value": "年度不能早于 2000 年"})

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError("年度不能晚于今年")
        return year


def _org(request, code: str | None) -> OrgUnit:
    """The unit named by ?org= inside the caller's subtree (404 outside), or theirs."""
    if not code:
        if request.user.org_unit is None:
            raise Http404("您的账号未归属任何机关")
        return request.user.org_unit
    return get_scoped_or_404(OrgUnit.objects.all(), request.user, field="",
                             division_code=code)


@require_roles(*dashboard.ROLES)
def dashboard_page(request):
    form = DashboardFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    org = _org(request, data.get("org") or request.GET.get("org"))
    today = timezone.localdate()
    board = dashboard.dashboard_build(user=request.user, org=org,
                                      year=data.get("year") or today.year, today=today)
    return render(request, "reports/dashboard/page.html", {
        "board": board, "form": form, "clock_kinds": dashboard_clocks.CLOCK_KINDS,
        "units": _units(request.user.org_unit),
    })


def _units(mine: OrgUnit | None) -> list[OrgUnit]:
    if mine is None:
        return []
    return list(OrgUnit.objects.filter(path__startswith=mine.path).order_by("path"))


@require_roles(*dashboard.ROLES)
def clock_list(request):
    org = _org(request, request.GET.get("org"))
    kind = request.GET.get("kind", "")
    if kind not in dashboard_clocks.CLOCK_KINDS:
        raise Http404("没有这类期限统计")
    asked = [m for m in request.GET.get("module", "").split(",") if m]
    allowed = dashboard.clock_modules(dashboard.sections_for(request.user))
    if allowed and not set(asked or ["*"]) <= set(allowed):
        raise PermissionDenied("您的角色无权查看该业务的期限")
    today = timezone.localdate()
    qs = dashboard_clocks.clock_queryset(org=org, today=today, kind=kind,
                                  modules=asked or allowed)
    page = page_by_ids(qs.select_related("org_unit", "content_type", "assignee"),
                       request.GET.get("page"))
    for clock in page.object_list:
        clock.module_label = matter_kinds.module_label(clock.content_type.app_label)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/dashboard/clocks.html", {
        "org": org, "kind": kind, "kind_label": dashboard_clocks.CLOCK_KINDS[kind],
        "modules": "、".join(matter_kinds.module_label(m) for m in asked),
        "page": page, "query": query.urlencode(), "today": today,
    })


urlpatterns = [
    path("dashboard/", dashboard_page, name="dashboard"),
    path("dashboard/clocks/", clock_list, name="dashboard_clocks"),
]

"""Metric pages: every figure of a subtree and period, and the records behind one.

``metrics/`` lists all metrics for an organisation of the caller's subtree and a
period (a calendar year also shows last year and the change); ``metrics/<id>/`` lists
the records a figure counted, each linking to its page, with the definition in words
and its source. Parameters: ``org`` (division code, default the caller's own),
``start`` and ``end`` (YYYY-MM-DD) or ``year``. An organisation outside the caller's
subtree is a 404; a bad date is named on the form.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fazhi.core.exports import xlsx_response
from fazhi.core.permissions import require_roles
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.core.scope import get_scoped_or_404
from fazhi.core.selectors import org_unit_list
from fazhi.reports import compare
from fazhi.reports.metric_queries.base import metric_memo
from fazhi.reports.metrics import (
    UnknownMetric,
    metric_compare,
    metric_def,
    metric_defs,
    metric_value,
)
from fazhi.ui.forms import PlausibleDateField

READ_ROLES = tuple(sorted(BUSINESS_ROLES))
PER_PAGE = 100
MODULE_LABELS = {
    "learning": "学法用法与普法", "permits": "审批窗口", "tips": "投诉举报",
    "enforcement": "行政执法", "supervision": "执法监督", "disputes": "行政复议与应诉",
    "disclosure": "政务公开", "monitoring": "卫片执法"}


class PeriodForm(forms.Form):
    org = forms.ChoiceField(label="机关")
    year = forms.IntegerField(label="年度", required=False, min_value=2000,
                              max_value=2100)
    # A period is counted from records: ten years back, and up to the end of next
    # year ahead (a year's figures asked for in advance); year 1 or 9999 was a 500.
    start = PlausibleDateField(label="起始日期", required=False, future_days=731)
    end = PlausibleDateField(label="截止日期", required=False, future_days=731)

    def __init__(self, data, *, units):
        super().__init__(data)
        self.fields["org"].choices = [(u.division_code, u.name) for u in units]
        self.fields["year"].help_text = "不填起止日期时按年度统计（1月1日至12月31日）"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and not self.errors:
            missing = "end" if start else "start"
            self.add_error(missing, "请同时填写起始日期和截止日期，或只填年度")
        elif start and end and start > end:
            self.add_error("start", "起始日期不能晚于截止日期")
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        d = self.cleaned_data
        if d.get("start") and d.get("end"):
            return d["start"], d["end"]
        year = d.get("year") or timezone.localdate().year
        return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _scope(request):
    """The organisation asked for (404 outside the caller's subtree) and the form."""
    own = request.user.org_unit
    if own is None:  # a person not yet placed in a bureau sees no figures
        raise Http404("您尚未归属任何机关")
    units = org_unit_list(actor=request.user)
    code = request.GET.get("org") or own.division_code
    org = get_scoped_or_404(units, request.user, "", division_code=code)
    data = request.GET.copy()
    data["org"] = org.division_code
    if not (data.get("start") or data.get("end") or data.get("year")):
        data["year"] = str(timezone.localdate().year)
    return org, PeriodForm(data, units=units)


def _calendar_year(period) -> int | None:
    first, last = period
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and \
            first.year == last.year:
        return first.year
    return None


def _query(org, period) -> str:
    first, last = period
    return f"org={org.division_code}&start={first:%Y-%m-%d}&end={last:%Y-%m-%d}"


@require_roles(*READ_ROLES)
def metric_list(request):
    org, form = _scope(request)
    context = {"form": form, "org": org, "groups": []}
    if form.is_valid():
        period = form.period()
        year = _calendar_year(period)
        groups: dict[str, list] = {}
        with metric_memo():
            for d in metric_defs().values():
                if year:
                    c = metric_compare(d.id, org_unit=org, year=year)
                    row = (d, c.current, c)
                else:
                    row = (d, metric_value(d.id, org_unit=org, start=period[0],
                                           end=period[1]), None)
                groups.setdefault(d.module, []).append(row)
        context.update(period=period, year=year, query=_query(org, period),
                       groups=[(MODULE_LABELS.get(m, m), rows)
                               for m, rows in groups.items()])
    return render(request, "reports/metrics/list.html", context,
                  status=200 if form.is_valid() else 400)


def _value_or_404(request, metric_id: str):
    try:
        d = metric_def(metric_id)
    except UnknownMetric:
        raise Http404("没有这项指标") from None
    org, form = _scope(request)
    if not form.is_valid():
        return d, org, form, None
    key = request.GET.get("key", "")
    if key and not d.breakdown:
        raise Http404("该指标没有分项")
    period = form.period()
    full = f"{metric_id}/{key}" if key else metric_id
    return d, org, form, metric_value(full, org_unit=org, start=period[0],
                                      end=period[1])


@require_roles(*READ_ROLES)
def metric_records(request, metric_id: str):
    d, org, form, mv = _value_or_404(request, metric_id)
    context = {"form": form, "org": org, "d": d, "mv": mv}
    if mv is None:
        return render(request, "reports/metrics/records.html", context, status=400)
    query = _query(org, (mv.start, mv.end))
    key = request.GET.get("key", "")
    page = Paginator(mv.records, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [(r, _amount(d, r)) for r in page.object_list]
    page_query = query + (f"&key={quote(key)}" if key else "")
    context.update(page=page, query=page_query, base_query=query, key=key,
                   period=(mv.start, mv.end), breakdown=_breakdown(d, mv, key, org))
    return render(request, "reports/metrics/records.html", context)


def _amount(d, r) -> str:
    """A record's part of a sum or average, in the metric's unit."""
    if r.amount is None:
        return ""
    return compare.format_number(r.amount / d.scale if d.scale != 1 else r.amount,
                                 "sum")


def _breakdown(d, mv, key: str, org):
    if not d.breakdown or key:
        return []
    return [(k, v) for k, v in mv.breakdown.items()]


@require_roles(*READ_ROLES)
def metric_records_export(request, metric_id: str):
    d, org, _, mv = _value_or_404(request, metric_id)
    if mv is None:
        raise Http404("统计期有误")
    headers = ["序号", "记录", "统计日期", "链接"]
    if d.kind in ("sum", "average"):
        headers.append(f"数值（{d.unit}）")
    if d.kind == "rate":
        headers.append("计入分子")
    rows = []
    for n, r in enumerate(mv.records, 1):
        row = [n, r.label, r.on, request.build_absolute_uri(r.url)]
        if d.kind in ("sum", "average"):
            row.append(_amount(d, r))
        if d.kind == "rate":
            row.append("是" if r.in_numerator else "否")
        rows.append(row)
    name = f"{org.name}{mv.name}{mv.start:%Y%m%d}-{mv.end:%Y%m%d}.xlsx"
    return xlsx_response(name, "统计记录", headers, rows)


urlpatterns = [
    path("metrics/", metric_list, name="metric_list"),
    path("metrics/<str:metric_id>/", metric_records, name="metric_records"),
    path("metrics/<str:metric_id>/export.xlsx", metric_records_export,
         name="metric_records_export"),
]

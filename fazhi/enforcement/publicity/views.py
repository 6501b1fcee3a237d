"""Enforcement publicity pages (执法公示).

``urlpatterns``: the public pages under /gongshi/, for anyone, no login. They show
only what the publicity selectors return, which is redacted already.

``staff_urlpatterns``: the staff's publicity work (due list, publish, order and
record a withdrawal), meant for the "enforcement" namespace under /enforcement/.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from fazhi.core.models import OrgUnit
from fazhi.core.permissions import require_roles
from fazhi.core.scope import get_scoped_or_404
from fazhi.enforcement import selectors
from fazhi.enforcement.models import Publication
from fazhi.enforcement.publicity import services as publicity
from fazhi.ui.forms import DateField, form_page

PAGE_SIZE = 20
STAFF_ROLES = publicity.PUBLISHER_ROLES


# --- public pages ---------------------------------------------------------------------


def _bureau(division_code: str) -> OrgUnit:
    return get_object_or_404(publicity.publicity_bureaus(), division_code=division_code)


def _year(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) == 4 else None


def index(request):
    return render(
        request,
        "enforcement/public/index.html",
        {"bureaus": publicity.publicity_bureaus()},
    )


def publication_list(request, division_code: str):
    org = _bureau(division_code)
    q = request.GET.get("q", "").strip()[:50]
    year = _year(request.GET.get("year"))
    qs = publicity.publication_public_list(org_unit=org, year=year, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "org": org,
        "section": "list",
        "page": page,
        "q": q,
        "year": year,
        "years": publicity.publication_public_years(org),
        "query": query.urlencode(),
        "withdrawn": publicity.publication_withdrawn_list(org_unit=org)[:PAGE_SIZE],
    }
    return render(request, "enforcement/public/list.html", context)


def publication_detail(request, division_code: str, pk: int):
    org = _bureau(division_code)
    obj = publicity.publication_public_get(org_unit=org, pk=pk)
    return render(
        request,
        "enforcement/public/detail.html",
        {"org": org, "section": "list", "obj": obj},
    )


def basics(request, division_code: str):
    org = _bureau(division_code)
    return render(
        request,
        "enforcement/public/basics.html",
        {"org": org, "section": "basics", "basics": publicity.enforcement_basics(org)},
    )


urlpatterns = [
    path("", index, name="index"),
    path("<str:division_code>/", publication_list, name="list"),
    path("<str:division_code>/basics/", basics, name="basics"),
    path("<str:division_code>/<int:pk>/", publication_detail, name="detail"),
]


# --- staff pages ----------------------------------------------------------------------


class PublishForm(forms.Form):
    published_on = DateField(label="公示日期")


class WithdrawOrderForm(forms.Form):
    ordered_on = DateField(
        label="原决定被变更、撤销或确认违法、无效的日期",
        help_text="撤下期限自该日起算三个工作日（行政处罚法第四十八条第二款）",
    )
    ground = forms.CharField(
        label="撤下事由",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="将随撤下一并公开，请勿写入个人信息（系统亦会自动遮蔽）",
    )


class WithdrawForm(forms.Form):
    withdrawn_on = DateField(label="撤下日期")


@require_roles(*STAFF_ROLES)
def publicity_due(request):
    return render(
        request,
        "enforcement/publicity_due.html",
        {"due": publicity.publication_due_list(actor=request.user)},
    )


def _action(request, form, call, *, title: str, subject, done: str, preview=None):
    """Run ``call(**cleaned_data)`` on a valid POST; show the form otherwise."""
    return form_page(request, form, lambda data: call(**data), done=done,
                     then="enforcement:publicity_due",
                     template="enforcement/publicity_form.html",
                     context={"title": title, "subject": subject, "preview": preview})


def _initial(field: str) -> dict:
    return {field: timezone.localdate()}


@require_roles(*STAFF_ROLES)
def publicity_publish(request, case_pk: int):
    case = selectors.case_get(actor=request.user, pk=case_pk)
    form = PublishForm(request.POST or None, initial=_initial("published_on"))

    def call(published_on):
        publicity.publication_publish(
            case=case, actor=request.user, published_on=published_on
        )

    return _action(
        request,
        form,
        call,
        title="公示行政处罚决定",
        subject=case,
        preview=publicity.publication_preview(case=case, actor=request.user),
        done=f"已公示 {case.number} 的处罚决定",
    )


def _publication(request, pk: int) -> Publication:
    qs = Publication.objects.select_related("case", "org_unit", "withdraw_clock")
    return get_scoped_or_404(qs, request.user, pk=pk)


@require_roles(*STAFF_ROLES)
def publicity_withdraw_order(request, pk: int):
    obj = _publication(request, pk)
    form = WithdrawOrderForm(request.POST or None, initial=_initial("ordered_on"))

    def call(ordered_on, ground):
        publicity.publication_withdraw_order(
            case=obj.case, actor=request.user, ground=ground, ordered_on=ordered_on
        )

    return _action(
        request,
        form,
        call,
        title="登记撤下事由",
        subject=obj,
        done=f"已登记 {obj.decision_number} 的撤下事由，请在期限内撤下",
    )


@require_roles(*STAFF_ROLES)
def publicity_withdraw(request, pk: int):
    obj = _publication(request, pk)
    form = WithdrawForm(request.POST or None, initial=_initial("withdrawn_on"))

    def call(withdrawn_on):
        publicity.publication_withdraw(
            publication=obj, actor=request.user, withdrawn_on=withdrawn_on
        )

    return _action(
        request,
        form,
        call,
        title="撤下公示",
        subject=obj,
        done=f"已撤下 {obj.decision_number}",
    )


staff_urlpatterns = [
    path("publicity/", publicity_due, name="publicity_due"),
    path(
        "publicity/cases/<int:case_pk>/publish/",
        publicity_publish,
        name="publicity_publish",
    ),
    path(
        "publicity/<int:pk>/withdraw-order/",
        publicity_withdraw_order,
        name="publicity_withdraw_order",
    ),
    path("publicity/<int:pk>/withdraw/", publicity_withdraw, name="publicity_withdraw"),
]

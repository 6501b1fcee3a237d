"""Dispute pages: thin — parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.models import AuditEvent
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.overdue import overdue_ids
from fazhi.disputes import forms, review, services
from fazhi.disputes.models import CaseReview, Lawsuit, Measure, Reconsideration
from fazhi.ui.forms import add_service_errors, form_page

READ_ROLES = (Role.LEGAL_AFFAIRS_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR)
LEGAL = (Role.LEGAL_AFFAIRS_OFFICER,)
KINDS = {"reconsideration": Reconsideration, "lawsuit": Lawsuit}


def _get(request, kind: str, pk: int):
    if kind not in KINDS:
        raise Http404("没有这类案件")
    qs = KINDS[kind].objects.select_related("org_unit", "content_type")
    return get_scoped_or_404(qs, request.user, pk=pk)


def _case_for(actor, number: str):
    """The bureau's own matter with this number — an enforcement case, a permit
    application, a disclosure request: any kind an act may be challenged in —, or a
    field error."""
    if not number.strip():
        return None
    among = matter_kinds.kinds(challengeable=True)
    found = matter_kinds.find_by_number(number.strip(), org_unit=actor.org_unit,
                                        among=among)
    if found is None:
        raise ValidationError({"case_number": f"本机关没有编号为“{number}”的"
                                              f"{matter_kinds.labels(among)}"})
    return found


def _year(request) -> int:
    form = forms.YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or timezone.localdate().year


@require_roles(*READ_ROLES)
def matter_list(request):
    today = timezone.localdate()
    overdue = sum(scoped(model.objects.filter(pk__in=overdue_ids(model, today,
                                                             actor=request.user)),
                         request.user).count() for model in (Reconsideration, Lawsuit))
    return render(request, "disputes/list.html", {
        "overdue": overdue,
        "reconsiderations": scoped(Reconsideration.objects.select_related(
            "reply_clock"), request.user)[:200],
        "lawsuits": scoped(Lawsuit.objects.select_related("defence_clock",
                                                          "appeal_clock"),
                           request.user)[:200],
        "may_register": request.user.has_role(*LEGAL)})


def _form_page(request, form, title, call, done):
    return form_page(request, form, call, done=done, template="disputes/form.html",
                     context={"title": title}, denied_on_form=True)


@require_roles(*LEGAL)
def reconsideration_new(request):
    def call(d):
        d = dict(d)
        challenged = _case_for(request.user, d.pop("case_number"))
        item = services.reconsideration_register(actor=request.user,
                                                 challenged=challenged, **d)
        return reverse("disputes:detail", args=["reconsideration", item.pk])

    return _form_page(request, forms.ReconsiderationForm(request.POST or None,
                                                  org_unit=request.user.org_unit),
                      "登记行政复议", call, "已登记，答复期限开始计算")


@require_roles(*LEGAL)
def lawsuit_new(request):
    def call(d):
        d = dict(d)
        challenged = _case_for(request.user, d.pop("enforcement_number"))
        suit = services.lawsuit_register(actor=request.user, challenged=challenged,
                                         **d)
        return reverse("disputes:detail", args=["lawsuit", suit.pk])

    form = forms.LawsuitForm(request.POST or None, org_unit=request.user.org_unit)
    return _form_page(request, form, "登记行政诉讼", call, "已登记，答辩期限开始计算")


@require_roles(*READ_ROLES)
def detail(request, kind: str, pk: int):
    obj = _get(request, kind, pk)
    ct = ContentType.objects.get_for_model(obj)
    acting = request.user.org_unit_id == obj.org_unit_id and request.user.has_role(
        *LEGAL)
    case_review = CaseReview.objects.filter(content_type=ct, object_id=str(pk)
                                            ).select_related("cause").first()
    return render(request, "disputes/detail.html", {
        "obj": obj, "kind": kind, "acting": acting, "review": case_review,
        "measures": case_review.measures.select_related("owner") if case_review
        else [],
        "hearings": obj.hearings.select_related("principal") if kind == "lawsuit"
        else [], "today": timezone.localdate(),
        "needs_review": (obj.corrected if kind == "reconsideration" else obj.lost)
        and case_review is None,
        "challenged_url": matter_kinds.matter_url(obj.challenged) if obj.object_id
        else "",
        "timeline": AuditEvent.objects.filter(object_type=obj._meta.label,
                                              object_id=str(pk)).order_by("seq")})


def _hearing_due(suit):
    """The first hearing entered ahead whose day has come, its attendance not yet
    recorded."""
    return suit.hearings.filter(principal_appeared__isnull=True,
                                held_on__lte=timezone.localdate()).first()


ACTIONS = {
    # action → (kinds, title, form builder, service call, message)
    "reply": (("reconsideration",), "提交书面答复",
              lambda d, f, o: forms.FiledDayForm(d, f),
              lambda o, u, d: services.reconsideration_reply(
                  item=o, actor=u, replied_on=d["on"], files=d["files"]),
              "已登记答复"),
    "conclude": (("reconsideration",), "登记复议决定",
                 lambda d, f, o: forms.ConcludeForm(d, f),
                 lambda o, u, d: services.reconsideration_conclude(item=o, actor=u,
                                                                   **d),
                 "已登记复议决定"),
    "defend": (("lawsuit",), "提交答辩状",
               lambda d, f, o: forms.FiledDayForm(d, f),
               lambda o, u, d: services.lawsuit_defend(
                   suit=o, actor=u, submitted_on=d["on"], files=d["files"]),
               "已登记答辩"),
    "hearing": (("lawsuit",), "登记开庭",
                lambda d, f, o: forms.HearingForm(d, org_unit=o.org_unit,
                                                  due=_hearing_due(o)),
                lambda o, u, d: services.hearing_record(suit=o, actor=u, **d),
                "已登记开庭"),
    "judgment": (("lawsuit",), "登记裁判结果",
                 lambda d, f, o: forms.JudgmentForm(d, f),
                 lambda o, u, d: services.lawsuit_conclude(suit=o, actor=u, **d),
                 "已登记裁判结果"),
    "review": (("reconsideration", "lawsuit"), "个案复盘",
               lambda d, f, o: forms.ReviewForm(d, org_unit=o.org_unit),
               lambda o, u, d: review.review_record(matter=o, actor=u, **d),
               "已登记复盘，请添加整改措施"),
}


@require_roles(*LEGAL)
def action(request, kind: str, pk: int, name: str):
    if name not in ACTIONS or kind not in ACTIONS[name][0]:
        raise Http404("没有这项操作")
    obj = _get(request, kind, pk)
    if obj.org_unit_id != request.user.org_unit_id:
        raise PermissionDenied("只能办理本机关的案件")
    _, title, build, call, done = ACTIONS[name]
    posted = request.method == "POST"
    form = build(request.POST if posted else None, request.FILES if posted else None,
                 obj)
    if posted and form.is_valid():
        try:
            call(obj, request.user, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("disputes:detail", kind, pk)
    return render(request, "disputes/form.html", {
        "form": form, "title": title, "obj": obj, "kind": kind,
        "multipart": "files" in form.fields})


@require_roles(*LEGAL)
def measure_new(request, pk: int):
    item = get_scoped_or_404(CaseReview.objects.all(), request.user, pk=pk)
    form = forms.MeasureForm(request.POST or None, org_unit=item.org_unit)
    return form_page(
        request, form,
        lambda data: review.measure_add(review=item, actor=request.user, **data),
        done="已添加整改措施", then=_matter_url(item), template="disputes/form.html",
        context={"title": "添加整改措施"})


@require_roles(*READ_ROLES, Role.ENFORCEMENT_OFFICER, Role.WINDOW_CLERK)
def measure_done(request, pk: int):
    measure = get_scoped_or_404(Measure.objects.select_related("review"),
                                request.user, field="review__org_unit", pk=pk)
    form = forms.MeasureDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review.measure_complete(measure=measure, actor=request.user,
                                    done_on=form.cleaned_data["done_on"],
                                    note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "已登记整改完成")
            return redirect(_matter_url(measure.review))
    return render(request, "disputes/form.html", {"form": form, "title": "整改完成"})


def _matter_url(item: CaseReview) -> str:
    kind = "reconsideration" if item.content_type.model == "reconsideration" \
        else "lawsuit"
    return reverse("disputes:detail", args=[kind, item.object_id])


@require_roles(*READ_ROLES)
def three_rates(request):
    year = _year(request)
    rows = review.rates_year_on_year(actor=request.user, year=year)
    return render(request, "disputes/rates.html", {
        "year": year, "rows": rows, "form": forms.YearForm(initial={"year": year}),
        "may_enter": request.user.has_role(*LEGAL)})


@require_roles(*READ_ROLES)
def rate_records(request, rate_id: str, side: str):
    year = _year(request)
    period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    result = next((r for r in services.rates_for(actor=request.user, period=period)
                   if r.rate.id == rate_id), None)
    if result is None or side not in ("numerator", "denominator"):
        raise Http404("没有这项指标")
    model = Reconsideration if result.rate.matter == "reconsideration" else Lawsuit
    ids = getattr(result, side)
    return render(request, "disputes/rate_records.html", {
        "result": result, "side": "分子" if side == "numerator" else "分母",
        "year": year, "kind": "reconsideration" if model is Reconsideration
        else "lawsuit",
        "rows": scoped(model.objects.filter(pk__in=ids), request.user)})


@require_roles(*READ_ROLES)
def class_review(request):
    year = _year(request)
    view = review.class_view(actor=request.user,
                             period=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return render(request, "disputes/class_review.html", {
        "year": year, "view": view, "form": forms.YearForm(initial={"year": year}),
        # Lists, not Counters: a template's lookup on a Counter finds a count of 0.
        "causes": [(label, n, view.by_cause_before.get(label, 0))
                   for label, n in view.by_cause.most_common()],
        "groups": [
                   ("按事项类型", view.by_matter_type.most_common()),
                   ("按责任单位", view.by_unit.most_common())]})


@require_roles(*LEGAL)
def baseline_new(request):
    return form_page(
        request, forms.BaselineForm(request.POST or None),
        lambda data: review.baseline_enter(actor=request.user, **data),
        done="已录入基数", then="disputes:rates", template="disputes/form.html",
        context={"title": "录入往年三率基数"})


app_name = "disputes"
urlpatterns = [
    path("", matter_list, name="list"),
    path("reconsiderations/new/", reconsideration_new, name="reconsideration_new"),
    path("lawsuits/new/", lawsuit_new, name="lawsuit_new"),
    path("rates/", three_rates, name="rates"),
    path("rates/baseline/", baseline_new, name="baseline"),
    path("rates/<str:rate_id>/<str:side>/", rate_records, name="rate_records"),
    path("review/", class_review, name="class_review"),
    path("reviews/<int:pk>/measures/new/", measure_new, name="measure_new"),
    path("measures/<int:pk>/done/", measure_done, name="measure_done"),
    path("<str:kind>/<int:pk>/", detail, name="detail"),
    path("<str:kind>/<int:pk>/<str:name>/", action, name="action"),
]

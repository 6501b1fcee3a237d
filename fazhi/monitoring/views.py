"""Monitoring pages for the bureau: thin — parse, call a service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from fazhi.core.permissions import require_roles
from fazhi.monitoring import exports, forms, selectors, services, workflow
from fazhi.monitoring.maps import batch_features, map_data, patch_features
from fazhi.monitoring.models import LayerKind, PatchState, Priority
from fazhi.monitoring.selectors import READ_ROLES, WORK_ROLES
from fazhi.ui.paging import page_by_ids
from fazhi.ui.steps import Step, StepPages, service

PREJUDGEMENTS = {"probably_legal": "疑似合法", "suspected_illegal": "疑似违法",
                 "needs_check": "待核实"}


def _may_work(user, obj) -> bool:
    return user.has_role(*WORK_ROLES) and user.org_unit_id == obj.org_unit_id


def _map_settings() -> dict:
    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


@require_roles(*READ_ROLES)
def batch_list(request):
    return render(request, "monitoring/batch_list.html", {
        "batches": selectors.batch_list(actor=request.user)[:200],
        "bureaus": selectors.subtree_progress(actor=request.user),
        "may_import": request.user.has_role(*WORK_ROLES)})


def _patch_filters(request) -> selectors.PatchFilters:
    g = request.GET
    return selectors.PatchFilters(
        state=g.get("state", ""), priority=g.get("priority", ""),
        prejudgement=g.get("prejudgement", ""), verdict=g.get("verdict", ""),
        q=g.get("q", "").strip()[:60])


@require_roles(*READ_ROLES)
def batch_detail(request, pk: int):
    batch = selectors.batch_get(actor=request.user, pk=pk)
    f = _patch_filters(request)
    qs = selectors.patch_list(actor=request.user, batch=batch, filters=f)
    page = page_by_ids(qs, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    may_work = _may_work(request.user, batch)
    return render(request, "monitoring/batch_detail.html", {
        "batch": batch, "progress": selectors.batch_progress(batch), "page": page,
        "filters": f, "query": query.urlencode(), "may_work": may_work,
        "states": PatchState.choices, "priorities": Priority.choices,
        "prejudgements": PREJUDGEMENTS, "verdicts": services.verdict_kinds(),
        "officers": selectors.officers(org_unit=batch.org_unit) if may_work else [],
        "assign_form": forms.AssignForm(org_unit=batch.org_unit, batch=batch)
        if may_work else None,
        "map": map_data(batch_features(batch), **_map_settings())})


@require_roles(*WORK_ROLES)
def batch_assign(request, pk: int):
    """Send the ticked patches of a batch to one officer (POST from the batch page)."""
    batch = selectors.batch_get(actor=request.user, pk=pk)
    if request.method != "POST":
        return redirect(batch)
    form = forms.AssignForm(request.POST, org_unit=batch.org_unit, batch=batch)
    ids = [int(i) for i in request.POST.getlist("patch") if i.isdigit()]
    if not ids:
        messages.error(request, "请勾选要派发的图斑")
    if not form.is_valid():
        if "assignee" in form.errors:
            messages.error(request, "请选择核查人")
        for text in form.errors.get("due_on", []):
            messages.error(request, text)
    if not ids or not form.is_valid():
        return redirect(batch)
    done, failed = 0, []
    for patch in selectors.patch_list(actor=request.user, batch=batch).filter(pk__in=ids):
        try:
            services.task_assign(patch=patch, actor=request.user, **form.cleaned_data)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            failed.append(f"{patch.code}：{' '.join(_messages(exc))}")
    if done:
        messages.success(request, f"已派发 {done} 个图斑的外业核查")
    for text in failed[:20]:
        messages.error(request, text)
    return redirect(batch)


def _messages(exc) -> list[str]:
    return getattr(exc, "messages", None) or [str(exc)]


@require_roles(*READ_ROLES)
def patch_detail(request, pk: int):
    patch = selectors.patch_get(actor=request.user, pk=pk)
    may_work = _may_work(request.user, patch)
    actions = (workflow.TABLE.actions_open(patch.state, request.user.roles)
               if may_work else [])
    return render(request, "monitoring/patch_detail.html", {
        "patch": patch, "overlaps": list(patch.overlaps.select_related(
            "layer_version__layer")),
        "tasks": selectors.patch_tasks(patch), "photos": selectors.patch_photos(patch),
        "rectifications": [(r, selectors.rectification_photos(r))
                           for r in selectors.patch_rectifications(patch)],
        "timeline": selectors.patch_timeline(patch), "actions": actions,
        "prejudgement_label": PREJUDGEMENTS.get(patch.prejudgement, ""),
        "verdict": services.verdict_kinds().get(patch.verdict),
        "measures": services.rectification_measures(), "today": timezone.localdate(),
        "assign_form": forms.AssignForm(org_unit=patch.org_unit, batch=patch.batch)
        if may_work else None,
        "map": map_data(patch_features(patch), **_map_settings())})


# fmt: off
PATCH_STEPS = {
    "assign": Step("assign/", forms.AssignForm,
        lambda p: f"派发外业核查：图斑 {p.code}",
        service(services.task_assign, "patch"),
        "已派发外业核查", WORK_ROLES,
        form_kwargs=lambda p, u: {"org_unit": p.org_unit, "batch": p.batch}),
    "decide": Step("decide/", forms.DecideForm, lambda p: f"判定：图斑 {p.code}",
        service(services.patch_decide, "patch"),
        "已记录判定结果", WORK_ROLES, template="monitoring/decide.html",
        form_kwargs=lambda p, u: {"kinds": services.verdict_kinds()}),
    "rectify": Step("rectify/", forms.RectifyForm, lambda p: f"下达整改：图斑 {p.code}",
        service(services.rectification_order, "patch"),
        "已下达整改", WORK_ROLES,
        form_kwargs=lambda p, u: {"measures": services.rectification_measures()}),
}
RECTIFICATION_STEPS = {
    "complete": Step("complete/", forms.RectifiedForm,
        lambda r: f"整改完成：图斑 {r.patch.code}",
        lambda r, u, d: services.rectification_complete(
            rect=r, actor=u, done_on=d["done_on"], result=d["result"],
            photos=d["photos"] or []),
        "整改完成已登记", WORK_ROLES, multipart=True),
}
# fmt: on
PATCH_PAGES = StepPages(
    PATCH_STEPS, lambda actor, pk: selectors.patch_get(actor=actor, pk=pk),
    "monitoring/form.html", prefix="patches/<int:pk>/", url_name="patch_{}")
RECTIFICATION_PAGES = StepPages(
    RECTIFICATION_STEPS,
    lambda actor, pk: selectors.rectification_get(actor=actor, pk=pk),
    "monitoring/form.html", prefix="rectifications/<int:pk>/",
    url_name="rectification_{}", back=lambda rect: rect.patch)


@require_roles(*READ_ROLES)
def batch_export(request, pk: int, fmt: str):
    batch = selectors.batch_get(actor=request.user, pk=pk)
    return exports.batch_export_response(batch, fmt)


@require_roles(*READ_ROLES)
def layer_list(request):
    layers = list(selectors.layer_list(actor=request.user).prefetch_related("versions"))
    return render(request, "monitoring/layer_list.html", {
        "layers": layers, "kinds": LayerKind.choices,
        "may_import": request.user.has_role(*WORK_ROLES)})


urlpatterns = [
    path("", batch_list, name="batch_list"),
    path("batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("batches/<int:pk>/assign/", batch_assign, name="batch_assign"),
    path("batches/<int:pk>/export/<str:fmt>/", batch_export, name="batch_export"),
    path("patches/<int:pk>/", patch_detail, name="patch_detail"),
    *PATCH_PAGES.urls(),
    *RECTIFICATION_PAGES.urls(),
    path("layers/", layer_list, name="layer_list"),
]

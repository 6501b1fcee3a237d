"""Import pages: upload, preview and confirm, progress, retry. Thin, as ever."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from fazhi.core.permissions import require_roles
from fazhi.monitoring import forms, importing, selectors
from fazhi.monitoring.models import JobState
from fazhi.monitoring.selectors import WORK_ROLES
from fazhi.ui.forms import add_service_errors

FORMS = {"layer": (forms.LayerImportForm, "导入基础图层"),
         "batch": (forms.BatchImportForm, "导入图斑批次")}


def _params(data: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in data.items() if k != "file" and v not in (None, "")}


@require_roles(*WORK_ROLES)
def import_new(request, kind: str):
    if kind not in FORMS:
        raise Http404("未知的导入类别")
    form_class, title = FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.job_create(actor=request.user, kind=kind,
                                       file=form.cleaned_data["file"],
                                       params=_params(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            importing.job_start(job)
            return redirect("monitoring:import_job", job.pk)
    return render(request, "monitoring/import_new.html", {"form": form, "title": title,
                                                          "kind": kind})


def _result_url(job) -> str:
    if job.state != JobState.DONE or not job.result_id:
        return ""
    if job.kind == "batch":
        return reverse("monitoring:batch_detail", args=[job.result_id])
    return reverse("monitoring:layer_list")


def _context(request, job, form=None) -> dict:
    inspection = job.params.get("inspection") or {}
    return {"job": job, "inspection": inspection, "result_url": _result_url(job),
            "stale": importing.job_is_stale(job),
            "form": form or forms.ConfirmForm(initial={
                "encoding": job.params.get("encoding", ""),
                "crs": job.params.get("crs", ""),
                "id_field": job.params.get("id_field", "")}),
            "columns": (inspection.get("fields") or [])[:12],
            "mine": request.user.pk == job.created_by_id,
            "file_name": Path(job.upload_path).name}


@require_roles(*WORK_ROLES)
def import_job(request, pk: int):
    job = selectors.job_get(actor=request.user, pk=pk)
    form = None
    if request.method == "POST":
        form = forms.ConfirmForm(request.POST)
        if form.is_valid():
            try:
                choices = form.cleaned_data
                reread = any(choices[k] != (job.params.get(k) or "")
                             for k in ("encoding", "crs", "id_field"))
                if not reread and not choices["confirmed"]:
                    raise ValidationError("请先核对预览中的中文名称，并勾选确认")
                job = (_reinspect(job, request.user, choices) if reread else
                       importing.job_confirm(job=job, actor=request.user, choices=choices))
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                importing.job_start(job)
                return redirect("monitoring:import_job", job.pk)
    return render(request, "monitoring/import_job.html", _context(request, job, form))


def _reinspect(job, actor, choices):
    """A changed encoding, CRS or id field: read the file again and show a new preview."""
    job = importing.job_confirm(job=job, actor=actor, choices=choices)
    type(job).objects.filter(pk=job.pk).update(phase="inspect")
    job.refresh_from_db()
    return job


@require_roles(*WORK_ROLES)
def import_status(request, pk: int):
    """The progress fragment the job page polls (htmx), or the whole page."""
    job = selectors.job_get(actor=request.user, pk=pk)
    if request.htmx and job.state not in (JobState.QUEUED, JobState.RUNNING):
        response = render(request, "monitoring/_job_status.html",
                          _context(request, job))
        response["HX-Refresh"] = "true"
        return response
    return render(request, "monitoring/_job_status.html", _context(request, job))


@require_roles(*WORK_ROLES)
def import_retry(request, pk: int):
    job = selectors.job_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            job = importing.job_retry(job=job, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            importing.job_start(job)
    return redirect("monitoring:import_job", job.pk)


urlpatterns = [
    path("import/<str:kind>/new/", import_new, name="import_new"),
    path("import/jobs/<int:pk>/", import_job, name="import_job"),
    path("import/jobs/<int:pk>/status/", import_status, name="import_status"),
    path("import/jobs/<int:pk>/retry/", import_retry, name="import_retry"),
]

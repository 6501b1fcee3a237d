"""Annual-report pages: list and generate, preview with linked figures, edit, versions,
check and sign-off, .docx export. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from fazhi.core.exports import attachment
from fazhi.core.permissions import require_roles
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.reports import annual_forms, check, render_html, services
from fazhi.reports.models import AnnualReport, ReportState
from fazhi.reports.services import READ_ROLES, WRITE_ROLES
from fazhi.ui.forms import add_service_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request, pk: int) -> AnnualReport:
    return get_scoped_or_404(AnnualReport.objects.select_related("org_unit"),
                             request.user, pk=pk)


def _version(request, report):
    number = request.GET.get("version")
    if not number:
        return None
    try:
        return report.versions.get(number=int(number))
    except (ValueError, report.versions.model.DoesNotExist):
        raise Http404("没有这个版本") from None


@require_roles(*READ_ROLES)
def annual_list(request):
    reports = scoped(AnnualReport.objects.select_related("org_unit"), request.user)
    form = annual_forms.GenerateForm(actor=request.user,
                                     initial={"org": request.user.org_unit,
                                              "year": services.default_year()})
    return render(request, "reports/annual/list.html", {
        "reports": reports.order_by("-year", "org_unit__path"), "form": form,
        "may_generate": request.user.has_role(*WRITE_ROLES)})


@require_roles(*WRITE_ROLES)
@require_POST
def annual_generate(request):
    form = annual_forms.GenerateForm(request.POST, actor=request.user)
    if form.is_valid():
        org, year = form.cleaned_data["org"], form.cleaned_data["year"]
        existing = AnnualReport.objects.filter(org_unit=org, year=year).first()
        if existing is not None:
            messages.info(request, f"{existing}已经存在，已为您打开")
            return redirect("reports:annual_preview", existing.pk)
        try:
            report = services.report_create(actor=request.user, org_unit=org, year=year)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已生成{report}初稿，请核对数据并补充叙述段落")
            return redirect("reports:annual_preview", report.pk)
    reports = scoped(AnnualReport.objects.select_related("org_unit"), request.user)
    return render(request, "reports/annual/list.html", {
        "reports": reports, "form": form, "may_generate": True}, status=400)


@require_roles(*READ_ROLES)
def annual_preview(request, pk: int):
    report = _report(request, pk)
    version = _version(request, report)
    doc, facts, edits = services.report_document(report, version=version)
    latest = services.latest_version(report)
    return render(request, "reports/annual/preview.html", {
        "report": report, "doc": render_html.html_document(doc, org=report.org_unit),
        "version": version or latest, "latest": latest,
        "problems": check.report_check(doc, facts, edits),
        "may_edit": services.may_edit(request.user, report)
        and report.state == ReportState.DRAFT,
        "may_sign": services.may_sign(request.user, report)})


@require_roles(*WRITE_ROLES)
def annual_edit(request, pk: int):
    report = _report(request, pk)
    if not services.may_edit(request.user, report):
        raise PermissionDenied("只有本机关的法务人员或负责人可以修改年度报告")
    doc, _, _ = services.report_document(report)
    latest = services.latest_version(report)
    paragraphs = doc.editable + _removed(doc, latest)
    shown = {p.id: p.text for p in paragraphs}
    initial = {**services.header_of(report), "base_number": latest.number}
    form = annual_forms.EditForm(request.POST or None, initial=initial,
                                 paragraphs=paragraphs)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_save_version(
                report=report, actor=request.user, edits=form.edits(shown),
                header=form.header(), note=form.cleaned_data["note"],
                base_number=form.cleaned_data["base_number"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存为第{version.number}版")
            return redirect("reports:annual_preview", report.pk)
    return render(request, "reports/annual/edit.html", {
        "report": report, "form": form, "latest": latest}, status=400
        if request.method == "POST" else 200)


def _removed(doc, version):
    """Paragraphs a version emptied: shown again (empty) so they can be rewritten."""
    from fazhi.reports.annual import Para

    present = {p.id for p in doc.paragraphs}
    return [Para(pid, "body", (), editable=True) for pid, text in version.edits.items()
            if not text and pid not in present and ":" not in pid]


@require_roles(*READ_ROLES)
def annual_versions(request, pk: int):
    report = _report(request, pk)
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    for v, older in zip(versions, [*versions[1:], None], strict=True):
        before = older.edits if older else {}
        v.changed = [_change_label(k) for k in sorted(set(v.edits) | set(before))
                     if v.edits.get(k) != before.get(k)]
    return render(request, "reports/annual/versions.html", {
        "report": report, "versions": versions})


def _change_label(key: str) -> str:
    """What a version changed, in the words of the report and its check."""
    from fazhi.reports.annual import EDITABLE_LABELS
    from fazhi.reports.baseline import metric_label

    if key in EDITABLE_LABELS:
        return EDITABLE_LABELS[key]
    if key.startswith(check.CONFIRM_PREFIX):
        kind, _, metric_id = key.removeprefix(check.CONFIRM_PREFIX).partition(":")
        name = metric_label(metric_id) if metric_id else ""
        return {"nodata": f"确认“{name}”本年度确无此类事项",
                "baseline": f"确认“{name}”不作同比"}.get(kind, "确认检查事项")
    return "报告段落"


@require_roles(*READ_ROLES)
def annual_check(request, pk: int):
    report = _report(request, pk)
    editable = services.may_edit(request.user, report) \
        and report.state == ReportState.DRAFT
    form = annual_forms.ConfirmForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("只有本机关的法务人员或负责人可以确认")
        if form.is_valid():
            key = check.confirmation_key(form.cleaned_data["key"])
            try:
                services.report_save_version(
                    report=report, actor=request.user,
                    edits={key: form.cleaned_data["reason"]},
                    note=f"确认：{form.cleaned_data['key']}")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已确认并保存为新版本")
            return redirect("reports:annual_check", report.pk)
    problems = services.report_problems(report)
    return render(request, "reports/annual/check.html", {
        "report": report, "problems": problems, "editable": editable, "form": form,
        "may_sign": services.may_sign(request.user, report)
        and report.state == ReportState.DRAFT,
        "rows": [(p, render_html.figure_url(p.metric_id, org=report.org_unit,
                                             year=report.year) if p.metric_id else "")
                 for p in problems]})


@require_roles(*services.SIGN_ROLES)
@require_POST
def annual_sign(request, pk: int):
    report = _report(request, pk)
    try:
        version = services.report_sign(report=report, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("reports:annual_check", report.pk)
    messages.success(request, f"已签发（第{version.number}版）")
    return redirect("reports:annual_preview", report.pk)


@require_roles(*READ_ROLES)
def annual_export(request, pk: int):
    report = _report(request, pk)
    body = services.report_docx(report, version=_version(request, report))
    return attachment(HttpResponse(body, content_type=DOCX),
                      services.report_filename(report))


def preview_url(report: AnnualReport) -> str:
    return reverse("reports:annual_preview", args=[report.pk])


urlpatterns = [
    path("annual/", annual_list, name="annual_list"),
    path("annual/generate/", annual_generate, name="annual_generate"),
    path("annual/<int:pk>/", annual_preview, name="annual_preview"),
    path("annual/<int:pk>/edit/", annual_edit, name="annual_edit"),
    path("annual/<int:pk>/versions/", annual_versions, name="annual_versions"),
    path("annual/<int:pk>/check/", annual_check, name="annual_check"),
    path("annual/<int:pk>/sign/", annual_sign, name="annual_sign"),
    path("annual/<int:pk>/export.docx", annual_export, name="annual_export"),
]

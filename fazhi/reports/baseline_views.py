"""Baseline pages: paste or upload a published report → review the figures found, each
beside the sentence it came from → store them; and the list of stored baselines.

The review is stateless: the report's text travels with the form and is read again on
every post, so the sentences shown are always the report's own and the figures the
person typed are the ones stored.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse

from fazhi.core.permissions import require_roles
from fazhi.core.selectors import org_unit_get, org_unit_list
from fazhi.reports import baseline as services
from fazhi.reports import extract
from fazhi.ui.forms import add_service_errors
from fazhi.ui.paging import page_by_ids

UPLOAD_MAX = 2 * 1024 * 1024  # a report's text is some 20 KB; 2 MB is generous
EXTRA_KINDS = 2  # blank rows for permit kinds the report names but were not found


class ReportForm(forms.Form):
    """Step one: whose report, and its text."""

    org = forms.ChoiceField(label="机关")
    text = forms.CharField(label="报告文本", required=False, widget=forms.Textarea(
        attrs={"rows": 14,
               "placeholder": "从政府网站复制的年度报告全文，繁体、带拼音注音均可"}))
    file = forms.FileField(label="或上传文本文件", required=False,
                           help_text="UTF-8 或 GB18030（GBK）编码的 .txt，不超过2MB")

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.division_code, o.name) for o in orgs]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > UPLOAD_MAX:
                raise ValidationError({"file": "文件超过2MB，请只上传报告正文的文本"})
            try:
                data["text"] = extract.decode(upload.read())
            except extract.ExtractError as exc:
                raise ValidationError({"file": str(exc)}) from None
        if not (data.get("text") or "").strip():
            raise ValidationError({"text": "请粘贴报告文本，或上传文本文件"})
        return data


class ReviewForm(forms.Form):
    """Step two: the figures, editable; the report's text rides along hidden."""

    org = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput)
    year = forms.IntegerField(label="基期年度", min_value=services.FIRST_YEAR,
                              max_value=9999)
    source = forms.CharField(label="数据来源", max_length=services.SOURCE_MAX,
                             help_text="如报告的文号和标题，将记入每条基期数据",
                             widget=forms.TextInput(attrs={"size": 60}))
    overwrite = forms.BooleanField(label="确认覆盖已有的不同数值", required=False)

    def __init__(self, *args, rows: list[services.Row], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for i, row in enumerate(rows):
            self.fields[f"v{i}"] = forms.DecimalField(
                label=row.label, required=False, max_digits=18, decimal_places=4)
        for j in range(EXTRA_KINDS):
            self.fields[f"kind{j}"] = forms.CharField(
                label="其他许可事项", required=False, max_length=60)
            self.fields[f"count{j}"] = forms.IntegerField(
                label="件数", required=False, min_value=0)

    def clean(self):
        data = super().clean()
        for j in range(EXTRA_KINDS):
            kind, count = (data.get(f"kind{j}") or "").strip(), data.get(f"count{j}")
            if bool(kind) != (count is not None):
                self.add_error(f"kind{j}", "请同时填写许可事项名称和件数")
        return data

    def figures(self) -> dict[str, Decimal]:
        """{metric id: value} of the rows the person left filled in."""
        data = self.cleaned_data
        out = {row.metric_id: data.get(f"v{i}") for i, row in enumerate(self.rows)
               if data.get(f"v{i}") is not None}
        for j in range(EXTRA_KINDS):
            kind, count = (data.get(f"kind{j}") or "").strip(), data.get(f"count{j}")
            if kind and count is not None:
                out[services.KIND_PREFIX + kind] = Decimal(count)
        return out


def _review_form(data, *, text: str, initial=None) -> ReviewForm:
    result = extract.extract(text)
    form = ReviewForm(data, rows=services.baseline_rows(result), initial=initial)
    form.extraction = result
    return form


def _initial(result, org, text: str, rows) -> dict:
    figures = result.figures
    year = figures.get("year")
    when = f"{year}年" if year else ""
    title = f"{figures.get('organisation') or org.name}{when}法治政府建设年度报告"
    number = figures.get("document_number")
    initial = {"org": org.division_code, "text": text, "year": year,
               "source": f"{number}《{title}》" if number else f"《{title}》"}
    initial |= {f"v{i}": row.value for i, row in enumerate(rows)
                if row.value is not None}
    return initial


def _context(form: ReviewForm, org, actor) -> dict:
    figures = form.extraction.figures
    changes = {}
    if form.is_bound:
        form.is_valid()  # cleaned_data holds the fields that passed, even after errors
        year, values = form.cleaned_data.get("year"), form.figures()
    else:
        year = form.initial.get("year")
        values = {r.metric_id: r.value for r in form.rows if r.value is not None}
    if year and values:
        try:
            changes = {c.metric_id: c for c in services.baseline_changes(
                actor=actor, org_unit=org, year=year, figures=values)}
        except ValidationError:
            changes = {}  # the form shows the error once it is posted
    named = figures.get("organisation")
    listed = {r.metric_id for r in form.rows}
    return {"form": form, "org": org,
            "lines": [(r, form[f"v{i}"], changes.get(r.metric_id))
                      for i, r in enumerate(form.rows)],
            "extra": [(form[f"kind{j}"], form[f"count{j}"])
                      for j in range(EXTRA_KINDS)],
            "other_changes": [c for m, c in changes.items() if m not in listed],
            "clashes": [c for c in changes.values() if c.state == "changed"],
            "found": figures, "omitted": form.extraction.omitted,
            "not_taken": services.not_taken_rows(form.extraction),
            "org_mismatch": named if named and named != org.name else "",
            "year_found": figures.get("year")}


@require_roles(*services.ROLES)
def baseline_import(request):
    """Step one (paste or upload), then the review (``step=review``) and storing."""
    actor = request.user
    if request.method == "POST" and request.POST.get("step") == "review":
        return _review_post(request)
    orgs = org_unit_list(actor=actor)
    form = ReportForm(request.POST or None, request.FILES or None, orgs=orgs,
                      initial={"org": actor.org_unit.division_code})
    if request.method == "POST":
        org = org_unit_get(actor=actor, division_code=request.POST.get("org", ""))
        if form.is_valid():
            text = form.cleaned_data["text"]
            review = _review_form(None, text=text)
            review.initial = _initial(review.extraction, org, text, review.rows)
            return render(request, "reports/baseline/review.html",
                          _context(review, org, actor))
    return render(request, "reports/baseline/import.html", {"form": form})


def _review_post(request):
    actor = request.user
    org = org_unit_get(actor=actor, division_code=request.POST.get("org", ""))
    form = _review_form(request.POST, text=request.POST.get("text", ""))
    if form.is_valid():
        year = form.cleaned_data["year"]
        notes = {r.metric_id: r.sentence for r in form.rows if r.sentence}
        try:
            changes = services.baseline_import(
                actor=actor, org_unit=org, year=year, figures=form.figures(),
                source=form.cleaned_data["source"], notes=notes,
                overwrite=form.cleaned_data["overwrite"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            stored = sum(1 for c in changes if c.state != "same")
            messages.success(request, f"已存入{org.name}{year}年基期数据{stored}项"
                                      f"（与已存数值相同{len(changes) - stored}项）")
            return redirect(f"{reverse('reports:baseline_list')}"
                            f"?org={org.division_code}&year={year}")
    return render(request, "reports/baseline/review.html", _context(form, org, actor))


class ListFilter(forms.Form):
    org = forms.ChoiceField(label="机关", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=1)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", "全部")] + [
            (o.division_code, o.name) for o in orgs]


@require_roles(*services.ROLES)
def baseline_list(request):
    """Stored baselines of the caller's subtree, by organisation and year."""
    actor = request.user
    code = request.GET.get("org", "")
    org = org_unit_get(actor=actor, division_code=code) if code else None
    form = ListFilter(request.GET or None, orgs=org_unit_list(actor=actor))
    year = form.cleaned_data.get("year") if form.is_valid() else None
    qs = services.baseline_list(actor=actor, org_unit=org, year=year)
    page = page_by_ids(qs, request.GET.get("page"))
    rows = [(b, services.metric_label(b.metric_id), services.metric_unit(b.metric_id),
             services.shown(b.value)) for b in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/baseline/list.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode()})


urlpatterns = [
    path("baselines/", baseline_list, name="baseline_list"),
    path("baselines/import/", baseline_import, name="baseline_import"),
]

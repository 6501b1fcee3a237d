"""Learning pages: thin — parse, call a service or selector, render.

Five record types share these views; ``pages.PAGES`` says what each one shows.
Reading: every business role (exam scores: recorders and the principal only), in
the caller's subtree (outside: 404). Recording, correcting, uploading and removing:
legal-affairs officers and supervisors, on their own bureau's records (another
bureau's record in the subtree: 403).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from fazhi.core.exports import ledger_response
from fazhi.core.models import OrgUnit
from fazhi.core.permissions import require_roles
from fazhi.core.scope import scoped
from fazhi.learning import forms, selectors, services
from fazhi.learning.pages import PAGES, Page
from fazhi.ui.forms import add_service_errors, form_page
from fazhi.ui.paging import page_by_ids

RECORD = selectors.RECORD_ROLES
PREFETCH = {"session": ("attendees",), "seminar": ("cases", "attendees")}


def _cells(value, url: str | None = None) -> list[tuple[str, str | None]]:
    """A cell or fact as [(text, link or None)]."""
    if isinstance(value, list):
        return [(str(t), u) for t, u in value]
    if isinstance(value, tuple):
        return [(str(value[0]), value[1])]
    return [("" if value is None else str(value), url)]


def _may_record(user, record=None) -> bool:
    if not user.has_role(*RECORD):
        return False
    return record is None or record.org_unit_id == user.org_unit_id


def _tabs(user) -> list[dict]:
    return [{"key": p.key, "title": p.title, "list_url": f"learning:{p.key}_list"}
            for p in PAGES.values() if user.has_role(*p.read_roles)]


# --- overview -----------------------------------------------------------------------


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_roles(*selectors.READ_ROLES)
def index(request):
    """This year's learning and outreach figures, per bureau of the caller's subtree."""
    year = _year(request)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = list(scoped(OrgUnit.objects.all(), request.user, field=""))
    rows = [_unit_row(u, start, end) for u in units]
    shows_exams = request.user.has_role(*selectors.EXAM_READ_ROLES)
    return render(request, "learning/index.html", {
        "year": year, "years": range(timezone.localdate().year, 2019, -1),
        "rows": rows, "total": rows[0] if rows else None, "pages": PAGES.values(),
        "shows_exams": shows_exams, "may_record": _may_record(request.user)})


def _unit_row(unit, start, end) -> dict:
    """Figures of ``unit``'s own subtree (its first row is the caller's total)."""
    kw = {"org_unit": unit, "start": start, "end": end}
    exams = selectors.exams_in(**kw).order_by()
    return {
        "unit": unit,
        "sessions": selectors.study_sessions_in(**kw).count(),
        "attendance": selectors.study_attendance(**kw),
        "exams": exams.aggregate(n=Count("pk"),
                                 passed=Count("pk", filter=Q(passed=True))),
        "seminars": selectors.seminars_in(**kw).count(),
        "campaigns": selectors.campaign_totals(**kw),
        "explanations": selectors.explanations_in(**kw).count(),
    }


# --- lists ------------------------------------------------------------------------


def _listing(request, page: Page):
    form = forms.FilterForm(request.GET, actor=request.user, model=page.model,
                            extra=page.filters)
    qs = selectors.record_list(page.model, actor=request.user, filters=form.filters())
    return form, qs.prefetch_related(*PREFETCH.get(page.key, ()))


def list_view(page: Page):
    @require_roles(*page.read_roles)
    def view(request):
        form, qs = _listing(request, page)
        listing = page_by_ids(qs, request.GET.get("page"))
        rows = [[_cells(fn(obj), obj.get_absolute_url() if i == 0 else None)
                 for i, (_, fn) in enumerate(page.columns)]
                for obj in listing.object_list]
        totals = selectors.record_totals(page.model, qs)
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "learning/list.html", {
            "p": page, "form": form, "page": listing, "rows": rows,
            "headers": [h for h, _ in page.columns], "query": query.urlencode(),
            "totals": [(totals[k], label) for k, label in page.totals],
            "may_record": _may_record(request.user), "tabs": _tabs(request.user)})

    view.__name__ = f"{page.key}_list"
    return view


def export_view(page: Page):
    @require_roles(*page.read_roles)
    def view(request):
        _, qs = _listing(request, page)
        return ledger_response(f"{page.title}台账.xlsx", page.title,
                               [h for h, _ in page.export], qs,
                               lambda obj: [fn(obj) for _, fn in page.export],
                               chunk_size=500)

    view.__name__ = f"{page.key}_export"
    return view


# --- one record ---------------------------------------------------------------------


def detail_view(page: Page):
    @require_roles(*page.read_roles)
    def view(request, pk: int):
        record = selectors.record_get(page.model, actor=request.user, pk=pk)
        attendees = (record.attendees.select_related("department").order_by("username")
                     if hasattr(record, "attendees") else None)
        return render(request, "learning/detail.html", {
            "p": page, "obj": record, "attendees": attendees,
            "facts": [(label, _cells(value)) for label, value in page.facts(record)],
            "materials": selectors.record_materials(record),
            "timeline": selectors.record_timeline(record),
            "may_edit": _may_record(request.user, record),
            "material_form": forms.MaterialForm(), "tabs": _tabs(request.user)})

    view.__name__ = f"{page.key}_detail"
    return view


def form_view(page: Page, editing: bool):
    @require_roles(*RECORD)
    def view(request, pk: int | None = None):
        record = None
        if editing:
            record = selectors.record_get(page.model, actor=request.user, pk=pk)
            services.record_allow(request.user, record)
        posted = request.method == "POST"
        form = forms.FORMS[page.key](
            request.POST if posted else None, request.FILES if posted else None,
            actor=request.user, record=record,
            initial=forms.initial_of(record) if record else None)
        if posted and form.is_valid():
            kwargs = form.service_kwargs()
            if record is not None:
                kwargs[page.record_arg] = record
                kwargs.pop("files")
            try:
                saved = page.save(actor=request.user, **kwargs)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                verb = "修改" if record else "登记"
                messages.success(request, f"已{verb}{page.title}")
                return redirect(saved)
        title = f"修改{page.title}" if record else f"登记{page.title}"
        return render(request, "learning/form.html", {
            "p": page, "form": form, "title": title, "obj": record,
            "cancel": record.get_absolute_url() if record
            else reverse(f"learning:{page.key}_list")})

    view.__name__ = f"{page.key}_{'edit' if editing else 'new'}"
    return view


def material_view(page: Page):
    @require_roles(*RECORD)
    def view(request, pk: int):
        record = selectors.record_get(page.model, actor=request.user, pk=pk)
        services.record_allow(request.user, record)
        form = forms.MaterialForm(request.POST or None, request.FILES or None)
        return form_page(
            request, form,
            lambda data: services.material_add(record=record, actor=request.user,
                                               **data),
            done=lambda evidence: f"已上传材料“{evidence.original_name}”",
            then=record, template="learning/form.html", context={
                "p": page, "title": "上传材料", "obj": record, "multipart": True,
                "cancel": record.get_absolute_url()})

    view.__name__ = f"{page.key}_material"
    return view


def delete_view(page: Page):
    @require_roles(*RECORD)
    def view(request, pk: int):
        record = selectors.record_get(page.model, actor=request.user, pk=pk)
        services.record_allow(request.user, record)
        form = forms.DeleteForm(request.POST or None)
        return form_page(
            request, form,
            lambda data: services.record_delete(record=record, actor=request.user,
                                                reason=data["reason"]),
            done=f"已删除{page.title}“{record}”", then=f"learning:{page.key}_list",
            template="learning/form.html", context={
                "p": page, "title": f"删除{page.title}", "obj": record,
                "cancel": record.get_absolute_url(), "danger": True})

    view.__name__ = f"{page.key}_delete"
    return view


def _routes(page: Page) -> list:
    k = page.key
    return [
        path(f"{k}s/", list_view(page), name=f"{k}_list"),
        path(f"{k}s/export.xlsx", export_view(page), name=f"{k}_export"),
        path(f"{k}s/new/", form_view(page, editing=False), name=f"{k}_new"),
        path(f"{k}s/<int:pk>/", detail_view(page), name=f"{k}_detail"),
        path(f"{k}s/<int:pk>/edit/", form_view(page, editing=True), name=f"{k}_edit"),
        path(f"{k}s/<int:pk>/material/", material_view(page), name=f"{k}_material"),
        path(f"{k}s/<int:pk>/delete/", delete_view(page), name=f"{k}_delete"),
    ]


urlpatterns = [
    path("", index, name="index"),
    *[route for page in PAGES.values() for route in _routes(page)],
]

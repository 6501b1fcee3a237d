"""Supervision pages: inaction flags, file review, rectification (/enforcement/).

Thin: parse, call one service or selector of ``supervision``, render. Objects outside
the caller's subtree are 404 (``core.scope``); a role the page does not admit is 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse

from fazhi.core.permissions import require_roles
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.enforcement import selectors
from fazhi.enforcement.supervision import forms
from fazhi.enforcement.supervision import services as supervision
from fazhi.enforcement.supervision.services import READ_ROLES, REVIEW_ROLES
from fazhi.ui.forms import SignOffForm, add_service_errors, form_page

# The responsible officer reaches their own items through the rectification list.
ITEM_ROLES = (*READ_ROLES, Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER)
PAGES = {
    "case": "enforcement:case_detail",
    "lead": "enforcement:lead_detail",
    "review": "enforcement:file_review_detail",
}


def _url(target: str, pk: int) -> str:
    return reverse(PAGES[target], args=[pk])


@require_roles(*READ_ROLES)
def inaction_list(request):
    flags = supervision.inaction_flags(actor=request.user)
    kinds = {f.kind for f in flags}
    counts = [
        (label, sum(f.kind == k for f in flags))
        for k, label in supervision.KIND_LABELS.items()
        if k in kinds
    ]
    rows = [{"flag": f, "url": _url(f.target, f.target_pk)} for f in flags]
    return render(
        request,
        "enforcement/supervision_inaction.html",
        {"rows": rows, "counts": counts},
    )


@require_roles(*READ_ROLES)
def file_review_list(request):
    page = Paginator(supervision.file_review_list(actor=request.user), 50)
    may_review = request.user.has_role(*REVIEW_ROLES)
    candidates = (
        supervision.file_review_candidates(actor=request.user)[:20]
        if may_review
        else []
    )
    return render(
        request,
        "enforcement/supervision_review_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "candidates": candidates,
        },
    )


@require_roles(*REVIEW_ROLES)
def file_review_new(request, case_pk: int):
    case = supervision.file_review_case_get(actor=request.user, pk=case_pk)
    checklist = supervision.checklist()
    form = forms.FileReviewForm(request.POST or None, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            review = supervision.file_review_record(
                case=case,
                actor=request.user,
                deductions=form.deductions(),
                opinion=form.cleaned_data["opinion"],
                reviewed_on=form.cleaned_data["reviewed_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已完成评查：{review.score}分，{review.grade}")
            return redirect("enforcement:file_review_detail", review.pk)
    return render(
        request,
        "enforcement/supervision_review_form.html",
        {
            "case": case,
            "checklist": checklist,
            "form": form,
            "late_entries": selectors.case_late_entries(case),
        },
    )


@require_roles(*READ_ROLES)
def file_review_detail(request, pk: int):
    review = supervision.file_review_get(actor=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "enforcement/supervision_review_detail.html",
        {
            "review": review,
            "result": supervision.file_review_result(review),
            "items": _with_rounds(review.items.all(), user),
            "may_issue": user.pk == review.reviewer_id or user.has_role(*REVIEW_ROLES),
        },
    )


@require_roles(*REVIEW_ROLES)
def rectification_new(request, pk: int):
    review = supervision.file_review_get(actor=request.user, pk=pk)
    form = forms.RectificationForm(request.POST or None, review=review)
    return _form_page(
        request, form, "下达整改事项",
        lambda data: supervision.rectification_issue(
            review=review, actor=request.user, **data),
        done="已下达整改事项", then=_review_url(review.pk), review=review)


@require_roles(*ITEM_ROLES)
def rectification_list(request):
    overdue = request.GET.get("overdue") == "1"
    qs = supervision.rectification_list(actor=request.user, overdue=overdue)
    if not request.user.has_role(*READ_ROLES):
        qs = qs.filter(responsible=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/supervision_rectification_list.html",
        {"page": page, "overdue": overdue},
    )


@require_roles(*ITEM_ROLES)
def rectification_complete(request, pk: int):
    item = supervision.rectification_get(actor=request.user, pk=pk)
    form = forms.RectificationCompleteForm(request.POST or None)
    return _form_page(
        request, form, "报告整改完成",
        lambda data: supervision.rectification_complete(
            item=item, actor=request.user, **data),
        done="已报告整改完成，待验收", then="enforcement:rectification_list", item=item)


# The accepting role is the chain's in the rule data (a supervisor as shipped):
# the service checks it, and that the responsible person never accepts their own.
@require_roles(*BUSINESS_ROLES)
def rectification_verify(request, pk: int):
    item = supervision.rectification_get(actor=request.user, pk=pk)
    form = SignOffForm(request.POST or None)
    return _form_page(
        request, form, "验收整改事项",
        lambda data: supervision.rectification_verify(
            item=item, actor=request.user, **data),
        done=lambda item: ("已验收整改事项" if item.verified_by_id
                           else "验收不通过，已退回整改责任人"),
        then=_review_url(item.review_id), item=item)


def _with_rounds(items, user) -> list:
    """The items with their reports and acceptances (who, when, opinion) and
    whether ``user`` may accept each now."""
    items = list(items)
    for item in items:
        item.rounds = supervision.rectification_rounds(item)
        item.may_accept = supervision.rectification_turn(item, user)
    return items


def _review_url(pk: int) -> str:
    return reverse("enforcement:file_review_detail", args=[pk])


def _form_page(request, form, title: str, call, *, done: str, then,
               review=None, item=None):
    return form_page(request, form, call, done=done, then=then,
                     template="enforcement/supervision_form.html",
                     context={"title": title, "review": review or item.review,
                              "item": item, "rounds": supervision.rectification_rounds(
                                  item) if item else []})


urlpatterns = [
    path("supervision/inaction/", inaction_list, name="inaction_list"),
    path("supervision/reviews/", file_review_list, name="file_review_list"),
    path(
        "supervision/cases/<int:case_pk>/review/",
        file_review_new,
        name="file_review_new",
    ),
    path(
        "supervision/reviews/<int:pk>/", file_review_detail, name="file_review_detail"
    ),
    path(
        "supervision/reviews/<int:pk>/rectifications/new/",
        rectification_new,
        name="rectification_new",
    ),
    path("supervision/rectifications/", rectification_list, name="rectification_list"),
    path(
        "supervision/rectifications/<int:pk>/complete/",
        rectification_complete,
        name="rectification_complete",
    ),
    path(
        "supervision/rectifications/<int:pk>/verify/",
        rectification_verify,
        name="rectification_verify",
    ),
]

"""Pages of leads and tips, under /enforcement/leads/: parse, call services.py, render.

The tipster's identity reaches a template only through ``leads.tipster_shown``; the
Excel export, meant for other units, never carries it.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from fazhi.core.exports import ledger_response
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.enforcement.leads import forms
from fazhi.enforcement.leads import services as leads
from fazhi.enforcement.leads.services import READ_ROLES, TIPSTER_MASK
from fazhi.ui.evidence import evidence_download
from fazhi.ui.forms import form_page
from fazhi.ui.steps import Step, StepPages, service

OFFICER = (Role.ENFORCEMENT_OFFICER,)


def _filtered(request):
    form = forms.FilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = leads.lead_list(
        actor=request.user, state=d.get("state", ""), source=d.get("source", ""),
        overdue=d.get("overdue", False), q=d.get("q", ""),
    )
    return form, qs


@require_roles(*READ_ROLES)
def lead_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enforcement/lead_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "overdue": leads.lead_list(actor=request.user, overdue=True).count(),
        "may_register": request.user.has_role(*OFFICER),
    })


EXPORT_HEADERS = [
    "线索编号", "机关", "线索来源", "举报方式", "收到日期", "违法地点", "涉嫌违法主体",
    "涉嫌违法类型", "线索内容", "举报人", "核查人", "状态", "核查期限", "核查日期",
    "处理理由", "移送机关", "答复期限", "答复日期",
]


def _violation_label(code: str) -> str:
    return dict(forms.violation_choices()).get(code, code)


def _export_row(lead) -> list:
    # The export goes to other units: the tipster is masked whoever asks for it.
    return [
        lead.number, lead.org_unit.division_name, lead.get_source_display(),
        lead.get_channel_display(), lead.received_on, lead.location, lead.suspect,
        _violation_label(lead.violation_type), lead.description,
        TIPSTER_MASK if lead.is_tip else "", str(lead.assignee),
        lead.get_state_display(),
        lead.check_clock.due_date if lead.check_clock else None, lead.checked_on,
        lead.outcome_reason, lead.transferred_to,
        lead.reply_clock.due_date if lead.reply_clock else None, lead.answered_on,
    ]


@require_roles(*READ_ROLES)
def lead_export(request):
    _, qs = _filtered(request)
    return ledger_response("违法线索台账.xlsx", "违法线索", EXPORT_HEADERS, qs, _export_row)


@require_roles(*OFFICER)
def lead_register(request):
    form = forms.RegisterForm(
        request.POST or None, request.FILES or None, actor=request.user)
    return form_page(
        request, form, lambda data: leads.lead_register(actor=request.user, **data),
        done=lambda lead: f"已登记 {lead.number}，核查期限 {lead.check_clock.due_date}",
        template="enforcement/lead_form.html",
        context={"title": "登记违法线索", "multipart": True})


@require_roles(*READ_ROLES)
def lead_detail(request, pk: int):
    lead = leads.lead_get(actor=request.user, pk=pk)
    user = request.user
    officer = user.has_role(*OFFICER) and user.org_unit_id == lead.org_unit_id
    tipster = leads.tipster_shown(user, lead)
    # A tip's materials (the letter, the form) may name the tipster.
    files_shown = not lead.is_tip or tipster["shown"]
    return render(request, "enforcement/lead_detail.html", {
        "obj": lead,
        "tipster": tipster,
        "violation_label": _violation_label(lead.violation_type),
        "timeline": leads.lead_timeline(lead),
        "clocks": leads.lead_clocks(lead),
        "instruments": leads.lead_instruments(lead),
        "attachments": leads.lead_attachments(lead) if files_shown else None,
        "cases": lead.cases.order_by("pk"),
        "actions": leads.lead_actions_open(lead) if officer else [],
    })


@require_roles(*READ_ROLES)
def lead_attachment(request, pk: int, evidence_pk: int):
    lead = leads.lead_get(actor=request.user, pk=pk)
    if lead.is_tip and not leads.may_see_tipster(request.user, lead):
        raise Http404("未找到该记录")
    return evidence_download(leads.lead_attachments(lead), evidence_pk, field=None)


@require_roles(*READ_ROLES)
def lead_instrument(request, pk: int, instrument_pk: int):
    lead = leads.lead_get(actor=request.user, pk=pk)
    return evidence_download(leads.lead_instruments(lead), instrument_pk)


# --- one page per officer action ---------------------------------------------------


def _lead_and_actor(lead, actor) -> dict:
    return {"actor": actor, "lead": lead}


def _step(path, form, title, fn, done, fields=None) -> Step:
    return Step(path, form, title, service(fn, "lead", fields), done, OFFICER,
                form_kwargs=_lead_and_actor)


STEPS = {
    "check": _step("check/", forms.CheckForm, "登记核查情况", leads.lead_check,
                   "已登记核查情况，请决定立案、移送或不予立案"),
    "file_case": _step("file-case/", forms.FileCaseForm, "立案", leads.lead_file_case,
                       lambda case: f"已提出立案呈批 {case.number}，待负责人审批"),
    "transfer": _step("transfer/", forms.TransferForm, "移送有关机关",
                      leads.lead_transfer, "已移送并制发移送函"),
    "close": _step("close/", forms.CloseForm, "不予立案", leads.lead_close,
                   "已不予立案", ("reason",)),
    "answer": _step("answer/", forms.AnswerForm, "答复举报人", leads.lead_answer,
                    "已登记答复，举报答复期限办结"),
}
PAGES = StepPages(STEPS, lambda actor, pk: leads.lead_get(actor=actor, pk=pk),
                  "enforcement/lead_form.html", prefix="leads/<int:pk>/",
                  url_name="lead_{}")


urlpatterns = [
    path("leads/", lead_list, name="lead_list"),
    path("leads/export.xlsx", lead_export, name="lead_export"),
    path("leads/new/", lead_register, name="lead_register"),
    path("leads/<int:pk>/", lead_detail, name="lead_detail"),
    *PAGES.urls(),
    path("leads/<int:pk>/attachments/<int:evidence_pk>/", lead_attachment,
         name="lead_attachment"),
    path("leads/<int:pk>/instruments/<int:instrument_pk>/", lead_instrument,
         name="lead_instrument"),
]

"""Case pages: thin — parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from fazhi.core.instruments import instrument_list_for
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.enforcement import selectors
from fazhi.enforcement.cases import execution, forms, records, services, workflow
from fazhi.enforcement.cases.discretion import area_mu
from fazhi.enforcement.cases.services import signing
from fazhi.enforcement.selectors import CASE_ROLES, READ_ROLES, CaseFilters
from fazhi.ui.evidence import evidence_download
from fazhi.ui.forms import SignOffForm, form_page
from fazhi.ui.paging import page_by_ids
from fazhi.ui.steps import Step, StepPages, service

DOCUMENTS = {  # instrument kind → (label, states in which it may be made)
    "filing_approval": "立案审批表",
    "stop_order": "责令停止违法行为通知书",
    "penalty_notice": "行政处罚告知书",
    "hearing_notice": "行政处罚听证告知书",
    "review_opinion": "法制审核意见书",
    "decision": "行政处罚决定书",
    "service_receipt": "送达回证",
    "closure_approval": "结案审批表",
    "termination_approval": "终止调查审批表",
    "discussion_record": "重大案件集体讨论记录",
    "demand_notice": "履行催告书",
    "court_application": "强制执行申请书",
}


def _filters(form) -> CaseFilters:
    if not form.is_valid():
        return CaseFilters()
    d = form.cleaned_data
    return CaseFilters(state=d["state"], stage=d["stage"],
                       violation_type=d["violation_type"], overdue=d["overdue"],
                       q=d["q"].strip())


@require_roles(*READ_ROLES)
def case_list(request):
    form = forms.FilterForm(request.GET or None)
    qs = selectors.case_list(actor=request.user, filters=_filters(form))
    page = page_by_ids(qs, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    overdue = selectors.case_list(actor=request.user,
                                  filters=selectors.CaseFilters(overdue=True))
    return render(request, "enforcement/case_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "overdue": overdue.count(),
        "may_file": request.user.has_role(Role.ENFORCEMENT_OFFICER)})


@require_roles(Role.ENFORCEMENT_OFFICER)
def case_new(request):
    form = forms.CaseForm(request.POST or None, actor=request.user)
    return form_page(
        request, form, lambda data: services.case_file(actor=request.user, **data),
        done=lambda case: f"已提交立案呈批：{case.number}",
        template="enforcement/case_form.html", context={"title": "立案呈批"})


def _mine(user, case) -> bool:
    return user.org_unit_id == case.org_unit_id


@require_roles(*READ_ROLES)
def case_detail(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    steps = list(selectors.case_steps(case))
    for step in steps:
        step.label = selectors.step_label(step.action)
    acting = _mine(request.user, case)
    facts = services.case_facts(case)
    roles = request.user.roles if acting else set()
    open_actions, blocked = services.case_actions(case, roles)
    return render(request, "enforcement/case_detail.html", {
        "case": case,
        "stages": selectors.case_stages(case, steps),
        "steps": steps,
        "facts": facts,
        "todo": list(dict.fromkeys(  # pass and return share the review page
            (STEPS[n].title, reverse(f"enforcement:case_{_page(n)}", args=[pk]))
            for n in [*open_actions, *(_extra_steps(request.user, case)
                                       if acting else [])] if n in STEPS)),
        "blocked": [(workflow.ACTION_LABELS[a], why) for a, why in blocked.items()],
        "reviews": case.reviews.select_related("reviewer"),
        "approvals": _approvals(rounds := signing.rounds(case)),
        "returned": signing.returned(case, rounds),
        "records": case.records.select_related("evidence", "recorded_by"),
        "gaps": records.case_record_gaps(case),
        "clocks": selectors.case_clocks(case),
        "instruments": instrument_list_for(actor=request.user, matter=case),
        "documents": DOCUMENTS if acting else {},
        "area_mu": area_mu(case.area_m2) if case.area_m2 is not None else None,
        "surcharge": execution.payment_surcharge(case),
        "windows": services.execution_windows(case),
        "may_record": acting and request.user.has_role(Role.ENFORCEMENT_OFFICER),
    })


def _approvals(rounds) -> list[tuple[str, list]]:
    """The case's sign-offs by chain (立案审批, 结案审批 …), each with its rounds."""
    found: dict[str, tuple[str, list]] = {}
    for approval in rounds:
        found.setdefault(approval.chain, (approval.title, []))[1].append(approval)
    return list(found.values())


def _page(action: str) -> str:
    return "pass_review" if action == "return_review" else action


def _extra_steps(user, case) -> list[str]:
    """Actions outside the state table, offered when they make sense."""
    names = []
    if case.state in ("served", "executing", "court_enforcement"):
        if case.payment_clock and case.paid_on is None:
            names.append("payment")
        names += ["remedy", "demand"]
        if case.execution_completed_on is None:
            names.append("complete_execution")
    if case.case_clock and case.case_clock.is_open and case.state not in (
            "decided", "served", "executing", "court_enforcement", "closed"):
        pending = services.case_extension_pending(case)
        names.append("extension_decide" if pending else "extend")
    return [n for n in names if user.has_role(*STEPS[n].roles)]


OF, P, R = (Role.ENFORCEMENT_OFFICER,), (Role.PRINCIPAL,), (Role.LEGAL_REVIEWER,)


def _signed(case) -> str:
    """What the page says after the principal signed: where the case is now."""
    if signing.returned(case) is not None:
        return "已签署不同意，退回承办人"
    return f"已签署同意，案件{case.get_state_display()}"
_CASE = {"form_kwargs": lambda case, actor: {"case": case}}
S, X = services, execution
REASON = ("reason",)


def _case(fn, fields=None):
    return service(fn, "case", fields)


def _dated(keyword: str) -> dict:
    """The fields of a ``DayForm``: its day under the service's name, and the
    reason for a late entry."""
    return {"on": keyword, "late_reason": "late_reason"}


# Each row: URL, form, title, service (and which form fields it takes), message, roles.
# fmt: off
STEPS: dict[str, Step] = {
    "approve_filing": Step("approve/", forms.ApproveForm, "批准立案",
        _case(S.case_approve_filing, ("reasons",)), "已批准立案，九十日办案期限起算", P),
    "reject_filing": Step("reject/", forms.ConfirmReasonForm, "不予立案",
        _case(S.case_reject_filing, REASON), "已决定不予立案，已告知承办人", P),
    "serve_notice": Step("notice/", forms.NoticeForm, "送达行政处罚告知书",
        _case(S.case_serve_notice), "已登记告知书送达，陈述申辩和听证申请期限起算", OF),
    "request_hearing": Step("hearing-request/", forms.DayForm, "登记听证申请",
        _case(S.case_request_hearing, _dated("requested_on")),
        "已登记听证申请", OF),
    "hold_hearing": Step("hearing/", forms.HearingForm, "举行听证",
        _case(S.case_hold_hearing), "已记录听证", P, **_CASE),
    "waive_hearing": Step("hearing-waive/", forms.ConfirmReasonForm, "视为放弃听证",
        _case(S.case_waive_hearing, REASON), "已记录当事人放弃听证", P),
    "reinvestigate": Step("reinvestigate/", forms.ConfirmReasonForm, "补充调查",
        _case(S.case_reinvestigate, REASON), "已退回调查取证，须重新告知", OF),
    "submit_review": Step("submit-review/", forms.SubmitReviewForm, "提请法制审核",
        _case(S.case_submit_review), "已提请法制审核", OF),
    "resubmit_review": Step("resubmit-review/", forms.SubmitReviewForm,
        "补正后重新提请审核", _case(S.case_submit_review), "已重新提请法制审核", OF),
    "pass_review": Step("review/", forms.ReviewForm, "法制审核",
        _case(S.case_review), "已出具法制审核意见", R),
    "submit_discussion": Step("discussion/submit/", forms.ProposeForm,
        "提请集体讨论", _case(S.case_submit_discussion), "已提请负责人集体讨论", OF),
    "hold_collective_discussion": Step("discussion/", forms.DiscussionForm,
        "负责人集体讨论", _case(S.case_hold_collective_discussion), _signed, P),
    "decide": Step("decide/", forms.DecideForm, "作出行政处罚决定",
        _case(S.case_decide), "已作出决定", P, **_CASE),
    "decide_no_penalty": Step("decide-no-penalty/", forms.NoPenaltyForm,
        "作出不予行政处罚决定", _case(S.case_decide_no_penalty, REASON),
        "已作出不予行政处罚决定", P),
    "serve_decision": Step("serve-decision/", forms.DayForm, "送达行政处罚决定书",
        _case(S.case_serve_decision, _dated("served_on")),
        "已登记决定书送达", OF),
    "start_execution": Step("execute/", forms.NoteForm, "进入执行",
        _case(X.case_start_execution), "已进入执行", OF),
    "apply_court_enforcement": Step("court/", forms.CourtForm, "申请法院强制执行",
        _case(X.case_apply_court), "已登记申请人民法院强制执行", P),
    "propose_termination": Step("terminate/propose/", forms.ProposeReasonForm,
        "提请终止调查", _case(S.case_propose_termination), "已提请负责人批准终止调查",
        OF),
    "terminate": Step("terminate/", SignOffForm, "审批终止调查",
        _case(S.case_terminate), _signed, P),
    "transfer": Step("transfer/", forms.TransferForm, "移送",
        _case(S.case_transfer, ("to_agency", "reason")), "已移送", P),
    "propose_closure": Step("close/propose/", forms.ProposeForm, "提请结案",
        _case(S.case_propose_closure), "已提请负责人批准结案", OF),
    "close": Step("close/", SignOffForm, "审批结案", _case(S.case_close), _signed, P),
    # outside the state table
    "payment": Step("payment/", forms.PaymentForm, "登记罚款缴纳",
        _case(X.case_record_payment), "已登记缴纳", OF),
    "remedy": Step("remedy/", forms.RemedyForm, "登记复议、诉讼",
        _case(X.case_record_remedy), "已登记复议或诉讼", OF),
    "demand": Step("demand/", forms.DayForm, "登记催告书送达",
        _case(X.case_serve_demand, _dated("served_on")),
        lambda case: f"已登记催告，{services.demand_period()}后仍未履行的可申请法院强制执行",
        OF),
    "complete_execution": Step("complete/", forms.CompleteForm, "登记执行完毕",
        _case(X.case_complete_execution), "已登记执行完毕", OF),
    "extend": Step("extend/", forms.ExtendForm, "申请延长办案期限",
        _case(S.case_extension_ask), "已提交延长办案期限申请，待负责人审批", OF),
    "extension_decide": Step("extend/decide/", forms.ExtensionDecideForm,
        "审批延长办案期限", _case(S.case_extension_decide), "已审批延长办案期限申请", P),
}
# fmt: on
STEPS["return_review"] = STEPS["pass_review"]


_RECOMMENDED = ("serve_notice", "decide", "submit_review", "pass_review")


def _recommendation(name: str, case) -> dict:
    """The discretion calculator's advice on the pages that set or judge a fine."""
    if name not in _RECOMMENDED:
        return {}
    try:
        return {"recommendation": services.case_recommendation(case)}
    except ValidationError as exc:
        return {"recommendation_error": " ".join(exc.messages)}


PAGES = StepPages(
    STEPS, lambda actor, pk: selectors.case_get(actor=actor, pk=pk),
    "enforcement/case_form.html", prefix="cases/<int:pk>/", url_name="case_{}",
    context_name="case", context=_recommendation)


@require_roles(Role.ENFORCEMENT_OFFICER)
def record_add(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    form = forms.RecordForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form,
        lambda data: records.case_record_add(case=case, actor=request.user, **data),
        done="已保存全过程记录", then=case, template="enforcement/case_form.html",
        context={"title": "上传全过程记录", "case": case, "multipart": True},
        denied_on_form=True)


@require_POST
@require_roles(*CASE_ROLES)
def document_issue(request, pk: int):
    from fazhi.enforcement.cases.documents import case_document_issue

    case = selectors.case_get(actor=request.user, pk=pk)
    kind = request.POST.get("kind", "")
    if kind not in DOCUMENTS:
        return HttpResponseNotAllowed(["POST"])
    try:
        instrument = case_document_issue(case=case, kind=kind, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "无权制发此文书")
    else:
        messages.success(request, f"已制发{instrument.title} {instrument.doc_number}")
    return redirect(case)


@require_roles(*READ_ROLES)
def instrument_download(request, pk: int, instrument_pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    return evidence_download(instrument_list_for(actor=request.user, matter=case),
                             instrument_pk)


urlpatterns = [
    path("", case_list, name="case_list"),
    path("cases/new/", case_new, name="case_new"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/records/new/", record_add, name="record_add"),
    path("cases/<int:pk>/documents/", document_issue, name="document_issue"),
    path("cases/<int:pk>/instruments/<int:instrument_pk>/", instrument_download,
         name="case_instrument"),
    *PAGES.urls(),
]

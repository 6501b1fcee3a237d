"""Permit pages: thin — parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from fazhi.core.approvals import approval_rounds, extension_role, extension_rule
from fazhi.core.exports import ledger_response, xlsx_response
from fazhi.core.instruments import instrument_list_for
from fazhi.core.matter_kinds import kind as matter_kind
from fazhi.core.models import ApprovalState
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.deadlines.models import ExtensionState
from fazhi.deadlines.registry import rules_registry
from fazhi.permits import forms, selectors, services, stats, workflow
from fazhi.permits.models import PermitKind, Rating
from fazhi.permits.selectors import READ_ROLES
from fazhi.permits.services import signing
from fazhi.ui.evidence import evidence_download
from fazhi.ui.forms import SignOffForm, add_service_errors, form_page
from fazhi.ui.paging import page_by_ids
from fazhi.ui.steps import Step, StepPages, service

CLERK = (Role.WINDOW_CLERK,)
SIGNERS = (Role.SECTION_HEAD, Role.PRINCIPAL)
KIND = matter_kind("permits.application")
QUEUE_ROWS = 200  # the soonest due; the rest through the ledger


def _mine(user, app) -> bool:
    return user.org_unit_id == app.org_unit_id


# --- lists ------------------------------------------------------------------------------


@require_roles(*READ_ROLES)
def queue(request):
    """The clerk's own open applications, soonest due first; others see the board."""
    if not request.user.has_role(Role.WINDOW_CLERK):
        return redirect("permits:board")
    queue = selectors.application_queue(actor=request.user)
    return render(request, "permits/queue.html", {
        "rows": list(queue[:QUEUE_ROWS]), "count": queue.count(),
        "overdue": selectors.overdue_count(queue), "shown": QUEUE_ROWS})


@require_roles(*READ_ROLES)
def board(request):
    return render(request, "permits/board.html", {
        "groups": selectors.application_board(actor=request.user),
        "overdue": selectors.application_board_overdue(actor=request.user),
        "shown": selectors.BOARD_ROWS,
        "signing": list(selectors.signing_waiting(actor=request.user)[:QUEUE_ROWS]),
        "extensions": selectors.extensions_pending(actor=request.user)})


def _filters(request):
    form = forms.FilterForm(request.GET or None, actor=request.user)
    d = form.cleaned_data if form.is_valid() else {}
    f = selectors.Filters(kind=d["kind"].pk if d.get("kind") else None,
                          state=d.get("state", ""), q=d.get("q", "").strip(),
                          received_from=d.get("received_from"),
                          received_to=d.get("received_to"))
    return form, selectors.application_list(actor=request.user, filters=f)


@require_roles(*READ_ROLES)
def application_list(request):
    form, qs = _filters(request)
    page = page_by_ids(qs, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "permits/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "may_register": request.user.has_role(*CLERK)})


EXPORT_HEADERS = ["受理编号", "机关", "许可事项", "申请人", "项目名称", "项目位置", "承办人",
                  "状态", "收件日期", "受理日期", "承诺期限", "法定期限", "决定日期",
                  "办理用时（工作日）", "超法定期限", "证书编号", "收费（元）", "票据号"]


def _export_row(a) -> list:
    return [a.number, a.org_unit.division_name, a.kind.name, a.applicant_name,
            a.project_name, a.location, str(a.clerk), a.get_state_display(),
            a.received_on, a.accepted_on,
            a.promised_clock.due_date if a.promised_clock else None,
            a.decision_clock.due_date if a.decision_clock else None, a.decided_on,
            a.working_days_taken, "是" if a.decided_late else "",
            a.certificate_number, a.fee_amount, a.fee_receipt_number]


@require_roles(*READ_ROLES)
def application_export(request):
    _, qs = _filters(request)
    return ledger_response("许可申请台账.xlsx", "许可申请", EXPORT_HEADERS, qs, _export_row)


# --- intake and detail ---------------------------------------------------------------


@require_roles(*CLERK)
def register(request):
    form = forms.RegisterForm(request.POST or None, request.FILES or None,
                              actor=request.user)
    return form_page(
        request, form,
        lambda data: services.application_register(actor=request.user, **data),
        done=lambda app: f"已收件 {app.number}，请核对申请材料后受理",
        template="permits/form.html",
        context={"title": "窗口收件", "multipart": True, "outline_map": True})


@require_roles(*READ_ROLES)
def detail(request, pk: int):
    app = selectors.application_get(actor=request.user, pk=pk)
    user = request.user
    acting = _mine(user, app)
    clerk = acting and user.has_role(Role.WINDOW_CLERK)
    facts = signing.decision_facts(app)
    actions = workflow.TABLE.actions_open(app.state, user.roles, facts) if clerk else []
    extension = selectors.application_extension(app)
    rating = Rating.objects.filter(application=app).first()
    materials = list(app.materials.select_related("evidence"))
    rounds = signing.decision_rounds(app)
    last = rounds[-1] if rounds else None
    turn = signing.sign_turn(app, user)
    return render(request, "permits/detail.html", {
        "obj": app, "actions": actions, "materials": materials,
        "rounds": rounds, "chain": signing.decision_chain(app),
        "sign_form": SignOffForm() if turn else None,
        "sign_title": turn.label if turn else "",
        "returned": list(last.signoffs.all())[-1]
        if last and last.state == ApprovalState.RETURNED else None,
        "missing": workflow.missing_materials(
            [(m.label, m.required, m.provided, m.waived) for m in materials]),
        "extension": extension, "rating": rating,
        "extension_rounds": approval_rounds(app, extension_rule(KIND)),
        "may_decide_extension": acting and user.has_role(extension_role(KIND))
        and extension is not None and extension.state == ExtensionState.PENDING
        and extension.requested_by_id != user.pk,
        "may_revoke": acting and user.has_role(Role.PRINCIPAL)
        and "revoke" in workflow.TABLE.actions_open(app.state, user.roles, facts),
        "may_answer": acting and services.complaint_turn(rating, user),
        "may_explain": acting and services.complaint_may_explain(rating, user),
        "complaint_rounds": services.complaint_rounds(app) if rating else [],
        "completion_last_day": (services.completion_deadline(app)
                                if "request_completion" in actions else None),
        "paused": bool(app.decision_clock and app.decision_clock.state == "paused"),
        "clocks": selectors.application_clocks(app),
        "timeline": selectors.application_timeline(app),
        "instruments": instrument_list_for(actor=user, matter=app),
        "rating_url": request.build_absolute_uri(
            reverse("rating:rate", args=[app.rating_token])) if clerk else "",
    })


@require_roles(*READ_ROLES)
def instrument_download(request, pk: int, instrument_pk: int):
    app = selectors.application_get(actor=request.user, pk=pk)
    return evidence_download(instrument_list_for(actor=request.user, matter=app),
                             instrument_pk)


# --- one page per action ---------------------------------------------------------------


def _pause_rule(app, actor) -> dict:
    return {"rule": rules_registry()[app.kind.decision_rule]}


def _for_app(app, actor) -> dict:
    return {"application": app}


def _missing(app, actor) -> dict:
    """The completion notice starts from the required materials not yet handed in
    (one a line); the clerk adds what else is wrong before issuing it."""
    missing = selectors.materials_missing(application=app)
    return {"initial": {"items": "\n".join(missing)}} if missing else {}


S, C, P = services, CLERK, (Role.PRINCIPAL,)


def _sign_title(app) -> str:
    rounds = signing.decision_rounds(app)
    waiting = rounds[-1].waiting if rounds else None
    return f"{waiting['label']}：{rounds[-1].title}" if waiting else "审批"


def _proposed(app) -> str:
    return f"已提出承办意见，{workflow.TABLE.label(app.state)}"


def _signed(app) -> str:
    if app.state == workflow.ACCEPTED:
        return "已签署不同意，退回承办人"
    return f"已签署同意，{workflow.TABLE.label(app.state)}"


def _app(fn, fields=None):
    return service(fn, "application", fields)


# Each row: URL, form, title, service (and which form fields it takes), message, roles.
# fmt: off
STEPS: dict[str, Step] = {
    "accept": Step("accept/", forms.DayForm, "受理",
        _app(S.application_accept, {"on": "accepted_on"}),
        "已受理，法定期限和承诺时限开始计算", C),
    "request_completion": Step("completion/", forms.CompletionForm, "一次性告知补正",
        _app(S.application_request_completion), "已制发补正告知书，收到补正材料后受理",
        C, form_kwargs=_missing),
    "complete": Step("complete/", forms.DayForm, "收到补正材料",
        _app(S.application_complete, {"on": "completed_on"}),
        "已收到补正材料并受理，期限自今日起算", C),
    "refuse_intake": Step("refuse-intake/", forms.ReasonDayForm, "不予受理",
        _app(S.application_refuse_intake, {"reasons": "reasons", "on": "refused_on"}),
        "已决定不予受理并制发决定书", C),
    "material": Step("material/", forms.MaterialForm, "登记申请材料",
        _app(S.material_provide), "已登记材料", C, multipart=True,
        form_kwargs=_for_app),
    "waive": Step("waive/", forms.WaiverForm, "材料免于提交",
        _app(S.material_waive), "已登记免于提交及理由", C, form_kwargs=_for_app),
    "pause": Step("pause/", forms.PauseForm, "不计时（听证、专家评审等）",
        _app(S.application_pause), "已暂停计时，请书面告知申请人所需时间", C,
        form_kwargs=_pause_rule),
    "resume": Step("resume/", forms.ResumeForm, "恢复计时",
        _app(S.application_resume), "已恢复计时", C),
    "request_extension": Step("extension/", forms.ExtensionForm, "申请延期",
        _app(S.extension_request), "已提交延期申请，待负责人审批", C),
    "decide_extension": Step("extension/decide/", forms.ExtensionDecideForm,
        "审批延期", _app(S.extension_decide), "已审批延期申请",
        lambda a: (extension_role(KIND),)),  # the chain's in the rule data
    "propose": Step("propose/", forms.ProposeForm, "提出承办意见",
        _app(signing.application_propose), _proposed, C),
    "sign": Step("sign/", SignOffForm, _sign_title, _app(signing.application_sign),
        _signed, SIGNERS),
    "approve": Step("approve/", forms.DayForm, "准予许可",
        _app(S.application_approve, {"on": "decided_on"}),
        "已作出准予许可决定，制发审批表，请在十个工作日内发证", C),
    "refuse": Step("refuse/", forms.DayForm, "不予许可",
        _app(S.application_refuse, {"on": "decided_on"}),
        "已作出不予许可决定，制发决定书和审批表", C),
    "issue_certificate": Step("certificate/", forms.DayForm, "制发证书",
        _app(S.certificate_issue, {"on": "issued_on"}), "已制发证书", C),
    "fee": Step("fee/", forms.FeeForm, "登记收费", _app(S.fee_record), "已登记收费", C),
    "withdraw": Step("withdraw/", forms.ReasonDayForm, "申请人撤回",
        _app(S.application_withdraw, {"reasons": "reason", "on": "withdrawn_on"}),
        "已登记撤回", C),
    "change": Step("change/", forms.SummaryForm, "许可变更", _app(S.permit_change),
        "已登记变更", C),
    "revoke": Step("revoke/", forms.ReasonDayForm, "撤回许可",
        _app(S.permit_revoke, {"reasons": "reason", "on": "revoked_on"}),
        "已撤回许可", P),
    "rate": Step("rate/", forms.WindowRatingForm, "登记评价", _app(S.rating_record),
        "已登记评价", C),
    "explain": Step("explain/", forms.ExplainForm, "差评情况说明",
        lambda a, u, d: S.complaint_explain(rating=a.rating, actor=u, **d),
        "已作出情况说明，报核实", lambda a: (S.COMPLAINT.chain().proposer.role,)),
    "answer": Step("answer/", forms.AnswerForm, "差评核实答复",
        lambda a, u, d: S.complaint_answer(rating=a.rating, actor=u, **d),
        lambda r: "已核实并答复差评" if r.answered_on else "已退回被评价窗口",
        lambda a: (S.COMPLAINT.chain().signers[0].role,)),  # the rule data's
}
# fmt: on


def _step_context(name: str, app) -> dict:
    """The sign-off pages show the rounds so far (the proposal being signed)."""
    if name in ("explain", "answer"):
        return {"rounds": services.complaint_rounds(app)}
    if name not in ("sign", "propose"):
        return {}
    return {"rounds": signing.decision_rounds(app)}


PAGES = StepPages(
    STEPS, lambda actor, pk: selectors.application_get(actor=actor, pk=pk),
    "permits/form.html", context=_step_context)


# --- statistics -------------------------------------------------------------------------


def _period(request):
    form = forms.PeriodForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    return form, stats.period_of(d.get("year"), d.get("first"), d.get("last"))


@require_roles(*READ_ROLES)
def statistics(request):
    form, period = _period(request)
    rows = stats.window_stats(actor=request.user, period=period)
    query = request.GET.copy()
    return render(request, "permits/stats.html", {
        "form": form, "period": period, "rows": rows,
        "metrics": stats.METRICS, "query": query.urlencode(),
        "overdue": stats.overdue_list(actor=request.user, period=period)[:200],
        "complaints": selectors.complaint_list(actor=request.user)
        .filter(rated_on__range=period)[:200]})


@require_roles(*READ_ROLES)
def statistics_records(request, metric: str):
    _, period = _period(request)
    kind = request.GET.get("kind")
    try:
        qs = stats.metric_records(actor=request.user, metric=metric, period=period,
                                  kind=int(kind) if kind and kind.isdigit() else None)
    except KeyError:
        raise Http404("没有这项统计") from None
    page = page_by_ids(qs, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "permits/stats_records.html", {
        "label": stats.METRICS[metric][0], "period": period, "page": page,
        "query": query.urlencode(), "metric": metric})


@require_roles(*READ_ROLES)
def statistics_export(request):
    _, period = _period(request)
    rows = stats.window_stats(actor=request.user, period=period)
    headers = ["许可事项", *[label for label, _ in stats.METRICS.values()],
               "按期办结率", "平均办理用时（工作日）", "收费（元）", "平均评分"]
    own = request.user.org_unit_id
    data = ([_kind_label(r.kind, own), *[r.counts[c] for c in stats.METRICS],
             r.on_time_rate,
             round(r.avg_days, 1) if r.avg_days is not None else "—",
             r.fees, round(r.avg_score, 2) if r.avg_score is not None else "—"]
            for r in rows)
    name = f"审批窗口统计_{period[0]}_{period[1]}.xlsx"
    return xlsx_response(name, "审批窗口统计", headers, data)


def _kind_label(kind, own: int | None) -> str:
    if kind is None:
        return "合计"
    return kind.name if kind.org_unit_id == own else (
        f"{kind.name}（{kind.org_unit.division_name}）")


@require_roles(*READ_ROLES)
def complaints(request):
    rows = selectors.complaint_list(actor=request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "permits/complaints.html", {
        "page": page, "overdue": selectors.complaint_overdue(actor=request.user)})


# --- permit kinds (each bureau's own; its system administrator edits them) -----------


@require_roles(Role.SYSTEM_ADMIN, *READ_ROLES)
def kind_list(request):
    rules = rules_registry()
    kinds = list(selectors.kind_list(actor=request.user))
    for kind in kinds:
        rule = rules.get(kind.decision_rule)
        kind.statutory = (f"{rule.length}个工作日，可延长{rule.extension_cap}个"
                          f"（{rule.law}{rule.article}）" if rule else "未知规则")
    own = request.user.org_unit_id
    return render(request, "permits/kinds.html", {
        "kinds": kinds, "own": own,
        "others": any(k.org_unit_id != own for k in kinds),
        "may_edit": request.user.has_role(Role.SYSTEM_ADMIN)})


@require_roles(Role.SYSTEM_ADMIN)
def kind_edit(request, pk: int | None = None):
    kind = selectors.kind_get(actor=request.user, pk=pk) if pk else None
    if kind is not None and kind.org_unit_id != request.user.org_unit_id:
        raise PermissionDenied("只能修改本机关的许可事项，"
                               "下级机关的许可事项由其自行维护")
    form = forms.KindForm(request.POST or None, instance=kind and
                          PermitKind.objects.get(pk=kind.pk))
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields
                  if f != "code" or kind is None}
        fields["materials"] = form.cleaned_data["materials_text"]
        try:
            saved = services.kind_save(actor=request.user, kind=kind, **fields)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "无权维护许可事项")
        else:
            messages.success(request, f"已保存许可事项“{saved.name}”")
            return redirect("permits:kinds")
    return render(request, "permits/form.html", {
        "form": form, "title": f"修改许可事项：{kind.name}" if kind else "新增许可事项"})


# --- the applicant's rating page (no login) -------------------------------------------


def rate(request, token: str):
    app = selectors.rating_for_token(token)
    if app is None:
        raise Http404("评价链接无效")
    rated = Rating.objects.filter(application=app).exists()
    form = forms.RatingForm(request.POST or None)
    if request.method == "POST" and not rated and form.is_valid():
        try:
            services.rating_record(application=app, channel="online",
                                   **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            rated = True
    return render(request, "permits/rate.html", {"app": app, "form": form,
                                                 "rated": rated})


urlpatterns = [
    path("", queue, name="queue"),
    path("board/", board, name="board"),
    path("all/", application_list, name="list"),
    path("all/export.xlsx", application_export, name="export"),
    path("new/", register, name="register"),
    path("stats/", statistics, name="stats"),
    path("stats/export.xlsx", statistics_export, name="stats_export"),
    path("stats/<str:metric>/", statistics_records, name="stats_records"),
    path("complaints/", complaints, name="complaints"),
    path("kinds/", kind_list, name="kinds"),
    path("kinds/new/", kind_edit, name="kind_new"),
    path("kinds/<int:pk>/", kind_edit, name="kind_edit"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/instruments/<int:instrument_pk>/", instrument_download,
         name="instrument"),
    *PAGES.urls(),
]
rating_urlpatterns = [path("<str:token>/", rate, name="rate")]

"""Pages of the disclosure module: thin — parse, call a service or selector, render."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render

from fazhi.core.approvals import approval_rounds, extension_role, extension_rule
from fazhi.core.dates import year_check
from fazhi.core.exports import ledger_response, xlsx_response
from fazhi.core.matter_kinds import kind as matter_kind
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.disclosure import forms, law, selectors, services
from fazhi.disclosure.selectors import READ_ROLES, RequestFilters
from fazhi.disclosure.workflow import TABLE
from fazhi.ui.errors import bad_request
from fazhi.ui.evidence import evidence_download
from fazhi.ui.forms import form_page
from fazhi.ui.paging import page_by_ids
from fazhi.ui.steps import Step, StepPages, service

OFFICER = (Role.DISCLOSURE_OFFICER,)
KIND = matter_kind("disclosure.disclosurerequest")
EXTENSIONS = extension_rule(KIND)  # the chain of sign-offs of extension requests


def _filters(form) -> RequestFilters:
    if not form.is_valid():
        return RequestFilters()
    d = form.cleaned_data
    return RequestFilters(
        state=d["state"],
        channel=d["channel"],
        overdue=d["overdue"],
        assignee=d["assignee"].pk if d["assignee"] else None,
        received_from=d["received_from"],
        received_to=d["received_to"],
        q=d["q"].strip(),
    )


@require_roles(*READ_ROLES)
def request_list(request):
    form = forms.FilterForm(request.GET or None, actor=request.user)
    qs = selectors.request_list(actor=request.user, filters=_filters(form))
    page = page_by_ids(qs, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_register": request.user.has_role(*OFFICER),
            "overdue": selectors.request_list(
                actor=request.user, filters=selectors.RequestFilters(overdue=True)
            ).count(),
        },
    )


EXPORT_HEADERS = [
    "登记编号",
    "机关",
    "申请方式",
    "收到日期",
    "申请人类型",
    "申请人",
    "申请内容",
    "承办人",
    "状态",
    "答复期限",
    "答复日期",
    "答复类型",
    "逾期工作日数",
    "送达方式",
    "送达日期",
]


def _export_row(r) -> list:
    return [
        r.number,
        r.org_unit.division_name,
        r.get_channel_display(),
        r.received_on,
        r.get_requester_category_display(),
        r.requester_name,
        r.content,
        str(r.assignee),
        r.get_state_display(),
        r.reply_clock.due_date if r.reply_clock else None,
        r.replied_on,
        law.outcome_label(r.outcome),
        r.days_late or None,
        r.get_delivery_method_display(),
        r.delivered_on,
    ]


@require_roles(*READ_ROLES)
def request_export(request):
    form = forms.FilterForm(request.GET or None, actor=request.user)
    qs = selectors.request_list(actor=request.user, filters=_filters(form))
    return ledger_response("依申请公开办理台账.xlsx", "依申请公开", EXPORT_HEADERS, qs,
                           _export_row)


@require_roles(*OFFICER)
def request_register(request):
    form = forms.RegisterForm(
        request.POST or None, request.FILES or None, actor=request.user
    )
    return form_page(
        request, form,
        lambda data: services.request_register(actor=request.user, **data),
        done=lambda obj: f"已登记 {obj.number}，答复期限 {obj.reply_clock.due_date}",
        template="disclosure/form.html",
        context={"title": "登记依申请公开申请", "multipart": True},
    )


@require_roles(*READ_ROLES)
def request_detail(request, pk: int):
    obj = selectors.request_get(actor=request.user, pk=pk)
    officer = (
        request.user.has_role(*OFFICER) and request.user.org_unit_id == obj.org_unit_id
    )
    actions = TABLE.actions_open(obj.state, request.user.roles) if officer else []
    return render(
        request,
        "disclosure/detail.html",
        {
            "obj": obj,
            "timeline": selectors.request_timeline(obj),
            "evidence": selectors.request_evidence(obj),
            "instruments": selectors.request_instruments(obj),
            "clocks": selectors.request_clocks(obj),
            "consultations": obj.consultations.select_related("clock"),
            "extensions": selectors.request_extensions(obj),
            "actions": actions,
            "extension_rounds": approval_rounds(obj, EXTENSIONS),
            "may_decide": request.user.has_role(extension_role(KIND))
            and request.user.org_unit_id == obj.org_unit_id,
            "show_identity": selectors.may_see_identity(request.user),
            "outcome_label": law.outcome_label(obj.outcome),
            "correction_last_day": (
                services.correction_last_day(obj)
                if "correction_issue" in actions
                else None
            ),
        },
    )


def _get(request, pk):
    return selectors.request_get(actor=request.user, pk=pk)


def _req(fn, fields=None):
    return service(fn, "request", fields)


# Each row: URL, form, title, service (and which form fields it takes), message, roles.
# fmt: off
STEPS = {
    "correction": Step(
        "correction/", forms.CorrectionForm, "补正告知",
        lambda o, u, d: services.request_correction_issue(
            request=o, actor=u, issued_on=d["issued_on"],
            items=d["items"].splitlines(), deadline=d["deadline"]),
        "已发出补正告知，答复期限暂停，收到补正后重新计算", OFFICER,
        form_kwargs=lambda o, u: {"initial": {
            "items": "\n".join(selectors.request_missing_items(o))}}),
    "correction_complete": Step(
        "correction/complete/", forms.CompleteForm, "收到补正",
        _req(services.request_correction_complete),
        "已登记补正材料，答复期限自收到补正之日重新计算", OFFICER, multipart=True),
    "abandon": Step(
        "abandon/", forms.DayForm, "逾期未补正，视为放弃",
        _req(services.request_abandon, ("on",)), "已按视为放弃办结", OFFICER),
    "withdraw": Step(
        "withdraw/", forms.DayForm, "申请人撤回申请",
        _req(services.request_withdraw, ("on", "reason")), "已登记撤回，申请办结",
        OFFICER),
    "consult": Step(
        "consult/", forms.ConsultForm, "征求第三方或其他机关意见",
        _req(services.request_consult_start),
        "已发出征求意见函，征求意见时间不计入答复期限", OFFICER),
    "extension": Step(
        "extension/", forms.ExtensionForm, "申请延期答复",
        _req(services.request_extension_ask),
        "已提交延期申请，待政务公开机构负责人审批", OFFICER),
    "reply": Step(
        "reply/", forms.ReplyForm, "答复", _req(services.request_reply),
        "已答复并生成答复书", OFFICER, multipart=True,
        form_kwargs=lambda o, u: {"outcomes": law.outcome_choices()}),
    "deliver": Step(
        "deliver/", forms.DeliverForm, "登记送达", _req(services.request_deliver),
        "已登记送达", OFFICER, multipart=True),
    "fee": Step(
        "fee/", forms.FeeForm, "核定信息处理费", _req(services.request_fee_set),
        "已核定信息处理费", OFFICER),
}
# fmt: on


def _extension(actor, pk):
    """An extension request of a reply clock in the caller's subtree, with the
    request it belongs to (the page's way back)."""
    ext, request = selectors.extension_get(actor=actor, pk=pk)
    ext.request = request
    return ext


def _extension_context(name, extension) -> dict:
    """The decision page shows the request being signed (who asked, why)."""
    return {"rounds": approval_rounds(extension.request, EXTENSIONS)}


PAGES = StepPages(STEPS, lambda actor, pk: selectors.request_get(actor=actor, pk=pk),
                  "disclosure/form.html")
CONSULTATION_PAGES = StepPages(
    {"consult_answer": Step(
        "answer/", forms.ConsultAnswerForm, lambda c: f"登记{c.party_name}的意见",
        service(services.request_consult_answer, "consultation"),
        "已登记意见", OFFICER)},
    lambda actor, pk: selectors.consultation_get(actor=actor, pk=pk),
    "disclosure/form.html", prefix="consultations/<int:pk>/",
    back=lambda consultation: consultation.request)
EXTENSION_PAGES = StepPages(
    {"extension_decide": Step(
        "decide/", forms.ExtensionDecideForm,
        lambda e: f"审批延期申请：{e.days}个工作日，{e.reason}",
        service(services.request_extension_decide, "extension",
                ("approve", "reasons")),
        # The chain's deciding role in the rule data (the office head as shipped).
        "已审批延期申请", lambda e: (extension_role(KIND),))},
    lambda actor, pk: _extension(actor, pk),
    "disclosure/form.html", prefix="extensions/<int:pk>/",
    back=lambda extension: extension.request, context=_extension_context)


@require_roles(*READ_ROLES)
def instrument_download(request, pk: int, instrument_pk: int):
    obj = _get(request, pk)
    return evidence_download(
        scoped(selectors.request_instruments(obj), request.user), instrument_pk
    )



# --- annual OGI report statistics -------------------------------------------------


def _stats_scope(request):
    """The year and the organisation unit asked for, within the caller's subtree."""
    from django.utils import timezone

    from fazhi.core.selectors import org_unit_list

    units = org_unit_list(actor=request.user)
    code = request.GET.get("org") or request.user.org_unit.division_code
    org = get_scoped_or_404(units, request.user, "", division_code=code)
    raw = (request.GET.get("year") or "").strip()
    year = _year(raw) if raw else timezone.localdate().year
    return org, year, units


def _year(raw: str) -> int:
    """The statistical year asked for; a ValidationError (shown as a 400) if absurd."""
    if not raw.isdigit() or len(raw) > 4:
        raise ValidationError(
            {"year": f"年度“{raw[:12]}”不是年份，请写四位数字，如 2025"})
    return year_check(int(raw))


@require_roles(*READ_ROLES)
def stats(request):
    from fazhi.disclosure.stats import ogi_table_for

    try:
        org, year, units = _stats_scope(request)
    except ValidationError as exc:
        return bad_request(request, exc)
    table = ogi_table_for(org=org, year=year)
    rows = [(line.row, list(zip(table.layout.columns, line.cells, strict=True))
             if line.cells else None) for line in table.lines]
    return render(request, "disclosure/stats.html", {
        "rows": rows, "org": org, "year": year, "units": units,
        "years": range(year - 5, year + 2), "layout": table.layout})


@require_roles(*READ_ROLES)
def stats_export(request):
    from fazhi.disclosure.stats import ogi_table_for

    try:
        org, year, _ = _stats_scope(request)
    except ValidationError as exc:
        return bad_request(request, exc)
    table = ogi_table_for(org=org, year=year)
    headers = ["项目"] + [c.label for c in table.layout.columns]
    rows = [["　" * line.row.level + line.row.label]
            + ([c.value for c in line.cells] if line.cells else [])
            for line in table.lines]
    return xlsx_response(f"{org.name}{year}年政府信息公开年报表三.xlsx", "表三",
                         headers, rows)


@require_roles(*READ_ROLES)
def stats_cell(request, year: int, row: str, col: str):
    from fazhi.disclosure.stats import ogi_table_for

    try:
        org, _, _ = _stats_scope(request)
        year = year_check(year)
    except ValidationError as exc:
        return bad_request(request, exc)
    table = ogi_table_for(org=org, year=year)
    try:
        cell = table.cell(row, col)
    except (KeyError, LookupError):
        from django.http import Http404

        raise Http404("没有这一统计项") from None
    requests = selectors.request_list(actor=request.user).filter(pk__in=cell.ids)
    label = next(line.row.label for line in table.lines if line.row.code == row)
    column = next(c.label for c in table.layout.columns if c.code == col)
    return render(request, "disclosure/stats_cell.html", {
        "requests": requests, "year": year, "org": org, "row_label": label,
        "column_label": column, "value": cell.value})

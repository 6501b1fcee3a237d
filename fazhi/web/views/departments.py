"""股室管理: the system administrator keeps the list of a bureau's departments.

A county's system administrator manages their own bureau's; a city's or the
province's chooses a bureau of their subtree. A department is added, renamed,
deactivated (with a confirmation saying what names it) and put back into use; it
is never deleted, since accounts and records name it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core import selectors, services
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.ui.forms import add_service_errors, form_page


class DepartmentForm(forms.Form):
    name = forms.CharField(label="股室名称", max_length=100,
                           help_text="如 执法大队、法规股、审批窗口")


def _list_url(org) -> str:
    return f"{reverse('web:department_list')}?org={org.division_code}"


@require_roles(Role.SYSTEM_ADMIN)
def department_list(request):
    actor = request.user
    if actor.org_unit is None:
        raise PermissionDenied("您的账户尚未归属任何机关，请联系上级机关的系统管理员")
    code = request.GET.get("org") or actor.org_unit.division_code
    org = selectors.org_unit_get(actor=actor, division_code=code)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dept = services.department_create(org_unit=org, actor=actor,
                                              name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已添加股室 {dept.name}")
            return redirect(_list_url(org))
    return render(request, "web/department_list.html", {
        "org": org, "form": form, "units": selectors.org_unit_list(actor=actor),
        "departments": selectors.department_list(actor=actor, org_unit=org)})


@require_roles(Role.SYSTEM_ADMIN)
def department_rename(request, pk: int):
    dept = selectors.department_get(actor=request.user, pk=pk)
    form = DepartmentForm(request.POST or None, initial={"name": dept.name})
    return form_page(
        request, form,
        lambda data: services.department_rename(department=dept, actor=request.user,
                                                **data),
        done=lambda d: f"已更名为 {d.name}", then=_list_url(dept.org_unit),
        template="web/department_form.html",
        context={"dept": dept, "cancel": _list_url(dept.org_unit)})


@require_roles(Role.SYSTEM_ADMIN)
def department_deactivate(request, pk: int):
    """GET: what names the department and what deactivating does; POST: do it."""
    dept = selectors.department_get(actor=request.user, pk=pk)
    if request.method == "POST":
        _set_active(request, dept, active=False)
        return redirect(_list_url(dept.org_unit))
    return render(request, "web/department_deactivate.html", {
        "dept": dept, "references": selectors.department_references(dept),
        "cancel": _list_url(dept.org_unit)})


@require_roles(Role.SYSTEM_ADMIN)
@require_POST
def department_reactivate(request, pk: int):
    dept = selectors.department_get(actor=request.user, pk=pk)
    _set_active(request, dept, active=True)
    return redirect(_list_url(dept.org_unit))


def _set_active(request, dept, *, active: bool) -> None:
    service = services.department_reactivate if active else \
        services.department_deactivate
    try:
        service(department=dept, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已{'恢复使用' if active else '停用'}股室 {dept.name}")

"""Pages of the three separated administrators: users, roles, holiday table."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core import services, tokens
from fazhi.core.models import Department, OrgUnit, User, UserRole
from fazhi.core.permissions import require_roles
from fazhi.core.roles import ADMIN_ROLES, Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.core.selectors import department_choices
from fazhi.deadlines.holidays import holiday_year_save
from fazhi.deadlines.models import HolidayYear
from fazhi.ui.forms import add_service_errors, department_chooser


def _users(actor):
    grants = Prefetch("role_grants", queryset=UserRole.objects.order_by("role"))
    return scoped(User.objects.all(), actor).select_related(
        "org_unit", "department").prefetch_related(grants).order_by("org_unit__path",
                                                                    "username")


class UserForm(forms.Form):
    username = forms.RegexField(label="用户名", regex=r"^[A-Za-z0-9_.-]{3,30}$",
                                error_messages={"invalid": "3–30位字母、数字、下划线"})
    full_name = forms.CharField(label="姓名", max_length=50)
    org_unit = forms.ModelChoiceField(label="机关", queryset=OrgUnit.objects.none())
    department = forms.ModelChoiceField(label="股室", required=False,
                                        queryset=Department.objects.none())
    phone = forms.CharField(label="联系电话", required=False, max_length=30)
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput,
                               min_length=10)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        units = scoped(OrgUnit.objects.all(), actor, "")
        self.fields["org_unit"].queryset = units
        department_chooser(self.fields["department"], actor=actor,
                           departments=department_choices(org_units=units))
        if len(units) == 1:  # one bureau: its departments by name alone
            self.fields["department"].label_from_instance = lambda d: d.name


@require_roles(Role.SYSTEM_ADMIN)
def user_list(request):
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建用户 {data['full_name']}")
            return redirect("web:user_list")
    users = list(_users(request.user))
    for u in users:
        # 三员分设: another administrator's account cannot be disabled here.
        u.is_admin = any(g.role in ADMIN_ROLES for g in u.role_grants.all())
    return render(request, "web/user_list.html", {"users": users, "form": form})


@require_roles(Role.SYSTEM_ADMIN)
@require_POST
def user_set_active(request, pk: int):
    user = get_scoped_or_404(User.objects.all(), request.user, pk=pk)
    try:
        services.user_set_active(user=user, active=request.POST.get("active") == "1",
                                 actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, f"已{'启用' if user.is_active else '停用'} {user}")
    return redirect("web:user_list")


@require_roles(Role.SECURITY_ADMIN)
def role_list(request):
    return render(request, "web/role_list.html",
                  {"users": _users(request.user), "roles": Role.choices,
                   "admin_roles": sorted(ADMIN_ROLES)})


@require_roles(Role.SECURITY_ADMIN)
def token_list(request):
    live = tokens.token_list_live(actor=request.user)
    for token in live:
        token.ends_at = tokens.token_idle_end(token)
    return render(request, "web/token_list.html", {
        "tokens": live, "idle_minutes": settings.API_TOKEN_IDLE_MINUTES,
        "days": settings.API_TOKEN_DAYS})


@require_roles(Role.SECURITY_ADMIN)
@require_POST
def token_revoke(request, pk: int):
    token = tokens.token_get(actor=request.user, pk=pk)
    if tokens.token_revoke(token=token, actor=request.user, reason="安全管理员吊销"):
        messages.success(request, f"已吊销 {token}")
    return redirect("web:token_list")


@require_roles(Role.SECURITY_ADMIN)
@require_POST
def role_change(request, pk: int):
    user = get_scoped_or_404(User.objects.all(), request.user, pk=pk)
    role, grant = request.POST.get("role", ""), request.POST.get("grant") == "1"
    if role not in Role.values:
        messages.error(request, "请选择有效的角色")
        return redirect("web:role_list")
    try:
        if grant:
            services.user_grant_role(user=user, role=role, actor=request.user,
                                     badge_number=request.POST.get("badge_number", ""))
        else:
            services.user_revoke_role(user=user, role=role, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        verb = "授予" if grant else "撤销"
        messages.success(request, f"已为 {user} {verb}角色：{Role(role).label}")
    return redirect("web:role_list")


class HolidayForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    notice_number = forms.CharField(label="国务院办公厅通知文号", max_length=50)
    notice_title = forms.CharField(label="通知标题", max_length=200, required=False)
    holidays = forms.CharField(
        label="放假日期", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一个日期或区间，如 2027-02-05 或 2027-02-05~2027-02-13")
    workdays = forms.CharField(
        label="调休上班日期（周末上班）", required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label="我已核对通知原文，确认保存并重新计算受影响的期限")

    def clean_holidays(self):
        return parse_dates(self.cleaned_data["holidays"], "holidays")

    def clean_workdays(self):
        return parse_dates(self.cleaned_data["workdays"], "workdays")


def parse_dates(text: str, field: str) -> set[dt.date]:
    """Parse one date or ``A~B`` range per line (commas also separate)."""
    days: set[dt.date] = set()
    for raw in text.replace("，", "\n").replace(",", "\n").splitlines():
        item = raw.strip()
        if not item:
            continue
        try:
            first, _, last = item.partition("~")
            a = dt.date.fromisoformat(first.strip())
            b = dt.date.fromisoformat(last.strip()) if last else a
        except ValueError:
            raise forms.ValidationError(
                f"无法识别的日期：“{item}”，请写成 2027-02-05") from None
        if b < a or (b - a).days > 31:
            raise forms.ValidationError(f"区间“{item}”不合理")
        days.update(a + dt.timedelta(n) for n in range((b - a).days + 1))
    return days


@require_roles(Role.SYSTEM_ADMIN)
def holiday_list(request):
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = holiday_year_save(
                year=data["year"], notice_number=data["notice_number"],
                notice_title=data["notice_title"], holidays=data["holidays"],
                workdays=data["workdays"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存{data['year']}年节假日安排，"
                                      f"重新计算后有 {changed} 个期限的届满日发生变化")
            return redirect("web:holiday_list")
    years = HolidayYear.objects.prefetch_related("days")
    return render(request, "web/holiday_list.html", {"years": years, "form": form})


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)

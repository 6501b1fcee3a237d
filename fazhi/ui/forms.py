"""Form helpers shared by every module's pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join

from fazhi.core.dates import PAST_DAYS, date_check


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_page(request, form, call: Callable[[dict], Any], *, done: str | Callable,
              template: str, then: Any = None, context: Mapping | None = None,
              denied_on_form: bool = False) -> HttpResponse:
    """A page that takes one action through ``form``: GET shows it; a valid POST
    runs ``call(cleaned_data)``, says ``done`` and goes on to ``then`` — by
    default to what ``call`` returned (a record, or a URL).

    ``done`` and ``then`` may be functions of what ``call`` returned (``then`` is
    anything ``redirect`` takes: a record, a URL, a URL name). A service's refusal
    lands on the form; with ``denied_on_form`` a PermissionDenied does too (when
    the service, not the page, knows who may act) instead of a 403.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            if not denied_on_form:
                raise
            form.add_error(None, str(exc) or "无权办理此事项")
        else:
            messages.success(request, done(result) if callable(done) else done)
            if then is None:
                return redirect(result)
            return redirect(then(result) if callable(then) else then)
    return render(request, template, {"form": form, **(context or {})})


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list, empty when
    none was chosen."""

    widget = MultiFileInput

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f]


ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The one date box of every form: ``<input type="date">`` holding an ISO value.

    The browser draws its own picker, in Chinese on our ``lang="zh-CN"`` pages and
    with nothing to download, so it works offline. It shows only an ISO value
    (2026-12-08); Django's Chinese format (2026/12/08) would leave the box blank and
    a required box then stops the form. Forms use this widget, never their own.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """The one date-and-time box: ``<input type="datetime-local">``, ISO value."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATETIME)


class DateField(forms.DateField):
    """A date as the box sends it (ISO); the services decide what dates are allowed."""

    widget = DateInput


class DateTimeField(forms.DateTimeField):
    """A date and time as the box sends it, read in the bureau's time zone."""

    widget = DateTimeInput
    input_formats = [ISO_DATETIME, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class PlausibleDateField(DateField):
    """A date field that refuses a date outside the plausible window of core.dates.

    A filter or a form that takes year 1 or 9999 would reach date arithmetic and the
    working-day calendar with it (a 500); here it is a form error saying why.
    """

    def __init__(self, *, past_days: int = PAST_DAYS, future_days: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.past_days, self.future_days = past_days, future_days

    def validate(self, value) -> None:
        super().validate(value)
        try:
            date_check(value, field="value", label=str(self.label or "日期"),
                       past_days=self.past_days, future_days=self.future_days)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["value"]) from None


class SignOffForm(forms.Form):
    """One sign-off on a chain (fazhi.core.approvals): 同意, or 不同意 with reasons."""

    agree = forms.TypedChoiceField(label="审批意见", coerce=lambda v: v == "1",
                                   choices=[("1", "同意"), ("0", "不同意（退回承办人）")],
                                   widget=forms.RadioSelect)
    reasons = forms.CharField(label="意见说明（不同意的须写明理由）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("agree") is False and not data.get("reasons", "").strip():
            self.add_error("reasons", "不同意的，须写明理由，退回承办人")
        return data


class DatalistInput(forms.TextInput):
    """A text box offering ``options`` [(value, label)] as suggestions (the
    browser's own list, filtered as one types; nothing fetched)."""

    def __init__(self, options, attrs=None):
        super().__init__(attrs)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{name}-options"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        box = super().render(name, value, attrs, renderer)
        items = format_html_join("", '<option value="{}">{}</option>', self.options)
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, items)


class EmptyChooser(forms.Widget):
    """Stands where a chooser would offer nothing: says why, and what to do about
    it, instead of an empty list. Nothing is sent from it."""

    def __init__(self, note: str, attrs=None):
        super().__init__(attrs)
        self.note = note

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<p class="empty">{}</p>', self.note)

    def value_from_datadict(self, data, files, name):
        return None

    def id_for_label(self, id_):
        return ""  # no box to point the label at


def department_chooser(field, *, departments, org_unit=None, actor=None) -> None:
    """Offer ``departments`` (``core.selectors.department_choices``) in ``field``.

    When there are none, the field says so: to a system administrator over
    ``org_unit`` (by default their own bureau) with a link to the 股室 page, to
    anyone else naming the bureau's system administrators to ask.
    """
    field.queryset = departments
    if departments.exists():
        return
    field.widget = EmptyChooser(_no_departments(org_unit, actor))
    field.help_text = ""


def _no_departments(org_unit, actor) -> str:
    from django.urls import reverse

    from fazhi.core.roles import Role
    from fazhi.core.selectors import system_admins_of

    home = getattr(actor, "org_unit", None)
    org_unit = org_unit or home
    where = org_unit.name if org_unit is not None else "本机关"
    if (actor is not None and home is not None and org_unit is not None
            and actor.has_role(Role.SYSTEM_ADMIN) and home.contains(org_unit)):
        url = f"{reverse('web:department_list')}?org={org_unit.division_code}"
        return format_html('{}尚未设置股室。<a href="{}">添加股室</a>', where, url)
    admins = system_admins_of(org_unit) if org_unit is not None else []
    who = (f"本局系统管理员（{'、'.join(admins)}）" if admins
           else "上级机关的系统管理员")
    return f"{where}尚未设置股室，请{who}在“用户管理 › 股室管理”中添加。"

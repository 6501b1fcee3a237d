"""规则采用: the placeholders still in force, and adopting a document for a rule set.

The system administrator sees every rule value still standing only as fazhi's
preset, the documents the bureau adopted, and adopts one by entering it (title,
number, date, scanned copy) or by loading a province's file.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core import adoptions
from fazhi.core.models import AdoptedStanding, RuleAdoption
from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.core.ruledata import Standing
from fazhi.deadlines.registry import rules_registry
from fazhi.ui.forms import DateField, add_service_errors


class AdoptForm(forms.Form):
    rule = forms.ChoiceField(label="规则", choices=list(adoptions.ADOPTABLE.items()))
    standing = forms.ChoiceField(label="效力", choices=AdoptedStanding.choices)
    title = forms.CharField(label="文件名称", max_length=200)
    document = forms.CharField(label="文号", max_length=100,
                               help_text="如 湘自然资规〔2022〕1号")
    issued_on = DateField(label="印发日期")
    in_force = DateField(label="施行日期", required=False)
    scan = forms.FileField(label="文件扫描件")


def placeholders() -> list[tuple[str, str]]:
    """Return (rule set, item) for each value still standing as fazhi's preset: the
    apps' own lists (``adoptions.presets``), then the periods."""
    return [*adoptions.presets(),
            *(("办理期限", rule.name) for rule in rules_registry().values()
              if rule.standing == Standing.PRESET)]


@require_roles(Role.SYSTEM_ADMIN)
def rule_adoptions(request):
    form = AdoptForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            adoption = adoptions.rule_adopt(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已采用《{adoption.title}》（{adoption.document}）")
            return redirect("web:rule_adoptions")
    return render(request, "web/rule_adoptions.html", {
        "form": form, "multipart": True, "placeholders": placeholders(),
        "adopted": RuleAdoption.objects.select_related("adopted_by", "scan"),
        "provinces": adoptions.provinces(), "labels": adoptions.ADOPTABLE,
    })


@require_roles(Role.SYSTEM_ADMIN)
@require_POST
def province_adopt(request, key: str):
    try:
        done = adoptions.province_adopt(actor=request.user, key=key)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "已采用：" + "、".join(
            f"《{a.title}》（{a.document}）" for a in done))
    return redirect("web:rule_adoptions")

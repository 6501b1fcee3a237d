"""请假代理 (name a stand-in for a period) and 工作交接 (a head hands a person's
open matters to another): thin pages over ``fazhi.core.standins`` and
``fazhi.work.handover``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import standins
from fazhi.core.models import User
from fazhi.core.permissions import require_roles
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.core.selectors import staff_for_work
from fazhi.ui.forms import DateField, add_service_errors
from fazhi.work import handover

STANDIN_ROLES = (*BUSINESS_ROLES, Role.SECURITY_ADMIN)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        roles = "、".join(Role(r).label for r in sorted(obj.granted_roles)
                         if r in BUSINESS_ROLES)
        gone = "" if obj.is_active else "（已停用）"
        return f"{obj}{gone}（{roles}）" if roles else f"{obj}{gone}"


class StandInForm(forms.Form):
    absent = PersonChoice(label="请假人", queryset=User.objects.none())
    standin = PersonChoice(label="代理人", queryset=User.objects.none(),
                           help_text="本人登记的，代理人须担任相同岗位角色；"
                                     "负责人可指定本机关其他人员")
    starts_on = DateField(label="起始日")
    ends_on = DateField(label="结束日")
    reason = forms.CharField(
        label="事由", max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：年休假、出差、培训"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        people = standins.people_for(actor)
        self.fields["absent"].queryset = people
        self.fields["absent"].initial = actor.pk if people.filter(pk=actor.pk).exists() \
            else None
        units = set(people.values_list("org_unit_id", flat=True))
        self.fields["standin"].queryset = (
            staff_for_work(org_unit_ids=units).order_by("org_unit__path", "username"))
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today


@require_roles(*STANDIN_ROLES)
def standin_list(request):
    actor = request.user
    form = StandInForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            period = standins.standin_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记：{period}")
            return redirect("web:standins")
    today = timezone.localdate()
    periods = list(standins.standins_seen_by(actor))
    for p in periods:
        p.state_label = p.status(today)
        p.may_end = (p.ended_at is None and p.ends_on >= today
                     and (actor.pk == p.standin_id or standins.may_enter_for(actor, p.absent)))
    current = [p for p in periods if p.ended_at is None and p.ends_on >= today]
    past = [p for p in periods if p not in current]
    return render(request, "web/standins.html", {
        "form": form, "current": current, "past": past[:100], "today": today,
        "may_enter": bool(form.fields["absent"].queryset.exists())})


@require_roles(*STANDIN_ROLES)
@require_POST
def standin_end(request, pk: int):
    period = get_object_or_404(standins.standins_seen_by(request.user), pk=pk)
    try:
        standins.standin_end(period=period, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已结束代理：{period.standin}不再代{period.absent}办理")
    return redirect("web:standins")


class HandOverForm(forms.Form):
    keys = forms.MultipleChoiceField(label="交接的事项", widget=forms.CheckboxSelectMultiple)
    to = PersonChoice(label="接手人", queryset=User.objects.none())
    reason = forms.CharField(
        label="交接理由", max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：调岗、离职、长期病假"}))
    confirm = forms.BooleanField(label="已核对上述事项，确认交接", required=True)

    def __init__(self, *args, person, held, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [(h.key, h.title) for h in held]
        self.fields["keys"].initial = [h.key for h in held]
        self.fields["to"].queryset = handover.successors(person, held)


HEADS = sorted(handover.HEADS)


@require_roles(*HEADS)
def hand_over(request):
    actor = request.user
    if not handover.may_hand_over(actor):
        raise PermissionDenied("只有负责人或科室负责人可以办理工作交接")
    orphaned = handover.orphaned(actor.org_unit)
    people = list(handover.people_of(actor))
    person = None
    pk = request.GET.get("person") or request.POST.get("person")
    if pk:  # a mistyped address finds nobody (404), not an error page
        person = get_object_or_404(handover.people_of(actor),
                                   pk=int(pk) if pk.isdigit() else 0)
    held = handover.held_by(person) if person else []
    form = None
    if person is not None and held:
        form = HandOverForm(request.POST or None, person=person, held=held)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                moved = handover.hand_over(person=person, to=data["to"],
                                           reason=data["reason"], actor=actor,
                                           keys=data["keys"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已将{person}的{len(moved)}件事项交由"
                                          f"{data['to']}承办")
                return redirect(f"{request.path}?person={person.pk}")
    left = {}
    for h in orphaned:
        left.setdefault(h.person, []).append(h)
    return render(request, "web/handover.html", {
        "people": people, "person": person, "held": held, "form": form,
        "orphaned": orphaned, "left": sorted(left.items(), key=lambda x: x[0].username),
    })

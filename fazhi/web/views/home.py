"""我的待办 (the caller's work items and clocks), clock detail, notifications."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import matter_kinds
from fazhi.core import services as core_services
from fazhi.core.models import Notification
from fazhi.core.notices import outbound
from fazhi.core.permissions import require_roles
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.core.scope import get_scoped_or_404
from fazhi.deadlines import selectors as clocks
from fazhi.deadlines.calendars import years_missing
from fazhi.deadlines.registry import rules_registry
from fazhi.ui.forms import add_service_errors
from fazhi.web.navigation import is_admin_only, menu_for
from fazhi.work import items as work
from fazhi.work import oversight

LIMIT = 200  # rows a list shows; the counts say how many there are
_PHONE = re.compile(r"Mobi|Android|iPhone")


def is_phone(request) -> bool:
    """Tell whether the page is asked for by a phone (its browser says so)."""
    return bool(_PHONE.search(request.headers.get("User-Agent", "")))


@login_required
def home(request):
    user = request.user
    if is_admin_only(user):
        items = menu_for(user, request.path)
        return redirect(items[0]["url"] if items else "web:notifications")
    today = timezone.localdate()
    mine = work.items_mine(user, today)
    module = request.GET.get("module", "")
    phone = is_phone(request)  # field tasks first: the officer is on site
    counts = mine.counts
    context = {
        "items": work.with_returns(work.with_since(
            mine.first(LIMIT, module=module, field_first=phone))),
        "shown_count": mine.count(module), "module": module, "today": today,
        "total": mine.count(),
        "modules": [(m, matter_kinds.module_label(m), counts[m])
                    for m in _modules() if counts[m]],
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
    if phone:
        return render(request, "web/home_phone.html", context)
    people = oversight.people_overdue(user, today, mine=mine)
    units = oversight.counts_by_unit(user, today)
    columns = oversight.modules()
    return render(request, "web/home.html", {
        **context, "people": work.with_since(people.first(LIMIT)),
        "people_count": people.count(), "overseer": bool(oversight.overseen_roles(user)),
        "columns": [(m, matter_kinds.module_label(m)) for m in columns],
        "units": [(u, u.cells(columns)) for u in units],
    })


def _modules() -> list[str]:
    """Every module that registers matters, in the registry's order."""
    return list(dict.fromkeys(k.app_label for k in matter_kinds.kinds()))


@require_roles(*BUSINESS_ROLES)
def clock_detail(request, pk: int):
    clock = clocks.clock_get(actor=request.user, pk=pk)
    matter = clock.matter
    return render(request, "web/clock_detail.html", {
        "clock": clock, "steps": clock.explanation.splitlines(),
        "rule": rules_registry().get(clock.rule_id),
        "matter_url": matter_kinds.matter_url(matter),
        "matter_title": matter_kinds.matter_title(matter) if matter else "",
        "pauses": clock.pauses.all(), "extensions": clock.extensions.all(),
    })


class ContactForm(forms.Form):
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.CharField(label="手机号码", required=False, max_length=30)


@login_required
def notifications(request):
    """The person's notifications, newest first; where copies are sent out, the
    form that says where they reach them."""
    user = request.user
    channels = outbound.channel_labels()
    form = ContactForm(request.POST or None,
                       initial={"email": user.email, "phone": user.phone})
    if channels and request.method == "POST" and form.is_valid():
        try:
            core_services.user_contact_set(user=user, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存通知接收方式")
            return redirect("web:notifications")
    qs = Notification.objects.filter(user=user).select_related("clock")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html",
                  {"page": page, "channels": "、".join(channels), "form": form})


@login_required
@require_POST
def notification_read(request, pk: int):
    # Notifications are the caller's own: someone else's is a 404 like any other.
    note = get_scoped_or_404(Notification.objects.filter(user=request.user),
                             request.user, pk=pk)
    Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(
        read_at=timezone.now())
    return redirect(note.link or "web:notifications")


def provisional_banner(user) -> dict:
    """How many open clocks wait on a year with no holiday data (administrators)."""
    if not user.has_role(Role.SYSTEM_ADMIN):
        return {}
    today = timezone.localdate()
    return {"provisional_count": clocks.clock_count_provisional(actor=user),
            "missing_years": years_missing(today)}

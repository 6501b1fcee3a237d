"""Read queries for permit applications, scoped to the caller's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fazhi.core.models import AuditEvent, Evidence
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.models import Clock
from fazhi.permits import workflow
from fazhi.permits.models import Application, Extension, ExtensionState, Rating

READ_ROLES = (Role.WINDOW_CLERK, Role.PRINCIPAL, Role.SUPERVISOR,
              Role.LEGAL_AFFAIRS_OFFICER)
OPEN_STATES = tuple(workflow.OPEN)


@dataclass(frozen=True)
class Filters:
    kind: int | None = None
    state: str = ""
    clerk: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""


def application_list(*, actor, filters: Filters | None = None) -> QuerySet:
    """Applications of the caller's subtree, newest first."""
    f = filters or Filters()
    qs = scoped(Application.objects.all(), actor).select_related(
        "kind", "clerk", "org_unit", "promised_clock", "decision_clock")
    if f.kind:
        qs = qs.filter(kind_id=f.kind)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.clerk:
        qs = qs.filter(clerk_id=f.clerk)
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(applicant_name__icontains=f.q)
                       | Q(project_name__icontains=f.q))
    return qs


def application_queue(*, actor) -> QuerySet:
    """The clerk's open applications, the soonest due first (none due: last)."""
    return (Application.objects.filter(clerk=actor, state__in=OPEN_STATES)
            .select_related("kind", "promised_clock", "decision_clock",
                            "certificate_clock")
            .order_by("due_date", "pk"))


def application_board(*, actor) -> QuerySet:
    """Every open application of the caller's subtree, by kind then due date."""
    return (scoped(Application.objects.filter(state__in=OPEN_STATES), actor)
            .select_related("kind", "clerk", "org_unit", "promised_clock",
                            "decision_clock", "certificate_clock")
            .order_by("kind_id", "due_date", "pk"))


def application_get(*, actor, pk) -> Application:
    """The application, or Http404 outside the caller's subtree."""
    return get_scoped_or_404(
        Application.objects.select_related(
            "kind", "clerk", "org_unit", "decision_clock", "promised_clock",
            "certificate_clock", "created_by"),
        actor, pk=pk)


def application_timeline(app: Application) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="permits.Application",
                                     object_id=str(app.pk)).order_by("seq")


def application_clocks(app: Application) -> QuerySet[Clock]:
    return Clock.objects.filter(
        content_type__app_label="permits", content_type__model="application",
        object_id=str(app.pk)).prefetch_related("pauses", "extensions").order_by("pk")


def application_evidence(app: Application) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        content_type__app_label="permits", content_type__model="application",
        object_id=str(app.pk)).order_by("pk")


def complaint_list(*, actor) -> QuerySet[Rating]:
    """Bad ratings of the caller's subtree, unanswered first, soonest due first."""
    return (scoped(Rating.objects.filter(complaint_clock__isnull=False), actor,
                   field="application__org_unit")
            .select_related("application__kind", "application__clerk",
                            "complaint_clock")
            .order_by("answered_on", "complaint_clock__due_date", "pk"))


def extensions_pending(*, actor) -> QuerySet[Extension]:
    """Extensions of the subtree waiting for the principal, oldest first."""
    return (scoped(Extension.objects.filter(state=ExtensionState.PENDING), actor,
                   field="application__org_unit")
            .select_related("application__kind", "requested_by",
                            "application__decision_clock")
            .order_by("requested_on", "pk"))


def rating_for_token(token: str) -> Application | None:
    return Application.objects.select_related("kind", "org_unit").filter(
        rating_token=token).first()

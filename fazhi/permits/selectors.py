"""Read queries for permit applications, scoped to the caller's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from fazhi.core.filters import narrow, search
from fazhi.core.models import AuditEvent, Evidence
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.models import Clock, ClockExtension, ExtensionState
from fazhi.deadlines.overdue import by_due, overdue_ids, overdue_q
from fazhi.permits import workflow
from fazhi.permits.models import (
    Application,
    PermitKind,
    Rating,
)

READ_ROLES = (Role.WINDOW_CLERK, Role.SECTION_HEAD, Role.PRINCIPAL, Role.SUPERVISOR,
              Role.LEGAL_AFFAIRS_OFFICER)
OPEN_STATES = workflow.TABLE.open_states
CLOCKS = ("decision_clock", "promised_clock", "certificate_clock")
# A clock's explanation runs to half a kilobyte; lists never show it.
DEFERRED = tuple(f"{c}__explanation" for c in CLOCKS)
BOARD_ROWS = 50  # per kind, the soonest due; the rest through the ledger


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
        "kind", "clerk", "org_unit", *CLOCKS).defer(*DEFERRED)
    qs = narrow(qs, kind_id=f.kind, state=f.state, clerk_id=f.clerk,
                received_on__gte=f.received_from, received_on__lte=f.received_to)
    return search(qs, f.q, "number", "applicant_name", "project_name")


def application_queue(*, actor) -> QuerySet:
    """The clerk's open applications, the soonest due first (none due: last)."""
    return (Application.objects.filter(clerk=actor, state__in=OPEN_STATES)
            .select_related("kind", *CLOCKS).defer(*DEFERRED)
            .order_by(*by_due()))


def overdue_count(qs: QuerySet[Application]) -> int:
    """How many of ``qs`` have a duty of the bureau past due today (超期)."""
    return qs.filter(pk__in=overdue_ids(Application, timezone.localdate())).count()


def application_board_overdue(*, actor) -> int:
    """Open applications of the caller's subtree that are overdue (超期)."""
    return overdue_count(scoped(Application.objects.filter(state__in=OPEN_STATES),
                                actor))


def complaint_overdue(*, actor) -> int:
    """Bad ratings of the caller's subtree whose answer is overdue (超期)."""
    late = Clock.objects.filter(overdue_q(timezone.localdate()))
    return complaint_list(actor=actor).filter(complaint_clock__in=late).count()


def application_board(*, actor) -> list[tuple]:
    """Open applications of the caller's subtree by kind: (kind, count, the
    soonest ``BOARD_ROWS`` of them)."""
    open_ = scoped(Application.objects.filter(state__in=OPEN_STATES), actor)
    counts = dict(open_.values("kind_id").annotate(n=Count("pk")).order_by()
                  .values_list("kind_id", "n"))
    board = []
    for kind in PermitKind.objects.select_related("org_unit").filter(pk__in=counts):
        rows = (open_.filter(kind=kind)
                .select_related("kind", "clerk", "org_unit", *CLOCKS)
                .defer(*DEFERRED).order_by(*by_due())[:BOARD_ROWS])
        board.append((kind, counts[kind.pk], list(rows)))
    return board


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


def signing_waiting(*, actor) -> QuerySet:
    """Applications of the caller's own bureau whose sign-off waits on a role the
    caller holds (待审核: the section head; 待批准: the principal), oldest first."""
    states = [s for s in workflow.TABLE.open_states
              if workflow.TABLE.waits_on(s) in actor.roles
              and s in (workflow.REVIEWING, workflow.SIGNING)]
    return (Application.objects.filter(org_unit_id=actor.org_unit_id, state__in=states)
            .select_related("kind", "clerk", *CLOCKS).defer(*DEFERRED)
            .order_by(*by_due()))


def extensions_pending(*, actor) -> list[ClockExtension]:
    """Extensions of the subtree waiting for the principal, oldest first; each
    carries its ``application``."""
    apps = {a.decision_clock_id: a for a in scoped(
        Application.objects.filter(
            decision_clock__extensions__state=ExtensionState.PENDING), actor)
        .select_related("kind", "decision_clock")}
    pending = (ClockExtension.objects.filter(state=ExtensionState.PENDING,
                                             clock__in=list(apps))
               .select_related("requested_by").order_by("requested_at", "pk"))
    for ext in pending:
        ext.application = apps[ext.clock_id]
    return list(pending)


def application_extension(app: Application) -> ClockExtension | None:
    """The application's extension request (the decision period's), if any."""
    if app.decision_clock_id is None:
        return None
    return app.decision_clock.extensions.select_related(
        "requested_by", "decided_by").order_by("-requested_at", "-pk").first()


def kind_list(*, actor) -> QuerySet[PermitKind]:
    """Permit kinds of the caller's subtree, bureau by bureau (each owns its own)."""
    return scoped(PermitKind.objects.select_related("org_unit"), actor).order_by(
        "org_unit__path", "pk")


def kind_get(*, actor, pk) -> PermitKind:
    """The kind, or Http404 outside the caller's subtree."""
    return get_scoped_or_404(PermitKind.objects.select_related("org_unit"), actor,
                             pk=pk)


def kind_choices(*, actor) -> QuerySet[PermitKind]:
    """The kinds the caller's own bureau takes applications for."""
    return PermitKind.objects.filter(org_unit_id=actor.org_unit_id, is_active=True)


def rating_for_token(token: str) -> Application | None:
    return Application.objects.select_related("kind", "org_unit").filter(
        rating_token=token).first()


def materials_missing(*, application: Application) -> list[str]:
    """The labels of the required materials neither handed in nor waived."""
    return workflow.missing_materials([(m.label, m.required, m.provided, m.waived)
                                       for m in application.materials.all()])

"""Read side of deadlines: clock lists scoped to the caller's subtree."""

from __future__ import annotations

from django.db.models import QuerySet

from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.models import OPEN_STATES, Clock
from fazhi.deadlines.overdue import by_due


def clock_list_open(*, actor) -> QuerySet[Clock]:
    """Open clocks in the caller's subtree, soonest first (none for administrators)."""
    return scoped(Clock.objects.filter(state__in=_OPEN), actor,
                  business=True).select_related(
        "assignee", "org_unit"
    ).order_by(*by_due())


def clock_list_mine(*, actor) -> QuerySet[Clock]:
    """The caller's own open clocks (我的待办), soonest first."""
    return clock_list_open(actor=actor).filter(assignee=actor)


def clock_get(*, actor, pk) -> Clock:
    """One clock in the caller's subtree, or 404 (always for administrators: a clock's
    title names the case or permit)."""
    return get_scoped_or_404(Clock.objects.all(), actor, business=True, pk=pk)


def clock_count_provisional(*, actor) -> int:
    """How many open clocks in the subtree wait on a year with no holiday data.

    A count only: the system administrator's banner asks for the holiday table.
    """
    return scoped(Clock.objects.filter(state__in=_OPEN, provisional=True),
                  actor).count()


_OPEN = OPEN_STATES

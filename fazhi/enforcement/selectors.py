"""Read queries for enforcement cases, scoped to the caller's subtree."""

from __future__ import annotations

from django.db.models import QuerySet

from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.enforcement.models import Case


def case_list(*, actor) -> QuerySet[Case]:
    """Cases of the caller's subtree, newest first."""
    return scoped(Case.objects.all(), actor).select_related("org_unit", "case_clock")


def case_get(*, actor, pk) -> Case:
    """The case, or Http404 when it is outside the caller's subtree."""
    return get_scoped_or_404(
        Case.objects.select_related(
            "org_unit",
            "case_clock",
            "statement_clock",
            "hearing_clock",
            "payment_clock",
        ),
        actor,
        pk=pk,
    )

"""Read queries of the core app, each scoped to the caller's subtree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.core.scope import get_scoped_or_404, scoped


def audit_event_search(
    *, actor, object_type: str = "", object_id: str = "", actor_name: str = "",
    action: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events of the caller's subtree, newest first, filtered by what was given."""
    qs = scoped(AuditEvent.objects.all(), actor).select_related("org_unit")
    if object_type:
        qs = qs.filter(object_type__iexact=object_type.strip())
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if actor_name:
        qs = qs.filter(Q(actor_name__icontains=actor_name.strip())
                       | Q(actor__username=actor_name.strip()))
    if action:
        qs = qs.filter(action__icontains=action.strip())
    if date_from:
        qs = qs.filter(at__gte=_local_midnight(date_from))
    if date_to:
        qs = qs.filter(at__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_event_get(*, actor, pk) -> AuditEvent:
    return get_scoped_or_404(AuditEvent.objects.all(), actor, pk=pk)


def org_unit_list(*, actor) -> QuerySet[OrgUnit]:
    """Units in the caller's subtree, in tree order."""
    return scoped(OrgUnit.objects.all(), actor, "")


def org_unit_get(*, actor, division_code: str) -> OrgUnit:
    return get_scoped_or_404(OrgUnit.objects.all(), actor, "", division_code=division_code)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def staff_for_work(*, org_unit=None, org_unit_ids=None, roles=None) -> QuerySet:
    """The one picker of people who may be given business work: active members of
    ``org_unit`` (or of the units ``org_unit_ids``) holding a business role — one
    of ``roles`` when given —, by username.

    The three administrators (系统、安全、审计管理员) never appear: they hold no
    business role (三员分立), so they are never offered as an owner, assignee,
    chair or stand-in. Services check a chosen person against the same list.
    """
    from fazhi.core.models import User
    from fazhi.core.roles import ADMIN_ROLES, BUSINESS_ROLES

    wanted = BUSINESS_ROLES if roles is None else BUSINESS_ROLES & set(roles)
    qs = User.objects.filter(is_active=True, role_grants__role__in=wanted)
    if org_unit is not None:
        qs = qs.filter(org_unit=org_unit)
    if org_unit_ids is not None:
        qs = qs.filter(org_unit_id__in=org_unit_ids)
    return (qs.exclude(role_grants__role__in=ADMIN_ROLES).distinct()
            .order_by("username"))

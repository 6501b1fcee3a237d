"""Read queries of the core app, each scoped to the caller's subtree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model, Q, QuerySet
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


def department_choices(*, org_unit=None, org_units=None) -> QuerySet:
    """The one list of departments (股室) a form offers: those in use of the bureau
    ``org_unit`` (or of the units ``org_units``), by bureau and name. Deactivated
    ones drop out here; the records that name them still show them."""
    from fazhi.core.models import Department

    qs = Department.objects.filter(is_active=True).select_related("org_unit")
    if org_unit is not None:
        qs = qs.filter(org_unit=org_unit)
    if org_units is not None:
        qs = qs.filter(org_unit__in=org_units)
    return qs.order_by("org_unit__path", "name")


def department_list(*, actor, org_unit) -> QuerySet:
    """Every department of ``org_unit`` (in the caller's subtree), those in use
    first, each with its number of accounts (``accounts``)."""
    from django.db.models import Count

    from fazhi.core.models import Department

    return (scoped(Department.objects.filter(org_unit=org_unit), actor)
            .annotate(accounts=Count("users"))
            .order_by("-is_active", "name"))


def department_get(*, actor, pk) -> Model:
    """One department in the caller's subtree (404 outside it)."""
    from fazhi.core.models import Department

    return get_scoped_or_404(Department.objects.select_related("org_unit"), actor,
                             pk=pk)


def department_references(department) -> list[tuple[str, int]]:
    """What names ``department``: (the kind of record, how many), for every model
    with a key to it — accounts, 复盘 records, whatever an app adds later — so that
    nothing here needs to know the apps."""
    found: dict[str, int] = {}
    for rel in type(department)._meta.related_objects:
        if rel.many_to_many:
            continue
        count = rel.related_model._default_manager.filter(
            **{rel.field.name: department}).count()
        if count:
            # A model that declares no Chinese name is not shown by its class name.
            label = str(rel.related_model._meta.original_attrs.get(
                "verbose_name", "其他记录"))
            found[label] = found.get(label, 0) + count
    return list(found.items())


def system_admins_of(org_unit) -> list[str]:
    """The names of the bureau's active system administrators: whom staff ask to
    add a department or an account."""
    from fazhi.core.models import User
    from fazhi.core.roles import Role

    rows = User.objects.filter(org_unit=org_unit, is_active=True,
                               role_grants__role=Role.SYSTEM_ADMIN).order_by("username")
    return [u.full_name or u.username for u in rows]

"""Role checks shared by pages and the API."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from fazhi.core import matter_kinds
from fazhi.core.roles import Role


def require_roles(*roles: str):
    """Decorate a view: anonymous → login page; without one of ``roles`` → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not request.user.has_role(*roles):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def HasRole(*roles: str) -> type[BasePermission]:
    """Return a DRF permission class admitting users holding any of ``roles``."""

    class _HasRole(BasePermission):
        message = "您的角色无权访问此接口"

        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_role(*roles))

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    return _HasRole


def require_admin(actor, role: str, org_unit, *, what: str = "用户") -> None:
    """Let the setup routine (actor None) or the subtree's right administrator act
    on ``what`` (用户, 股室) of ``org_unit``."""
    if actor is None:
        return
    if not actor.has_role(role):
        raise PermissionDenied(f"需要{Role(role).label}权限")
    home = actor.org_unit
    if org_unit is None or home is None or not home.contains(org_unit):
        raise PermissionDenied(f"只能管理本机关及下级机关的{what}")


def role_names(roles) -> str:
    """The roles as staff read them: "法务人员、负责人或督察人员"."""
    labels = [Role(r).label for r in roles]
    return "或".join(labels) if len(labels) < 3 else (
        "、".join(labels[:-1]) + "或" + labels[-1])


def require_role(actor, org_or_matter, *roles: str, what: str = "办理此事项") -> None:
    """Raise PermissionDenied unless ``actor`` is an active member of the matter's
    own bureau holding one of ``roles``; the message names the bureau and roles.

    ``org_or_matter`` is an ``OrgUnit`` or anything with an ``org_unit``.
    """
    org = getattr(org_or_matter, "org_unit", org_or_matter)
    if not (actor is not None and actor.is_active and actor.has_role(*roles)
            and actor.org_unit_id == org.pk):
        raise PermissionDenied(f"只有{org.name}的{role_names(roles)}可以{what}")
    acting(actor, roles, org_or_matter if org is not org_or_matter else None)


def acting(actor, roles, matter=None) -> None:
    """Note whom ``actor`` acts for in the action just allowed to ``roles`` (on
    ``matter``): a stand-in holding none of them in their own right acts for the
    absent person, and so does one acting on a matter given to the absent person
    and not to them; the audit event of the action says so (``audit.record``). A
    stand-in's roles reach only their own bureau, which is the absent person's."""
    note = getattr(actor, "note_acting", None)
    if note is None or note(*roles) is not None or matter is None:
        return
    if actor.stands_in_for:
        given = _given_to(matter)
        if actor.pk not in given:
            names = dict(actor.acting.values())
            for pk in sorted(given & actor.stands_in_for):
                actor._acting_now = (pk, names[pk])
                return


def _given_to(matter) -> set[int]:
    """The people a matter is given to in its state (``MatterKind.assigned``)."""
    kind = matter_kinds.kind_of(matter)
    state = getattr(matter, "state", None)
    if kind is None or kind.table is None or state is None:
        return set()
    given = kind.assignment(state)
    if given is None:
        return set()
    rows = type(matter)._default_manager.filter(pk=matter.pk, **given.lookups)
    return set(rows.values_list(given.path(given.person), flat=True)) - {None}


def require_role_over(actor, org_unit, *roles: str, what: str) -> None:
    """Raise PermissionDenied unless ``actor`` is an active member of a bureau holding
    one of ``roles`` and ``org_unit`` (when given) lies in their subtree: their own
    bureau or one below it, as a county enters figures for its townships.

    The two refusals are told apart: who may do ``what`` at all, and which bureau
    is out of reach.
    """
    if not (actor is not None and actor.is_active and actor.org_unit_id
            and actor.has_role(*roles)):
        raise PermissionDenied(f"只有{role_names(roles)}可以{what}")
    if org_unit is not None and not actor.org_unit.contains(org_unit):
        raise PermissionDenied(f"{org_unit.name}不在您的管辖范围内")
    if (actor.acting_for(*roles) and org_unit is not None
            and org_unit.pk != actor.org_unit_id):
        # A stand-in acts for the absent person in their own bureau only.
        raise PermissionDenied(f"代理期间只能在{actor.org_unit.name}代为办理")
    acting(actor, roles)

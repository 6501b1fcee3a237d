"""Roles a person can hold, and the separation of duties between them."""

from __future__ import annotations

from django.db import models

from fazhi.core.role_names import ROLE_LABELS

# One member per row of ``role_names.ROLE_LABELS``: Role.PRINCIPAL == "principal".
Role = models.TextChoices(
    "Role", [(code.upper(), (code, label)) for code, label in ROLE_LABELS.items()],
    module=__name__)


# 等保 2.0 separates the three administrators from each other and from business work.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)


class RoleConflict(ValueError):
    """A role combination that separation of duties forbids."""


def check_role_combination(roles: set[str]) -> None:
    """Raise RoleConflict when ``roles`` break the three-administrator separation."""
    admin = {r for r in roles if r in ADMIN_ROLES}
    if len(admin) > 1:
        names = "、".join(Role(r).label for r in sorted(admin))
        raise RoleConflict(f"三员必须分设，同一人不得兼任：{names}")
    if admin and roles - admin:
        raise RoleConflict(f"{Role(next(iter(admin))).label}不得同时担任业务角色")


class SeparationBreach(ValueError):
    """An administrator acting on its own account, or disabling another one."""


def check_account_change(
    *, actor_roles: set[str], is_self: bool, target_roles: set[str], change: str
) -> None:
    """Raise SeparationBreach when an administrator may not make ``change``.

    ``change`` is "deactivate", "activate", "grant" or "revoke". Under 等保 2.0 the
    three administrators check one another: none may touch its own account's roles
    or active flag, and none may disable another administrator or strip its role —
    otherwise one of them could silence the other two (the audit administrator
    above all). Granting and enabling stay possible: they take nobody's power away.
    """
    if not actor_roles & ADMIN_ROLES:
        return
    if is_self:
        raise SeparationBreach(_SELF[change])
    admin = sorted(r for r in target_roles if r in ADMIN_ROLES)
    if admin and change in ("deactivate", "revoke"):
        label = Role(admin[0]).label
        what = "停用其账户" if change == "deactivate" else "撤销其角色"
        raise SeparationBreach(
            f"三员分设、相互制约：该用户是{label}，其他管理员不得{what}")


_SELF = {
    "deactivate": "不能停用自己的账户",
    "activate": "不能启用自己的账户",
    "grant": "不能给自己授予角色",
    "revoke": "不能撤销自己的角色",
}

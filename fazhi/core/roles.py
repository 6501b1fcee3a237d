"""Roles a person can hold, and the separation of duties between them (pure)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", "审批窗口工作人员"  # takes in and runs permit applications
    ENFORCEMENT_OFFICER = "enforcement_officer", "执法人员"  # holds a badge; runs cases
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"  # reviews major decisions
    PRINCIPAL = "principal", "负责人"  # the bureau's head: approves, appears in court
    DISCLOSURE_OFFICER = "disclosure_officer", "政务公开工作人员"  # answers OGI requests
    # Head of the disclosure office: approves extensions (政府信息公开条例 Art. 33).
    DISCLOSURE_HEAD = "disclosure_head", "政务公开机构负责人"
    LEGAL_AFFAIRS_OFFICER = "legal_affairs_officer", "法务人员"  # reconsideration, litigation
    SUPERVISOR = "supervisor", "督察人员"  # file review, rectification, complaints
    SYSTEM_ADMIN = "system_admin", "系统管理员"  # users and configuration; no business data
    SECURITY_ADMIN = "security_admin", "安全管理员"  # grants and revokes roles
    AUDIT_ADMIN = "audit_admin", "审计管理员"  # reads the audit log; changes nothing


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

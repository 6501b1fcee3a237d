"""Services of the core app: organisations, users and roles (each one audited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from fazhi.core import audit, matters, tokens
from fazhi.core.models import Department, OrgLevel, OrgUnit, User, UserRole
from fazhi.core.permissions import require_admin
from fazhi.core.roles import (
    Role,
    RoleConflict,
    SeparationBreach,
    check_account_change,
    check_role_combination,
)


def org_unit_ensure(
    *, division_code: str, division_name: str, name: str, level: str,
    parent: OrgUnit | None = None, short_name: str = "", actor=None,
) -> OrgUnit:
    """Create the unit, or return it unchanged when it exists (idempotent)."""
    if len(division_code) != 6 or not division_code.isdigit():
        raise ValidationError({"division_code": "行政区划代码应为6位数字（GB/T 2260）"})
    existing = OrgUnit.objects.filter(division_code=division_code).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        unit = OrgUnit.objects.create(
            division_code=division_code, division_name=division_name, name=name,
            level=OrgLevel(level), parent=parent, short_name=short_name,
        )
        audit.record(actor=actor, obj=unit, action="org_unit.create",
                     summary=f"设立机关 {name}（{division_code}）",
                     after={"division_code": division_code, "name": name})
    return unit


def department_create(*, org_unit: OrgUnit, name: str, actor) -> Department:
    """Add a department (股室) to a bureau (system administrator's duty; the setup
    routine passes actor None, as for accounts)."""
    require_admin(actor, Role.SYSTEM_ADMIN, org_unit, what="股室")
    name = _department_name(org_unit, name)
    with transaction.atomic():
        dept = Department.objects.create(org_unit=org_unit, name=name)
        audit.record(actor=actor, obj=dept, action="department.create",
                     org_unit=org_unit, summary=f"设立股室 {name}",
                     after={"name": name})
    return dept


def department_rename(*, department: Department, name: str, actor) -> Department:
    """Rename a department; the records naming it show the new name."""
    require_admin(actor, Role.SYSTEM_ADMIN, department.org_unit, what="股室")
    name = _department_name(department.org_unit, name, keep=department)
    old = department.name
    if name == old:
        return department
    with transaction.atomic():
        Department.objects.filter(pk=department.pk).update(name=name)
        audit.record(actor=actor, obj=department, action="department.rename",
                     org_unit=department.org_unit,
                     summary=f"股室 {old} 更名为 {name}",
                     before={"name": old}, after={"name": name})
    department.name = name
    return department


def department_deactivate(*, department: Department, actor) -> Department:
    """Take a department out of use: it leaves every chooser; accounts and records
    that name it keep it (a department is never deleted)."""
    return _department_set_active(department, False, actor)


def department_reactivate(*, department: Department, actor) -> Department:
    """Put a deactivated department back into the choosers."""
    return _department_set_active(department, True, actor)


def _department_set_active(department: Department, active: bool, actor) -> Department:
    require_admin(actor, Role.SYSTEM_ADMIN, department.org_unit, what="股室")
    verb = "恢复使用" if active else "停用"
    with transaction.atomic():
        # Two administrators pressing at once: only the first one changes anything.
        changed = Department.objects.filter(
            pk=department.pk, is_active=not active).update(is_active=active)
        if not changed:
            raise ValidationError(f"股室 {department.name} 已{verb}")
        audit.record(actor=actor, obj=department, action="department.set_active",
                     org_unit=department.org_unit,
                     summary=f"{verb}股室 {department.name}",
                     before={"is_active": not active}, after={"is_active": active})
    department.is_active = active
    return department


def _department_name(org_unit: OrgUnit, name: str, keep: Department | None = None
                     ) -> str:
    name = " ".join(name.split())
    limit = Department._meta.get_field("name").max_length
    if not name:
        raise ValidationError({"name": "请填写股室名称"})
    if len(name) > limit:
        raise ValidationError({"name": f"股室名称不超过{limit}个字"})
    same = Department.objects.filter(org_unit=org_unit, name=name)
    if keep is not None:
        same = same.exclude(pk=keep.pk)
    if same.exists():
        raise ValidationError({"name": f"{org_unit.name}已有股室“{name}”"})
    return name


def user_create(
    *, username: str, full_name: str, org_unit: OrgUnit, password: str, actor,
    department: Department | None = None, badge_number: str = "", phone: str = "",
    email: str = "",
) -> User:
    """Create a staff account (system administrator's duty)."""
    require_admin(actor, Role.SYSTEM_ADMIN, org_unit)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已被使用，请换一个"})
    if department is not None and not (department.org_unit_id == org_unit.pk
                                       and department.is_active):
        raise ValidationError({"department": f"请选择{org_unit.name}在用的股室"})
    _check_email(email)
    with transaction.atomic():
        user = User(username=username, full_name=full_name, org_unit=org_unit,
                    department=department, badge_number=badge_number, phone=phone,
                    email=email)
        user.set_password(password)
        user.save()
        audit.record(actor=actor, obj=user, action="user.create", org_unit=org_unit,
                     summary=f"创建用户 {full_name}（{username}）",
                     after={"username": username, "org": org_unit.division_code})
    return user


def user_contact_set(*, user: User, email: str, phone: str, actor) -> User:
    """Set where one's own notifications are sent out (e-mail, phone): only the
    person themself. The audit says what changed, not the addresses."""
    if actor.pk != user.pk:
        raise PermissionDenied("只能修改本人的通知接收方式")
    email, phone = email.strip(), phone.strip()
    _check_email(email)
    changed = [name for name, value in (("email", email), ("phone", phone))
               if getattr(user, name) != value]
    if not changed:
        return user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email=email, phone=phone)
        audit.record(actor=actor, obj=user, action="user.contact",
                     org_unit=user.org_unit, summary="修改通知接收方式",
                     after={"changed": changed})
    user.email, user.phone = email, phone
    return user


def _check_email(email: str) -> None:
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": "电子邮箱格式不正确"}) from None


def user_set_active(*, user: User, active: bool, actor) -> User:
    """Enable or disable an account; accounts are never deleted (the audit needs them).

    Disabling an account also revokes its API tokens.
    """
    require_admin(actor, Role.SYSTEM_ADMIN, user.org_unit)
    _require_separation(actor, user, "activate" if active else "deactivate")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        matters.person_changed(user)  # their matters wait on them, or on the role
        if not active:
            tokens.token_revoke_all(user=user, actor=actor, reason="账户停用")
        audit.record(actor=actor, obj=user, action="user.set_active",
                     org_unit=user.org_unit, summary="启用用户" if active else "停用用户",
                     before={"is_active": user.is_active}, after={"is_active": active})
    user.is_active = active
    return user


def user_grant_role(*, user: User, role: str, actor, badge_number: str = "") -> UserRole:
    """Grant a role (security administrator's duty), keeping duties separated."""
    require_admin(actor, Role.SECURITY_ADMIN, user.org_unit)
    role = Role(role)
    _require_separation(actor, user, "grant")
    try:
        check_role_combination(set(user.granted_roles) | {role})
    except RoleConflict as exc:
        raise ValidationError({"role": str(exc)}) from None
    if role == Role.ENFORCEMENT_OFFICER and not (badge_number or user.badge_number):
        raise ValidationError({"badge_number": "执法人员须登记执法证号"})
    with transaction.atomic():
        if badge_number:
            User.objects.filter(pk=user.pk).update(badge_number=badge_number)
        grant, _ = UserRole.objects.get_or_create(
            user=user, role=role, defaults={"granted_by": _real(actor)}
        )
        audit.record(actor=actor, obj=user, action="user.grant_role",
                     org_unit=user.org_unit, summary=f"授予角色 {role.label}",
                     after={"role": role.value})
    user._roles_cache = None
    return grant


def user_revoke_role(*, user: User, role: str, actor) -> None:
    """Withdraw a role from a user (never an administrator's, never one's own)."""
    require_admin(actor, Role.SECURITY_ADMIN, user.org_unit)
    role = Role(role)
    _require_separation(actor, user, "revoke")
    with transaction.atomic():
        deleted, _ = UserRole.objects.filter(user=user, role=role).delete()
        if deleted:
            audit.record(actor=actor, obj=user, action="user.revoke_role",
                         org_unit=user.org_unit, summary=f"撤销角色 {role.label}",
                         before={"role": role.value})
    user._roles_cache = None


def _real(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_separation(actor, user: User, change: str) -> None:
    """Keep the three administrators apart (the setup routine, actor None, may act)."""
    if actor is None:
        return
    try:
        check_account_change(actor_roles=set(actor.granted_roles),
                             is_self=user.pk == actor.pk,
                             target_roles=set(user.granted_roles), change=change)
    except SeparationBreach as exc:
        raise PermissionDenied(str(exc)) from None

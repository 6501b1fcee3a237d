"""Leave and stand-ins (请假代理): a person names who acts for them for a period.

During the period the stand-in sees the absent person's work items on 我的待办
(marked 代<name>, ``fazhi.work.standins``) and may take the actions of the absent
person's business roles, in their bureau only (``User.acting``): every check
that lets them (``permissions.require_role``, ``matters.check``) notes whom they
act for, and the audit event says so — （代<name>） after the summary and
``acting_for`` in ``after``. Sign-offs stay independent through it: a stand-in
signs as themselves and everyone they stand in for (``chains.judge``).

The rules a bureau expects:

- who: the person for themself; or a head of their bureau over their work
  (``OVERSEES``: the principal over everyone, the section head over the window,
  the disclosure office's head over its officers); or the security administrator
  of the bureau or one above it;
- the stand-in: an active member of the same bureau holding a business role. Named
  by the person themself or the security administrator, they must hold one of the
  absent person's roles (a colleague who does the same work); a head may name
  anyone of the bureau, and answers for the choice;
- one stand-in per person at a time; nobody on leave stands in for another, and
  nobody stands in for someone who is standing in themselves (no chains);
- an administrator's roles are never handed on (三员分设), only business roles;
- the period ends on its last day, or early, by the person, the stand-in, or whoever
  may enter it. Every entry and early end is in the audit chain.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.models import NoticeKind, StandIn, User
from fazhi.core.notices import Notice, notify
from fazhi.core.role_names import HEADS, OVERSEES
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.core.selectors import staff_for_work

MAX_DAYS = 366  # a longer absence is a change of post, not leave


def _business(user) -> frozenset[str]:
    return user.granted_roles & BUSINESS_ROLES


def heads_over(user) -> frozenset[str]:
    """The head roles whose holders in ``user``'s bureau oversee all their work."""
    mine = _business(user)
    return frozenset(head for head in HEADS
                     if OVERSEES[head] is None or mine <= OVERSEES[head])


def may_enter_for(actor, person) -> bool:
    """Tell whether ``actor`` may enter (or end) a stand-in period for ``person``."""
    if actor is None or not actor.is_active or person.org_unit_id is None:
        return False
    if actor.pk == person.pk:
        return bool(_business(person))
    if actor.has_role(Role.SECURITY_ADMIN):
        return bool(actor.org_unit_id and actor.org_unit.contains(person.org_unit))
    return (actor.org_unit_id == person.org_unit_id
            and bool(actor.granted_roles & heads_over(person)))


def is_head_for(actor, person) -> bool:
    """A head of the person's bureau over their work (may name any stand-in)."""
    return (actor.pk != person.pk and actor.org_unit_id == person.org_unit_id
            and bool(actor.granted_roles & heads_over(person)))


def candidates(actor, person) -> QuerySet[User]:
    """Who ``actor`` may name as ``person``'s stand-in: active business-role members
    of the person's bureau, holding one of the person's roles unless a head names."""
    qs = staff_for_work(org_unit_ids=[person.org_unit_id]).exclude(pk=person.pk)
    if not is_head_for(actor, person):
        qs = qs.filter(role_grants__role__in=_business(person))
    return qs.distinct().order_by("username")


def _overlapping(qs: QuerySet, starts_on: dt.date, ends_on: dt.date) -> QuerySet:
    return qs.filter(ended_at__isnull=True, starts_on__lte=ends_on,
                     ends_on__gte=starts_on)


def standin_create(*, absent: User, standin: User, starts_on: dt.date,
                   ends_on: dt.date, reason: str, actor) -> StandIn:
    """Enter a period in which ``standin`` acts for ``absent``; audited."""
    if not may_enter_for(actor, absent):
        raise PermissionDenied("只有本人、其所在机关的负责人或安全管理员可以登记请假代理")
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not absent.is_active or not _business(absent):
        errors["absent"] = "请假人须为在岗的业务人员"
    if standin.pk == absent.pk:
        errors["standin"] = "代理人不能是请假人本人"
    elif not (standin.is_active and standin.org_unit_id == absent.org_unit_id
              and _business(standin)):
        errors["standin"] = f"代理人须为{absent.org_unit}在岗的业务人员"
    elif not is_head_for(actor, absent) and not _business(standin) & _business(absent):
        errors["standin"] = "本人登记的代理人须担任请假人的同一岗位角色；其他人员须由负责人指定"
    if ends_on < starts_on:
        errors["ends_on"] = "结束日不能早于起始日"
    elif ends_on < today:
        errors["ends_on"] = "结束日已过，无需登记"
    elif (ends_on - starts_on).days >= MAX_DAYS:
        errors["ends_on"] = f"一次请假代理不超过{MAX_DAYS}天"
    if not reason:
        errors["reason"] = "请写明事由（如休假、出差、培训）"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock both people's rows so two entries for them cannot both pass.
        list(User.objects.select_for_update().filter(pk__in=[absent.pk, standin.pk]))
        _check_free(absent, standin, starts_on, ends_on)
        period = StandIn.objects.create(
            org_unit=absent.org_unit, absent=absent, standin=standin,
            starts_on=starts_on, ends_on=ends_on, reason=reason, entered_by=actor,
            entered_at=timezone.now())
        audit.record(
            actor=actor, obj=period, action="standin.create", org_unit=absent.org_unit,
            summary=f"登记请假代理：{absent}请假期间（{starts_on:%Y-%m-%d}至"
                    f"{ends_on:%Y-%m-%d}）由{standin}代理，事由：{reason}",
            after={"absent": absent.pk, "standin": standin.pk,
                   "starts_on": str(starts_on), "ends_on": str(ends_on)})
        told = [p for p in (standin, absent) if p.pk != actor.pk]
        notify(told, Notice(
            NoticeKind.NOTE, f"standin:{period.pk}",
            f"请假代理：{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}，{standin}代{absent}"
            f"办理其待办事项（{reason}）", reverse("web:standins")), org_unit=absent.org_unit)
    return period


def _check_free(absent: User, standin: User, starts_on: dt.date,
                ends_on: dt.date) -> None:
    periods = _overlapping(StandIn.objects.all(), starts_on, ends_on)
    if periods.filter(absent=absent).exists():
        raise ValidationError({"starts_on": f"{absent}在该期间已有代理人，请先结束原登记"})
    if periods.filter(absent=standin).exists():
        raise ValidationError({"standin": f"{standin}在该期间请假，不能代理他人"})
    if periods.filter(standin=absent).exists():
        raise ValidationError({"absent": f"{absent}在该期间正代理他人，请先结束该代理"})


def standin_end(*, period: StandIn, actor) -> StandIn:
    """End a period early (today): the absent person is back; audited."""
    if not (actor is not None and actor.is_active
            and (actor.pk == period.standin_id or may_enter_for(actor, period.absent))):
        raise PermissionDenied("只有请假人、代理人、其所在机关的负责人或安全管理员可以结束代理")
    today = timezone.localdate()
    if period.ends_on < today:
        raise ValidationError({"state": "该代理已经结束"})
    with transaction.atomic():
        ended = StandIn.objects.filter(pk=period.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=actor)
        if not ended:
            raise ValidationError({"state": "该代理已经结束"})
        period.refresh_from_db()
        audit.record(
            actor=actor, obj=period, action="standin.end", org_unit=period.org_unit,
            summary=f"提前结束请假代理：{period.standin}不再代{period.absent}办理",
            before={"ends_on": str(period.ends_on)},
            after={"ended_on": str(today)})
    return period


def standins_seen_by(user) -> QuerySet[StandIn]:
    """The periods ``user`` may see on 请假代理: their own (as the absent person or
    the stand-in), and those of the people they may enter periods for."""
    qs = StandIn.objects.select_related("absent", "standin", "entered_by", "ended_by")
    seen = Q(absent=user) | Q(standin=user) | Q(entered_by=user)
    if user.has_role(Role.SECURITY_ADMIN) and user.org_unit_id:
        seen |= Q(org_unit__path__startswith=user.org_unit.path)
    elif user.granted_roles & HEADS:
        seen |= Q(org_unit_id=user.org_unit_id)
    return qs.filter(seen)


def people_for(actor) -> QuerySet[User]:
    """The people ``actor`` may enter a period for (themself first on the page)."""
    qs = User.objects.filter(is_active=True, role_grants__role__in=BUSINESS_ROLES)
    if actor.has_role(Role.SECURITY_ADMIN) and actor.org_unit_id:
        qs = qs.filter(org_unit__path__startswith=actor.org_unit.path)
    elif actor.org_unit_id:
        qs = qs.filter(org_unit_id=actor.org_unit_id)
    else:
        return User.objects.none()
    pks = [u.pk for u in qs.distinct().select_related("org_unit")
           if may_enter_for(actor, u)]
    return User.objects.filter(pk__in=pks).order_by("org_unit__path", "username")


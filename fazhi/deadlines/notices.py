"""What the clocks tell people: extensions asked and decided, warnings, escalation.

- an extension asked: the role deciding that kind's extensions in the clock's
  bureau (its chain's deciding role in the rule data, else
  ``MatterKind.extensions``; never the asker) is told 新待办：审批延期申请;
- an extension decided: the asker is told, with the new due date or that it stands;
- a clock turning yellow or red: its owner (the clock's assignee; for a clock given
  to nobody, the holders of the role its kind names for it, ``clock_owners``) is
  told, once per level per clock, in the words its duty calls for (a party's window 届满, it is
  never the bureau's 超期);
- a duty of the bureau past due: the supervisors and principals of that bureau
  itself (not of the city above it) are told once per clock (超期督办).

The sweep asks whether each clock's owner was already told of a level
(``told_annotations``, one query for all clocks), and the notifications' unique keys
refuse a second copy when two sweeps or a retried worker race.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse

from fazhi.core import matter_kinds, notices
from fazhi.core.approvals import extension_role
from fazhi.core.models import NoticeKind, Notification
from fazhi.core.roles import Role
from fazhi.deadlines import duty
from fazhi.deadlines.models import Clock, ClockExtension, ClockStatus, ExtensionState
from fazhi.deadlines.overdue import rule_duty

EXTENSION_TASK = "审批延期申请"
ESCALATE_TO = (Role.SUPERVISOR, Role.PRINCIPAL)

# By whose period it is (deadlines.duty): only the bureau's own duty is 超期.
_MESSAGES = {
    duty.BUREAU: {ClockStatus.YELLOW: "临期提醒：{title}将于 {due} 届满",
                  ClockStatus.RED: "超期警示：{title}已于 {due} 届满，仍未办结"},
    duty.PROMISE: {
        ClockStatus.YELLOW: "临期提醒：{title}将于 {due} 届满",
        ClockStatus.RED: "超出承诺时限：{title}已于 {due} 届满，仍未办结"},
    duty.PARTY: {
        ClockStatus.RED: "期间届满：{title}已于 {due} 届满，可依法办理下一环节"},
}
_KINDS = {ClockStatus.YELLOW: NoticeKind.YELLOW, ClockStatus.RED: NoticeKind.RED}


def told_annotations() -> dict:
    """Annotations for a clock query: whether its owner was told it turned yellow
    (``told_yellow``) or red (``told_red``), and whether its bureau's heads were
    told it is past due (``told_escalation``)."""
    def told(kind: str) -> Exists:
        return Exists(Notification.objects.filter(clock=OuterRef("pk"), kind=kind))

    return {"told_yellow": told(NoticeKind.YELLOW), "told_red": told(NoticeKind.RED),
            "told_escalation": told(NoticeKind.ESCALATION)}


def clock_warn(clock: Clock) -> int:
    """Tell the clock's owner of its level and escalate a duty of the bureau past
    due, each once; return how many were told. ``clock`` carries
    ``told_annotations`` (without them, the notifications' keys keep it once)."""
    level, owes = clock.status, rule_duty(clock.rule_id)
    template = _MESSAGES[owes].get(level)
    told = []
    owners = None
    if template and not getattr(clock, f"told_{level}", False):
        owners = clock_owners(clock)
        text = template.format(title=clock.title, due=clock.due_date)
        notice = notices.Notice(_KINDS[level], f"clock:{clock.pk}:{level}", text,
                                _page(clock), clock.pk)
        told += notices.notify(owners, notice, org_unit=clock.org_unit)
    late = level == ClockStatus.RED and owes == duty.BUREAU
    if late and not getattr(clock, "told_escalation", False):
        told += clock_escalate(clock, owners=owners)
    return len(told)


def clock_owners(clock: Clock) -> list:
    """Who owns the clock: its assignee; a clock given to nobody, the holders in its
    bureau of the role its kind of matter names for its rule
    (``MatterKind.clock_roles``: a bad rating's answer is the supervisors')."""
    if clock.assignee_id:
        return [clock.assignee] if clock.assignee.is_active else []
    model = clock.content_type.model_class()
    kind = matter_kinds.kind_of(model) if model is not None else None
    role = kind.clock_roles.get(clock.rule_id) if kind is not None else None
    return notices.people_with_role(clock.org_unit, role) if role else []


def clock_escalate(clock: Clock, *, owners=None) -> list[Notification]:
    """Tell the supervisors and principals of the clock's own bureau that its duty
    is past due (超期督办), once per clock; not those just told it turned red as
    its owners (``owners``, else ``clock_owners``)."""
    matter = clock.matter
    about = f"（{matter_kinds.matter_title(matter)}）" if matter is not None else ""
    owner = f"，承办人 {clock.assignee}" if clock.assignee_id else ""
    text = f"超期督办：{clock.title}{about}已于 {clock.due_date} 届满，仍未办结{owner}"
    notice = notices.Notice(NoticeKind.ESCALATION, f"overdue:{clock.pk}", text,
                            _page(clock), clock.pk)
    owners = {p.pk for p in (clock_owners(clock) if owners is None else owners)}
    people = [p for p in notices.people_with_role(clock.org_unit, *ESCALATE_TO)
              if p.pk != clock.assignee_id and p.pk not in owners]
    return notices.notify(people, notice, org_unit=clock.org_unit)


def extension_asked(extension: ClockExtension) -> list[Notification]:
    """Tell those who decide extensions of the clock's kind of matter in its bureau
    (never the asker) that one waits for them."""
    clock = extension.clock
    kind = matter_kinds.kind_of(clock.content_type.model_class())
    role = extension_role(kind) if kind is not None else ""
    if not role:
        return []
    people = [p for p in notices.people_with_role(clock.org_unit, role)
              if p.pk != extension.requested_by_id]
    notice = notices.work_notice(f"ext:{extension.pk}:asked", EXTENSION_TASK,
                                 clock.matter or clock)
    return notices.notify(people, notice, org_unit=clock.org_unit)


def extension_decided(extension: ClockExtension, *, unit: str,
                      reasons: str = "") -> list[Notification]:
    """Tell the asker how their extension request was decided, with the reasons
    given; ``unit`` names the rule's days (个工作日, 日)."""
    clock = extension.clock
    days = f"{extension.days}{unit}"
    if extension.state == ExtensionState.APPROVED:
        words = f"延期申请已批准：{clock.title}，延长{days}，届满日改为 {clock.due_date}"
    else:
        words = (f"延期申请未获批准：{clock.title}（申请延长{days}），"
                 f"仍于 {clock.due_date} 届满")
        if reasons:
            words += f"，理由：{reasons}"
    return notices.decision_reached(
        extension.requested_by, event=f"ext:{extension.pk}:decided",
        message=f"{words}（审批人 {extension.decided_by}）", link=_page(clock),
        org_unit=clock.org_unit)


def _page(clock: Clock) -> str:
    """The page of the clock's matter, else the clock's own page."""
    return (matter_kinds.matter_url(clock.matter)
            or reverse("web:clock_detail", args=[clock.pk]))

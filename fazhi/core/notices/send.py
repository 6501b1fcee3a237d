"""Telling people: one notification per person per event, never twice.

Every notice has an event key saying what happened (``work:<audit seq>``,
``clock:<pk>:red``, ``overdue:<clock pk>``); with the person it makes the unique
``Notification.dedupe_key``, so a sweep run twice, a retried worker or a racing
request finds the row already there and sends nothing more. Each new notification
gets its outbound copies (``outbound.deliveries_queue``), which go out after the
transaction commits and can never undo it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from fazhi.core.models import Notification, User
from fazhi.core.notices import outbound

MESSAGE_MAX = Notification._meta.get_field("message").max_length


@dataclass(frozen=True)
class Notice:
    """What to tell: its kind (``NoticeKind``), the event it is about, the words and
    the page it links to (a path), and the clock it concerns if any."""

    kind: str
    event: str
    message: str
    link: str = ""
    clock_id: int | None = None

    def key(self, person) -> str:
        """The notification's unique key for ``person``."""
        return f"{self.event}:u{person.pk}"


def people_with_role(org_unit, *roles: str) -> QuerySet[User]:
    """The active people of ``org_unit`` itself holding one of ``roles``: never
    those of the bureau above it or below it."""
    return (User.objects.filter(is_active=True, org_unit=org_unit,
                                role_grants__role__in=roles)
            .distinct().order_by("pk"))


def notify(people: Iterable[User], notice: Notice, *, org_unit) -> list[Notification]:
    """Tell each of ``people`` of ``notice`` once; return the notifications that
    are new (someone already told of this event is not told again)."""
    created = []
    for person in people:
        note, new = Notification.objects.get_or_create(
            dedupe_key=notice.key(person),
            defaults={"user": person, "org_unit": org_unit, "kind": notice.kind,
                      "message": notice.message[:MESSAGE_MAX], "link": notice.link,
                      "clock_id": notice.clock_id})
        if new:
            created.append(note)
    outbound.deliveries_queue(created)
    return created

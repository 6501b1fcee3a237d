"""Outbound channels: copies of notifications sent by e-mail or SMS, off by default.

``settings.NOTIFY_BACKENDS`` names the channels' classes (``FAZHI_NOTIFY_BACKENDS``);
none by default, and then nothing leaves the platform. A channel is a ``Backend``:
it says where a person is reached (``address``; "" when it cannot reach them) and
sends one text there. ``EmailBackend`` sends through Django's mail settings to the
person's e-mail; ``SmsBackend`` is the interface a bureau implements for its SMS
gateway (``send(phone, text)``), and ``HttpSmsBackend`` an example that posts to a
configurable URL.

A copy is a ``Delivery`` row, written with its notification and sent after the
transaction commits by the task worker (``notices_deliver``); the daily sweep sends
whatever is still waiting and retries what failed (``deliveries_retry``). A channel
that fails is logged and recorded on its row: the in-app notification and the
action that caused it stand.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from fazhi.core.models import Delivery, DeliveryState, Notification

log = logging.getLogger(__name__)

ATTEMPTS = 5  # tries before a copy is given up (one a sweep after the first)
STUCK = dt.timedelta(hours=1)  # a copy claimed this long ago by a worker that died
SIGNATURE = "【法治】"


class Backend:
    """One outbound channel. Subclasses say where a person is reached and send."""

    label = "外发"

    def address(self, user) -> str:
        """Where ``user`` is reached on this channel; "" when they cannot be."""
        return ""

    def deliver(self, address: str, notification: Notification) -> None:
        """Send ``notification`` to ``address``; raise when the channel fails."""
        raise NotImplementedError


def text_of(notification: Notification) -> str:
    """The message as sent out: the words and, when the site's address is known
    (``FAZHI_SITE_URL``), the full link to the page."""
    site = settings.SITE_URL.rstrip("/")
    link = f" {site}{notification.link}" if site and notification.link else ""
    return f"{notification.message}{link}"


class EmailBackend(Backend):
    """E-mail through Django's mail settings (``FAZHI_EMAIL_*``), to the person's
    e-mail address when one is on their account."""

    label = "电子邮件"

    def address(self, user) -> str:
        return user.email or ""

    def deliver(self, address: str, notification: Notification) -> None:
        subject = f"{SIGNATURE}{notification.get_kind_display()}"
        send_mail(subject, text_of(notification), None, [address],
                  fail_silently=False)


class SmsBackend(Backend):
    """The SMS gateway a bureau wires: implement ``send(phone, text)``, raising on
    failure, and name the class in ``FAZHI_NOTIFY_BACKENDS``. Messages go to the
    phone number on the person's account."""

    label = "短信"

    def address(self, user) -> str:
        return (user.phone or "").strip()

    def deliver(self, address: str, notification: Notification) -> None:
        self.send(address, f"{SIGNATURE}{text_of(notification)}")

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class HttpSmsBackend(SmsBackend):
    """An example gateway: POST ``{"phone": …, "text": …}`` as JSON to
    ``FAZHI_SMS_URL``, with ``Authorization: Bearer <FAZHI_SMS_TOKEN>`` when a
    token is set; any answer but 2xx is a failure. A gateway speaking another
    format is a subclass overriding ``send``."""

    timeout = 10  # seconds

    def send(self, phone: str, text: str) -> None:
        if not settings.NOTIFY_SMS_URL:
            raise RuntimeError("FAZHI_SMS_URL is not set")
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False)
        request = urllib.request.Request(
            settings.NOTIFY_SMS_URL, data=body.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"})
        if settings.NOTIFY_SMS_TOKEN:
            request.add_header("Authorization", f"Bearer {settings.NOTIFY_SMS_TOKEN}")
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            if not 200 <= answer.status < 300:
                raise RuntimeError(f"SMS gateway answered {answer.status}")


def backends() -> dict[str, Backend]:
    """The channels turned on, by their dotted path (none by default)."""
    return {path: import_string(path)() for path in settings.NOTIFY_BACKENDS}


def channel_labels() -> list[str]:
    """What the channels turned on are called, for the person's page (电子邮件, 短信)."""
    return [backend.label for backend in backends().values()]


# --- queueing and sending -----------------------------------------------------------


def deliveries_queue(notifications: Iterable[Notification]) -> list[Delivery]:
    """Write the outbound copies of ``notifications`` (one per channel that reaches
    the person) and have them sent once the transaction commits.

    Never raises: a channel that cannot even be set up is logged, and the
    notifications and the action that caused them stand.
    """
    if not settings.NOTIFY_BACKENDS:
        return []
    try:
        with transaction.atomic():
            channels = backends()
            rows = Delivery.objects.bulk_create([
                Delivery(notification=note, channel=path, address=address)
                for note in notifications for path, backend in channels.items()
                if (address := backend.address(note.user))])
    except Exception:
        log.exception("outbound copies of notifications not queued")
        return []
    if rows:
        pks = [row.pk for row in rows]
        transaction.on_commit(lambda: _enqueue(pks), robust=True)
    return rows


def _enqueue(pks: list[int]) -> None:
    notices_deliver.enqueue(pks)


def deliveries_send(pks: Iterable[int]) -> int:
    """Send the copies ``pks`` still waiting or failed; return how many went out.

    Each is claimed first (an optimistic update), so two workers never both send
    one copy, and one failing never stops the others.
    """
    channels = backends()
    sent = 0
    rows = Delivery.objects.filter(pk__in=list(pks)).select_related("notification")
    for row in rows:
        sent += _send_one(row, channels)
    return sent


@task()
def notices_deliver(pks: list[int]) -> int:
    """The worker's task: send the outbound copies ``pks``; return how many went
    out."""
    return deliveries_send(pks)


def _claim(row: Delivery) -> bool:
    return bool(Delivery.objects.filter(
        pk=row.pk, state=row.state, attempts=row.attempts).exclude(
        state__in=(DeliveryState.SENT, DeliveryState.GAVE_UP)).update(
        state=DeliveryState.SENDING, attempts=F("attempts") + 1,
        updated_at=timezone.now()))


def _send_one(row: Delivery, channels: dict[str, Backend]) -> int:
    backend = channels.get(row.channel)
    if backend is None or not _claim(row):  # a channel turned off since: not sent
        return 0
    try:
        backend.deliver(row.address, row.notification)
    except Exception as error:
        log.warning("notification %s via %s failed", row.notification_id,
                    row.channel, exc_info=True)
        given_up = row.attempts + 1 >= ATTEMPTS
        Delivery.objects.filter(pk=row.pk).update(
            state=DeliveryState.GAVE_UP if given_up else DeliveryState.FAILED,
            error=f"{type(error).__name__}: {error}"[:300], updated_at=timezone.now())
        return 0
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.SENT, error="",
                                              updated_at=timezone.now())
    return 1


def deliveries_retry() -> int:
    """Send every copy still waiting, failed, or claimed by a worker that died
    (the daily sweep), through the channels still turned on; return how many went
    out."""
    stuck = Q(state=DeliveryState.SENDING, updated_at__lt=timezone.now() - STUCK)
    waiting = Q(state__in=(DeliveryState.PENDING, DeliveryState.FAILED))
    rows = Delivery.objects.filter(waiting | stuck).order_by("pk")
    for row in rows.filter(stuck):  # claimed once already: reopen to claim again
        Delivery.objects.filter(pk=row.pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.FAILED)
    return deliveries_send(rows.values_list("pk", flat=True))

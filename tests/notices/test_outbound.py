"""Copies sent out (e-mail, SMS) are off by default; when a bureau turns them on
each notification goes out once per channel, and a channel that fails loses
neither the in-app notification nor the action, and is retried by the sweep."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from fazhi.core.models import Delivery, DeliveryState, NoticeKind, Notification
from fazhi.core.notices import Notice, notify
from fazhi.core.notices.outbound import ATTEMPTS, deliveries_retry, deliveries_send
from fazhi.deadlines.sweep import clocks_sweep

EMAIL = "fazhi.core.notices.outbound.EmailBackend"
SMS = "fazhi.core.notices.outbound.HttpSmsBackend"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def outbound(settings):
    """Turn channels on, with tasks run at once instead of by a worker."""

    def _on(*channels: str):
        settings.NOTIFY_BACKENDS = list(channels)
        settings.TASKS = IMMEDIATE
        settings.SITE_URL = "https://fazhi.example.gov.cn"

    return _on


@pytest.fixture
def gateway(settings):
    """An SMS gateway on this machine: it answers each POST with the next status of
    ``answers`` (200 once they run out) and keeps what it was sent."""

    class Gateway(BaseHTTPRequestHandler):
        answers: list[int] = []
        received: list[dict] = []

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            type(self).received.append({"auth": self.headers.get("Authorization"),
                                        **json.loads(body.decode("utf-8"))})
            self.send_response(type(self).answers.pop(0) if type(self).answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NOTIFY_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.NOTIFY_SMS_TOKEN = "gateway-token"
    yield Gateway
    server.shutdown()


def _tell(user, event="test:1", message="新待办：法制审核 潭县自然资罚〔2025〕1号"):
    notice = Notice(NoticeKind.WORK, event, message, "/enforcement/cases/1/")
    return notify([user], notice, org_unit=user.org_unit)


def test_nothing_leaves_the_platform_by_default(people, committed):
    people.xt_reviewer.email = "reviewer@example.gov.cn"
    with committed():
        [note] = _tell(people.xt_reviewer)
    assert note.pk and not Delivery.objects.exists() and mail.outbox == []


def test_an_email_goes_to_the_persons_address_once(people, outbound, committed):
    outbound(EMAIL)
    reviewer = people.xt_reviewer
    reviewer.email = "reviewer@example.gov.cn"
    with committed():
        _tell(reviewer)
        _tell(reviewer)  # the same event again: no second notification, no mail
    [message] = mail.outbox
    assert message.to == ["reviewer@example.gov.cn"]
    assert message.subject == "【法治】新待办"
    assert message.body == ("新待办：法制审核 潭县自然资罚〔2025〕1号 "
                            "https://fazhi.example.gov.cn/enforcement/cases/1/")
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 1
    # A worker retrying the task sends nothing more.
    assert deliveries_send([delivery.pk]) == 0
    assert len(mail.outbox) == 1


def test_someone_without_an_address_still_has_the_notification(people, outbound,
                                                                committed):
    outbound(EMAIL)
    with committed():
        [note] = _tell(people.xt_principal)  # no e-mail on the account
    assert Notification.objects.filter(pk=note.pk).exists()
    assert not Delivery.objects.exists() and mail.outbox == []


def test_a_move_tells_the_reviewer_by_email_too(people, filed, outbound, committed):
    from fazhi.enforcement.cases import services
    from tests.enforcement.conftest import DECIDED_ON, area_for, noticed, on

    outbound(EMAIL)
    people.xt_reviewer.email = "reviewer@example.gov.cn"
    people.xt_reviewer.save(update_fields=["email"])
    case = noticed(filed(area_m2=area_for("1000")), people.xt_officer, "1000")
    with on(DECIDED_ON), committed():
        services.case_submit_review(case=case, actor=people.xt_officer)
    [message] = mail.outbox
    assert message.to == ["reviewer@example.gov.cn"]
    assert f"新待办：法制审核 {case.number}" in message.body


def test_a_failing_sms_gateway_loses_nothing_and_the_sweep_sends_it_later(
        people, outbound, gateway, committed):
    outbound(SMS)
    gateway.answers = [500]
    clerk = people.xt_clerk
    clerk.phone = "13800138000"
    with committed():
        [note] = _tell(clerk)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and "500" in delivery.error
    assert Notification.objects.filter(pk=note.pk, user=clerk).exists()

    clocks_sweep()  # the next sweep tries again; the gateway answers now
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    assert [r["phone"] for r in gateway.received] == ["13800138000"] * 2
    assert gateway.received[-1]["text"] == (
        "【法治】新待办：法制审核 潭县自然资罚〔2025〕1号 "
        "https://fazhi.example.gov.cn/enforcement/cases/1/")
    assert gateway.received[-1]["auth"] == "Bearer gateway-token"


def test_a_copy_failing_every_try_is_given_up_and_recorded(people, outbound, gateway,
                                                           committed):
    outbound(SMS)
    gateway.answers = [503] * ATTEMPTS
    people.xt_clerk.phone = "13800138000"
    with committed():
        _tell(people.xt_clerk)
    for _ in range(ATTEMPTS):
        deliveries_retry()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.GAVE_UP and delivery.attempts == ATTEMPTS
    assert len(gateway.received) == ATTEMPTS


def test_a_misnamed_channel_fails_the_startup_check(settings):
    from fazhi.core.notices.checks import outbound_check

    settings.NOTIFY_BACKENDS = ["fazhi.core.notices.outbound.NoSuchBackend",
                                "fazhi.core.models.Notification", SMS]
    settings.NOTIFY_SMS_URL = ""
    assert [e.id for e in outbound_check()] == ["fazhi.E101", "fazhi.E102",
                                                "fazhi.E103"]


@pytest.mark.django_db(transaction=True)
def test_copies_go_out_through_the_task_worker(settings):
    from django.core.management import call_command

    from fazhi.core.demo import demo_load
    from fazhi.core.models import User

    settings.NOTIFY_BACKENDS = [EMAIL]
    demo_load("x" * 12)
    user = User.objects.get(username="xt_reviewer")
    user.email = "reviewer@example.gov.cn"
    _tell(user)
    assert mail.outbox == []  # queued, not sent by the request
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert [m.to for m in mail.outbox] == [["reviewer@example.gov.cn"]]
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_copies_waiting_when_a_channel_is_turned_off_stay_unsent(people, outbound,
                                                                 gateway, committed,
                                                                 settings):
    outbound(SMS)
    gateway.answers = [500]
    people.xt_clerk.phone = "13800138000"
    with committed():
        _tell(people.xt_clerk)
    settings.NOTIFY_BACKENDS = []
    clocks_sweep()
    assert Delivery.objects.get().state == DeliveryState.FAILED
    assert len(gateway.received) == 1

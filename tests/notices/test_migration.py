"""Upgrading keeps the sweep's earlier notices as what they were (临期, 届满), so the
sweep, which now asks by kind whether an owner was told, does not tell them again."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.models import NoticeKind, Notification
from fazhi.deadlines.sweep import clocks_sweep
from tests.disclosure.conftest import on
from tests.migrating import migrate, migrate_latest

BEFORE = [("core", "0004_api_tokens_and_login_throttle")]




@pytest.mark.django_db(transaction=True)
def test_the_sweeps_earlier_notices_are_not_sent_again(people, request_of):
    req = request_of()
    clock = req.reply_clock
    old = migrate(BEFORE)
    OldNotification = old.get_model("core", "Notification")
    for status in ("yellow", "red"):
        OldNotification.objects.create(
            user_id=people.xt_disclosure.pk, org_unit_id=clock.org_unit_id,
            clock_id=clock.pk, message=f"{status} before the upgrade",
            dedupe_key=f"clock:{clock.pk}:{status}:{clock.due_date}")
    OldNotification.objects.create(user_id=people.xt_disclosure.pk,
                                   org_unit_id=clock.org_unit_id, message="其他通知")

    migrate_latest()

    kinds = dict(Notification.objects.values_list("message", "kind"))
    assert kinds == {"yellow before the upgrade": NoticeKind.YELLOW,
                     "red before the upgrade": NoticeKind.RED, "其他通知": NoticeKind.NOTE}
    with on(dt.date(2025, 10, 30)):
        clocks_sweep()
    # The owner was told already; only the escalation to the bureau's heads is new.
    assert Notification.objects.filter(user=people.xt_disclosure).count() == 3
    assert Notification.objects.filter(kind=NoticeKind.ESCALATION).count() == 2

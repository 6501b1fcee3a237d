"""Independence through a stand-in: a stand-in signs as themselves and whoever
they stand in for (the sign-off kit on a permit application)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from fazhi.core import standins
from fazhi.core.approvals import approval_turn
from fazhi.core.models import AuditEvent, SignOff, User
from tests.core.test_approvals import RULE, app, propose, sign  # noqa: F401
from tests.disclosure.conftest import on
from tests.permits.conftest import accepted, clerk, kinds, registered  # noqa: F401

DAY = dt.date(2025, 9, 2)


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_the_proposers_stand_in_cannot_sign_the_round(app, people):  # noqa: F811
    with on(DAY):
        propose(app, people.xt_clerk)
        standins.standin_create(actor=people.xt_sectionhead, absent=people.xt_clerk,
                                standin=people.xt_sectionhead, starts_on=DAY,
                                ends_on=DAY, reason="培训")
        head = _fresh(people.xt_sectionhead)
        assert approval_turn(app, RULE, head) is None
        with pytest.raises(PermissionDenied, match="须由他人签署"):
            sign(app, head)
    with on(DAY + dt.timedelta(days=1)):  # the period is over: the head signs
        assert sign(app, _fresh(people.xt_sectionhead)).step == 1


def test_a_stand_in_signs_for_the_absent_section_head_recorded_as_acting_for(
        app, people):  # noqa: F811
    legal, head = people.xt_legal, people.xt_sectionhead
    with on(DAY):
        standins.standin_create(actor=people.xt_principal, absent=head,
                                standin=legal, starts_on=DAY, ends_on=DAY,
                                reason="出差")
        propose(app, people.xt_clerk)
        signoff = sign(app, _fresh(legal))
        with pytest.raises(PermissionDenied):  # back early, the head may not 批准
            sign(app, _fresh(head))
    assert signoff.acting_for == head
    assert SignOff.objects.get(pk=signoff.pk).signer_name == f"{legal}（代{head}）"
    event = AuditEvent.objects.filter(action="approval.sign").order_by("seq").last()
    payload = json.loads(event.payload)
    assert payload["summary"].endswith(f"（代{head}）")
    assert payload["after"]["acting_for"] == head.pk


def test_the_stand_in_is_told_of_new_work_and_signs_through_the_permit_pages_kit(
        app, people, django_capture_on_commit_callbacks):  # noqa: F811
    from fazhi.core.models import Notification
    from fazhi.permits import services as permits

    legal, head = people.xt_legal, people.xt_sectionhead
    with on(DAY):
        standins.standin_create(actor=people.xt_principal, absent=head,
                                standin=legal, starts_on=DAY, ends_on=DAY,
                                reason="出差")
        with django_capture_on_commit_callbacks(execute=True):  # 新待办 on commit
            permits.application_propose(application=app, actor=people.xt_clerk,
                                        decision="approve")
        told = Notification.objects.get(user=legal, kind="work")
        assert told.message.endswith(f"（代{head}）") and app.number in told.message
        permits.application_sign(application=app, actor=_fresh(legal), agree=True)
    moves = [json.loads(e.payload) for e in AuditEvent.objects.filter(
        object_id=str(app.pk), actor=legal).order_by("seq")]
    assert len(moves) >= 2
    assert all(m["summary"].endswith(f"（代{head}）") for m in moves)
    assert {m["after"]["acting_for"] for m in moves} == {head.pk}

"""请假代理 and 工作交接 on real matters, through the pages a bureau uses.

A stand-in sees and acts on the absent person's items during the period only,
recorded as acting for them; never in another county; never deciding what they
or the person they stand in for asked. A head hands a person's open matters to
another of the same role, audited and told; a matter given to someone who left
waits on the role again and is listed first on 工作交接.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fazhi.core import services as core_services
from fazhi.core import standins
from fazhi.core.models import AuditEvent, Notification, StandIn
from fazhi.core.roles import Role
from fazhi.deadlines.models import ClockExtension, ExtensionState
from fazhi.disclosure import services as disclosure
from fazhi.disclosure.models import DisclosureRequest
from fazhi.work import items as work
from tests.disclosure.conftest import on

ASKED = dt.date(2025, 10, 20)  # a Monday: the officer asks for an extension


@pytest.fixture
def asked(request_of, people):
    """A request of 湘潭县 whose officer asked the head for an extension on ASKED."""
    req = request_of()
    with on(ASKED):
        disclosure.request_extension_ask(request=req, actor=people.xt_disclosure,
                                         days=10, reason="需调阅档案")
    return req


@pytest.fixture
def standin_for_head(people):
    """The principal names the legal officer to stand in for the disclosure head
    from ASKED to the Friday after."""
    def _enter(standin=None, **extra):
        fields = dict(absent=people.xt_disclosurehead,
                      standin=standin or people.xt_legal, starts_on=ASKED,
                      ends_on=ASKED + dt.timedelta(days=4), reason="年休假")
        fields.update(extra)
        with on(ASKED):
            return standins.standin_create(actor=people.xt_principal, **fields)
    return _enter


def _pending(req) -> ClockExtension:
    return ClockExtension.objects.get(clock=req.reply_clock, state=ExtensionState.PENDING)


def _payload(event) -> dict:
    return json.loads(event.payload)


def test_the_stand_in_sees_and_decides_the_absent_heads_item_recorded_as_acting_for(
        asked, standin_for_head, people, client, home):
    period = standin_for_head()
    head, legal = people.xt_disclosurehead, people.xt_legal
    created = AuditEvent.objects.get(action="standin.create", object_id=str(period.pk))
    assert "年休假" in _payload(created)["summary"]
    with on(ASKED):
        page = home(legal)
        assert f"审批延期申请：{asked.number}" in page
        assert f"代{head}" in page
        ext = _pending(asked)
        url = reverse("disclosure:extension_decide", args=[ext.pk])
        assert client.post(url, {"approve": "1"}).status_code == 302
    ext.refresh_from_db()
    assert ext.state == ExtensionState.APPROVED and ext.decided_by == legal
    event = AuditEvent.objects.filter(action="clock.extension_decide").get()
    assert event.actor == legal
    assert _payload(event)["summary"].endswith(f"（代{head}）")
    assert _payload(event)["after"]["acting_for"] == head.pk


def test_after_the_period_ends_the_stand_in_no_longer_can(
        asked, standin_for_head, people, client, home):
    period = standin_for_head()
    legal = people.xt_legal
    ext = _pending(asked)
    url = reverse("disclosure:extension_decide", args=[ext.pk])
    with on(ASKED + dt.timedelta(days=5)):  # the Saturday after its last day
        assert "审批延期申请" not in home(legal)
        assert client.get(url).status_code == 403
    with on(ASKED + dt.timedelta(days=1)):
        client.force_login(people.xt_disclosurehead)  # back early: ends it
        assert client.post(reverse("web:standin_end", args=[period.pk])
                           ).status_code == 302
        assert "审批延期申请" not in home(legal)
        assert client.post(url, {"approve": "1"}).status_code == 403
        assert "已提前结束" in client.get(reverse("web:standins")).content.decode()
    assert _pending(asked).state == ExtensionState.PENDING
    assert AuditEvent.objects.filter(action="standin.end",
                                     object_id=str(period.pk)).count() == 1


def test_a_stand_in_in_another_county_is_refused(people, asked):
    head = people.xt_disclosurehead
    with on(ASKED), pytest.raises(ValidationError, match="代理人须为湘潭县"):
        standins.standin_create(actor=people.xt_principal, absent=head,
                                standin=people.xx_disclosurehead, starts_on=ASKED,
                                ends_on=ASKED, reason="出差")
    # Written past the service, a period across counties still gives no roles.
    StandIn.objects.create(org_unit=head.org_unit, absent=head,
                           standin=people.xx_legal, starts_on=ASKED, ends_on=ASKED,
                           reason="出差", entered_by=head, entered_at=timezone.now())
    with on(ASKED):
        other = type(people.xx_legal).objects.get(pk=people.xx_legal.pk)
        assert other.acting == {} and not other.has_role(Role.DISCLOSURE_HEAD)
        with pytest.raises(PermissionDenied):
            disclosure.request_extension_decide(extension=_pending(asked), actor=other,
                                                approve=True)


def test_only_the_person_or_a_head_over_them_enters_a_period(people):
    with on(ASKED):
        with pytest.raises(PermissionDenied):  # a colleague may not
            standins.standin_create(actor=people.xt_officer2,
                                    absent=people.xt_officer,
                                    standin=people.xt_officer2, starts_on=ASKED,
                                    ends_on=ASKED, reason="休假")
        with pytest.raises(ValidationError, match="同一岗位"):
            # the person themself names someone of their own role only
            standins.standin_create(actor=people.xt_officer, absent=people.xt_officer,
                                    standin=people.xt_legal, starts_on=ASKED,
                                    ends_on=ASKED, reason="休假")
        period = standins.standin_create(
            actor=people.xt_officer, absent=people.xt_officer,
            standin=people.xt_officer2, starts_on=ASKED, ends_on=ASKED, reason="休假")
        with pytest.raises(ValidationError, match="已有代理人"):
            standins.standin_create(actor=people.xt_principal, absent=people.xt_officer,
                                    standin=people.xt_legal, starts_on=ASKED,
                                    ends_on=ASKED, reason="休假")
    assert Notification.objects.filter(user=people.xt_officer2,
                                       dedupe_key__startswith=f"standin:{period.pk}:")


def test_the_officer_who_asked_cannot_decide_it_as_the_heads_stand_in(
        asked, standin_for_head, people, home):
    officer = people.xt_disclosure
    standin_for_head(standin=officer)
    with on(ASKED):
        me = type(officer).objects.get(pk=officer.pk)
        assert me.has_role(Role.DISCLOSURE_HEAD)
        assert "审批延期申请" not in home(officer)
        with pytest.raises(PermissionDenied):
            disclosure.request_extension_decide(extension=_pending(asked), actor=me,
                                                approve=True)


def test_the_stand_ins_list_is_theirs_and_the_absent_persons_each_once(
        asked, standin_for_head, people):
    standin_for_head()
    with on(ASKED):
        legal = type(people.xt_legal).objects.get(pk=people.xt_legal.pk)
        mine = work.items_mine(legal)
        acting = [i for i in mine.first(100) if i.who]
        assert [i.title for i in acting] == [f"审批延期申请：{asked.number}"]
        assert [i.who for i in acting] == [f"代{people.xt_disclosurehead}"]
        assert mine.counts["disclosure"] == 1


# --- 工作交接 -----------------------------------------------------------------------


@pytest.fixture
def officer_b(people, orgs):
    """A second disclosure officer of 湘潭县."""
    user = core_services.user_create(username="xt_disclosure2", full_name="湘潭县公开二",
                                     org_unit=orgs["xt"], password="x" * 12, actor=None)
    core_services.user_grant_role(user=user, role=Role.DISCLOSURE_OFFICER, actor=None)
    return user


def test_a_head_hands_a_persons_open_matters_to_another_with_the_reason(
        request_of, officer_b, people, client):
    req = request_of()
    officer, head = people.xt_disclosure, people.xt_disclosurehead
    client.force_login(head)
    page = client.get(reverse("web:handover"), {"person": officer.pk}).content.decode()
    assert req.number in page and officer_b.full_name in page
    response = client.post(reverse("web:handover"), {
        "person": officer.pk, "keys": [f"disclosure.disclosurerequest:{req.pk}"],
        "to": officer_b.pk, "reason": "调岗", "confirm": "on"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.assignee == officer_b
    assert req.reply_clock.assignee in (None, officer_b)
    event = AuditEvent.objects.get(action="work.hand_over", object_id=str(req.pk))
    assert event.actor == head and "调岗" in _payload(event)["summary"]
    assert _payload(event)["after"] == {"assignee": officer_b.pk}
    note = Notification.objects.get(user=officer_b, dedupe_key__startswith="handover:")
    assert req.number in note.message
    assert any(i.key == ("disclosure.disclosurerequest", str(req.pk))
               for i in work.items_mine(officer_b).first(100))


def test_hand_over_is_refused_to_others_and_across_bureaus(
        request_of, officer_b, people, client):
    from fazhi.work import handover

    req = request_of()
    officer = people.xt_disclosure
    client.force_login(people.xt_officer)
    assert client.get(reverse("web:handover")).status_code == 403
    with pytest.raises(PermissionDenied):
        handover.hand_over(person=officer, to=officer_b, reason="调岗",
                           actor=people.xt_officer)
    client.force_login(people.xx_principal)
    assert client.get(reverse("web:handover"), {"person": officer.pk}
                      ).status_code == 404
    # a mistyped address finds nobody: 404, not a server error
    client.force_login(people.xt_principal)
    assert client.get(reverse("web:handover"), {"person": "12a"}).status_code == 404
    client.force_login(people.xx_principal)
    with pytest.raises(PermissionDenied):
        handover.hand_over(person=officer, to=officer_b, reason="调岗",
                           actor=people.xx_principal)
    with pytest.raises(PermissionDenied):  # the window's head: not the office's work
        handover.hand_over(person=officer, to=officer_b, reason="调岗",
                           actor=people.xt_sectionhead)
    with pytest.raises(ValidationError):  # the new person must hold the role
        handover.hand_over(person=officer, to=people.xt_legal, reason="调岗",
                           actor=people.xt_principal)
    req.refresh_from_db()
    assert req.assignee == officer
    assert not AuditEvent.objects.filter(action="work.hand_over").exists()


def test_a_matter_of_someone_who_left_waits_on_the_role_and_is_listed_first(
        request_of, officer_b, people, client, home):
    req = request_of()
    officer = people.xt_disclosure
    assert req.number not in home(officer_b)
    core_services.user_set_active(user=officer, active=False, actor=people.xt_sysadmin)
    assert req.number in home(officer_b)  # not lost: the role's again
    client.force_login(people.xt_disclosurehead)
    page = client.get(reverse("web:handover")).content.decode()
    assert "已停用人员名下的事项" in page
    assert page.index(req.number) < page.index("选择人员")
    client.post(reverse("web:handover"), {
        "person": officer.pk, "keys": [f"disclosure.disclosurerequest:{req.pk}"],
        "to": officer_b.pk, "reason": "离职", "confirm": "on"})
    assert DisclosureRequest.objects.get(pk=req.pk).assignee == officer_b
    assert "已停用人员名下的事项" not in client.get(reverse("web:handover")
                                            ).content.decode()

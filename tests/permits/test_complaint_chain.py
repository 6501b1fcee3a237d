"""A bad rating's verification is the chain ``permit.complaint`` of the rule data:
the rated window's explanation (情况说明) is its proposal, the verification its
sign-off by the role the rule file names; and its clock warns its owners, the
holders of that role, like every other clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core import audit
from fazhi.core.models import Approval, NoticeKind, Notification
from fazhi.core.roles import Role
from fazhi.deadlines.models import ClockState
from fazhi.deadlines.sweep import clocks_sweep
from fazhi.permits import services
from tests.permits.conftest import on

D = dt.date
RATED_ON, EXPLAINED, VERIFIED = D(2025, 9, 8), D(2025, 9, 9), D(2025, 9, 10)

PRINCIPAL_VERIFIES = '''
[law]
name = "中华人民共和国行政许可法"
version = "2019年修正"
source = "测试"

[[chain]]
code = "permit.complaint"
label = "差评核实整改"
article = "（测试）"
standing = "bureau"
steps = [
  { code = "explain", label = "情况说明", role = "window_clerk" },
  { code = "verify", label = "局长核实", role = "principal" },
]
'''


@pytest.fixture
def rating(approved):
    app = approved(day=D(2025, 9, 5))
    with on(RATED_ON):
        return services.rating_record(application=app, score=1, comment="等了很久",
                                      channel="online")


def _explain(rating, clerk):
    with on(EXPLAINED):
        return services.complaint_explain(rating=rating, actor=clerk,
                                          explanation="当日窗口只开一个，等候一小时")


def _rounds(rating):
    return list(Approval.objects.filter(
        chain="permit.complaint", object_id=str(rating.application_id)).order_by("round"))


def test_explanation_and_verification_are_recorded_as_sign_offs(rating, people):
    clerk, supervisor = people.xt_clerk, people.xt_supervisor
    told = Notification.objects.filter(user=clerk, kind=NoticeKind.WORK)
    assert [n.message for n in told] == [
        f"新待办：差评情况说明 {rating.application.number}"]
    with on(VERIFIED), pytest.raises(ValidationError, match="尚未作出情况说明"):
        services.complaint_answer(rating=rating, actor=supervisor, answer="已核实",
                                  answered_on=VERIFIED)
    _explain(rating, clerk)
    assert Notification.objects.filter(
        user=supervisor, kind=NoticeKind.WORK,
        message__startswith="新待办：差评核实").exists()
    assert services.complaint_turn(rating, supervisor)
    with on(VERIFIED):
        services.complaint_answer(rating=rating, actor=supervisor,
                                  answer="已核实，增开午间窗口并电话致歉",
                                  answered_on=VERIFIED)
    (round_,) = _rounds(rating)
    assert round_.state == "approved"
    assert list(round_.signoffs.order_by("step").values_list(
        "signed_by", "opinion")) == [(clerk.pk, "propose"), (supervisor.pk, "agree")]
    rating.refresh_from_db()
    assert rating.answered_by == supervisor
    assert rating.complaint_clock.state == ClockState.STOPPED
    assert audit.verify().ok


def test_a_verification_refused_goes_back_to_the_window_with_the_reasons(
        rating, people, client):
    clerk, supervisor = people.xt_clerk, people.xt_supervisor
    _explain(rating, clerk)
    client.force_login(supervisor)
    with on(VERIFIED):
        response = client.post(
            f"/permits/{rating.application_id}/answer/",
            {"agree": "0", "answer": "情况不实：当日开了两个窗口，请调取叫号记录",
             "answered_on": VERIFIED.isoformat()})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.answered_on is None
    assert rating.complaint_clock.state == ClockState.RUNNING
    assert [r.state for r in _rounds(rating)] == ["returned"]
    told = Notification.objects.filter(user=clerk).values_list("message", flat=True)
    assert [m for m in told if "请调取叫号记录" in m]
    assert services.complaint_may_explain(rating, clerk)
    _explain(rating, clerk)
    assert [r.state for r in _rounds(rating)] == ["returned", "open"]


def test_the_verifying_role_is_the_rule_files(settings, tmp_path, rating, people):
    (tmp_path / "permits").mkdir()
    (tmp_path / "permits" / "approvals.toml").write_text(PRINCIPAL_VERIFIES,
                                                         encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    _explain(rating, people.xt_clerk)
    with on(VERIFIED), pytest.raises(PermissionDenied):
        services.complaint_answer(rating=rating, actor=people.xt_supervisor,
                                  answer="已核实", answered_on=VERIFIED)
    with on(VERIFIED):
        services.complaint_answer(rating=rating, actor=people.xt_principal,
                                  answer="已核实", answered_on=VERIFIED)
    signed = _rounds(rating)[0].signoffs.get(step=1)
    assert (signed.label, signed.signed_by) == ("局长核实", people.xt_principal)


def test_nobody_verifies_their_own_explanation(rating, people):
    from fazhi.core import services as core

    clerk = people.xt_clerk
    core.user_grant_role(user=clerk, role=Role.SUPERVISOR, actor=None)
    _explain(rating, clerk)
    assert not services.complaint_turn(rating, clerk)
    with on(VERIFIED), pytest.raises(PermissionDenied):
        services.complaint_answer(rating=rating, actor=clerk, answer="已核实",
                                  answered_on=VERIFIED)


def test_the_bad_rating_clock_warns_the_supervisors(rating, people):
    """Given to nobody, the clock warned nobody: the sweep told only an assignee."""
    clock = rating.complaint_clock
    due = clock.due_date
    with on(due):
        clocks_sweep()
    with on(due + dt.timedelta(days=1)):
        clocks_sweep()
        clocks_sweep()  # twice: still once per level
    mine = Notification.objects.filter(user=people.xt_supervisor, clock=clock)
    assert sorted(mine.values_list("kind", flat=True)) == [
        NoticeKind.RED, NoticeKind.YELLOW]
    yellow = mine.get(kind=NoticeKind.YELLOW)
    assert yellow.message == f"临期提醒：{clock.title}将于 {due} 届满"
    # Past due, the bureau's principal is told (超期督办); the supervisors were
    # told it as its owners, not twice.
    assert Notification.objects.filter(user=people.xt_principal, clock=clock,
                                       kind=NoticeKind.ESCALATION).count() == 1
    assert not mine.filter(kind=NoticeKind.ESCALATION).exists()
    assert not Notification.objects.filter(user=people.xx_supervisor).exists()

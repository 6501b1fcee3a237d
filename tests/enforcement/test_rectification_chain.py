"""Rectification acceptance is the chain ``enforcement.rectification`` of the rule
data: the responsible person's report is its proposal, the acceptance (验收) or a
refusal with reasons its sign-off, by the role the rule file names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.core import audit
from fazhi.core.models import Approval, Notification
from fazhi.core.roles import Role
from fazhi.enforcement.supervision import services as supervision
from tests.enforcement.conftest import on
from tests.enforcement.test_supervision import closed, issued, reviewed  # noqa: F401

DONE = dt.date(2025, 10, 8)

LEGAL_ACCEPTS = '''
[law]
name = "自然资源执法监督规定"
version = "测试"
source = "测试"

[[chain]]
code = "enforcement.rectification"
label = "整改验收"
article = "（测试）"
standing = "bureau"
steps = [
  { code = "report", label = "报告整改完成", role = "enforcement_officer" },
  { code = "accept", label = "法务验收", role = "legal_affairs_officer" },
]
'''


@pytest.fixture
def item(people, closed):  # noqa: F811
    review = reviewed(closed(), people.xt_supervisor)
    return issued(review, people.xt_supervisor, people.xt_officer,
                  dt.date(2025, 10, 10))


def _report(item, officer, note="已补齐送达回证"):
    with on(DONE):
        return supervision.rectification_complete(item=item, actor=officer,
                                                  completed_on=DONE, note=note)


def _rounds(item):
    return list(Approval.objects.filter(chain="enforcement.rectification",
                                        object_id=str(item.pk)).order_by("round"))


def test_report_and_acceptance_are_recorded_as_sign_offs(item, people, client):
    _report(item, people.xt_officer)
    (round_,) = _rounds(item)
    assert round_.state == "open" and round_.waiting["role"] == Role.SUPERVISOR
    with on(DONE):
        supervision.rectification_verify(item=item, actor=people.xt_supervisor,
                                          reasons="已核对送达回证原件")
    round_.refresh_from_db()
    assert round_.state == "approved"
    assert list(round_.signoffs.order_by("step").values_list(
        "signed_by", "opinion", "reasons")) == [
        (people.xt_officer.pk, "propose", "已补齐送达回证"),
        (people.xt_supervisor.pk, "agree", "已核对送达回证原件")]
    item.refresh_from_db()
    assert item.verified_by == people.xt_supervisor
    # The review's page prints who reported and accepted, when, and the opinion.
    client.force_login(people.xt_supervisor)
    page = client.get(reverse("enforcement:file_review_detail",
                              args=[item.review_id])).content.decode()
    for text in ("报告整改完成", str(people.xt_officer), "验收", "同意",
                 str(people.xt_supervisor), "已核对送达回证原件", "2025-10-08"):
        assert text in page, text
    assert audit.verify().ok


def test_a_refused_acceptance_goes_back_with_the_reasons(item, people, client):
    _report(item, people.xt_officer)
    with on(DONE), pytest.raises(ValidationError):  # 不同意 needs reasons
        supervision.rectification_verify(item=item, actor=people.xt_supervisor,
                                          agree=False)
    client.force_login(people.xt_supervisor)
    with on(DONE):
        response = client.post(
            reverse("enforcement:rectification_verify", args=[item.pk]),
            {"agree": "0", "reasons": "送达回证缺当事人签名"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.completed_on is None and item.verified_by is None
    assert [r.state for r in _rounds(item)] == ["returned"]
    told = Notification.objects.filter(user=people.xt_officer).values_list(
        "message", flat=True)
    assert [m for m in told if "送达回证缺当事人签名" in m]
    # The responsible person sees the item to report again, and does: round two.
    client.force_login(people.xt_officer)
    mine = client.get(reverse("enforcement:rectification_list")).content.decode()
    assert reverse("enforcement:rectification_complete", args=[item.pk]) in mine
    _report(item, people.xt_officer, note="已补签名")
    with on(DONE):
        supervision.rectification_verify(item=item, actor=people.xt_supervisor)
    assert [r.state for r in _rounds(item)] == ["returned", "approved"]
    assert audit.verify().ok


def test_the_accepting_role_is_the_rule_files(settings, tmp_path, item, people):
    (tmp_path / "enforcement").mkdir()
    (tmp_path / "enforcement" / "approvals.toml").write_text(LEGAL_ACCEPTS,
                                                             encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    _report(item, people.xt_officer)
    with on(DONE), pytest.raises(PermissionDenied):
        supervision.rectification_verify(item=item, actor=people.xt_supervisor)
    assert not supervision.rectification_turn(item, people.xt_supervisor)
    assert supervision.rectification_turn(item, people.xt_legal)
    with on(DONE):
        supervision.rectification_verify(item=item, actor=people.xt_legal)
    signed = _rounds(item)[0].signoffs.get(step=1)
    assert (signed.label, signed.signed_by) == ("法务验收", people.xt_legal)


def test_the_responsible_person_reports_under_the_chains_role(people, closed):  # noqa: F811
    review = reviewed(closed(), people.xt_supervisor)
    with pytest.raises(ValidationError) as error:
        issued(review, people.xt_supervisor, people.xt_clerk, dt.date(2025, 10, 10))
    assert "执法人员" in error.value.message_dict["responsible"][0]


def test_the_responsible_person_never_accepts_their_own(item, people):
    from fazhi.core import services as core

    core.user_grant_role(user=people.xt_officer, role=Role.SUPERVISOR, actor=None)
    _report(item, people.xt_officer)
    with on(DONE), pytest.raises(PermissionDenied):
        supervision.rectification_verify(item=item, actor=people.xt_officer)
    assert not supervision.rectification_turn(item, people.xt_officer)

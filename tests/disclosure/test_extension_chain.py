"""The extension of the reply period is the chain ``disclosure.extension`` of the rule
data: the officer's request is its proposal, the decision its sign-off, the deciding
role the rule file's (a bureau changes it without code), and nobody decides their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.core import audit
from fazhi.core.models import Approval, AuditEvent, Notification, SignOff
from fazhi.core.roles import Role
from fazhi.deadlines.models import ExtensionState
from fazhi.disclosure import services
from tests.disclosure.conftest import on

D = dt.date
ASKED, DECIDED = D(2025, 9, 29), D(2025, 9, 30)

HEAD_OVERRIDE = '''
[law]
name = "中华人民共和国政府信息公开条例"
version = "2019年修订"
source = "测试"

[[chain]]
code = "disclosure.extension"
label = "延长政府信息公开答复期限"
article = "第三十三条第二款"
standing = "bureau"
steps = [
  { code = "ask", label = "申请", role = "disclosure_officer" },
  { code = "approve", label = "局长审批", role = "principal" },
]
'''


def _ask(req, officer, days=10):
    with on(ASKED):
        return services.request_extension_ask(request=req, actor=officer, days=days,
                                              reason="需调取多年档案逐卷核对")


def _round(req) -> Approval:
    return Approval.objects.get(object_id=str(req.pk), chain="disclosure.extension")


def test_the_request_and_the_decision_are_the_chains_sign_offs(register, officer,
                                                               head):
    req = register()
    ext = _ask(req, officer)
    first = _round(req)
    assert (first.round, first.state, first.waiting["role"]) == (
        1, "open", Role.DISCLOSURE_HEAD)
    assert first.proposal_label == "拟延长10个工作日"
    with on(DECIDED):
        services.request_extension_decide(extension=ext, actor=head, approve=True,
                                          reasons="同意，按期告知申请人")
    first.refresh_from_db()
    signed = list(first.signoffs.order_by("step").values_list(
        "signed_by", "opinion", "reasons"))
    assert first.state == "approved" and signed == [
        (officer.pk, "propose", "需调取多年档案逐卷核对"),
        (head.pk, "agree", "同意，按期告知申请人")]
    ext.refresh_from_db()
    assert ext.state == ExtensionState.APPROVED and ext.decided_by == head
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions.index("approval.propose") < actions.index("clock.extension_ask")
    assert actions.index("approval.sign") < actions.index("clock.extension_decide")
    assert audit.verify().ok


def test_the_request_page_prints_who_signed_when_and_the_opinion(
        register, officer, head, client):
    req = register()
    ext = _ask(req, officer)
    with on(DECIDED):
        services.request_extension_decide(extension=ext, actor=head, approve=True)
    client.force_login(officer)
    page = client.get(req.get_absolute_url()).content.decode()
    section = page[page.index("延期审批签署"):]
    for text in ("申请", "拟延长10个工作日", str(officer), "审批", "同意", str(head),
                 "2025-09-30"):
        assert text in section, text


def test_a_refusal_needs_reasons_and_returns_to_the_asker_with_them(
        register, officer, head, client):
    req = register()
    due = req.reply_clock.due_date
    ext = _ask(req, officer)
    with on(DECIDED), pytest.raises(ValidationError) as refused:
        services.request_extension_decide(extension=ext, actor=head, approve=False)
    assert "reasons" in refused.value.message_dict
    assert _round(req).state == "open"
    with on(DECIDED):
        services.request_extension_decide(extension=ext, actor=head, approve=False,
                                          reasons="档案已电子化，可按期答复")
    ext.refresh_from_db()
    req.reply_clock.refresh_from_db()
    assert ext.state == ExtensionState.REFUSED and req.reply_clock.due_date == due
    assert _round(req).state == "returned"
    told = Notification.objects.filter(user=officer).values_list("message", flat=True)
    assert [m for m in told if "档案已电子化，可按期答复" in m and "未获批准" in m]
    # The request is back on the officer's 我的待办, due as before.
    client.force_login(officer)
    with on(DECIDED):
        home = client.get(reverse("web:home")).content.decode()
    row = home[home.index(req.number):][:400]
    assert str(due) in row
    # The officer may ask again: a second round.
    with on(DECIDED):
        services.request_extension_ask(request=req, actor=officer, days=5,
                                       reason="补充：另有一卷在市档案馆")
    assert list(Approval.objects.filter(chain="disclosure.extension").order_by(
        "round").values_list("round", "state")) == [(1, "returned"), (2, "open")]


def test_nobody_decides_their_own_extension(register, officer, head, people, client):
    from fazhi.core import services as core

    core.user_grant_role(user=officer, role=Role.DISCLOSURE_HEAD, actor=None)
    req = register()
    ext = _ask(req, officer)
    with on(DECIDED), pytest.raises(PermissionDenied):
        services.request_extension_decide(extension=ext, actor=officer, approve=True)
    client.force_login(officer)
    with on(DECIDED):
        page = client.get(req.get_absolute_url()).content.decode()
        assert reverse("disclosure:extension_decide", args=[ext.pk]) not in page
        home = client.get(reverse("web:home")).content.decode()
        assert f"审批延期申请：{req.number}" not in home
        client.post(reverse("disclosure:extension_decide", args=[ext.pk]),
                    {"approve": "1"})
    ext.refresh_from_db()
    assert ext.state == ExtensionState.PENDING
    assert SignOff.objects.filter(approval__chain="disclosure.extension").count() == 1


def test_the_deciding_role_is_the_rule_files(settings, tmp_path, register, officer,
                                             head, people, client):
    (tmp_path / "disclosure").mkdir()
    (tmp_path / "disclosure" / "approvals.toml").write_text(HEAD_OVERRIDE,
                                                            encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    principal = people.xt_principal
    req = register()
    ext = _ask(req, officer)
    assert Notification.objects.filter(user=principal, kind="work").exists()
    assert not Notification.objects.filter(user=head, kind="work").exists()
    client.force_login(head)
    with on(DECIDED):
        assert f"审批延期申请：{req.number}" not in client.get(
            reverse("web:home")).content.decode()
        assert client.get(reverse("disclosure:extension_decide",
                                  args=[ext.pk])).status_code == 403
    with on(DECIDED), pytest.raises(PermissionDenied):
        services.request_extension_decide(extension=ext, actor=head, approve=True)
    client.force_login(principal)
    with on(DECIDED):
        home = client.get(reverse("web:home")).content.decode()
        assert f"审批延期申请：{req.number}" in home
        response = client.post(reverse("disclosure:extension_decide", args=[ext.pk]),
                               {"approve": "1"})
    assert response.status_code == 302
    ext.refresh_from_db()
    assert ext.state == ExtensionState.APPROVED and ext.decided_by == principal
    signed = _round(req).signoffs.get(step=1)
    assert (signed.label, signed.role) == ("局长审批", Role.PRINCIPAL)


def test_a_chain_of_more_than_two_steps_is_refused_with_the_file_named(
        settings, tmp_path, register, officer):
    from fazhi.core.ruledata import RuleFileError

    three = HEAD_OVERRIDE.replace(
        '{ code = "approve", label = "局长审批", role = "principal" },',
        '{ code = "check", label = "审核", role = "disclosure_head" },\n'
        '  { code = "approve", label = "局长审批", role = "principal" },')
    (tmp_path / "disclosure").mkdir()
    (tmp_path / "disclosure" / "approvals.toml").write_text(three, encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    req = register()
    with pytest.raises(RuleFileError, match="须为两步"):
        _ask(req, officer)
    assert not req.reply_clock.extensions.exists()

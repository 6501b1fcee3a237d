"""The shared matter kit, tried on the simplest matter (a disclosure request):
``core.matters.advance`` and the step kit that the pages, the API and the CLI share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.core.matters import advance
from fazhi.core.models import AuditEvent
from fazhi.disclosure import views
from fazhi.disclosure.models import DisclosureRequest, RequestState
from fazhi.disclosure.workflow import TABLE

from .conftest import on

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 9, 29)
WITHDRAWN = {"on": "2025-09-29", "reason": "申请人电话撤回", "confirm": "on"}


def test_a_stale_copy_loses_to_the_first_clerk_and_only_the_first_is_recorded(
        register, officer):
    first = register()
    stale = DisclosureRequest.objects.get(pk=first.pk)
    events = AuditEvent.objects.count()
    advance(first, TABLE, "withdraw", officer, note="电话撤回", closed_on=DAY)
    with pytest.raises(ValidationError) as caught:
        advance(stale, TABLE, "reply", officer, replied_on=DAY)
    assert "该申请刚被他人处理" in caught.value.message_dict["state"][0]
    assert DisclosureRequest.objects.get(pk=first.pk).state == RequestState.WITHDRAWN
    event = AuditEvent.objects.get(seq=events + 1)
    assert AuditEvent.objects.count() == events + 1
    assert event.action == "disclosure.withdraw"
    assert "申请人撤回 电话撤回" in event.payload and '"withdrawn"' in event.payload


def test_the_wrong_role_is_permission_denied_and_the_wrong_state_a_form_error(
        register, officer, head):
    request = register()
    with pytest.raises(PermissionDenied, match="政务公开机构负责人"):
        advance(request, TABLE, "extension_decide", officer)
    with pytest.raises(ValidationError) as caught:
        advance(request, TABLE, "deliver", officer)
    assert "当前状态为“办理中”，不能登记送达" in caught.value.message_dict["state"][0]
    assert DisclosureRequest.objects.get(pk=request.pk).state == RequestState.REGISTERED


def test_the_daily_sweep_acts_as_the_system_where_the_table_allows_it(register):
    request = register()
    with pytest.raises(PermissionDenied):
        advance(request, TABLE, "withdraw", None)


def test_a_step_taken_for_another_county_is_refused_before_the_form(
        register, people):
    request = register()
    with on(DAY):
        outcome = views.PAGES.take("withdraw", request, people.xx_disclosure,
                                   WITHDRAWN)
    assert outcome.denied and not outcome.ok
    assert "湘潭县" in outcome.messages()[0]
    assert DisclosureRequest.objects.get(pk=request.pk).state == RequestState.REGISTERED


def test_a_service_refusal_lands_on_the_form_field_it_names(register, officer):
    request = register()
    with on(DAY):
        outcome = views.PAGES.take("withdraw", request, officer,
                                   {**WITHDRAWN, "on": "2025-09-01"})
    assert not outcome.ok and not outcome.denied
    assert "撤回日期不能早于收到申请日期" in outcome.form.errors["on"][0]


def test_the_page_takes_the_step_and_says_so(client, register, officer):
    request = register()
    client.force_login(officer)
    url = reverse("disclosure:withdraw", args=[request.pk])
    with on(DAY):
        assert client.get(url).status_code == 200
        response = client.post(url, WITHDRAWN, follow=True)
    assert "已登记撤回，申请办结" in response.content.decode()
    assert DisclosureRequest.objects.get(pk=request.pk).state == RequestState.WITHDRAWN


def test_the_page_refuses_a_role_the_step_does_not_name(client, register, head):
    request = register()
    client.force_login(head)
    assert client.get(reverse("disclosure:withdraw", args=[request.pk])
                      ).status_code == 403


def test_a_step_listed_under_two_names_is_mounted_once():
    from fazhi.enforcement.cases import views as cases

    assert cases.STEPS["return_review"] is cases.STEPS["pass_review"]
    names = [p.name for p in cases.PAGES.urls()]
    assert "case_pass_review" in names and "case_return_review" not in names
    assert len(names) == len(set(map(id, cases.STEPS.values())))

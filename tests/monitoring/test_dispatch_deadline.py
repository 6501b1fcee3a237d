"""A patch dispatched without a deadline takes the batch's only while it lies ahead;
once it has passed, the bureau is asked for a deadline instead of a task being born
overdue (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.monitoring import services
from fazhi.monitoring.models import CheckTask

from .conftest import RECEIVED, on

pytestmark = pytest.mark.django_db
BATCH_DUE = dt.date(2025, 11, 28)  # conftest.meta
AFTER = dt.date(2025, 12, 1)


def test_before_the_batch_deadline_it_is_the_default(patch, officer):
    with on(RECEIVED):
        task = services.task_assign(patch=patch, assignee=officer, actor=officer)
    assert task.due_on == BATCH_DUE


def test_after_the_batch_deadline_a_deadline_is_asked_for(patch, officer):
    with on(AFTER), pytest.raises(ValidationError) as exc:
        services.task_assign(patch=patch, assignee=officer, actor=officer)
    assert exc.value.message_dict["due_on"] == [
        "本批次核查截止日期 2025-11-28 已过，请填写本次核查期限"]
    with on(AFTER):
        task = services.task_assign(patch=patch, assignee=officer, actor=officer,
                                    due_on=dt.date(2025, 12, 12))
    assert task.due_on == dt.date(2025, 12, 12)


def test_a_deadline_before_the_dispatch_is_refused_in_words(patch, officer):
    with on(AFTER), pytest.raises(ValidationError) as exc:
        services.task_assign(patch=patch, assignee=officer, actor=officer,
                             due_on=dt.date(2025, 11, 30))
    assert exc.value.message_dict["due_on"] == [
        "核查期限（2025-11-30）不能早于派发日期（2025-12-01）"]


def test_the_batch_page_offers_the_deadline_only_while_it_lies_ahead(
        client, login, officer, batch):
    url = reverse("monitoring:batch_detail", args=[batch.pk])
    with on(RECEIVED):
        login(officer)
        page = client.get(url).content.decode()
    assert 'name="due_on" value="2025-11-28"' in page
    with on(AFTER):
        login(officer)  # a session does not outlive the weeks travelled
        page = client.get(url).content.decode()
    assert 'name="due_on" value=' not in page
    assert "本批次核查截止日期 2025-11-28 已过，请填写本次核查期限" in page


def test_dispatching_from_the_batch_page_after_the_deadline_says_why(
        client, login, officer, batch):
    ids = list(batch.patches.values_list("pk", flat=True)[:2])
    with on(AFTER):
        login(officer)
        page = client.post(reverse("monitoring:batch_assign", args=[batch.pk]),
                           {"patch": ids, "assignee": officer.pk}, follow=True)
    assert "本批次核查截止日期 2025-11-28 已过，请填写本次核查期限" in page.content.decode()
    assert not CheckTask.objects.exists()
    with on(AFTER):
        client.post(reverse("monitoring:batch_assign", args=[batch.pk]),
                    {"patch": ids, "assignee": officer.pk, "due_on": "2025-12-12"})
    assert [t.due_on for t in CheckTask.objects.all()] == [dt.date(2025, 12, 12)] * 2

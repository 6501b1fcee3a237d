"""The window's queue and completion notice as staff expect them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.permits.conftest import MON, on


def test_an_application_with_no_due_date_sorts_below_an_overdue_one(
        client, clerk, registered, accepted):
    undated = registered()  # received, not yet accepted: no due date
    late = accepted()
    assert undated.due_date is None and late.due_date is not None
    client.force_login(clerk)
    with on(late.due_date + dt.timedelta(days=30)):
        page = client.get(reverse("permits:queue")).content.decode()
    assert page.index(late.number) < page.index(undated.number)


def test_the_completion_notice_starts_from_the_materials_still_missing(
        client, clerk, registered):
    app = registered()
    labels = [m.label for m in app.materials.filter(required=True)]
    assert labels
    client.force_login(clerk)
    with on(MON):
        page = client.get(reverse("permits:request_completion", args=[app.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for label in labels:
        assert label in text

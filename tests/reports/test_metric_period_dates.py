"""An absurd period on the figures page is a form error (400), never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(("start", "end"), [
    ("0001-01-01", "2025-01-01"), ("2025-01-01", "9999-12-31"),
])
def test_an_absurd_period_is_refused_on_the_figures_page(client, people, start, end):
    client.force_login(people.xt_principal)
    response = client.get(reverse("reports:metric_list"), {"start": start, "end": end})
    assert response.status_code == 400
    assert "请核对年份" in response.content.decode()

"""An absurd year in the OGI statistics is a 400 saying why, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "year", ["0", "-1", "10000", "99999999999999999999", "二〇二五"])
@pytest.mark.parametrize("page", ["disclosure:stats", "disclosure:stats_export"])
def test_an_absurd_year_in_the_statistics_is_refused_in_chinese(client, officer,
                                                                page, year):
    client.force_login(officer)
    response = client.get(reverse(page), {"year": year})
    assert response.status_code == 400
    assert "年度" in response.content.decode()


def test_an_absurd_year_in_a_statistics_cell_is_refused(client, officer):
    client.force_login(officer)
    url = reverse("disclosure:stats_cell", args=[10000, "received", "total"])
    response = client.get(url)
    assert response.status_code == 400 and "年度须在" in response.content.decode()


def test_a_plausible_year_is_still_counted(client, officer):
    client.force_login(officer)
    assert client.get(reverse("disclosure:stats"), {"year": "2025"}).status_code == 200

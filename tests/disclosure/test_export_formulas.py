"""A requester's name from the public never becomes a live formula in the export."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.disclosure.conftest import on
from tests.sheets import HOSTILE, HOSTILE_SHOWN, formulas, shown


def test_a_requester_named_like_a_formula_is_exported_as_text(client, officer,
                                                              register):
    for name in HOSTILE:
        register(requester_name=name, content=name)
    client.force_login(officer)
    with on(dt.date(2025, 9, 26)):
        response = client.get(reverse("disclosure:export"))
    assert response.status_code == 200
    assert formulas(response.content) == []
    assert HOSTILE_SHOWN <= shown(response.content)

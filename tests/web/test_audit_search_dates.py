"""An absurd date on the audit page is a form error, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(("field", "value", "words"), [
    ("date_to", "9999-12-31", "截止日期不能晚于"),
    ("date_from", "0001-01-01", "起始日期早于"),
])
def test_an_absurd_date_in_the_audit_search_is_a_form_error(client, people, field,
                                                            value, words):
    client.force_login(people.xt_auditadmin)
    response = client.get(reverse("web:audit_search"), {field: value})
    assert response.status_code == 200
    assert words in response.content.decode()

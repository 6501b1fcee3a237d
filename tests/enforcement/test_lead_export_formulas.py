"""What a tipster typed never becomes a live formula in the leads export."""

from __future__ import annotations

from django.urls import reverse

from fazhi.enforcement.leads import services as leads
from tests.enforcement.conftest import MON, on
from tests.sheets import HOSTILE, HOSTILE_SHOWN, formulas, shown


def test_a_lead_described_like_a_formula_is_exported_as_text(people, login):
    officer = people.xt_officer
    for text in HOSTILE:
        with on(MON):
            leads.lead_register(
                actor=officer, source="tip", channel="phone", received_on=MON,
                location=text, suspect=text, description=text, assignee=officer,
                tipster_name="王举报", tipster_phone="13900001111")
    response = login(officer).get(reverse("enforcement:lead_export"))
    assert response.status_code == 200
    assert formulas(response.content) == []
    assert HOSTILE_SHOWN <= shown(response.content)

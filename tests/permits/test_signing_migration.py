"""Migration 0008 adds the sign-off states: applications already in the database
keep their states — decided ones stay decided, an accepted one goes on through the
chain from its proposal."""

from __future__ import annotations

import pytest

from fazhi.permits import workflow
from fazhi.permits.models import Application
from fazhi.permits.services import signing
from tests.migrating import migrate, migrate_latest

BEFORE = ("permits", "0007_withdrawn_applications_clocks")
STATES = ("accepted", "approved", "refused", "certified", "withdrawn")




@pytest.mark.django_db(transaction=True)
def test_existing_applications_keep_their_states_and_the_accepted_go_on(orgs,
                                                                        people):
    from fazhi.permits import services

    services.kinds_sync()
    old = migrate([BEFORE])
    Kind = old.get_model("permits", "PermitKind")
    App = old.get_model("permits", "Application")
    kind = Kind.objects.get(org_unit_id=orgs["xt"].pk, code="rural_planning")
    clerk = people.xt_clerk
    ids = {state: App.objects.create(
        org_unit_id=orgs["xt"].pk, number=f"受理{n}", kind=kind,
        applicant_name="张三", applicant_kind="person", project_name="项目",
        location="某村", clerk_id=clerk.pk, received_on="2025-09-01",
        accepted_on="2025-09-01", state=state, rating_token=f"t{n}",
        created_by_id=clerk.pk).pk for n, state in enumerate(STATES)}

    migrate_latest()

    assert {state: Application.objects.get(pk=pk).state
            for state, pk in ids.items()} == {s: s for s in STATES}
    accepted = Application.objects.get(pk=ids["accepted"])
    app = signing.application_propose(application=accepted, actor=clerk,
                                      decision="approve")
    assert app.state == workflow.REVIEWING

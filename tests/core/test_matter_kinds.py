"""The matter registry: a matter of another module is named, found and linked
through its kind, never through that module's models."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fazhi.core import matter_kinds
from tests.permits.conftest import kinds  # noqa: F401

MON = dt.date(2025, 9, 1)


@pytest.fixture
def application(people, kinds):  # noqa: F811
    from fazhi.permits import services

    clerk = people.xt_clerk
    with time_machine.travel("2025-09-01 10:00 +0800", tick=False):
        app = services.application_register(
            actor=clerk, kind=kinds["rural_planning"], applicant_name="王五",
            applicant_kind="person", project_name="自建房", location="某村",
            received_on=MON, clerk=clerk)
        return services.application_accept(application=app, actor=clerk,
                                           accepted_on=MON)


def test_every_kind_names_its_model_number_and_page(db):
    names = {k.kind for k in matter_kinds.kinds()}
    assert {"enforcement.case", "enforcement.lead", "permits.application",
            "disclosure.disclosurerequest", "disputes.reconsideration",
            "disputes.lawsuit", "monitoring.patch"} <= names
    for kind in matter_kinds.kinds():
        fields = {f.name for f in kind.model()._meta.get_fields()}
        assert kind.number_field in fields | {""}, kind
        if kind.owner:
            assert kind.owner in fields and kind.module == matter_kinds.kind_of(
                kind.model()._meta.get_field(kind.owner).related_model).module
        else:
            assert kind.url(1), kind


def test_only_acts_that_can_be_challenged_are_offered_to_disputes():
    challengeable = matter_kinds.kinds(challengeable=True)
    assert {k.kind for k in challengeable} == {
        "enforcement.case", "permits.application", "disclosure.disclosurerequest"}
    assert matter_kinds.labels(challengeable).count("或") == 1


def test_a_matter_is_found_by_number_in_its_own_bureau_only(application, orgs):
    among = matter_kinds.kinds(challengeable=True)
    assert matter_kinds.find_by_number(application.number, org_unit=orgs["xt"],
                                       among=among) == application
    assert matter_kinds.find_by_number(application.number, org_unit=orgs["xx"],
                                       among=among) is None
    assert matter_kinds.matter_url(application) == application.get_absolute_url()
    assert matter_kinds.matter_title(application) == f"许可申请 {application.number}"
    assert matter_kinds.module_label("permits") == "行政许可"


def test_the_clock_page_links_to_the_matter_it_runs_for(client, people, application):
    client.force_login(people.xt_clerk)
    html = client.get(reverse("web:clock_detail",
                              args=[application.decision_clock_id])).content.decode()
    assert (f'所属事项：<a href="{application.get_absolute_url()}">'
            f"许可申请 {application.number}</a>") in html


def test_a_clock_of_no_registered_kind_shows_no_link(client, people):
    from fazhi.deadlines import services

    me = people.xt_disclosure
    clock = services.clock_start(matter=me, rule_id="disclosure.reply",
                                 start=MON, actor=me, title="甲申请", assignee=me)
    client.force_login(me)
    html = client.get(reverse("web:clock_detail", args=[clock.pk])).content.decode()
    assert "所属事项" not in html

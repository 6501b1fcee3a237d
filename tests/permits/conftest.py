"""Builders for permit tests: the shipped kinds, registered and accepted applications.

Dates are 2025 ones, so the holiday table is exact. Mon 2025-09-01 is the day of
receipt; 20 working days after it is Sun 2025-09-28 (a make-up working day), and
2025-10-01..08 is the National Day holiday.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

MON = dt.date(2025, 9, 1)  # the day every test application is received
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def on(day: dt.date):
    """Freeze 'today' at 10:00 local time on ``day``."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def provide_all(app, actor, day: dt.date = MON, *, scans: bool = False) -> None:
    """Record every material of ``app``'s checklist as handed in on ``day``."""
    from fazhi.permits import services

    with on(day):
        for material in app.materials.all():
            file = ContentFile(PDF, name=f"{material.code}.pdf") if scans else None
            services.material_provide(application=app, actor=actor,
                                      code=material.code, file=file, provided_on=day)


def fresh(app):
    """The application as the database now holds it."""
    from fazhi.permits.models import Application

    return Application.objects.select_related(
        "decision_clock", "promised_clock", "certificate_clock", "kind").get(pk=app.pk)


@pytest.fixture
def clerk(people):
    return people.xt_clerk


@pytest.fixture
def kinds(orgs):
    """Load the shipped kinds into every county; return 湘潭县's by code."""
    from fazhi.permits import services
    from fazhi.permits.models import PermitKind

    services.kinds_sync()
    return {k.code: k for k in PermitKind.objects.filter(org_unit=orgs["xt"])}


@pytest.fixture
def xx_kinds(kinds, orgs):
    """湘乡市's own copies of the shipped kinds, by code."""
    from fazhi.permits.models import PermitKind

    return {k.code: k for k in PermitKind.objects.filter(org_unit=orgs["xx"])}


@pytest.fixture
def registered(people, kinds, clerk):
    """Register an application of kind ``code`` by xt_clerk on Mon 2025-09-01."""
    from fazhi.permits import services

    def _registered(code: str = "rural_planning", **extra):
        fields = dict(kind=kinds[code], applicant_name="张三", applicant_kind="person",
                      applicant_id_number="430321199001011234",
                      applicant_phone="13800138000", project_name="张三自建住房",
                      location="湘潭县花石镇某村", received_on=MON, clerk=clerk)
        fields.update(extra)
        with on(MON):
            return services.application_register(actor=clerk, **fields)

    return _registered


@pytest.fixture
def accepted(registered, clerk):
    """An application of kind ``code`` received on Mon 2025-09-01 and accepted on
    ``day`` (the same day unless told); ``materials=True`` hands every one in."""
    from fazhi.permits import services

    def _accepted(code: str = "rural_planning", day: dt.date = MON,
                  materials: bool = False, **extra):
        app = registered(code, **extra)
        if materials:
            provide_all(app, clerk)
        with on(day):
            return services.application_accept(application=app, actor=clerk,
                                               accepted_on=day)

    return _accepted


COUNTY = {"430321": "xt", "430381": "xx"}


@pytest.fixture
def signed(people):
    """Have the application's clerk propose ``decision`` on ``day`` and the
    county's section head and principal sign it, as far as its kind's chain goes."""
    from fazhi.permits import workflow
    from fazhi.permits.services import signing

    def _signed(app, decision: str = "approve", reasons: str = "",
                day: dt.date = MON):
        county = COUNTY[app.org_unit.division_code]
        with on(day):
            app = signing.application_propose(application=app, actor=app.clerk,
                                              decision=decision, reasons=reasons)
            for signer in ("sectionhead", "principal"):
                if app.state in (workflow.REVIEWING, workflow.SIGNING):
                    app = signing.application_sign(
                        application=app, actor=people[f"{county}_{signer}"],
                        agree=True)
        assert app.state == workflow.SIGNED
        return app

    return _signed


@pytest.fixture
def decided(signed, clerk):
    """Sign ``decision`` through the chain and issue it on ``day``."""
    from fazhi.permits import services

    def _decided(app, decision: str = "approve", reasons: str = "",
                 day: dt.date = MON):
        app = signed(app, decision, reasons, day)
        issue = (services.application_approve if decision == "approve"
                 else services.application_refuse)
        with on(day):
            return issue(application=app, actor=clerk, decided_on=day)

    return _decided


@pytest.fixture
def approved(accepted, decided):
    """An application with every material, accepted on MON, signed through its
    chain and approved on ``day``."""

    def _approved(code: str = "rural_planning", day: dt.date = MON, **extra):
        return decided(accepted(code, materials=True, **extra), day=day)

    return _approved

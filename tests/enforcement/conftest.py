"""Builders for enforcement tests: a second officer, filed and decided cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

MON = dt.date(2025, 9, 1)  # the day the test cases are filed
DECIDED_ON = dt.date(2025, 9, 15)  # after the 5-working-day statement window
# Farmland occupied under 1 亩: the default benchmark recommends 200–400 yuan/m², so
# a fine of 300 yuan/m² × area sits inside the recommended range. 66.67 m² suits
# the usual major-case fine of 20000 yuan; ``area_for(fine)`` suits any other.
DEFAULT_AREA = Decimal("66.67")


def area_for(fine) -> Decimal:
    """The farmland area (m²) for which ``fine`` yuan is the benchmark's middle."""
    return (Decimal(fine) / 300).quantize(Decimal("0.01"))


def on(day: dt.date):
    """Freeze 'today' at 10:00 local time on ``day``."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


@pytest.fixture
def officer2(people):
    """The second badge-holding officer of 湘潭县 (two are needed on every case)."""
    return people.xt_officer2


@pytest.fixture
def filed(people, officer2):
    """A case of 湘潭县 filed and approved on Mon 2025-09-01."""
    from fazhi.enforcement.cases import services

    def _filed(party_kind="person", **details):
        fields = dict(
            violation_type="illegal_occupation", party_name="李四",
            party_kind=party_kind, facts_summary="未经批准占用集体土地建房",
            location="湘潭县某镇某村", area_m2=DEFAULT_AREA, land_class="farmland",
        )
        fields.update(details)
        with on(MON):
            case = services.case_file(
                actor=people.xt_officer, officers=[people.xt_officer, officer2],
                **fields,
            )
            return services.case_approve_filing(case=case, actor=people.xt_principal)

    return _filed


def recorded(case, actor):
    """Have ``actor`` record a site photo of ``case`` (taking part in it)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from fazhi.enforcement.cases import records

    return records.case_record_add(
        case=case, actor=actor, act="site_inspection", kind="photo",
        file=ContentFile(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xd9", name="现场.jpg"),
        captured_at=timezone.now(), place="某村", device="执法记录仪 1")


def noticed(case, officer, fine, day=MON + dt.timedelta(days=1)):
    """Serve the pre-decision notice proposing ``fine`` yuan on ``day``."""
    from fazhi.enforcement.cases import services

    with on(day):
        return services.case_serve_notice(
            case=case, actor=officer, fine_proposed=Decimal(fine), served_on=day
        )


@pytest.fixture
def decided(people, filed):
    """A case decided on 2025-09-15 with ``fine`` yuan, reviewed and (if major)
    discussed; ``served=True`` also serves the decision that day."""
    from fazhi.enforcement.cases import services

    def _decided(fine="1000", served=False, **details):
        details.setdefault("area_m2", area_for(fine))
        case = noticed(filed(**details), people.xt_officer, fine)
        with on(DECIDED_ON):
            services.case_submit_review(case=case, actor=people.xt_officer)
            services.case_review(case=case, actor=people.xt_reviewer, passed=True,
                                 opinion="事实清楚，证据确凿，适用法律正确，程序合法")
            if case.is_major:
                services.case_submit_discussion(case=case, actor=people.xt_officer)
                services.case_hold_collective_discussion(
                    case=case, actor=people.xt_principal, minutes="同意")
            services.case_decide(case=case, actor=people.xt_principal,
                                 fine_decided=Decimal(fine))
            if served:
                services.case_serve_decision(case=case, actor=people.xt_officer,
                                             served_on=DECIDED_ON)
        return case

    return _decided

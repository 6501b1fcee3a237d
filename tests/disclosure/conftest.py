"""Builders for disclosure tests: a registered request at a fixed date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def officer(people):
    return people.xt_disclosure


@pytest.fixture
def head(people):
    return people.xt_disclosurehead


@pytest.fixture
def register(officer):
    """Register a request received on ``received`` (default Thu 2025-09-25)."""
    from fazhi.disclosure import services

    def _register(received=dt.date(2025, 9, 25), **extra):
        fields = dict(channel="in_person", submitted_on=received,
                      requester_category="natural_person", requester_name="张三",
                      requester_id_number="430321199001011234",
                      content="本县2025年建设用地批准文件", assignee=officer,
                      scans=[ContentFile(PDF, name="申请书.pdf")])
        fields.update(extra)
        with time_machine.travel(dt.datetime.combine(received, dt.time(10)),
                                 tick=False):
            return services.request_register(actor=officer, **fields)

    return _register


def on(day: dt.date):
    """Freeze 'today' at 10:00 local time on ``day``."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)

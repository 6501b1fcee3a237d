"""Builders for the work-item tests: one matter of each module, reached through
the modules' own fixtures and services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.disclosure.conftest import PDF, on
from tests.enforcement.conftest import filed, officer2  # noqa: F401
from tests.monitoring.conftest import batch, layers, patch  # noqa: F401
from tests.permits.conftest import accepted, clerk, kinds, registered  # noqa: F401


@pytest.fixture
def officer(people):
    """The officer the monitoring builders act as."""
    return people.xt_officer


@pytest.fixture
def request_of(people):
    """A disclosure request registered by ``who`` (湘潭县's officer by default) on
    Thu 2025-09-25, handled by that officer."""
    from django.core.files.base import ContentFile

    from fazhi.disclosure import services

    def _register(who=None):
        who = who or people.xt_disclosure
        with on(dt.date(2025, 9, 25)):
            return services.request_register(
                actor=who, channel="in_person", submitted_on=dt.date(2025, 9, 25),
                requester_category="natural_person", requester_name="张三",
                content="本县2025年建设用地批准文件", assignee=who,
                scans=[ContentFile(PDF, name="申请书.pdf")])

    return _register


@pytest.fixture
def home(client):
    """我的待办 as ``user`` sees it (``phone``: as a phone asks for it)."""

    def _home(user, *, phone: bool = False, **params) -> str:
        client.force_login(user)
        agent = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"
                 if phone else "Mozilla/5.0 (X11; Linux x86_64)")
        return client.get(reverse("web:home"), params,
                          HTTP_USER_AGENT=agent).content.decode()

    return _home


@pytest.fixture
def third_officer(people, orgs):
    """Another badge-holding officer of 湘潭县, on none of the test matters."""
    from fazhi.core import services
    from fazhi.core.roles import Role

    user = services.user_create(username="xt_officer3", full_name="湘潭县执法三",
                                org_unit=orgs["xt"], password="x" * 12, actor=None)
    services.user_grant_role(user=user, role=Role.ENFORCEMENT_OFFICER, actor=None,
                             badge_number="湘430321-3")
    return user

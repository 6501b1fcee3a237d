"""Shared fixtures: the demo organisation tree and a persona for every role."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.browser_fixtures"]  # `browser`, `page`: real chromium

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Give every test its own evidence store and audit anchor."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchor" / "audit-anchor.json"
    settings.MONITORING_ROOT = tmp_path / "monitoring"
    (tmp_path / "evidence").mkdir(exist_ok=True)  # as settings makes a local store's folder
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }
    from django.core.files.storage import storages

    storages._storages.pop("evidence", None)
    yield
    storages._storages.pop("evidence", None)


@pytest.fixture
def orgs(db):
    """Return the demo tree: province, city, 湘潭县 (xt) and 湘乡市 (xx)."""
    from fazhi.core.demo import org_tree_ensure

    units = org_tree_ensure()
    return {"province": units["430000"], "city": units["430300"],
            "xt": units["430321"], "xx": units["430381"]}


class People(dict):
    """Personas by key, e.g. people["xt_officer"]; attribute access too."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def people(orgs):
    """A user for every role in each county (demo_load), plus a city principal."""
    from fazhi.core import services
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.core.roles import Role

    demo_load(PASSWORD)
    city = services.user_create(username="city_principal", full_name="市局局长",
                                org_unit=orgs["city"], password=PASSWORD, actor=None)
    services.user_grant_role(user=city, role=Role.PRINCIPAL, actor=None)
    return People({u.username: u for u in User.objects.all()})


@pytest.fixture
def login(client):
    """Log a persona in through the real login page; return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login

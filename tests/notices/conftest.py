"""Builders for the notification tests: the modules' own fixtures, and a client that
runs what the platform does once a transaction commits (the notices of a move)."""

from __future__ import annotations

import pytest

from tests.enforcement.conftest import filed, officer2  # noqa: F401
from tests.monitoring.conftest import batch, layers, patch  # noqa: F401
from tests.permits.conftest import accepted, clerk, kinds, registered  # noqa: F401
from tests.work.conftest import officer, request_of, third_officer  # noqa: F401


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block, then what it left to run on commit (as a real request does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def notes():
    """The messages ``user`` has been told, oldest first (of ``kind`` if given)."""
    from fazhi.core.models import Notification

    def _notes(user, kind: str = "") -> list[str]:
        qs = Notification.objects.filter(user=user).order_by("created_at", "pk")
        if kind:
            qs = qs.filter(kind=kind)
        return list(qs.values_list("message", flat=True))

    return _notes

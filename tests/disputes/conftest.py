"""Disputes tests reuse the enforcement case builders for the acts challenged."""

from tests.enforcement.conftest import decided, filed, officer2  # noqa: F401

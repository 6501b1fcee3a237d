"""Disputes tests reuse the enforcement case builders and the permit kinds for the
acts challenged."""

from tests.enforcement.conftest import decided, filed, officer2  # noqa: F401
from tests.permits.conftest import kinds  # noqa: F401

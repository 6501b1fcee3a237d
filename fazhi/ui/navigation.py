"""A navigation entry as an app declares it in its ``AppConfig.navigation()``.

Each app lists the entries of its own pages; the shell (``web.navigation``)
collects them from the app registry and shows each person the entries their roles
open. The menu reads in ``Section`` order, and within a section in the order of
``INSTALLED_APPS``, then in the order the app lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum


class Section(IntEnum):
    HOME = 0  # the person's own work: 我的待办
    OVERVIEW = 1  # figures across the modules: the dashboard, the metrics
    MATTERS = 2  # each module's lists and pages
    PERSONAL = 3  # messages to the person
    ADMIN = 4  # the three administrators' pages
    REFERENCE = 5  # for integrators: the API documentation


@dataclass(frozen=True)
class NavEntry:
    """One menu entry: its label, the URL name it opens and who sees it.

    ``count``, when given, is called with the person and returns the number shown
    beside the label (0 shows none); it runs on every page, so it must be cheap:
    one query, or a figure computed once per request (``fazhi.work.items.count_of``
    keeps the person's work items counted on the user object).
    """

    label: str
    url_name: str
    roles: frozenset[str] | tuple[str, ...]
    section: Section = Section.MATTERS
    count: Callable[[object], int] | None = None

    def __post_init__(self) -> None:
        # Apps pass their role tuples; the menu compares sets.
        object.__setattr__(self, "roles", frozenset(self.roles))

"""Role navigation: each role sees the entries of its work, nothing else.

The entries are the apps' own (``AppConfig.navigation()``, see ``fazhi.ui.navigation``);
the shell only collects them, so it imports no app.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.urls import reverse

from fazhi.core.roles import ADMIN_ROLES
from fazhi.ui.navigation import NavEntry


@cache
def entries() -> tuple[NavEntry, ...]:
    """Every app's entries in menu order: by section, then app, then as listed."""
    found = []
    for rank, config in enumerate(apps.get_app_configs()):
        declare = getattr(config, "navigation", None)
        if callable(declare):
            found += [((entry.section, rank, i), entry)
                      for i, entry in enumerate(declare())]
    return tuple(entry for _, entry in sorted(found, key=lambda pair: pair[0]))


def menu_for(user, path: str) -> list[dict]:
    """Return the navigation entries the user's roles open, marking the current one."""
    roles = user.roles
    items = []
    for entry in entries():
        if roles & entry.roles:
            url = reverse(entry.url_name)
            items.append({"label": entry.label, "url": url, "active": path == url,
                          "count": entry.count(user) if entry.count else 0})
    return items


def is_admin_only(user) -> bool:
    return bool(user.roles) and user.roles <= ADMIN_ROLES

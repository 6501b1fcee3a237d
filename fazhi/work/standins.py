"""我的待办 of a stand-in (请假代理, ``fazhi.core.standins``): their own items, and
during the period those of the person they stand in for, marked 代<name>.

The stand-in's own list is read as if they stood in for nobody (their granted
roles only); the absent person's sources leave out what the stand-in's own
already hold, so an item is listed and counted once. An extension request the
stand-in asked for is never offered to them to decide for the absent head.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

from fazhi.core.models import User


def as_themself(user: User) -> User:
    """``user`` holding only their own roles (a copy: the request's user keeps
    acting)."""
    own = copy.copy(user)
    own._acting_cache = {}
    own._work = None
    return own


class Acting:
    """A source of the absent person's items, dressed as 代<name>."""

    def __init__(self, source, who: str) -> None:
        self.source, self.who = source, who

    def __getattr__(self, name: str):
        # what heads' lists ask of a source (matter_q, clock_q) is the source's own
        return getattr(self.source, name)

    def counts(self):
        return self.source.counts()

    def first(self, n: int, module: str = ""):
        return [e._replace(source=self) for e in self.source.first(n, module)]

    def dress(self, entries):
        items = self.source.dress([e._replace(source=self.source) for e in entries])
        return [replace(i, who=self.who) for i in items]


def sources_acting(user: User, today, sources_of: Callable) -> list:
    """The stand-in's sources (``sources_of`` gives one person's), then those of
    each person they stand in for, less what the stand-in's own hold."""
    own = as_themself(user)
    sources = list(sources_of(own, today))
    absent = User.objects.filter(pk__in=user.stands_in_for).select_related("org_unit")
    for person in absent.order_by("pk"):
        person._acting_cache = {}  # nobody on leave stands in for another
        sources += [Acting(s, f"代{person}")
                    for s in sources_of(person, today, besides=own)]
    return sources

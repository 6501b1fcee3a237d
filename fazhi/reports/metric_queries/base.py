"""What every metric query shares: the record reference, the subtree, the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

Period = tuple[dt.date, dt.date]
_PK = 987654321  # a placeholder id: reverse() once per list, not once per row
# A page of figures (the dashboard, the metric list) asks for the same subtree, the
# same probe and the same records many times over; inside ``metric_memo`` it reads
# each once. Outside the block every call reads the database.
_MEMO: ContextVar[dict | None] = ContextVar("metric_memo", default=None)


@contextmanager
def metric_memo() -> Iterator[None]:
    """Read each subtree, probe and metric query at most once inside this block (one
    page's figures: nothing in it writes)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memoised(key: Hashable, compute: Callable[[], object]):
    """``compute()``, once per ``key`` inside ``metric_memo``; every time outside."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@dataclass(frozen=True)
class RecordRef:
    """One matter behind a figure, with the link to its page."""

    label: str
    url: str
    on: dt.date | None  # the date that put it in the period
    amount: Decimal | int | None = None  # sums and averages: what it adds
    in_numerator: bool | None = None  # rates: counted in the numerator too
    key: str = ""  # breakdown key (e.g. the permit kind's name)


@dataclass(frozen=True)
class OrgScope:
    """The organisation unit as the apps' scoped selectors expect a caller: they see
    ``org_unit``'s subtree, and nothing in them asks for more than that."""

    org_unit: object
    is_authenticated: bool = True


def url_maker(name: str, *prefix) -> Callable[[int], str]:
    """Return pk → the page of that record, reversing ``name`` once, when first
    needed (an empty list never asks for a page)."""
    template: list[str] = []

    def url(pk) -> str:
        if not template:
            template.append(reverse(name, args=[*prefix, _PK]))
        return template[0].replace(str(_PK), str(pk))

    return url


def subtree_ids(org) -> list[int]:
    """The ids of ``org`` and every unit under it (by its materialised path)."""
    from fazhi.core.models import OrgUnit

    return memoised(("subtree", org.path), lambda: list(
        OrgUnit.objects.filter(path__startswith=org.path).values_list("pk", flat=True)))


def in_subtree(org, field: str = "org_unit") -> Q:
    # By ids, not by a join on the path: a LIKE on the path cannot use the matters'
    # org_unit index (SQLite), so a county among 122 would scan the province's rows.
    return Q(**{f"{field}_id__in": subtree_ids(org)})


def values_of(qs, *fields: str) -> list[SimpleNamespace]:
    """``qs``'s rows as plain values: "pk" and ``fields`` (names as given)."""
    return [SimpleNamespace(**r) for r in qs.values("pk", *fields)]


def day_bounds(p: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's days as aware datetimes [first 00:00, day after last 00:00)."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(p[0], dt.time.min, tz),
            dt.datetime.combine(p[1] + dt.timedelta(days=1), dt.time.min, tz))


def refs(rows: Iterable, url, label, on, **extra) -> list[RecordRef]:
    return [RecordRef(label(r), url(r.pk), on(r), **{k: f(r) for k, f in extra.items()})
            for r in rows]

"""A list page's filter boxes, applied to a queryset: what was left blank narrows nothing.

Every register (台账) list takes the same kind of filters — a state, a person, a date
range, a search box — and every selector used to spell out one ``if`` per box.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from fazhi.core.numbers import doc_number_normalise


def _given(value) -> bool:
    # Not truthiness: a queryset (a subquery for ``pk__in``) would be run to answer it.
    return value is not None and value is not False and value != ""


def narrow(qs: QuerySet, **lookups) -> QuerySet:
    """Filter ``qs`` by each lookup that has a value; ``None``, ``""`` and ``False``
    stand for a box left blank and are passed over."""
    return qs.filter(**{name: v for name, v in lookups.items() if _given(v)})


def search(qs: QuerySet, text: str, *fields: str) -> QuerySet:
    """Keep the rows where any of ``fields`` contains ``text`` (case-insensitive);
    blank text keeps every row. A document number typed with other brackets or
    full-width digits ([2025], 【2025】, （２０２５）) is searched as issued (〔2025〕)."""
    text = doc_number_normalise(text or "", complete=False)
    if not text:
        return qs
    return qs.filter(reduce(or_, (Q(**{f"{f}__icontains": text}) for f in fields)))

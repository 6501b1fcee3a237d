"""Paginate a long list by ids first, then load only the page's rows.

Sorting every row of a subtree at full width is what makes deep pages slow (a
temporary sort on SQLite, an external merge on PostgreSQL); sorting ids alone and
fetching 50 rows by primary key keeps page 500 near page 1.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_by_ids(qs: QuerySet, number, per_page: int = 50) -> Page:
    """The page ``number`` of ``qs`` (ordered), its object_list holding full rows."""
    page = Paginator(qs.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in qs.order_by().filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page

"""Paging by ids gives the same rows, in the same order, as plain paging."""

from django.core.paginator import Paginator

from fazhi.core.models import User
from fazhi.ui.paging import page_by_ids


def test_every_page_matches_plain_paging(people):
    qs = User.objects.order_by("-username", "pk")
    plain = Paginator(qs, 5)
    assert plain.num_pages > 2
    for number in plain.page_range:
        page = page_by_ids(qs, number, per_page=5)
        assert page.object_list == list(plain.page(number).object_list)
        assert page.paginator.count == qs.count()
    assert page_by_ids(qs, "not-a-number", per_page=5).number == 1

"""A list's filter boxes: what was left blank narrows nothing; a search looks in
every named column."""

from __future__ import annotations

from fazhi.core.filters import narrow, search
from fazhi.core.models import OrgUnit


def test_boxes_left_blank_keep_every_row(orgs):
    everyone = OrgUnit.objects.all()
    assert narrow(everyone, level="", parent=None, name__contains=False).count() == 4


def test_a_filled_box_narrows(orgs):
    counties = narrow(OrgUnit.objects.all(), parent=orgs["city"], level="")
    assert set(counties) == {orgs["xt"], orgs["xx"]}


def test_an_empty_subquery_narrows_to_nothing_not_to_everything(orgs):
    # "Only overdue" with none overdue is an empty list, not a blank box.
    none_due = OrgUnit.objects.filter(name="没有这个机关").values("pk")
    assert narrow(OrgUnit.objects.all(), pk__in=none_due).count() == 0


def test_search_looks_in_each_named_column(orgs):
    found = search(OrgUnit.objects.all(), " 湘乡 ", "division_code", "name")
    assert list(found) == [orgs["xx"]]
    assert list(search(OrgUnit.objects.all(), "430381", "division_code", "name")) == [
        orgs["xx"]]


def test_blank_search_keeps_every_row(orgs):
    assert search(OrgUnit.objects.all(), "  ", "name").count() == 4

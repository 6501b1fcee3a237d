"""A due date counted into a year whose holiday notice is not entered reads as an
estimate, to every member of staff who sees it (not only the administrator)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fazhi.deadlines.calendar import package_years
from fazhi.disclosure import services

ESTIMATE = "约 2027-01-05（预估：2027年节假日安排未录入）"

pytestmark = pytest.mark.skipif(
    package_years()[-1] != 2026, reason="counted by hand for 2027 without data")


@time_machine.travel("2026-12-07 10:00 +0800", tick=False)
def test_staff_see_an_estimated_due_date_as_an_estimate_with_its_reason(
        people, login):
    officer = people.xt_disclosure
    request = services.request_register(
        actor=officer, channel="in_person", submitted_on=dt.date(2026, 12, 7),
        requester_category="natural_person", requester_name="张三", content="征地批复",
        assignee=officer)
    clock = request.reply_clock
    # 20 working days after Monday 7 December: 18 in December, then 元旦 (Friday
    # 1 January) is skipped even without the 2027 notice: Monday 4, Tuesday 5.
    assert (clock.due_date, clock.provisional) == (dt.date(2027, 1, 5), True)
    client = login(officer)
    for url in (reverse("web:home"), reverse("disclosure:list"),
                reverse("disclosure:detail", args=[request.pk]),
                reverse("web:clock_detail", args=[clock.pk])):
        html = client.get(url).content.decode()
        assert ESTIMATE in html, url
        assert "2027-01-01" not in html, url
    page = client.get(reverse("web:clock_detail", args=[clock.pk])).content.decode()
    assert "政府信息公开申请答复期限" in page and "disclosure.reply" not in page
    head = login(people.xt_disclosurehead)
    detail = head.get(reverse("disclosure:detail", args=[request.pk])).content.decode()
    assert ESTIMATE in detail

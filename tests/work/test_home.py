"""我的待办: the person's items in order, the phone version, what heads see of their
people, the menu's counts, and a page whose queries do not grow with the matters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.enforcement.conftest import on
from tests.monitoring.conftest import PATCHES, geojson_file, import_batch

TODAY = dt.date(2025, 11, 25)  # the field check below was due on 11-20
DRONE = "430321202511901"


@pytest.fixture
def busy(people, filed, patch, officer2, tmp_path):
    """officer2's work: an overdue field check of P1, a case under investigation
    (due on its case clock) and a drone patch of a batch officer2 took in with no
    deadline for its checks, waiting to be sent (no due date)."""
    from fazhi.monitoring import services

    case = filed()
    with on(dt.date(2025, 11, 5)):
        task = services.task_assign(patch=patch, assignee=officer2,
                                    actor=people.xt_officer,
                                    due_on=dt.date(2025, 11, 20))
        drone = [({**PATCHES[2][0], "TBBH": DRONE}, PATCHES[2][1])]
        import_batch(officer2, geojson_file(tmp_path / "uav.geojson", drone),
                     code="UAV-2025-11", source="drone", check_due_on=None)
    assert case.case_clock.due_date > TODAY
    return case, task


def test_overdue_first_then_soonest_due_and_no_due_date_last(busy, officer2, home):
    case, task = busy
    with on(TODAY):
        page = home(officer2)
    check = page.index(f">外业核查：{task.patch.code}")
    investigate = page.index(f">调查取证：{case.number}")
    send = page.index(f">派发外业核查：{DRONE}")
    assert check < investigate < send
    assert "超期" in page[:investigate]
    assert "2025-11-05" in page[check:investigate]  # since the check was sent


def test_the_officers_phone_opens_on_the_field_checks(busy, officer2, home):
    case, task = busy
    with on(TODAY):
        page = home(officer2, phone=True)
    assert "暂无待办" not in page
    cards = page[page.index('<ul class="work-cards">'):]
    first = cards[cards.index("<a href="):cards.index("</a>")]
    field_page = reverse("monitoring:field_task", args=[task.pk])
    assert f'href="{field_page}"' in first and "超期" in first
    assert cards.index(f"外业核查：{task.patch.code}") < cards.index(case.number)
    # The desktop page keeps the patch's own page.
    with on(TODAY):
        assert field_page not in home(officer2)


def test_heads_see_their_peoples_overdue_items_with_whose_they_are(
        busy, people, request_of, home):
    _, task = busy
    req = request_of()
    with on(TODAY):
        principal = home(people.xt_principal)
        head = home(people.xt_disclosurehead)
        officer = home(people.xt_officer)
    section = principal[principal.index("所属人员的超期事项"):]
    row = section[section.index(f">外业核查：{task.patch.code}"):]
    assert "湘潭县执法二" in row[:row.index("</tr>")]
    assert f"办理答复：{req.number}" in section  # the reply is past its 20 days
    # The office head oversees the disclosure officers only.
    section = head[head.index("所属人员的超期事项"):]
    row = section[section.index(f"办理答复：{req.number}"):]
    assert "湘潭县公开" in row[:row.index("</tr>")]
    assert task.patch.code not in section
    assert "所属人员的超期事项" not in officer


def test_the_menu_counts_each_modules_items(busy, officer2, home):
    with on(TODAY):
        page = home(officer2)
    assert '卫片执法 <span class="count">2</span>' in page
    assert '行政执法 <span class="count">1</span>' in page
    assert '我的待办 <span class="count">3</span>' in page
    with on(TODAY):
        only = home(officer2, module="monitoring")
    body = only[only.index("<h1>"):]
    assert "调查取证" not in body and ">外业核查：" in body


def _queries(client, user) -> int:
    client.force_login(user)
    with on(TODAY), CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("web:home")).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_asks_the_database_the_same_for_one_matter_or_many(
        client, people, request_of, busy, officer2):
    from tests.work.test_modules import _file

    users = [people.xt_principal, people.xt_disclosurehead, officer2,
             people.city_principal]
    _file(people, officer2)
    request_of()
    for user in users:
        _queries(client, user)  # content types and rules read once
    before = [_queries(client, user) for user in users]
    for _ in range(4):
        _file(people, officer2)
        request_of()
    after = [_queries(client, user) for user in users]
    print("QUERIES", before, after)
    assert after == before


def test_a_case_or_check_of_people_who_left_waits_on_every_officer(
        busy, people, officer2, third_officer, home):
    """A case waits on its officers while one of them stays, on every officer of
    the bureau once all have left; a field check on its officer, then on all."""
    from fazhi.core import services as core_services

    case, task = busy
    investigate, check = f">调查取证：{case.number}", f">外业核查：{task.patch.code}"
    with on(TODAY):
        page = home(third_officer)
        assert investigate not in page and check not in page
        core_services.user_set_active(user=officer2, active=False,
                                      actor=people.xt_sysadmin)
        page = home(third_officer)
        assert check in page  # its only officer left
        assert investigate not in page  # xt_officer is still on the case
        assert investigate in home(people.xt_officer)
        core_services.user_set_active(user=people.xt_officer, active=False,
                                      actor=people.xt_sysadmin)
        assert investigate in home(third_officer)

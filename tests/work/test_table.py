"""The work items' table (待办表) stays what the matters say after every kind of
change, 我的待办 read from it lists what the live derivation lists, ``fazhi
work_items --check`` finds a row that went wrong, and nobody reads another
bureau's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import Q

from tests.enforcement.conftest import on

TODAY = dt.date(2025, 11, 25)


def live(user, today):
    """The person's matters as the sources derive them from the matters' state
    (what the table replaced on the page), as a ``Work``."""
    from fazhi.work.items import Work, tabled_kinds
    from fazhi.work.sources import MatterSource, waiting_q

    return Work([MatterSource(kind, Q(org_unit_id=user.org_unit_id) & waits, today)
                 for kind in tabled_kinds()
                 if (waits := waiting_q(kind, user.roles, user)) is not None])


def table(user, today):
    from fazhi.work.items import Work
    from fazhi.work.table import TableSource, waiting_rows

    return Work([TableSource(waiting_rows(user), today)])


def shown(work) -> list[tuple]:
    return [(i.key, i.title, i.due, i.overdue, i.state, i.phone_url,
             i.badge.label if i.badge else "")
            for i in work.first(500)]


def entries(found) -> list[tuple]:
    return [(e.rank, e.module, e.row["pk"]) for e in found]


def late_of_their_people(user, today):
    """A head's people's late matters from the table, as (counted from the index
    less their own, filtering their own out in the database) — the same list."""
    from functools import reduce
    from operator import or_

    from fazhi.work import oversight
    from fazhi.work.items import items_mine
    from fazhi.work.table import TableSource

    mine = items_mine(user, today)
    ours = oversight.people_overdue(user, today, mine=mine).sources[0]
    own = reduce(or_, [s.keys_q() if hasattr(s, "keys_q") else s.clock_q()
                       for s in mine.sources])
    where = Q(org_unit_id=user.org_unit_id, lead=True,
              role__in=sorted(oversight.overseen_roles(user)))
    return ours, TableSource(where & ~own, today, late=True)


def agree(*users, today=TODAY) -> None:
    """The table equals a full derivation, and each person's list read from it
    equals the live one: counted per module and shown in order."""
    from fazhi.work import oversight, waiting
    from fazhi.work.items import Work

    assert waiting.differences() == (0, [])
    for user in users:
        user = type(user).objects.get(pk=user.pk)  # roles as they now stand
        assert table(user, today).counts == live(user, today).counts, user
        assert shown(table(user, today)) == shown(live(user, today)), user
        if oversight.overseen_roles(user):
            ours, plain = late_of_their_people(user, today)
            assert ours.counts() == plain.counts(), user
            assert shown(Work([ours])) == shown(Work([plain])), user


@pytest.fixture
def staff(people):
    return [people.xt_officer, people.xt_principal, people.xt_reviewer,
            people.xt_disclosure, people.xt_disclosurehead, people.xt_supervisor,
            people.xx_principal]


def test_a_case_moving_through_its_states(people, filed, officer2, staff):
    from fazhi.enforcement.cases import services
    from fazhi.work.models import Waiting

    case = filed()
    agree(*staff, officer2)
    rows = Waiting.objects.filter(object_id=str(case.pk), kind="enforcement.case")
    assert {r.person_id for r in rows} == {people.xt_officer.pk, officer2.pk}
    assert sum(r.lead for r in rows) == 1  # the matter counted once
    with on(dt.date(2025, 9, 2)):
        services.case_serve_notice(case=case, actor=people.xt_officer,
                                   fine_proposed=Decimal("20000"),
                                   served_on=dt.date(2025, 9, 2))
    agree(*staff, officer2)
    with on(dt.date(2025, 9, 15)):
        services.case_submit_review(case=case, actor=people.xt_officer)
    agree(*staff, officer2)
    review = Waiting.objects.get(object_id=str(case.pk), kind="enforcement.case")
    assert (review.role, review.person_id) == ("legal_reviewer", None)


def test_a_reply_clock_paused_extended_and_stopped(people, request_of, staff):
    from fazhi.disclosure import services
    from fazhi.work.models import Waiting

    officer, head = people.xt_disclosure, people.xt_disclosurehead
    req = request_of()
    agree(*staff)
    row = Waiting.objects.get(object_id=str(req.pk), kind=req._meta.label_lower)
    assert row.due_date == req.reply_clock.due_date and row.person_id == officer.pk
    with on(dt.date(2025, 9, 26)):
        services.request_correction_issue(request=req, actor=officer,
                                          issued_on=dt.date(2025, 9, 26),
                                          items=["明确文号"],
                                          deadline=dt.date(2025, 10, 20))
    agree(*staff)
    with on(dt.date(2025, 10, 9)):
        services.request_correction_complete(request=req, actor=officer,
                                             completed_on=dt.date(2025, 10, 9))
    agree(*staff)
    before = Waiting.objects.get(object_id=str(req.pk)).due_date
    with on(dt.date(2025, 10, 20)):
        ext = services.request_extension_ask(request=req, actor=officer, days=10,
                                             reason="需调取多年档案逐卷核对")
        services.request_extension_decide(extension=ext, actor=head, approve=True)
    agree(*staff)
    assert Waiting.objects.get(object_id=str(req.pk)).due_date > before
    with on(dt.date(2025, 10, 22)):
        services.request_reply(request=type(req).objects.get(pk=req.pk),
                               actor=officer, outcome="disclose",
                               replied_on=dt.date(2025, 10, 22),
                               reply_summary="予以公开")
    agree(*staff)
    assert not Waiting.objects.filter(object_id=str(req.pk),
                                      kind=req._meta.label_lower).exists()


def test_a_handover_and_a_disabled_account(people, filed, officer2, third_officer,
                                           staff):
    from fazhi.core import services as core
    from fazhi.work import handover
    from fazhi.work.models import Waiting

    case = filed()
    handover.hand_over(person=officer2, to=third_officer, reason="调岗",
                       actor=people.xt_principal)
    agree(*staff, officer2, third_officer)
    assert set(Waiting.objects.filter(object_id=str(case.pk)).values_list(
        "person_id", flat=True)) == {people.xt_officer.pk, third_officer.pk}
    core.user_set_active(user=people.xt_officer, active=False,
                         actor=people.xt_sysadmin)
    core.user_set_active(user=third_officer, active=False, actor=people.xt_sysadmin)
    agree(*staff, officer2)
    # given to nobody still active: it waits on every officer of the bureau
    row = Waiting.objects.get(object_id=str(case.pk), kind="enforcement.case")
    assert (row.person_id, row.role) == (None, "enforcement_officer")
    assert "立案" not in "".join(t for _, t, *_ in shown(table(people.xx_principal,
                                                             TODAY)))


def test_field_checks_and_a_batch_taken_in(people, patch, officer2, staff):
    from fazhi.monitoring import services

    agree(*staff, officer2)
    with on(dt.date(2025, 11, 5)):
        services.task_assign(patch=patch, assignee=officer2, actor=people.xt_officer,
                             due_on=dt.date(2025, 11, 20))
    agree(*staff, officer2)
    assert [i.phone_url for i in table(officer2, TODAY).first(5) if i.phone_url]


def test_check_finds_a_corrupted_row_and_rebuild_mends_it(filed, capsys):
    from fazhi.work.models import Waiting

    case = filed()
    call_command("work_items", "--check")
    Waiting.objects.filter(object_id=str(case.pk)).update(due_date=dt.date(2020, 1, 1))
    with pytest.raises(CommandError) as error:
        call_command("work_items", "--check")
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert "不符" in out and case.number in out and "缺少" in out
    call_command("work_items", "--rebuild")
    call_command("work_items", "--check")
    Waiting.objects.filter(object_id=str(case.pk)).delete()
    with pytest.raises(CommandError):
        call_command("work_items", "--check")
    call_command("work_items", "--rebuild")
    Waiting.objects.create(org_unit=case.org_unit, module="enforcement",
                           kind="enforcement.case", object_id="999999", role="x",
                           content_type=ContentType.objects.get_for_model(case),
                           title="多余")
    with pytest.raises(CommandError):
        call_command("work_items", "--check")


def test_no_one_reads_another_bureaus_rows(people, filed, request_of, client):
    from fazhi.work.models import Waiting
    from fazhi.work.table import waiting_rows

    filed()
    request_of()
    assert Waiting.objects.exists()
    for user in (people.xx_principal, people.xx_officer):
        assert not Waiting.objects.filter(waiting_rows(user)).exists()
    client.force_login(people.xx_principal)
    page = client.get("/").content.decode()
    assert "湘潭县" not in page.split("所属人员的超期事项")[0] or "暂无待办" in page


def test_heads_late_rows_but_their_own_are_those_the_database_leaves_out(people):
    """``LateBut`` (counted from the index, the own dropped in Python) lists what
    filtering the own out in the database lists: counted per module and shown in
    order, for every length of list, titles and due dates tied across modules."""
    from fazhi.enforcement.models import Case
    from fazhi.work.items import Work
    from fazhi.work.models import Waiting
    from fazhi.work.table import LateBut, TableSource

    org, other = people.xt_principal.org_unit, people.xx_principal.org_unit
    ct = ContentType.objects.get_for_model(Case)
    days = [dt.date(2025, 11, d) for d in (3, 3, 10, 24, 25, 30)] + [None]
    titles = ["法制审核：湘2025-1", "法制审核：湘2025-1", "Z审核", "调查取证"]
    for i in range(60):
        Waiting.objects.create(
            org_unit=other if i % 13 == 0 else org, kind="enforcement.case",
            module=["enforcement", "monitoring", "permits"][i % 3],
            content_type=ct, object_id=str(i % 50), role="enforcement_officer", state="filed",
            title=titles[i % 4], due_date=days[i % 7], lead=i < 50,
            task_pk=i if i % 5 == 0 else None)
    where = Q(org_unit=org, lead=True)
    own = Q(content_type=ct, object_id__in=[str(i) for i in range(0, 50, 3)])
    ours, plain = LateBut(where, TODAY, own), TableSource(where & ~own, TODAY, late=True)
    assert ours.counts() == plain.counts() and sum(plain.counts().values()) > 10
    for n in range(1, 40):
        for module in ("", "monitoring"):
            assert entries(ours.first(n, module)) == entries(plain.first(n, module)), n
    assert (shown(Work([ours])) == shown(Work([plain]))
            and len(shown(Work([ours]))) == sum(plain.counts().values()))
    for mine, theirs in zip(ours.split(), plain.split(), strict=True):
        assert mine.counts() == theirs.counts()
        assert entries(mine.first(7)) == entries(theirs.first(7))

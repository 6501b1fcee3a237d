"""On the demo, each approver of each county opens 我的待办 on a matter waiting on
them, linked to the page where they do it; the city and the province see counts."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from fazhi.core.models import User
from fazhi.deadlines.models import ClockExtension, ExtensionState
from fazhi.disclosure.models import DisclosureRequest
from fazhi.enforcement.models import Case, CaseState
from fazhi.monitoring.models import CheckTask
from fazhi.permits.models import Rating

pytestmark = pytest.mark.demo

TODAY = "2026-12-01 12:00 +0800"
COUNTIES = (("430321", "xt"), ("430381", "xx"))


def _waiting(code: str) -> dict[str, list[tuple[str, str, str]]]:
    """Who each demo matter of the county waits on: username stem → (the item's
    title, its link, what that page offers to do it: the action's own page, or the
    phone's button)."""
    pending = ClockExtension.objects.filter(state=ExtensionState.PENDING,
                                            clock__org_unit__division_code=code)
    cases = Case.objects.filter(org_unit__division_code=code)
    complaints = Rating.objects.filter(application__org_unit__division_code=code,
                                       complaint_clock__isnull=False,
                                       answered_on__isnull=True)
    checks = CheckTask.objects.filter(org_unit__division_code=code, state="open",
                                      assignee__username__endswith="_officer")
    requests = {r.reply_clock_id: r for r in DisclosureRequest.objects.filter(
        reply_clock__in=[e.clock_id for e in pending])}
    return {
        "disclosurehead": [
            (f"审批延期申请：{requests[e.clock_id].number}",
             reverse("disclosure:detail", args=[requests[e.clock_id].pk]),
             reverse("disclosure:extension_decide", args=[e.pk])) for e in pending],
        "principal": [(f"审批立案：{c.number}",
                       reverse("enforcement:case_detail", args=[c.pk]),
                       reverse("enforcement:case_approve_filing", args=[c.pk]))
                      for c in cases.filter(state=CaseState.FILING_PENDING)],
        "reviewer": [(f"法制审核：{c.number}",
                      reverse("enforcement:case_detail", args=[c.pk]),
                      reverse("enforcement:case_pass_review", args=[c.pk]))
                     for c in cases.filter(state=CaseState.LEGAL_REVIEW)],
        "supervisor": [(f"差评核实答复 {r.application.number}",
                        reverse("permits:detail", args=[r.application_id]),
                        reverse("permits:answer", args=[r.application_id]))
                       for r in complaints],
        # On the officer's phone: the check's own page.
        "officer": [(f"外业核查：{t.patch.code}",
                     reverse("monitoring:field_task", args=[t.pk]), "提交核查结果")
                    for t in checks],
    }


def test_each_approver_finds_what_waits_on_them_linked_to_where_it_is_done(
        db, client):
    phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"
    with time_machine.travel(TODAY, tick=False):
        call_command("demo_load", verbosity=0)
        for code, prefix in COUNTIES:
            for stem, items in _waiting(code).items():
                user = User.objects.get(username=f"{prefix}_{stem}")
                assert items, f"nothing waits on {user.username}"
                client.force_login(user)
                agent = phone if stem == "officer" else "Mozilla/5.0 (X11; Linux)"
                home = client.get(reverse("web:home"),
                                  HTTP_USER_AGENT=agent).content.decode()
                for title, url, action in items:
                    entry = _entry(home, title)
                    assert f'href="{url}"' in entry, (user.username, title)
                    if stem == "officer":  # the checks went out too long ago
                        assert "超期" in entry
                    page = client.get(url, HTTP_USER_AGENT=agent)
                    assert page.status_code == 200
                    assert action in page.content.decode(), (user.username, url)
        # 湘潭县's disclosure head is on leave: the legal officer stands in for them.
        client.force_login(User.objects.get(username="xt_legal"))
        home = client.get(reverse("web:home")).content.decode()
        for title, url, _ in _waiting("430321")["disclosurehead"]:
            entry = _entry(home, title)
            assert "代湘潭县公开主任" in entry and f'href="{url}"' in entry


def test_the_city_principal_and_the_province_log_in_and_see_each_countys_counts(
        db, client, capsys):
    with time_machine.travel(TODAY, tick=False):
        call_command("demo_load")
        out = capsys.readouterr().out
        for username, org in (("xts_principal", "湘潭市"), ("hn_legal", "湖南省")):
            assert org in next(x for x in out.splitlines() if username in x)
            client.force_login(User.objects.get(username=username))
            home = client.get(reverse("web:home")).content.decode()
            assert "下级机关待办情况" in home
            for county in ("湘潭县自然资源局", "湘乡市自然资源局"):
                row = home[home.index(f'<th scope="row">{county}'):]
                total = re.findall(r'class="num">(\d+)', row[:row.index("</tr>")])[-1]
                assert int(total) > 0, (username, county)


def _entry(page: str, text: str) -> str:
    """The table row, or the phone's card, of ``page`` holding ``text``."""
    at = page.index(text)
    start = max(page.rfind("<tr", 0, at), page.rfind("<li", 0, at))
    return page[start:page.index(f"</{page[start + 1:start + 3]}>", at)]

"""A withdrawn or abandoned request says so and runs no clock (deadlines.overdue).

Issue 14, as seen on the demo: a withdrawn request showed 正常 and an abandoned
one 暂停.
"""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from fazhi.disclosure import services
from tests.disclosure.conftest import on

D = dt.date


def _badge(html: str, number: str) -> str:
    row = re.search(r"<tr class=\"row-[^\"]*\">(?:(?!</tr>).)*" + re.escape(number),
                    html, re.S).group(0)
    return re.search(r'class="light [^"]*"[^>]*>([^<]*)<', row).group(1)


def test_withdrawn_and_abandoned_requests_read_so(client, people, register, officer):
    withdrawn, abandoned = register(), register()
    with on(D(2025, 9, 29)):
        services.request_consult_start(request=withdrawn, actor=officer,
                                       party_kind="third_party", party_name="某公司",
                                       sent_on=D(2025, 9, 29))
        services.request_withdraw(request=withdrawn, actor=officer, on=D(2025, 9, 29),
                                  reason="申请人书面撤回")
        services.request_correction_issue(request=abandoned, actor=officer,
                                          issued_on=D(2025, 9, 29), items=["身份证明"],
                                          deadline=D(2025, 10, 15))
    with on(D(2025, 10, 20)):
        services.requests_close_abandoned(as_of=D(2025, 10, 20))
        client.force_login(people.xt_disclosure)
        html = client.get(reverse("disclosure:list")).content.decode()
    assert _badge(html, withdrawn.number) == "已撤回"
    assert _badge(html, abandoned.number) == "视为放弃"
    for request in (withdrawn, abandoned):
        request.refresh_from_db()
        assert not request.reply_clock.is_open
    consultation = withdrawn.consultations.get()
    consultation.clock.refresh_from_db()
    assert not consultation.clock.is_open

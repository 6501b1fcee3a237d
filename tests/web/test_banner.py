"""Administrators see how many clocks are estimated for want of holiday data."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from fazhi.deadlines import services


@time_machine.travel("2026-12-10 10:00 +0800", tick=False)
def test_system_admin_sees_the_count_of_provisional_clocks(client, people):
    me = people.xt_disclosure
    for _ in range(2):
        services.clock_start(matter=me, rule_id="disclosure.reply",
                             start=dt.date(2026, 12, 10), actor=me, title="跨年申请",
                             assignee=me)
    client.force_login(people.xt_sysadmin)
    html = client.get(reverse("web:holiday_list")).content.decode()
    assert "有 <strong>2</strong> 个期限的届满日为估算" in html
    assert "2027" in html
    client.force_login(people.xx_sysadmin)  # another county's clocks are not counted
    assert "<strong>2</strong>" not in client.get(reverse("web:holiday_list")).content.decode()
    client.force_login(me)
    home = client.get(reverse("web:home")).content.decode()
    assert "个期限的届满日为估算" not in home  # the count and its remedy: administrators
    assert "（预估：2027年节假日安排未录入）" in home  # each estimated date: everyone

"""Builders for dashboard tests: clocks around one Wednesday, the demo, page parsing.

"Today" is Wed 2025-09-17 (the holiday table of 2025 is exact), so this week began
on Mon 2025-09-15. Each permit clock counts 20 working days (permit.decision) from a
start chosen for the window it should fall in.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.files.base import ContentFile

TODAY = dt.date(2025, 9, 17)  # a Wednesday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
# start → due under permit.decision, and the windows the clock belongs to today
PERMIT_CLOCKS = {
    "long_overdue": (dt.date(2025, 8, 8), dt.date(2025, 9, 5), {"overdue"}),
    "red_since_saturday": (dt.date(2025, 8, 15), dt.date(2025, 9, 12), {"overdue"}),
    "red_since_tuesday": (dt.date(2025, 8, 18), dt.date(2025, 9, 15),
                          {"overdue", "turned"}),
    "red_today": (dt.date(2025, 8, 19), dt.date(2025, 9, 16), {"overdue", "turned"}),
    "due_today": (dt.date(2025, 8, 20), dt.date(2025, 9, 17), {"soon"}),
    "due_in_seven_days": (dt.date(2025, 8, 27), dt.date(2025, 9, 24), {"soon"}),
    "due_in_eight_days": (dt.date(2025, 8, 28), dt.date(2025, 9, 25), set()),
}


def on(day: dt.date):
    """Freeze 'today' at 10:00 local time on ``day``."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def permit_clock(clerk, start: dt.date, title: str):
    """Register an application at ``clerk``'s window on ``start`` and run its
    decision clock from that day (as acceptance would)."""
    from fazhi.deadlines import services as clocks
    from fazhi.permits import services
    from fazhi.permits.models import PermitKind

    services.kinds_sync()
    kind = PermitKind.objects.get(code="rural_planning", org_unit=clerk.org_unit)
    app = services.application_register(
        actor=clerk, kind=kind, applicant_name="张三", applicant_kind="person",
        project_name=title, location="花石镇某村", received_on=start, clerk=clerk)
    return clocks.clock_start(matter=app, rule_id="permit.decision", start=start,
                              actor=clerk, title=title, assignee=clerk)


@pytest.fixture
def week_clocks(people):
    """Clocks of 湘潭县 in every window, ones that count in none, one of 湘乡市 and
    a disclosure request's reply clock; returns them by name."""
    from fazhi.deadlines import services as clocks

    made = {}
    with on(TODAY):
        for name, (start, due, _) in PERMIT_CLOCKS.items():
            made[name] = permit_clock(people.xt_clerk, start, name)
            assert made[name].due_date == due, name
        done = made["done_late"] = permit_clock(people.xt_clerk, dt.date(2025, 8, 8),
                                                "done_late")
        clocks.clock_stop(clock=done, on=dt.date(2025, 9, 10), actor=people.xt_clerk)
        paused = made["paused"] = permit_clock(people.xt_clerk, dt.date(2025, 8, 8),
                                               "paused")
        clocks.clock_pause(clock=paused, start=dt.date(2025, 8, 20),
                           kind="expert_review", reason="专家评审",
                           actor=people.xt_clerk)
        made["xx_overdue"] = permit_clock(people.xx_clerk, dt.date(2025, 8, 8),
                                          "xx_overdue")
        made["disclosure"] = disclosure_clock(people.xt_disclosure, dt.date(2025, 8, 1))
    return made


def disclosure_clock(officer, received: dt.date):
    """Register a disclosure request received on ``received``; return its reply
    clock."""
    from fazhi.deadlines.models import Clock
    from fazhi.disclosure import services

    request = services.request_register(
        actor=officer, channel="in_person", submitted_on=received,
        requester_category="natural_person", requester_name="李四",
        requester_id_number="430321199001011234", content="本县建设用地批准文件",
        assignee=officer, scans=[ContentFile(PDF, name="申请书.pdf")])
    return Clock.objects.get(object_id=str(request.pk), rule_id="disclosure.reply")


# --- reading the page ----------------------------------------------------------------

FIGURE = re.compile(r'<div class="figure" data-metric="([^"]+)"><dt>[^<]*</dt>\s*'
                    r'<dd><a href="([^"]+)">([^<]*)</a>')
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def page_figures(html: str) -> dict[str, tuple[str, str]]:
    """The section figures on a dashboard: metric id → (link, text), unescaped."""
    from html import unescape

    return {m: (unescape(href), unescape(text))
            for m, href, text in FIGURE.findall(html)}


def page_svgs(html: str) -> list[ET.Element]:
    """Every inline chart, parsed (a malformed one raises)."""
    return [ET.fromstring(s) for s in SVG.findall(html)]


def table_rows(html: str, table_class: str) -> dict[str, list[str]]:
    """Rows of the table with ``table_class``: header cell text → the other cells'
    link texts, in order."""
    start = html.index(f'<table class="list {table_class}">')
    body = html[start:html.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL):
        head = re.search(r'<th scope="row">(?:<a [^>]*>)?([^<]+)', row)
        if head:
            rows[head.group(1).strip()] = re.findall(
                r'<td class="num"><a href="[^"]*">([^<]*)</a>', row)
    return rows

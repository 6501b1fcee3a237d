"""Read the bureau's overdue figure (超期) off every page that states it, as staff
see it: the dashboard, the module statistics and queues, the clock list."""

from __future__ import annotations

import re

from django.urls import reverse

_DASHBOARD_CELL = r'href="[^"]*kind=overdue&amp;module={module}"[^>]*>(\d+)</a>'


def dashboard(client, module: str = "") -> int:
    """The 已超期 count of the dashboard's deadline table (a module's row, or 合计)."""
    html = client.get(reverse("reports:dashboard")).content.decode()
    table = html[html.index('id="clocks"'):]
    table = table[:table.index("</table>")]
    if module:  # a module with no running duty has no row: none overdue
        cell = re.search(_DASHBOARD_CELL.format(module=re.escape(module)), table)
        return int(cell.group(1)) if cell else 0
    return int(re.findall(r'href="[^"]*kind=overdue"[^>]*>(\d+)</a>', table)[-1])


def clock_list(client, module: str = "") -> int:
    """Rows of the dashboard's list behind its 已超期 count."""
    query = {"kind": "overdue", **({"module": module} if module else {})}
    html = client.get(reverse("reports:dashboard_clocks"), query).content.decode()
    assert "下一页" not in html  # the lists here fit on a page
    return html.count('<tr class="row-')


def said(client, url: str, query: dict | None = None) -> int:
    """The "超期 N 件" a list page states."""
    html = client.get(url, query or {}).content.decode()
    return int(re.search(r'class="overdue-count"[^>]*>超期 (\d+) 件', html).group(1))


def listed(client, url: str) -> int:
    """Rows a list shows when filtered to 仅超期."""
    html = client.get(url, {"overdue": "on"}).content.decode()
    return html.count('<tr class="row-')


def permit_statistics(client) -> int:
    """The 在办已超期 figure of the window statistics' total row."""
    html = client.get(reverse("permits:stats")).content.decode()
    row = html[html.index('<tr class="total">'):]
    row = row[:row.index("</tr>")]
    m = re.search(r'stats/open_overdue/[^"]*"[^>]*>(\d+)</a>', row)
    return int(m.group(1)) if m else 0

"""A certificate past its statutory 10 working days is the window's overdue, on
every page (deadlines.overdue); a promise past its date is not.

Issue 14, as seen on the demo: the window statistics and the dashboard said 0
overdue and 100% on time while the clerk's queue showed 11 overdue — 10
certificates 40 days past the statutory 10.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fazhi.permits import services
from tests import overdue_figures as figures
from tests.permits.conftest import MON, on

D = dt.date
YEAR = {"year": "2025"}


def test_an_overdue_certificate_is_overdue_in_statistics_dashboard_and_queue(
        client, people, approved, accepted):
    approved()  # decided on MON; the certificate is due 10 working days later
    certified = approved()
    with on(MON):
        services.certificate_issue(application=certified, actor=people.xt_clerk,
                                   issued_on=MON)
    accepted(project_name="承诺时限已过")  # 5-day promise past, 20 days not
    with on(D(2025, 9, 22)):  # certificate due 09-15, promise 09-08, decision 09-28
        client.force_login(people.xt_principal)
        assert figures.dashboard(client, "permits") == 1
        assert figures.clock_list(client, "permits") == 1
        assert figures.permit_statistics(client) == 1
        stats = client.get(reverse("permits:stats"), YEAR).content.decode()
        assert "50.0%" in stats  # of the two decisions, one certified on time
        assert figures.said(client, reverse("permits:board")) == 1
        client.force_login(people.xt_clerk)
        queue = client.get(reverse("permits:queue")).content.decode()
        assert figures.said(client, reverse("permits:queue")) == 1
    assert queue.count(">超期<") == 1 and queue.count(">超承诺时限<") == 1


def test_a_withdrawn_application_reads_withdrawn(client, people, accepted, clerk):
    app = accepted()
    with on(D(2025, 9, 3)):
        services.application_withdraw(application=app, actor=clerk,
                                      reason="申请人书面撤回",
                                      withdrawn_on=D(2025, 9, 3))
    with on(D(2025, 10, 20)):
        client.force_login(people.xt_clerk)
        html = client.get(reverse("permits:list")).content.decode()
    row = html[html.index(app.number) - 400:html.index(app.number)]
    assert ">已撤回<" in row

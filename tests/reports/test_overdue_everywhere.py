"""One meaning of overdue (issue 14, item 5): for the bureau and for each module,
the dashboard, the module statistics, the queues, the clock list, the metric
registry and the annual report state the same number of overdue matters.

The matters: every module's demo (every state of each: closed, withdrawn, deemed
abandoned, refused, certified, cases whose party windows lapsed, last year's
matters), plus one matter overdue in each module that the demo leaves on time: a
case whose 90-day period passed, a lead never checked, a reconsideration never
answered.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from fazhi.core import matter_kinds
from fazhi.core.demo import COUNTY_PREFIX
from fazhi.deadlines.overdue import overdue_by_module
from fazhi.disputes import services as disputes
from fazhi.enforcement.cases import services as cases
from fazhi.enforcement.leads import services as leads
from fazhi.reports.annual import assemble
from fazhi.reports.annual_facts import report_facts
from fazhi.reports.metrics import metric_value
from tests import overdue_figures as figures

TODAY = dt.date(2026, 6, 15)
D = dt.timedelta


def _on(day: dt.date):
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def _matters(people) -> None:
    for dotted in settings.DEMO_LOADERS:
        for prefix, _ in COUNTY_PREFIX.values():
            import_string(dotted)(prefix=prefix)
    officer, principal = people.xt_officer, people.xt_principal
    with _on(TODAY - D(120)):  # filed and left: the 90 days ran out
        case = cases.case_file(actor=officer, officers=[officer, people.xt_officer2],
                               violation_type="illegal_occupation", party_name="某甲",
                               party_kind="person", facts_summary="未经批准占地",
                               location="某村", area_m2=100, land_class="farmland")
        cases.case_approve_filing(case=case, actor=principal)
    with _on(TODAY - D(40)):
        leads.lead_register(actor=officer, source="patrol", received_on=TODAY - D(40),
                            location="某村", description="有人挖山", assignee=officer)
    with _on(TODAY - D(30)):
        disputes.reconsideration_register(
            actor=people.xt_legal, number="潭政复〔2026〕9号", applicant_name="某乙",
            body="湘潭县人民政府", challenged_act="行政处罚决定",
            copy_received_on=TODAY - D(30))


def _stated(client) -> dict[str, dict[str, int]]:
    """Each page's overdue figure, by module ("" the bureau's total)."""
    url = reverse
    modules = {m: {} for m in ("permits", "enforcement", "disclosure", "disputes",
                               "monitoring", "")}
    for m, row in modules.items():
        row["dashboard"] = figures.dashboard(client, m)
        row["clock list"] = figures.clock_list(client, m)
    modules["permits"]["statistics"] = figures.permit_statistics(client)
    modules["permits"]["queues"] = (figures.said(client, url("permits:board"))
                                    + figures.said(client, url("permits:complaints")))
    for name in ("enforcement:case_list", "enforcement:lead_list"):
        modules["enforcement"].setdefault("queues", 0)
        modules["enforcement"]["queues"] += figures.said(client, url(name))
        modules["enforcement"].setdefault("queues filtered", 0)
        modules["enforcement"]["queues filtered"] += figures.listed(client, url(name))
    modules["disclosure"]["queues"] = figures.said(client, url("disclosure:list"))
    modules["disclosure"]["queues filtered"] = figures.listed(client,
                                                              url("disclosure:list"))
    modules["disputes"]["queues"] = figures.said(client, url("disputes:list"))
    return modules


def test_the_overdue_figure_is_the_same_on_every_page(client, people):
    with _on(TODAY):
        _matters(people)
        org = people.xt_principal.org_unit
        client.force_login(people.xt_principal)
        stated = _stated(client)
        metric = metric_value("clocks.overdue", org_unit=org,
                              start=dt.date(TODAY.year, 1, 1),
                              end=dt.date(TODAY.year, 12, 31))
        report = assemble(report_facts(org=org, year=TODAY.year))
        truth = overdue_by_module(org=org, today=TODAY)
    shortcomings = report.paragraph("s2.shortcomings").text
    for module, pages in stated.items():
        label = matter_kinds.module_label(module) if module else ""
        expected = truth[module] if module else sum(truth.values())
        pages["metric registry"] = int(
            (metric.breakdown[label].value if label in metric.breakdown else 0)
            if module else metric.value)
        assert set(pages.values()) == {expected}, (module or "合计", pages)
        if module and expected:
            assert f"{label}{expected}件" in shortcomings
    total = sum(truth.values())
    assert f"在办事项{total}件" in shortcomings
    # Every module but monitoring (whose checks carry no statutory clock) is late
    # somewhere, so each comparison above compared something.
    assert all(truth[m] for m in ("permits", "enforcement", "disclosure", "disputes"))

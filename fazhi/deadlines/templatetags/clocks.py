"""``{% load clocks %}``: a clock's badge as every page shows it (deadlines.overdue)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html

from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.duty import Badge
from fazhi.deadlines.overdue import clock_badge, matter_badge
from fazhi.deadlines.registry import rules_registry

register = template.Library()


@register.filter
def badge(clock) -> Badge | None:
    """The clock's badge as of today (a badge stays itself; None for no clock)."""
    if clock is None or isinstance(clock, Badge):
        return clock
    return clock_badge(clock)


@register.simple_tag
def matter_light(*clocks) -> Badge | None:
    """``{% matter_light c1 c2 … as b %}``: the badge that speaks for a matter."""
    return matter_badge(*clocks)


@register.filter
def light(clock) -> str:
    """The badge's colour class, for a row (``none`` for no clock)."""
    return clock_badge(clock).code if clock is not None else "none"


@register.filter
def rule_name(rule_id: str) -> str:
    """The rule's name as staff know it (never its id on a page)."""
    rule = rules_registry().get(rule_id)
    return rule.name if rule else "期限规则已停用"


@register.filter
def due(clock) -> str:
    """The due date as staff read it (a clock, or a work item's date): an estimate
    says so, and why.

    ``约 2027-01-05（预估：2027年节假日安排未录入）`` for a date counted into a year
    whose State Council notice has not been entered; the plain date otherwise.
    """
    if isinstance(clock, dt.date):
        day, start = clock, clock
        estimated = not calendar_from_db(provisional=True).covers(day.year)
    elif clock is None or clock.due_date is None:
        return ""
    else:
        day, start, estimated = clock.due_date, clock.start_date, clock.provisional
    if not estimated:
        return day.isoformat()
    cal = calendar_from_db(provisional=True)
    years = [y for y in range(start.year, day.year + 1) if not cal.covers(y)]
    return format_html('<span class="estimate" title="届满日为估算，录入节假日安排后自动重算">'
                       "约 {}（预估：{}年节假日安排未录入）</span>",
                       day.isoformat(), "、".join(map(str, years or [day.year])))


@register.filter
def clock_rule(clock):
    """The rule a clock runs by (None for no clock or an unknown rule), to show its
    name and standing (``{{ clock|clock_rule|standing }}``)."""
    return rules_registry().get(clock.rule_id) if clock is not None else None

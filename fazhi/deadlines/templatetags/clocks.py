"""``{% load clocks %}``: a clock's badge as every page shows it (deadlines.overdue)."""

from __future__ import annotations

from django import template

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

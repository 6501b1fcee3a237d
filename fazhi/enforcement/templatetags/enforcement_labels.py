"""Words for the codes a case stores, taken from the rule data that defines them.

A code no longer in the rule files (a bureau removed a violation type) shows as
itself rather than vanishing from an old case.
"""

from __future__ import annotations

from django import template

from fazhi.enforcement import rulesets
from fazhi.enforcement.cases.discretion import LAND_CLASSES

register = template.Library()


@register.filter
def violation_label(code: str) -> str:
    violation = rulesets.benchmark().violations.get(code or "")
    return violation.label if violation else (code or "")


@register.filter
def land_class_label(code: str) -> str:
    return LAND_CLASSES.get(code or "", code or "")


@register.filter
def act_label(code: str) -> str:
    return next((a.label for a in rulesets.recording_acts() if a.code == code), code)

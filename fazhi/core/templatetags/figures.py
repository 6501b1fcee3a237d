"""Template filters for figures, loaded on every page (settings: builtins).

``{{ amount|yuan }}`` → 1,300,000; ``{{ share|percent }}`` → 55.19%.
The writing rules live in ``fazhi.core.numbers`` (pure), which documents use too.
"""

from __future__ import annotations

from django import template

from fazhi.core import numbers

register = template.Library()


@register.filter
def yuan(value) -> str:
    """Yuan with thousands separators (the unit 元 is the template's)."""
    return numbers.yuan(value)


@register.filter
def percent(value, places: int = 2) -> str:
    """A share of one as a percentage with ``places`` decimals."""
    return numbers.percent(value, int(places))

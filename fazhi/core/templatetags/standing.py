"""``{% load standing %}``: a rule's standing in the words staff read (house style 21).

``{{ x|standing }}`` for anything that carries a standing: a ``Citation``, a rule, a
criterion, a checklist, an ``Adoption``, a stored recommendation (a dict with
``standing`` and ``document``), or a bare ``Standing``. One wording everywhere:
法律规定 / 省厅文件 湘自然资规〔2022〕1号 / 本局规定 / 系统预置，待本局确认.
"""

from __future__ import annotations

from django import template

from fazhi.core.ruledata import Standing, standing_words

register = template.Library()


@register.filter
def standing(value) -> str:
    """Return ``value``'s standing in staff's words ("" for nothing)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Standing | str):
        return standing_words(value)
    if isinstance(value, dict):
        word = value.get("standing") or (
            "preset" if value.get("default_benchmark") else "")
        return standing_words(word, value.get("document", "")) if word else ""
    return standing_words(getattr(value, "standing", None),
                          getattr(value, "document", "") or "")

"""How figures and document numbers are written for staff and the public.

Pure: no Django. Templates use the filters in ``fazhi.core.templatetags.figures``
(``yuan``, ``percent``), instruments and services call these functions, so money
and shares read the same on every page and in every document.

- money: digits grouped by thousands, two decimals only when there are fen:
  130,000 元; 1,000.50 元 (the house format, as the public notices already wrote);
- a share (0–1) as a percentage with two decimals: 0.5519 → 55.19%;
- a document number as typed (【2025】, [2025], (2025), （２０２５）, spaces…)
  rewritten with the 〔〕 GB/T 9704 asks for, so a lookup finds what staff mean.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MISSING = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def yuan(value) -> str:
    """Write an amount of yuan with thousands separators: 1300000 → 1,300,000;
    1000.5 → 1,000.50; "—" for nothing."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def percent(share, places: int = 2) -> str:
    """Write a share (0.5519, a fraction of one) as a percentage: 55.19%."""
    found = _decimal(share)
    if found is None:
        return MISSING
    return f"{found * 100:.{places}f}%"


# Full-width digits and letters to half-width; every bracket a year may be typed in.
_WIDE = {0xFF10 + i: 0x30 + i for i in range(10)}
_OPEN = "[【(（〔［﹝〖{｛<《"
_CLOSE = "]】)）〕］﹞〗}｝>》"
_YEAR = re.compile(rf"[{re.escape(_OPEN)}](\d{{4}})[{re.escape(_CLOSE)}]")
_SPACE = re.compile(r"[\s\u3000]+")


def doc_number_normalise(text: str, *, complete: bool = True) -> str:
    """Rewrite a document or case number as issued: 潭县自然资罚案〔2025〕12号.

    Accepts the year in [], 【】, (), （）, ［］ or 〔〕, full-width digits and
    stray spaces; a number ending in its serial gets its 号 (unless ``complete``
    is false: a search for part of a number). Text that holds no
    bracketed year (a name, an address) is returned with only its digits and
    spaces tidied, so a search box may pass anything through it.
    """
    text = _SPACE.sub("", (text or "").translate(_WIDE))
    if not _YEAR.search(text):
        return text
    text = _YEAR.sub(r"〔\1〕", text)
    text = re.sub(r"〕第(\d+)", r"〕\1", text)
    if complete and re.search(r"〕\d+$", text):
        text += "号"
    return text

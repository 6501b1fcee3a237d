"""What redaction finds, and how overlapping findings become the public text.

Pure: no Django. A finding (``Span``) is a stretch of the input, its category and
the mask that stands there instead. Where findings overlap the higher category wins
(``PRIORITY``) and whatever part of the lower one is still free is hidden too;
``render`` writes the masks in and lists each as a ``Replacement``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

Category = Literal["name", "id_number", "phone", "address", "tipster"]
PartyKind = Literal["person", "organisation"]

# When two findings overlap the higher one wins; an address cut (a deletion) still
# removes whatever part of it is left over.
PRIORITY = {"tipster": 5, "id_number": 4, "phone": 3, "name": 2, "address": 1}


@dataclass(frozen=True)
class Party:
    """A party to the decision as the case file records it."""

    name: str
    kind: PartyKind
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class Replacement:
    """One hidden span: what kind it was, where it was in the input, what stands there.

    ``start``/``end`` index the text given to ``redact_text``, so a reviewer holding
    the original reads ``original[start:end]``. The original is deliberately not
    stored here: a ``Redacted`` can be passed on without carrying personal data.
    """

    category: Category
    start: int
    end: int
    mask: str


@dataclass(frozen=True)
class Redacted:
    """The public text and the list of what was hidden, in text order."""

    text: str
    replacements: tuple[Replacement, ...] = ()


class Span(NamedTuple):
    """A finding: ``text[start:end]`` of the input is to read ``mask``."""

    start: int
    end: int
    category: Category
    mask: str


@dataclass(frozen=True)
class Known:
    """What the case file gives to look for, cleaned and without repeats."""

    person_names: tuple[str, ...]
    org_names: tuple[str, ...]
    id_numbers: tuple[str, ...]
    phones: tuple[str, ...]
    person_addresses: tuple[str, ...]
    org_addresses: tuple[str, ...]
    protected: tuple[str, ...]


def resolve(found: list[Span], zones: list[tuple[int, int]]) -> list[Span]:
    """Return the findings that stand, in text order, none over another or a mask."""
    taken = list(zones)
    chosen: list[Span] = []
    order = sorted(
        set(found), key=lambda s: (-PRIORITY[s.category], s.start - s.end, s.start)
    )
    for span in order:
        # Whatever part of a finding is still free is hidden too: a remnant left
        # visible (欧阳 of 欧阳王五 when 王五 is a tipster) would be found again
        # on a second run, and could identify the person.
        for start, end in _free_parts(span.start, span.end, taken):
            chosen.append(span._replace(start=start, end=end))
            taken.append((start, end))
    return sorted(chosen)


def _free_parts(
    start: int, end: int, taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    parts, pos = [], start
    for s, e in sorted(t for t in taken if t[0] < end and start < t[1]):
        if s > pos:
            parts.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        parts.append((pos, end))
    return parts


def render(text: str, spans: list[Span]) -> Redacted:
    """Return ``text`` with each resolved finding's mask written in."""
    out: list[str] = []
    pos = 0
    for span in spans:
        out += [text[pos : span.start], span.mask]
        pos = span.end
    out.append(text[pos:])
    replacements = tuple(Replacement(s.category, s.start, s.end, s.mask) for s in spans)
    return Redacted("".join(out), replacements)


# --- small helpers --------------------------------------------------------------------


def as_text(value: object) -> str:
    """Return ``value`` as text; None is empty text."""
    return "" if value is None else value if isinstance(value, str) else str(value)


def digits(value: str) -> str:
    """Return only the digits of ``value`` (a number as the policy keeps it)."""
    return "".join(char for char in value if char.isdigit())


def find_all(text: str, needle: str) -> Iterator[int]:
    """Yield where ``needle`` starts in ``text``, occurrences not overlapping."""
    if not needle:
        return
    pos = text.find(needle)
    while pos != -1:
        yield pos
        pos = text.find(needle, pos + len(needle))


def _clean(values: Sequence[object], minimum: int = 1) -> tuple[str, ...]:
    texts = (as_text(value).strip() for value in values)
    return tuple(dict.fromkeys(t for t in texts if len(t) >= minimum))


def known_from(parties: Sequence[Party], protected_names: Sequence[str]) -> Known:
    """Return what the parties and protected names give to look for."""
    parties = [p for p in (parties or ()) if p is not None]
    persons = [p for p in parties if getattr(p, "kind", "") != "organisation"]
    orgs = [p for p in parties if getattr(p, "kind", "") == "organisation"]
    attr = getattr
    return Known(
        person_names=_clean([attr(p, "name", "") for p in persons]),
        org_names=_clean([attr(p, "name", "") for p in orgs]),
        id_numbers=_clean([attr(p, "id_number", "") for p in persons], 6),
        phones=_clean([attr(p, "phone", "") for p in parties], 5),
        person_addresses=_clean([attr(p, "address", "") for p in persons], 2),
        org_addresses=_clean([attr(p, "address", "") for p in orgs], 2),
        protected=_clean(list(protected_names or ()), 2),
    )


def with_persons(known: Known, names: Sequence[str]) -> Known:
    """Return ``known`` with more person names, the longest first."""
    merged = _clean([*known.person_names, *names])
    # Longest first, so 欧阳小明 is masked before a party called 欧阳小.
    ordered = tuple(sorted(merged, key=len, reverse=True))
    return replace(known, person_names=ordered)

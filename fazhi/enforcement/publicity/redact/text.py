"""Redacting text and a decision's fields: names, ID and phone numbers, addresses.

Pure: no Django. ``redact_text`` hides what the parties, the protected names and the
policy's patterns and labelled fields find in one text; ``redact_decision`` does the
same for each field of a decision, so a name found in one field's label is hidden in
all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from fazhi.enforcement.publicity.redact.addresses import address_runs, address_spans
from fazhi.enforcement.publicity.redact.policy import PatternRule, Policy
from fazhi.enforcement.publicity.redact.spans import (
    Category,
    Known,
    Party,
    Redacted,
    Span,
    as_text,
    digits,
    find_all,
    known_from,
    render,
    resolve,
    with_persons,
)

# --- public API -----------------------------------------------------------------------


def redact_text(
    text: str,
    *,
    parties: Sequence[Party] = (),
    protected_names: Sequence[str] = (),
    policy: Policy,
) -> Redacted:
    """Return ``text`` with personal data hidden and the list of what was hidden."""
    text = as_text(text)
    if not text:
        return Redacted(text)
    known = known_from(parties, protected_names)
    extra = _labelled_names(text, policy, known)
    return _redact(text, with_persons(known, extra), policy)


def redact_decision(
    fields: Mapping[str, str],
    *,
    parties: Sequence[Party] = (),
    protected_names: Sequence[str] = (),
    policy: Policy,
) -> dict[str, str]:
    """Redact each field; a name found in one field's label is hidden in all."""
    texts = {key: as_text(value) for key, value in (fields or {}).items()}
    known = known_from(parties, protected_names)
    extra = [
        name for text in texts.values() for name in _labelled_names(text, policy, known)
    ]
    known = with_persons(known, extra)
    return {key: _redact(text, known, policy).text for key, text in texts.items()}


def mask_name(name: str, *, policy: Policy) -> str:
    """Return surname + mask: 张三 → 张某, 欧阳小明 → 欧阳某, 阿依古丽 → 阿某."""
    name = as_text(name).strip()
    rule = policy.name
    for surname in rule.compound_surnames:
        if name.startswith(surname) and len(name) > len(surname):
            return surname + rule.mask
    return name[:1] + rule.mask


# --- finding --------------------------------------------------------------------------


def _redact(text: str, known: Known, policy: Policy) -> Redacted:
    if not text:
        return Redacted(text)
    zones = _zones(text, policy)
    masked = resolve(_real(text, _mask_spans(text, known, policy)), zones)
    places = address_spans(text, masked, zones, known, policy.address)
    return render(text, resolve([*masked, *_real(text, places)], zones))


def _real(text: str, spans: Sequence[Span]) -> list[Span]:
    """Drop findings that would not change the text (a party called 张某)."""
    return [span for span in spans if text[span.start : span.end] != span.mask]


def _mask_spans(text: str, known: Known, policy: Policy) -> list[Span]:
    """Return tipsters, names, ID and phone numbers found in ``text``.

    Known strings are found first and blanked before the number patterns run, so
    a pattern sees their neighbours as it will after masking: a number glued to a
    party's phone number (…123X0731-5858…) is found on the first run, not only on
    a second one.
    """
    phones = [p for p in known.phones if digits(p) not in policy.phone.keep]
    exact = [
        *_exact(text, known.protected, "tipster", policy.tipster_mask),
        *_exact(text, known.id_numbers, "id_number", policy.id_number.mask),
        *_exact(text, phones, "phone", policy.phone.mask),
        *_name_spans(text, known.person_names, policy),
    ]
    blanked = _blank(text, exact)
    return [
        *exact,
        *_pattern_spans(blanked, policy.id_number, "id_number"),
        *_pattern_spans(blanked, policy.phone, "phone"),
    ]


def _blank(text: str, spans: Sequence[Span]) -> str:
    """Overwrite each span with NULs: neither a digit nor a letter, like its mask."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = "\0" * (span.end - span.start)
    return "".join(chars)


def _zones(text: str, policy: Policy) -> list[tuple[int, int]]:
    """Return where a mask already stands; it is never redacted again."""
    return [(s, s + len(mask)) for mask in policy.masks for s in find_all(text, mask)]


def _exact(
    text: str, needles: Sequence[str], category: Category, mask: str
) -> Iterator[Span]:
    for needle in needles:
        for start in find_all(text, needle):
            yield Span(start, start + len(needle), category, mask)


def _pattern_spans(text: str, rule: PatternRule, category: Category) -> Iterator[Span]:
    for pattern in rule.patterns:
        for m in pattern.finditer(text):
            if digits(m.group()) not in rule.keep:
                yield Span(m.start(), m.end(), category, rule.mask)


def _name_spans(text: str, names: Sequence[str], policy: Policy) -> Iterator[Span]:
    for name in names:
        if len(name) < policy.name.min_length:
            continue
        masked = mask_name(name, policy=policy)
        for start in find_all(text, name):
            # A name that is its own surname (张某) must not grow on a second run.
            if not text.startswith(masked, start):
                yield Span(start, start + len(name), "name", masked)


def _labelled_names(text: str, policy: Policy, known: Known) -> list[str]:
    """Return person names written in labelled fields (法定代表人：李四).

    Labels are read in the text as it will be published (everything but these
    names already redacted), and a value that runs into an address (塘村王五 once
    塘村3组王五 lost 3组) is skipped: a second run over the output must find exactly
    what the first found.
    """
    rule = policy.name
    text = _redact(text, known, policy).text
    places = [
        (seg.start, seg.end)
        for run in address_runs(text, policy.address)
        for seg in run
        if not seg.numbered
    ]
    found: list[str] = []
    for m in rule.label_pattern.finditer(text):
        candidate, start, end = m.group("name"), m.start("name"), m.end("name")
        if (
            rule.mask in candidate
            or text.startswith(rule.mask, end)
            or candidate.endswith(rule.not_name_suffixes)
            or any(char in rule.not_name_chars for char in candidate)
            or any(s < end and start < e for s, e in places)
            or candidate in known.org_names
        ):
            continue
        found.append(candidate)
    return found

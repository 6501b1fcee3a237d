"""Hide personal data in penalty decisions before they are published (执法公示).

Pure: no Django, no settings. The rules and their legal basis
are data in ``rules/redaction.toml``; ``load_policy`` reads it (plus a bureau's
override folders) and the caller passes the policy in.

What is hidden:

- a natural person's name → surname + 某 (张三 → 张某, 欧阳小明 → 欧阳某), at every
  occurrence, also inside longer strings (张三建材店 → 张某建材店);
- tipsters' and complainants' names (``protected_names``), persons or organisations
  alike → 「（举报人信息已隐去）」 wherever they appear;
- resident ID numbers (18 digits, X check digit allowed; 15 digits);
- mobile and landline numbers, except the bureau's public numbers the policy keeps;
- the part of an address below the village or community (组、号、栋、路……).

Organisation names are kept: decisions on legal persons are public. A person's name
inside one, a legal representative's for example, is still redacted.

Limits, by design:

- A Chinese name in free text cannot be told from ordinary words. Only names given
  as person parties, as ``protected_names``, or written in a labelled field
  (「当事人：X」「法定代表人：X」「联系人：X」…, see the policy) are found. Any other
  natural person named in a decision (a witness, a neighbour) must be passed as a
  person ``Party`` by the caller, or a reviewer must catch it.
- Addresses in free text are found by their administrative suffixes (县、镇、村、组、
  号…). An address written without them is only cut when it is a party's address.
- Bank accounts, plate numbers and property-certificate numbers are not handled yet.

``redact_text`` never raises: odd input is coerced to text and empty text passes
through. Redacting its own output changes nothing (idempotent). ``load_policy``
fails loudly (``RedactionPolicyError``) on a broken rule file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from fazhi.core.ruledata import (
    Citation,
    RuleFileError,
    merge_keys,
    read_toml,
    rule_files,
    rule_folders,
)

RULES_FILE = Path(__file__).parents[1] / "rules" / "redaction.toml"
Category = Literal["name", "id_number", "phone", "address", "tipster"]
PartyKind = Literal["person", "organisation"]

# When two findings overlap the higher one wins; an address cut (a deletion) still
# removes whatever part of it is left over.
_PRIORITY = {"tipster": 5, "id_number": 4, "phone": 3, "name": 2, "address": 1}
_HAN = "\u4e00-\u9fff"
_MAX_ROUNDS = 8  # address re-reads; each round removes text, so few are needed
_NUMERAL = "0-9０-９一二三四五六七八九十百千零〇两"
_WHERE = "redaction.toml（含覆盖文件）"


RedactionPolicyError = RuleFileError
"""The name older callers catch: the redaction rule file is unreadable or wrong."""


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


@dataclass(frozen=True)
class Basis(Citation):
    """A rule's citation, with its code and how reliable the text read was."""

    code: str = ""
    status: str = ""  # verified | secondary | unconfirmed (the text, not the rule)
    note: str = ""


@dataclass(frozen=True)
class NameRule:
    """How person names are masked and found in labelled fields."""

    mask: str
    compound_surnames: tuple[str, ...]
    min_length: int
    label_pattern: re.Pattern[str]
    not_name_suffixes: tuple[str, ...]
    not_name_chars: str


@dataclass(frozen=True)
class PatternRule:
    """A category found by regular expressions, with the numbers that stay public."""

    mask: str
    patterns: tuple[re.Pattern[str], ...]
    keep: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AddressRule:
    """Address levels and how far down an address stays visible."""

    keep_through_rank: int
    anchor_min_rank: int
    fine_rank: int
    tail_mask: str
    whole_mask: str
    suffix_ranks: tuple[tuple[str, int], ...]  # longest suffix first
    segments: tuple[tuple[str, re.Pattern[str]], ...]  # num, fine, coarse
    any_segment: re.Pattern[str]


@dataclass(frozen=True)
class Policy:
    """Everything ``redact_text`` needs, read from the rule files."""

    name: NameRule
    id_number: PatternRule
    phone: PatternRule
    address: AddressRule
    tipster_mask: str
    basis: Mapping[str, Basis]
    category_basis: Mapping[str, tuple[str, ...]]

    def basis_for(self, category: Category) -> tuple[Basis, ...]:
        """Return the sources cited for one category of redaction."""
        return tuple(self.basis[code] for code in self.category_basis[category])

    @property
    def masks(self) -> tuple[str, ...]:
        """Masks that replace text; their occurrences are never redacted again."""
        found = (
            self.id_number.mask,
            self.phone.mask,
            self.tipster_mask,
            self.address.whole_mask,
            self.address.tail_mask,
        )
        return tuple(mask for mask in found if mask)


class _Span(NamedTuple):
    start: int
    end: int
    category: Category
    mask: str


class _Seg(NamedTuple):
    start: int
    end: int
    rank: int
    numbered: bool


@dataclass(frozen=True)
class _Known:
    person_names: tuple[str, ...]
    org_names: tuple[str, ...]
    id_numbers: tuple[str, ...]
    phones: tuple[str, ...]
    person_addresses: tuple[str, ...]
    org_addresses: tuple[str, ...]
    protected: tuple[str, ...]


# --- public API -----------------------------------------------------------------------


def redact_text(
    text: str,
    *,
    parties: Sequence[Party] = (),
    protected_names: Sequence[str] = (),
    policy: Policy,
) -> Redacted:
    """Return ``text`` with personal data hidden and the list of what was hidden."""
    text = _as_text(text)
    if not text:
        return Redacted(text)
    known = _known(parties, protected_names)
    extra = _labelled_names(text, policy, known)
    return _redact(text, _with_persons(known, extra), policy)


def redact_decision(
    fields: Mapping[str, str],
    *,
    parties: Sequence[Party] = (),
    protected_names: Sequence[str] = (),
    policy: Policy,
) -> dict[str, str]:
    """Redact each field; a name found in one field's label is hidden in all."""
    texts = {key: _as_text(value) for key, value in (fields or {}).items()}
    known = _known(parties, protected_names)
    extra = [
        name for text in texts.values() for name in _labelled_names(text, policy, known)
    ]
    known = _with_persons(known, extra)
    return {key: _redact(text, known, policy).text for key, text in texts.items()}


def mask_name(name: str, *, policy: Policy) -> str:
    """Return surname + mask: 张三 → 张某, 欧阳小明 → 欧阳某, 阿依古丽 → 阿某."""
    name = _as_text(name).strip()
    rule = policy.name
    for surname in rule.compound_surnames:
        if name.startswith(surname) and len(name) > len(surname):
            return surname + rule.mask
    return name[:1] + rule.mask


def load_policy(extra_dirs: Sequence[Path | str] = ()) -> Policy:
    """Read the shipped redaction.toml, then each extra dir's; later keys replace.

    An override's keys replace the shipped ones table by table; its [[basis]]
    entries replace the shipped ones by code and add new codes.
    """
    folders = rule_folders(RULES_FILE.parent, extra_dirs)
    shipped, *overrides = rule_files(folders, RULES_FILE.name)
    data = read_toml(shipped)
    for path in overrides:
        data = _merge(data, read_toml(path))
    return _policy(data)


# --- finding --------------------------------------------------------------------------


def _redact(text: str, known: _Known, policy: Policy) -> Redacted:
    if not text:
        return Redacted(text)
    zones = _zones(text, policy)
    masked = _resolve(_real(text, _mask_spans(text, known, policy)), zones)
    places = _address_spans(text, masked, zones, known, policy.address)
    return _render(text, _resolve([*masked, *_real(text, places)], zones))


def _real(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """Drop findings that would not change the text (a party called 张某)."""
    return [span for span in spans if text[span.start : span.end] != span.mask]


def _mask_spans(text: str, known: _Known, policy: Policy) -> list[_Span]:
    """Return tipsters, names, ID and phone numbers found in ``text``.

    Known strings are found first and blanked before the number patterns run, so
    a pattern sees their neighbours as it will after masking: a number glued to a
    party's phone number (…123X0731-5858…) is found on the first run, not only on
    a second one.
    """
    phones = [p for p in known.phones if _digits(p) not in policy.phone.keep]
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


def _blank(text: str, spans: Sequence[_Span]) -> str:
    """Overwrite each span with NULs: neither a digit nor a letter, like its mask."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = "\0" * (span.end - span.start)
    return "".join(chars)


def _zones(text: str, policy: Policy) -> list[tuple[int, int]]:
    """Return where a mask already stands; it is never redacted again."""
    return [(s, s + len(mask)) for mask in policy.masks for s in _find_all(text, mask)]


def _exact(
    text: str, needles: Sequence[str], category: Category, mask: str
) -> Iterator[_Span]:
    for needle in needles:
        for start in _find_all(text, needle):
            yield _Span(start, start + len(needle), category, mask)


def _pattern_spans(text: str, rule: PatternRule, category: Category) -> Iterator[_Span]:
    for pattern in rule.patterns:
        for m in pattern.finditer(text):
            if _digits(m.group()) not in rule.keep:
                yield _Span(m.start(), m.end(), category, rule.mask)


def _name_spans(text: str, names: Sequence[str], policy: Policy) -> Iterator[_Span]:
    for name in names:
        if len(name) < policy.name.min_length:
            continue
        masked = mask_name(name, policy=policy)
        for start in _find_all(text, name):
            # A name that is its own surname (张某) must not grow on a second run.
            if not text.startswith(masked, start):
                yield _Span(start, start + len(name), "name", masked)


def _labelled_names(text: str, policy: Policy, known: _Known) -> list[str]:
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
        for run in _runs(text, policy.address)
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


def _address_spans(
    text: str,
    masked: Sequence[_Span],
    zones: Sequence[tuple[int, int]],
    known: _Known,
    rule: AddressRule,
) -> list[_Span]:
    """Return address cuts: known person addresses, then runs in the free text.

    Runs are read in the text as it will be published (masks in place,
    organisation addresses blanked out) and read again after each round of cuts
    until none is left, because a cut changes what its neighbours look like
    (某某小区塘坊组: once 塘坊组 is gone, 某某小区 ends the text and is itself below
    the village). Redacting the output again then finds nothing new.
    """
    spans = list(_party_address_spans(text, known, rule))
    orgs = [
        _Span(start, start + len(org), "address", "\0")
        for org in known.org_addresses
        for start in _find_all(text, org)
    ]
    # Masks already in the input map to None: they stay, as _resolve keeps them.
    index: list[int | None] = list(range(len(text)))
    for start, end in zones:
        index[start:end] = [None] * (end - start)
    current, index = _cut(text, index, _resolve([*masked, *spans, *orgs], zones))
    for _ in range(_MAX_ROUNDS):
        found = [
            span for run in _runs(current, rule) for span in _cut_blocks(run, rule)
        ]
        if not found:
            break
        spans += [s for s in (_original(span, index) for span in found) if s]
        current, index = _cut(current, index, found)
    return spans


def _party_address_spans(
    text: str, known: _Known, rule: AddressRule
) -> Iterator[_Span]:
    for address in known.person_addresses:
        kept = _kept_length(address, rule)
        for start in _find_all(text, address):
            end = start + len(address)
            if kept == 0:
                yield _Span(start, end, "address", rule.whole_mask)
            elif kept < len(address):
                yield _Span(start + kept, end, "address", rule.tail_mask)


def _cut(
    text: str, index: list[int | None], spans: Sequence[_Span]
) -> tuple[str, list[int | None]]:
    """Apply spans to ``text`` as ``_resolve`` would: a mask already in place (index
    None) stays, every other stretch inside a span becomes the span's mask.
    ``index`` maps each character to its place in the input text."""
    out: list[str] = []
    where: list[int | None] = []
    pos = 0
    for span in sorted(spans):
        if span.start < pos:
            continue
        out.append(text[pos : span.start])
        where += index[pos : span.start]
        i = span.start
        while i < span.end:
            j = i + 1
            while j < span.end and (index[j] is None) == (index[i] is None):
                j += 1
            kept = index[i] is None
            out.append(text[i:j] if kept else span.mask)
            where += index[i:j] if kept else [None] * len(span.mask)
            i = j
        pos = span.end
    return "".join(out) + text[pos:], where + index[pos:]


def _original(span: _Span, index: list[int | None]) -> _Span | None:
    """Map a span found in cut text back onto the input text."""
    inside = [i for i in index[span.start : span.end] if i is not None]
    if not inside:
        return None
    return span._replace(start=min(inside), end=max(inside) + 1)


def _kept_length(address: str, rule: AddressRule) -> int:
    """Return how many leading characters of a known address stay visible."""
    kept = 0
    while (
        seg := _segment_at(address, kept, rule)
    ) and seg.rank <= rule.keep_through_rank:
        kept = seg.end
    return kept


def _runs(text: str, rule: AddressRule) -> Iterator[list[_Seg]]:
    """Yield runs of adjacent address segments (湘潭县|易俗河镇|某某村|3组|15号)."""
    pos = 0
    while hit := rule.any_segment.search(text, pos):
        first = _segment_at(text, hit.start(), rule)
        if first is None:  # cannot happen: the same patterns matched here
            return
        run = [first]
        while seg := _segment_at(text, run[-1].end, rule):
            run.append(seg)
        yield run
        pos = run[-1].end


def _segment_at(text: str, pos: int, rule: AddressRule) -> _Seg | None:
    """Return the segment at ``pos``: a numbered unit (第三村民小组, not 第三村),
    else the shortest named one (易俗河镇, not 易俗河镇建设路)."""
    best: _Seg | None = None
    for kind, pattern in rule.segments:
        m = pattern.match(text, pos)
        if m and kind == "num":
            return _Seg(pos, m.end(), rule.fine_rank, True)
        if m and (best is None or m.end() < best.end):
            rank = _coarse_rank(m.group(), rule) if kind == "coarse" else rule.fine_rank
            best = _Seg(pos, m.end(), rank, False)
    return best


def _coarse_rank(segment: str, rule: AddressRule) -> int:
    for suffix, rank in rule.suffix_ranks:
        if segment.endswith(suffix):
            return rank
    return rule.fine_rank


def _cut_blocks(run: list[_Seg], rule: AddressRule) -> Iterator[_Span]:
    """Yield deletions for each block of segments below the kept level."""
    prev, i = 0, 0
    while i < len(run):
        if run[i].rank <= rule.keep_through_rank:
            prev, i = run[i].rank, i + 1
            continue
        j = i
        while j < len(run) and run[j].rank > rule.keep_through_rank:
            j += 1
        # A bare number after a city or county is a document number (某某市1号令).
        if prev and (not run[i].numbered or prev >= rule.anchor_min_rank):
            yield _Span(run[i].start, run[j - 1].end, "address", rule.tail_mask)
        i = j


# --- resolving and rendering ----------------------------------------------------------


def _resolve(found: list[_Span], zones: list[tuple[int, int]]) -> list[_Span]:
    taken = list(zones)
    chosen: list[_Span] = []
    order = sorted(
        set(found), key=lambda s: (-_PRIORITY[s.category], s.start - s.end, s.start)
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


def _render(text: str, spans: list[_Span]) -> Redacted:
    out: list[str] = []
    pos = 0
    for span in spans:
        out += [text[pos : span.start], span.mask]
        pos = span.end
    out.append(text[pos:])
    replacements = tuple(Replacement(s.category, s.start, s.end, s.mask) for s in spans)
    return Redacted("".join(out), replacements)


# --- small helpers --------------------------------------------------------------------


def _as_text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _digits(value: str) -> str:
    return "".join(char for char in value if char.isdigit())


def _find_all(text: str, needle: str) -> Iterator[int]:
    if not needle:
        return
    pos = text.find(needle)
    while pos != -1:
        yield pos
        pos = text.find(needle, pos + len(needle))


def _clean(values: Sequence[object], minimum: int = 1) -> tuple[str, ...]:
    texts = (_as_text(value).strip() for value in values)
    return tuple(dict.fromkeys(t for t in texts if len(t) >= minimum))


def _known(parties: Sequence[Party], protected_names: Sequence[str]) -> _Known:
    parties = [p for p in (parties or ()) if p is not None]
    persons = [p for p in parties if getattr(p, "kind", "") != "organisation"]
    orgs = [p for p in parties if getattr(p, "kind", "") == "organisation"]
    attr = getattr
    return _Known(
        person_names=_clean([attr(p, "name", "") for p in persons]),
        org_names=_clean([attr(p, "name", "") for p in orgs]),
        id_numbers=_clean([attr(p, "id_number", "") for p in persons], 6),
        phones=_clean([attr(p, "phone", "") for p in parties], 5),
        person_addresses=_clean([attr(p, "address", "") for p in persons], 2),
        org_addresses=_clean([attr(p, "address", "") for p in orgs], 2),
        protected=_clean(list(protected_names or ()), 2),
    )


def _with_persons(known: _Known, names: Sequence[str]) -> _Known:
    merged = _clean([*known.person_names, *names])
    # Longest first, so 欧阳小明 is masked before a party called 欧阳小.
    ordered = tuple(sorted(merged, key=len, reverse=True))
    return replace(known, person_names=ordered)


# --- reading the policy ---------------------------------------------------------------


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = merge_keys(base, over)
    if isinstance(over.get("basis"), list) and isinstance(base.get("basis"), list):
        entries = [*base["basis"], *over["basis"]]
        if all(isinstance(b, dict) for b in entries):  # else _basis names the fault
            entries = list({b.get("code"): b for b in entries}.values())
        merged["basis"] = entries
    return merged


def _policy(data: dict[str, Any]) -> Policy:
    basis = _basis(data.get("basis"))
    tables = {key: _table(data, key) for key in _PRIORITY}
    category_basis = {}
    for category, table in tables.items():
        codes = _strs(table, "basis", category)
        unknown = [code for code in codes if code not in basis]
        if unknown:
            raise RedactionPolicyError(
                f"{_WHERE}：[{category}] basis 引用了未定义的 {unknown}"
            )
        category_basis[category] = codes
    return Policy(
        name=_name_rule(tables["name"]),
        id_number=_pattern_rule(tables["id_number"], "id_number"),
        phone=_pattern_rule(tables["phone"], "phone"),
        address=_address_rule(tables["address"]),
        tipster_mask=_str(tables["tipster"], "mask", "tipster"),
        basis=MappingProxyType(basis),
        category_basis=MappingProxyType(category_basis),
    )


def _name_rule(table: dict[str, Any]) -> NameRule:
    mask = _str(table, "mask", "name")
    if not mask:
        raise RedactionPolicyError(f"{_WHERE}：[name] mask 不能为空")
    labels = _strs(table, "labels", "name")
    longest = _int(table, "label_max_chars", "name")
    label_pattern = _compile(
        f"(?:{_alt(labels)})\\s*[：:]\\s*(?P<name>[{_HAN}·]{{2,{longest}}})(?![{_HAN}·])",
        "name.labels",
    )
    return NameRule(
        mask=mask,
        compound_surnames=tuple(
            sorted(_strs(table, "compound_surnames", "name"), key=len, reverse=True)
        ),
        min_length=_int(table, "min_length", "name"),
        label_pattern=label_pattern,
        not_name_suffixes=_strs(table, "not_name_suffixes", "name"),
        not_name_chars=_str(table, "not_name_chars", "name"),
    )


def _pattern_rule(table: dict[str, Any], where: str) -> PatternRule:
    patterns = tuple(
        _compile(p, f"{where}.patterns") for p in _strs(table, "patterns", where)
    )
    keep = frozenset(_digits(k) for k in _strs(table, "keep", where, required=False))
    return PatternRule(_str(table, "mask", where), patterns, keep)


def _address_rule(table: dict[str, Any]) -> AddressRule:
    levels = table.get("level")
    if not isinstance(levels, list) or not levels:
        raise RedactionPolicyError(
            f"{_WHERE}：[address] 须写一个或多个 [[address.level]]"
        )
    ranks = {
        suffix: _int(level, "rank", "address.level")
        for level in levels
        for suffix in _strs(level, "suffixes", "address.level")
    }
    num = f"第?[{_NUMERAL}]+(?:{_alt(_strs(table, 'numbered_units', 'address'))})"
    unit = f"[{_HAN}]{{1,6}}?(?:{_alt(_strs(table, 'named_units', 'address'))})"
    road = f"[{_HAN}]{{1,8}}?(?:{_alt(_strs(table, 'roads', 'address'))})"
    fine = f"{unit}(?=[^{_HAN}]|$|{num})|{road}(?={num})"
    coarse = f"[{_HAN}]{{1,8}}?(?:{_alt(list(ranks))})"
    segments = (("num", num), ("fine", fine), ("coarse", coarse))
    return AddressRule(
        keep_through_rank=_int(table, "keep_through_rank", "address"),
        anchor_min_rank=_int(table, "anchor_min_rank", "address"),
        fine_rank=max(ranks.values()) + 1,
        tail_mask=_str(table, "tail_mask", "address"),
        whole_mask=_str(table, "whole_mask", "address"),
        suffix_ranks=tuple(sorted(ranks.items(), key=lambda kv: -len(kv[0]))),
        segments=tuple((kind, _compile(p, "address")) for kind, p in segments),
        any_segment=_compile("|".join(f"(?:{p})" for _, p in segments), "address"),
    )


def _basis(raw: object) -> dict[str, Basis]:
    if not isinstance(raw, list) or not raw:
        raise RedactionPolicyError(f"{_WHERE}：须写一个或多个 [[basis]]")
    found: dict[str, Basis] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            raise RedactionPolicyError(f"{_WHERE}：[[basis]] 必须是表")
        fields = ("code", "law", "version", "article", "status", "source")
        values = {key: _str(entry, key, "basis") for key in fields}
        found[values["code"]] = Basis(**values, note=_as_text(entry.get("note", "")))
    return found


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict):
        raise RedactionPolicyError(f"{_WHERE}：缺少表 [{key}]")
    return table


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise RedactionPolicyError(f"{_WHERE}：[{where}] 键 {key} 须为字符串")
    return value


def _strs(
    table: dict[str, Any], key: str, where: str, *, required: bool = True
) -> tuple[str, ...]:
    value = table.get(key, None if required else [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RedactionPolicyError(f"{_WHERE}：[{where}] 键 {key} 须为非空字符串的数组")
    return tuple(value)


def _int(table: dict[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RedactionPolicyError(f"{_WHERE}：[{where}] 键 {key} 须为非负整数")
    return value


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RedactionPolicyError(
            f"{_WHERE}：{where} 的正则表达式有误：{exc}"
        ) from exc

"""Addresses: what stays visible of an address, and what is cut below it.

Pure: no Django. An address is read as a run of segments (县、镇、村、组、号…), each
with a rank from the policy; everything below the kept rank is cut. A known person's
address is cut where it stands; runs in the free text are read in the text as it will
be published and read again after each round of cuts, since a cut changes what its
neighbours look like.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from fazhi.enforcement.publicity.redact.policy import AddressRule
from fazhi.enforcement.publicity.redact.spans import Known, Span, find_all, resolve

_MAX_ROUNDS = 8  # address re-reads; each round removes text, so few are needed


class Segment(NamedTuple):
    """A piece of an address (a county, a village, a group, a number) and its rank."""

    start: int
    end: int
    rank: int
    numbered: bool


def address_spans(
    text: str,
    masked: Sequence[Span],
    zones: Sequence[tuple[int, int]],
    known: Known,
    rule: AddressRule,
) -> list[Span]:
    """Return address cuts: known person addresses, then runs in the free text.

    Runs are read in the text as it will be published (masks in place,
    organisation addresses blanked out) and read again after each round of cuts
    until none is left, because a cut changes what its neighbours look like
    (某某小区塘坊组: once 塘坊组 is gone, 某某小区 ends the text and is itself below
    the village). Redacting the output again then finds nothing new.
    """
    spans = list(_party_address_spans(text, known, rule))
    orgs = [
        Span(start, start + len(org), "address", "\0")
        for org in known.org_addresses
        for start in find_all(text, org)
    ]
    # Masks already in the input map to None: they stay, as resolve keeps them.
    index: list[int | None] = list(range(len(text)))
    for start, end in zones:
        index[start:end] = [None] * (end - start)
    current, index = _cut(text, index, resolve([*masked, *spans, *orgs], zones))
    for _ in range(_MAX_ROUNDS):
        found = [
            span
            for run in address_runs(current, rule)
            for span in _cut_blocks(run, rule)
        ]
        if not found:
            break
        spans += [s for s in (_original(span, index) for span in found) if s]
        current, index = _cut(current, index, found)
    return spans


def _party_address_spans(
    text: str, known: Known, rule: AddressRule
) -> Iterator[Span]:
    for address in known.person_addresses:
        kept = _kept_length(address, rule)
        for start in find_all(text, address):
            end = start + len(address)
            if kept == 0:
                yield Span(start, end, "address", rule.whole_mask)
            elif kept < len(address):
                yield Span(start + kept, end, "address", rule.tail_mask)


def _cut(
    text: str, index: list[int | None], spans: Sequence[Span]
) -> tuple[str, list[int | None]]:
    """Apply spans to ``text`` as ``resolve`` would: a mask already in place (index
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


def _original(span: Span, index: list[int | None]) -> Span | None:
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


def address_runs(text: str, rule: AddressRule) -> Iterator[list[Segment]]:
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


def _segment_at(text: str, pos: int, rule: AddressRule) -> Segment | None:
    """Return the segment at ``pos``: a numbered unit (第三村民小组, not 第三村),
    else the shortest named one (易俗河镇, not 易俗河镇建设路)."""
    best: Segment | None = None
    for kind, pattern in rule.segments:
        m = pattern.match(text, pos)
        if m and kind == "num":
            return Segment(pos, m.end(), rule.fine_rank, True)
        if m and (best is None or m.end() < best.end):
            rank = _coarse_rank(m.group(), rule) if kind == "coarse" else rule.fine_rank
            best = Segment(pos, m.end(), rank, False)
    return best


def _coarse_rank(segment: str, rule: AddressRule) -> int:
    for suffix, rank in rule.suffix_ranks:
        if segment.endswith(suffix):
            return rank
    return rule.fine_rank


def _cut_blocks(run: list[Segment], rule: AddressRule) -> Iterator[Span]:
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
            yield Span(run[i].start, run[j - 1].end, "address", rule.tail_mask)
        i = j

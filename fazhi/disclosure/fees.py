"""Information-processing fees for disclosure requests (国办函〔2020〕109号).

Pure: standard library only. Amounts are whole yuan. The bands come from
``rules/fees.toml`` (see ``ruledata.load_fee_tables``), so a bureau changes a band with
an override file, not code.

Whether to charge at all is the bureau's decision: OGI Art. 42 allows a fee only when
the number or frequency of requests clearly exceeds a reasonable range, and Art. 3 of
the fee measures allows one method per request, never both. These functions only say
what the chosen method yields and show each band applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fazhi.disclosure.ruledata import FeeBand, FeeMethod, FeeTables


@dataclass(frozen=True)
class FeeResult:
    """The fee for one request under one method, and the rule shown to the reader."""

    method: str
    quantity: int
    amount_yuan: int
    steps: tuple[str, ...]
    applies: bool


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int | None
    yuan: int


def fee_per_request(nth_in_month: int, tables: FeeTables) -> FeeResult:
    """Return the fee in yuan for the requester's nth request this calendar month."""
    method = tables.method("per_request")
    _check_quantity(nth_in_month, minimum=1, what="本月累计申请件数")
    segment = next(s for s in _segments(method) if _contains(s, nth_in_month))
    steps = (
        f"同一申请人本自然月内第{nth_in_month}件申请",
        f"{_range(segment, method.unit)}：{_price(segment.yuan, method.unit)}",
        *_escalation(method),
        f"依据：{method.citation}",
    )
    return FeeResult(
        method=method.code,
        quantity=nth_in_month,
        amount_yuan=segment.yuan,
        steps=steps,
        applies=segment.yuan > 0,
    )


def fee_per_volume(pages: int, tables: FeeTables) -> FeeResult:
    """Return the progressive fee in yuan for the pages provided for one request."""
    method = tables.method("per_volume")
    _check_quantity(pages, minimum=0, what="页数")
    steps: list[str] = [f"本件申请提供政府信息共{pages}{method.unit}，超额累进计算"]
    total = 0
    for segment in _segments(method):
        if segment.start > pages:
            break
        end = min(pages, segment.end or pages)
        count = end - segment.start + 1
        total += count * segment.yuan
        shown = _Segment(segment.start, end, segment.yuan)
        steps.append(f"{_range(shown, method.unit)}：{_product(count, shown, method)}")
    steps.append(f"合计：{total}元")
    steps.append(f"依据：{method.citation}")
    return FeeResult(
        method=method.code,
        quantity=pages,
        amount_yuan=total,
        steps=tuple(steps),
        applies=total > 0,
    )


def fee_for(method: str, quantity: int, tables: FeeTables) -> FeeResult:
    """Dispatch on the method code: ``per_request`` (nth in month) or ``per_volume``."""
    if method == "per_request":
        return fee_per_request(quantity, tables)
    tables.method(method)  # raises UnknownCodeError for an unknown code
    return fee_per_volume(quantity, tables)


def _segments(method: FeeMethod) -> Iterator[_Segment]:
    """Yield flat-price stretches 1, 2, … without end; an escalating band splits."""
    for band in method.bands:
        if band.every is None:
            yield _Segment(band.start, band.end, band.yuan)
        else:
            yield from _escalating(band)


def _escalating(band: FeeBand) -> Iterator[_Segment]:
    assert band.every is not None
    step = 0
    while True:
        start = band.start + step * band.every
        yield _Segment(start, start + band.every - 1, band.yuan + step * band.step_yuan)
        step += 1


def _escalation(method: FeeMethod) -> tuple[str, ...]:
    last = method.bands[-1]
    if last.every is None:
        return ()
    return (
        f"第{last.start}{method.unit}起以{last.every}{method.unit}为一档，"
        f"每增加一档，收费标准提高{last.step_yuan}元/{method.unit}",
    )


def _contains(segment: _Segment, n: int) -> bool:
    return segment.start <= n and (segment.end is None or n <= segment.end)


def _range(segment: _Segment, unit: str) -> str:
    if segment.end is None:
        return f"第{segment.start}{unit}以上"
    if segment.end == segment.start:
        return f"第{segment.start}{unit}"
    return f"第{segment.start}—{segment.end}{unit}"


def _price(yuan: int, unit: str) -> str:
    return "不收费" if yuan == 0 else f"{yuan}元/{unit}"


def _product(count: int, segment: _Segment, method: FeeMethod) -> str:
    if segment.yuan == 0:
        return f"{count}{method.unit}，不收费"
    return f"{count}{method.unit}×{segment.yuan}元={count * segment.yuan}元"


def _check_quantity(value: int, *, minimum: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{what}须为不小于{minimum}的整数，现为 {value!r}")

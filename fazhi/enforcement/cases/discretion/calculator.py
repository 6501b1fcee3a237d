"""The discretion calculator: a case's recommended fine, and a proposed one checked.

Pure: no Django. ``recommend`` matches the facts to the law and a band
(``matching``) and writes down every step (``explain``); ``check_departure`` lets a
fine outside the recommended range through only with a written reason, and never one
outside the legal range.
"""

from __future__ import annotations

from decimal import Decimal

from fazhi.core.numbers import yuan
from fazhi.enforcement.cases.discretion import explain, matching
from fazhi.enforcement.cases.discretion.model import (
    Band,
    Benchmark,
    Departure,
    DepartureNeedsReason,
    DiscretionError,
    Facts,
    OutsideLegalRange,
    Recommendation,
    Violation,
    amount,
)


def recommend(facts: Facts, benchmark: Benchmark) -> Recommendation:
    """Return the legal and recommended fine (yuan) for the facts under a benchmark."""
    violation, time_steps = applicable(facts, benchmark)
    factors = matching.checked_factors(facts, violation, benchmark)
    area = matching.checked_area(facts, violation)
    land_class = matching.checked_land_class(facts, violation)
    scale, basis_steps = matching.legal_scale(facts, violation, area)
    band = matching.fitting_band(benchmark, violation, scale, area, land_class, facts)
    low, high, adjust_steps = matching.adjusted(band, factors, benchmark.share)
    legal = matching.whole_yuan(scale.yuan(scale.low), scale.yuan(scale.high))
    rec = matching.recommended_range(scale, low, high, legal, factors)
    measures = tuple(explain.other_measures(violation, facts))
    steps = (
        *explain.law_steps(violation),
        *explain.area_steps(area, land_class),
        *basis_steps,
        f"法定幅度：{scale.show(scale.low)} 至 {scale.show(scale.high)}",
        explain.band_step(band, scale, benchmark.adopted),
        *explain.factor_steps(factors),
        *adjust_steps,
        *explain.recommended_steps(scale, low, high, factors),
        f"推荐罚款：{yuan(rec[0])}元至{yuan(rec[1])}元"
        f"（法定罚款：{yuan(legal[0])}元至{yuan(legal[1])}元）",
        "取整：金额取整到元，下限向上、上限向下取整，不越出幅度",
        *(f"其他处理：{m}" for m in measures),
        *time_steps,
    )
    return Recommendation(
        violation=violation.code,
        label=violation.label,
        legal_min=legal[0],
        legal_max=legal[1],
        recommended_min=rec[0],
        recommended_max=rec[1],
        area_m2=area,
        area_mu=None if area is None else matching.area_mu(area),
        band=band.code,
        factors=tuple(f.code for f in factors),
        fine_optional=violation.fine_optional,
        no_penalty=matching.no_penalty_of(factors),
        other_measures=measures,
        steps=steps,
        citations=explain.cited(violation, factors, band, benchmark.adopted),
        benchmark=_benchmark_name(band, benchmark),
        default_benchmark=explain.preset(band) and benchmark.adopted is None,
        standing=explain.standing_of(band, benchmark.adopted),
    )


def applicable(facts: Facts, benchmark: Benchmark) -> tuple[Violation, list[str]]:
    """Return the version of the violation type the act falls under, and why.

    行政处罚法 Art. 37: the law in force when the act was done applies; the later
    law applies when it no longer punishes the act or punishes it more lightly. An
    act that ended before a later law took effect (``acts_ended_before``) falls
    under the earlier version, unless the later law's fine for the same facts is
    lighter (a lower ceiling, or the same ceiling and a lower floor). An act still
    going on, or with no end date entered, falls under the law in force now.
    """
    current = benchmark.violation(facts.violation)
    ended = facts.act_ended_on
    earlier = [v for v in benchmark.earlier_versions(current.code)
               if ended is not None and ended < v.acts_ended_before]
    if not earlier:
        return current, [explain.time_now(current, ended, bool(
            benchmark.earlier_versions(current.code)))]
    old = earlier[-1]  # the earliest law still in force when the act ended
    old_range = _legal_yuan(facts, old)
    new_range = _legal_yuan(facts, current)
    lighter = new_range is not None and old_range is not None and (
        (new_range[1], new_range[0]) < (old_range[1], old_range[0]))
    chosen = current if lighter else old
    return chosen, explain.time_then(old, current, ended, old_range, new_range,
                                     lighter)


def _legal_yuan(facts: Facts, violation: Violation) -> tuple[Decimal, Decimal] | None:
    """The legal fine for the facts under one version, in whole yuan; None when the
    facts lack what that version counts from."""
    try:
        area = matching.checked_area(facts, violation)
        scale, _ = matching.legal_scale(facts, violation, area)
    except DiscretionError:
        return None
    return matching.whole_yuan(scale.yuan(scale.low), scale.yuan(scale.high))


def check_departure(
    rec: Recommendation, proposed_yuan: Decimal, reason: str = ""
) -> Departure:
    """Check a proposed fine (yuan); outside the recommended range needs a reason."""
    proposed = amount(proposed_yuan, "proposed_yuan", "拟处罚款")
    if proposed < 0:
        raise DiscretionError("proposed_yuan", "拟处罚款不能为负数")
    if rec.no_penalty == "shall" and proposed > 0:
        raise OutsideLegalRange(
            "proposed_yuan", "依行政处罚法第三十三条应当不予行政处罚，不得处罚款"
        )
    reason = reason.strip()
    rec_text = f"推荐幅度{yuan(rec.recommended_min)}元至{yuan(rec.recommended_max)}元"
    if rec.recommended_min <= proposed <= rec.recommended_max:
        summary = f"拟处罚款{yuan(proposed)}元，在{rec_text}之内"
        return Departure(proposed, True, reason, summary)
    _check_lawful(rec, proposed)
    if not reason:
        raise DepartureNeedsReason(
            "reason",
            f"拟处罚款{yuan(proposed)}元超出{rec_text}，须书面说明理由（供法制审核）",
        )
    side = "高于" if proposed > rec.recommended_max else "低于"
    summary = (
        f"拟处罚款{yuan(proposed)}元，{side}{rec_text}，在法定幅度内；"
        f"承办人书面理由：{reason}"
    )
    return Departure(proposed, False, reason, summary)


def _check_lawful(rec: Recommendation, proposed: Decimal) -> None:
    if proposed == 0 and rec.zero_lawful:
        return
    if rec.legal_min <= proposed <= rec.legal_max:
        return
    raise OutsideLegalRange(
        "proposed_yuan",
        f"拟处罚款{yuan(proposed)}元超出法定幅度"
        f"（{yuan(rec.legal_min)}元至{yuan(rec.legal_max)}元），不得作出",
    )


def _benchmark_name(band: Band, benchmark: Benchmark) -> str:
    """The benchmark document relied on, or "" while the bands are only presets."""
    cite = explain.standing_of(band, benchmark.adopted)
    return cite.law if cite is not None else ""

"""The explanation of a recommendation: one sentence per step, with its article.

Pure: no Django. Staff read these steps under the calculator's result, and the legal
reviewer checks them: the law broken and the penalty article, the area and land class,
the legal range, the band and its standing (a preset, or the document the bureau adopted), the
circumstances, the range recommended, the other measures and which version of the law
applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from fazhi.core.numbers import yuan
from fazhi.core.ruledata import Adoption, Citation, Standing
from fazhi.enforcement.cases.discretion.matching import Scale, area_mu, no_penalty_of
from fazhi.enforcement.cases.discretion.model import (
    FACTOR_KINDS,
    LAND_CLASSES,
    PLAN_CONDITIONS,
    Band,
    Factor,
    Facts,
    Violation,
    num,
)


def law_steps(violation: Violation) -> Iterator[str]:
    """Yield the violation, the articles broken and punishing, and if a fine must be."""
    yield f"违法类型：{violation.label}"
    for role, cite in violation.cites:
        prefix = "违反" if role == "violated" else "处罚依据"
        yield f"{prefix}：{cite}（{cite.gist}）"
    if violation.fine_optional:
        yield "罚款为“可以并处”：不处罚款亦属合法；处罚款的，数额须在法定幅度之内"
    else:
        yield "罚款为“并处”：应当处罚款，数额须在法定幅度之内"


def area_steps(area: Decimal | None, land_class: str | None) -> Iterator[str]:
    """Yield the area (m² and 亩) and the land class, where the case has them."""
    if area is not None:
        yield (
            f"占地面积：{num(area)}平方米，折合{area_mu(area)}亩（1亩=10000/15平方米）"
        )
    if land_class is not None:
        yield f"地类：{LAND_CLASSES[land_class]}"


def band_step(band: Band, scale: Scale, adopted: Adoption | None) -> str:
    """Return the band used and its standing: a preset band says it waits for the
    bureau, and whether a decision will cite a benchmark document at all."""
    unit = "元" if scale.kind == "fixed" else scale.unit
    span = f"{band.clause}：{num(band.low)}至{num(band.high)}{unit}"
    if not preset(band):
        return f"裁量基准：《{band.benchmark}》{span}（{band.citation.standing_label}）"
    if adopted is not None:
        cite = adopted.citation
        return (
            f"裁量基准：本局适用《{cite.law}》（{cite.standing_label}）；"
            f"档次{span}为系统预置，待按该文件的基准表核对"
        )
    return (
        f"裁量档次：{span}（{band.citation.standing_label}）；"
        "本局尚未采用裁量基准文件，决定书只引用法律条款和法定幅度"
    )


def preset(band: Band) -> bool:
    """Whether the band is only a preset (no province's or bureau's document)."""
    return band.default or band.citation.standing == Standing.PRESET


def factor_steps(factors: tuple[Factor, ...]) -> Iterator[str]:
    """Yield each circumstance with its article."""
    for factor in factors:
        yield f"{FACTOR_KINDS[factor.kind]}：{factor.label}（{factor.citation}）"
    if any(f.kind == "reducible" for f in factors):
        yield (
            "行政处罚法第三十二条：应当从轻或者减轻。本计算按从轻给出推荐幅度；"
            "减轻处罚（低于法定下限）须另行依法决定，不在本计算之内"
        )


def recommended_steps(
    scale: Scale, low: Decimal, high: Decimal, factors: tuple[Factor, ...]
) -> Iterator[str]:
    """Yield the recommended range, or why no penalty shall or may be given."""
    no_penalty = no_penalty_of(factors)
    if no_penalty == "shall":
        yield "依行政处罚法第三十三条不予行政处罚：推荐罚款0元，并应当对当事人进行教育"
        return
    yield f"推荐幅度：{scale.show(low)} 至 {scale.show(high)}"
    if no_penalty == "may":
        yield (
            "依行政处罚法第三十三条第一款可以不予行政处罚：推荐下限为0元；"
            "决定处罚的，按上列推荐幅度"
        )


def other_measures(violation: Violation, facts: Facts) -> Iterator[str]:
    """Yield the measures besides the fine that apply to the case."""
    for measure in violation.measures:
        when = measure.when
        text = f"{measure.text}（{measure.citation}）"
        if not when:
            yield text
        elif when.startswith("factor:"):
            if when.removeprefix("factor:") in facts.factors:
                yield text
        elif facts.conforms_to_plan is None:
            yield f"{PLAN_CONDITIONS[when]}：{text}"
        elif facts.conforms_to_plan == (when == "plan_conforms"):
            yield text


def time_now(violation: Violation, ended: date | None, has_earlier: bool) -> str:
    """Return which version of the law the amount follows when it is the law now."""
    cite = violation.amount_citation
    head = f"适用时间：按《{cite.short}》（{cite.version}，{cite.in_force}施行）计算"
    if not has_earlier:
        return (
            f"{head}；依行政处罚法第三十七条，适用违法行为发生时的规定，"
            "新规定处罚较轻或者不认为违法的适用新规定"
        )
    if ended is None:
        return (
            f"{head}：未填违法行为终了日期，按违法行为仍在继续、适用现行规定计算；"
            f"违法行为在{cite.in_force}之前已经终了的，请填写终了日期，"
            "依行政处罚法第三十七条适用当时的规定"
        )
    return f"{head}：违法行为于{ended}终了，在现行规定施行之后，适用现行规定"


def time_then(old: Violation, new: Violation, ended: date,
              old_range: tuple[Decimal, Decimal] | None,
              new_range: tuple[Decimal, Decimal] | None,
              new_lighter: bool) -> list[str]:
    """Return why an act that ended before the later law falls under which law."""
    then, now = dict(old.cites)["penalty"], dict(new.cites)["penalty"]
    amount = old.amount_citation
    rules = then if amount == then else f"{then}、{amount}"
    steps = [
        f"适用时间：违法行为于{ended}终了，早于《{now.short}》（{now.version}）"
        f"{old.acts_ended_before}施行；依行政处罚法第三十七条，适用违法行为发生时的"
        f"《{then.short}》（{then.version}），新规定处罚较轻的适用新规定"
    ]

    def shown(rng: tuple[Decimal, Decimal] | None) -> str:
        return "无法比较（缺少计算所需的数额）" if rng is None else (
            f"{yuan(rng[0])}元至{yuan(rng[1])}元")

    steps.append(
        f"比较轻重：按当时的规定罚款{shown(old_range)}；按现行规定罚款{shown(new_range)}")
    if new_lighter:
        steps.append("现行规定处罚较轻：适用现行规定")
    else:
        steps.append(f"现行规定不比当时的规定轻：适用当时的规定（{rules}）")
    return steps


def cited(
    violation: Violation, factors: tuple[Factor, ...], band: Band,
    adopted: Adoption | None = None,
) -> tuple[Citation, ...]:
    """Return every citation the recommendation relies on, once each.

    A preset band is never cited: the benchmark cited is the document the bureau
    adopted, or none, and then instruments cite the law and its range alone.
    """
    cites = [c for _, c in violation.cites]
    cites += [f.citation for f in factors]
    if not preset(band):
        cites.append(band.citation)
    elif adopted is not None:
        cites.append(adopted.citation)
    return tuple(dict.fromkeys(cites))


def standing_of(band: Band, adopted: Adoption | None) -> Citation | None:
    """Return what gives the recommendation's band its standing (None: a preset)."""
    if not preset(band):
        return band.citation
    return adopted.citation if adopted is not None else None

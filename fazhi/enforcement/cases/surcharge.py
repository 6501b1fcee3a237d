"""Late-payment surcharge on a fine (加处罚款, 行政处罚法 Arts. 72(1)(1), 73(3)).

Pure: no Django. The rate, the cap and the rounding come from
``rules/surcharge.toml`` (shipped), replaced whole by ``surcharge.toml`` in an
override dir.

Counting: the surcharge runs from the day after the due date (the last day of the
payment period) to the day of payment, or to ``as_of`` while unpaid; paying on the
due date costs nothing. Days are calendar days: Art. 85 makes only the 2-, 3-, 5- and
7-day periods of the Law working days, and a per-day surcharge is not a period.
Days inside a suspension (reconsideration or litigation pending, both ends
inclusive) are not counted (Art. 73(3)). The total never exceeds the fine (Art.
72(1)(1); 行政强制法 Art. 45). The amount is rounded half up to the fen (0.01 yuan)
unless the rule file says ``yuan``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from fazhi.core.numbers import yuan
from fazhi.core.ruledata import read_replaced

RULES_DIR = Path(__file__).parents[1] / "rules"
FILE_NAME = "surcharge.toml"
ROUNDING = {"fen": Decimal("0.01"), "yuan": Decimal(1)}
_ROUNDING_LABELS = {"fen": "保留到分", "yuan": "保留到元"}
_RULE_KEYS = {
    "rate_per_day",
    "cap_times_fine",
    "rounding",
    "article",
    "suspension_article",
    "also",
}


class SurchargeError(ValueError):
    """Wrong input; the Chinese message names the field (a bad rule file raises the
    rule-data kit's ``RuleFileError``)."""


@dataclass(frozen=True)
class SurchargeRule:
    """Rate per day, cap as a multiple of the fine, rounding, and their source."""

    rate_per_day: Decimal
    cap_times_fine: Decimal
    rounding: str
    law: str
    article: str
    suspension_article: str
    also: str
    source: str


@dataclass(frozen=True)
class SurchargeResult:
    """The surcharge in yuan on ``as_of`` (or at payment), with the counting shown."""

    days: int
    amount_yuan: Decimal
    capped: bool
    overdue_days: int
    suspended_days: int
    daily_yuan: Decimal
    cap_yuan: Decimal
    steps: tuple[str, ...]


def late_surcharge(
    *,
    fine_yuan: Decimal,
    due: date,
    paid_on: date | None,
    as_of: date,
    suspended: Sequence[tuple[date, date]] = (),
    rule: SurchargeRule | None = None,
) -> SurchargeResult:
    """Return the surcharge (yuan, calendar days) on a fine not paid by ``due``."""
    rule = rule or load_surcharge_rule()
    fine = _fine(fine_yuan)
    end = _end(due, paid_on, as_of)
    overdue = max((end - due).days, 0)
    pauses = _merge(_clip(suspended, due + timedelta(days=1), end))
    suspended_days = sum((stop - start).days + 1 for start, stop in pauses)
    days = overdue - suspended_days
    daily = fine * rule.rate_per_day
    cap = fine * rule.cap_times_fine
    raw = daily * days
    capped = days > 0 and raw >= cap
    amount = _round(min(raw, cap), rule.rounding)
    steps = (
        *_head_steps(fine, due, paid_on, end, overdue, rule),
        *(_pause_step(start, stop, rule) for start, stop in pauses),
        *_amount_steps(days, daily, raw, cap, capped, amount, rule),
    )
    return SurchargeResult(
        days, amount, capped, overdue, suspended_days, daily, cap, steps
    )


def _fine(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise SurchargeError(f"罚款数额须为 Decimal，现为 {value!r}")
    fine = Decimal(value)
    if not fine.is_finite() or fine <= 0:
        raise SurchargeError(f"罚款数额须大于0元，现为 {value!r}")
    return fine


def _end(due: date, paid_on: date | None, as_of: date) -> date:
    if paid_on is None:
        return as_of
    if paid_on > as_of:
        raise SurchargeError(f"缴款日期{paid_on}晚于计算日期{as_of}，请核对")
    return paid_on


def _clip(
    periods: Sequence[tuple[date, date]], first: date, last: date
) -> Iterator[tuple[date, date]]:
    for start, stop in periods:
        if stop < start:
            raise SurchargeError(f"复议或诉讼期间的结束日{stop}早于开始日{start}")
        start, stop = max(start, first), min(stop, last)
        if start <= stop:
            yield start, stop


def _merge(periods: Iterator[tuple[date, date]]) -> list[tuple[date, date]]:
    """Merge overlapping or touching periods so no day is excluded twice."""
    merged: list[tuple[date, date]] = []
    for start, stop in sorted(periods):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def _round(amount: Decimal, rounding: str) -> Decimal:
    return amount.quantize(ROUNDING[rounding], ROUND_HALF_UP)


def _head_steps(
    fine: Decimal,
    due: date,
    paid_on: date | None,
    end: date,
    overdue: int,
    rule: SurchargeRule,
) -> Iterator[str]:
    yield f"罚款{yuan(fine)}元，缴纳期限届满日{due}"
    yield (
        f"依《{rule.law}》{rule.article}，到期不缴纳的每日按罚款数额的"
        f"{_num(rule.rate_per_day * 100)}%加处罚款，自届满次日"
        f"{due + timedelta(days=1)}起算"
    )
    yield (
        "按日历日计算（含节假日）：行政处罚法第八十五条只把二日、三日、五日、七日规定为工作日，"
        "行政强制法第六十九条只适用于十日以内的期限，逐日加处不属于期限"
    )
    label = "缴纳之日" if paid_on is not None else "计算日（尚未缴纳）"
    if overdue == 0:
        yield f"{label}{end}未超过届满日：不加处罚款"
    else:
        yield f"计至{label}{end}：逾期{overdue}个日历日"


def _pause_step(start: date, stop: date, rule: SurchargeRule) -> str:
    days = (stop - start).days + 1
    return (
        f"{start}至{stop}为行政复议或者行政诉讼期间，{days}日不计算"
        f"（{rule.suspension_article}）"
    )


def _amount_steps(
    days: int,
    daily: Decimal,
    raw: Decimal,
    cap: Decimal,
    capped: bool,
    amount: Decimal,
    rule: SurchargeRule,
) -> Iterator[str]:
    if days <= 0:
        yield "计入天数0日：加处罚款0元"
        return
    yield f"计入天数{days}日；每日加处{_num(daily)}元"
    yield f"{_num(daily)}元×{days}日={_num(raw)}元"
    limit = (
        f"加处罚款不得超出罚款数额（{rule.article}；{rule.also}），上限{yuan(cap)}元"
    )
    yield f"{limit}：已达上限，按上限计" if capped else f"{limit}：未达上限"
    yield f"加处罚款：{amount}元（{_ROUNDING_LABELS[rule.rounding]}，四舍五入）"
    yield "加处罚款的标准应当告知当事人（行政强制法第四十五条第一款）"


def _num(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- rule file ------------------------------------------------------------------------


def load_surcharge_rule(extra_dirs: Sequence[Path] = ()) -> SurchargeRule:
    """Read the shipped surcharge.toml; the last extra dir holding one replaces it."""
    top = read_replaced(RULES_DIR / FILE_NAME, extra_dirs)
    top.keys({"law", "surcharge"})
    law = top.sub("law").law(required=("name", "source"))
    table = top.sub("surcharge")
    table.keys(_RULE_KEYS)
    return SurchargeRule(
        rate_per_day=table.decimal("rate_per_day", above=Decimal(0)),
        cap_times_fine=table.decimal("cap_times_fine", above=Decimal(0)),
        rounding=table.choice("rounding", tuple(ROUNDING)),
        law=law.short,
        article=table.text("article"),
        suspension_article=table.text("suspension_article"),
        also=table.text("also"),
        source=law.source,
    )

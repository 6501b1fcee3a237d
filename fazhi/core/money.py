"""Sums of money in words and figures, as instruments write them (pure: no Django).

    >>> money_in_words_and_figures(Decimal("14000"))
    '人民币壹万肆仟元整（¥14,000.00）'

The words follow the rules for amounts in capitals of 中国人民银行《支付结算办法》
(银发〔1997〕393号) 附件一《正确填写票据和结算凭证的基本规定》, as bureaus write a
fine:

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, then 元角分;
- a run of zeros between digits is one 零 (¥6,007.14 → 陆仟零柒元壹角肆分), also
  across 万 and 亿 when the group below has fewer than four figures
  (¥100,500 → 壹拾万零伍佰元整); a group of four figures needs none
  (¥107,000 → 壹拾万柒仟元整, one of the two writings the rules allow);
- 角 zero and 分 not: 零 after 元 (¥325.04 → 叁佰贰拾伍元零肆分); 元 place zero and
  角 not: no 零 (¥1,680.32 → 壹仟陆佰捌拾元叁角贰分, the other allowed writing);
- a leading 拾 keeps its 壹 (¥10 → 壹拾元整, the rules' 壹拾几);
- 整 after 元 when there are no 角 and 分; an amount under a yuan has no 元
  (¥0.50 → 伍角); nothing follows 分.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")
LIMIT = Decimal(10) ** 16  # 万亿 groups: up to 9999万亿


def _fen(amount: Decimal | int | float | str) -> int:
    """The amount in fen; more than two decimals, a negative or a huge sum is wrong."""
    try:
        # A float as written (0.1, not 0.1000000000000000055…).
        value = Decimal(str(amount) if isinstance(amount, float) else amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"金额无法识别：{amount!r}") from None
    if not value.is_finite() or value < 0 or value >= LIMIT:
        raise ValueError(f"金额应为不小于零的数：{amount}")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额最小到分：{amount}")
    return int(fen)


def _group(n: int) -> str:
    """Write 1–9999 with 拾佰仟, one 零 for a run of zeros inside."""
    out, zero = [], False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[digit] + PLACES[place])
    return "".join(out)


def _yuan_words(yuan: int) -> str:
    """Write a whole number of yuan (> 0) in groups of four figures."""
    groups = []
    while yuan:
        yuan, low = divmod(yuan, 10_000)
        groups.append(low)
    out = []
    for i in range(len(groups) - 1, -1, -1):
        n = groups[i]
        if n == 0:
            continue
        # Zeros since the group above: its own leading ones (壹拾万零伍佰), or a
        # whole group of them (壹亿零伍仟).
        if out and (n < 1000 or not groups[i + 1]):
            out.append("零")
        out.append(_group(n) + GROUPS[i])
    return "".join(out)


def money_in_words(amount: Decimal | int | float | str) -> str:
    """Write an amount in yuan (at most two decimals) in capitals: 壹万肆仟元整."""
    fen = _fen(amount)
    yuan, rest = divmod(fen, 100)
    jiao, fen = divmod(rest, 10)
    if not fen and not jiao:
        return (_yuan_words(yuan) if yuan else "零") + "元整"
    out = _yuan_words(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"  # 元 then 分: the empty 角 is said
    if fen:
        out += DIGITS[fen] + "分"
    return out


def money_in_figures(amount: Decimal | int | float | str) -> str:
    """Write an amount in figures with the yuan sign: ¥14,000.00."""
    fen = _fen(amount)
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def money_in_words_and_figures(amount: Decimal | int | float | str) -> str:
    """Write an amount both ways, as on a decision: 人民币壹万肆仟元整（¥14,000.00）."""
    return f"人民币{money_in_words(amount)}（{money_in_figures(amount)}）"

"""The disclosure module's window onto its rule data (receipt, outcomes, fees, table).

Rules come from the shipped files plus the bureau's override folders
(``<FAZHI_RULES_DIRS>/disclosure/``) through the one rule-data cache; their errors
become ValidationErrors naming the form field, shown next to what the user typed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from fazhi.core.rule_folders import module_rules
from fazhi.disclosure import fees, ogi_table, ruledata


def rules() -> ruledata.DisclosureRules:
    return module_rules("disclosure", ruledata.load_disclosure_rules)


def layout() -> ogi_table.OgiLayout:
    return module_rules("disclosure", ogi_table.load_ogi_layout)


def receipt_date(channel: str, *, submitted_on: dt.date | None,
                 signed_on: dt.date | None, confirmed_on: dt.date | None) -> dt.date:
    """The day the request counts as received (政府信息公开条例 Art. 31)."""
    try:
        rule = rules().channel(channel)
    except LookupError:
        raise ValidationError({"channel": "请选择申请方式"}) from None
    try:
        return ruledata.receipt_date(rule, submitted_on=submitted_on,
                                     signed_on=signed_on, confirmed_on=confirmed_on)
    except ruledata.ReceiptDateMissing as exc:
        raise ValidationError({exc.field: str(exc)}) from None


def outcome(code: str) -> ruledata.Outcome:
    """The reply type ``code``, or a form error on the outcome field."""
    try:
        return rules().outcome(code)
    except LookupError:
        raise ValidationError({"outcome": "请选择答复类型"}) from None


def outcome_label(code: str) -> str:
    if not code:
        return ""
    try:
        return rules().outcome(code).label
    except LookupError:
        return code


def outcome_choices() -> list[tuple[str, str]]:
    """Reply types an officer may choose (closing-only types are left out)."""
    return [(o.code, f"{o.label}（{o.citation.article}）")
            for o in rules().outcomes.values() if o.reply_letter]


def fee(method: str, quantity: int) -> fees.FeeResult:
    """The information-processing fee by 国办函〔2020〕109号, with the steps shown."""
    try:
        return fees.fee_for(method, quantity, rules().fees)
    except (LookupError, ValueError) as exc:
        raise ValidationError({"method": str(exc)}) from None

"""Redaction before publication (moved into a package; split by concern next)."""

from fazhi.enforcement.redact.text import (
    RULES_FILE,
    AddressRule,
    Basis,
    Category,
    NameRule,
    Party,
    PartyKind,
    PatternRule,
    Policy,
    Redacted,
    RedactionPolicyError,
    Replacement,
    load_policy,
    mask_name,
    redact_decision,
    redact_text,
)

__all__ = [
    "RULES_FILE",
    "AddressRule",
    "Basis",
    "Category",
    "NameRule",
    "Party",
    "PartyKind",
    "PatternRule",
    "Policy",
    "Redacted",
    "RedactionPolicyError",
    "Replacement",
    "load_policy",
    "mask_name",
    "redact_decision",
    "redact_text",
]

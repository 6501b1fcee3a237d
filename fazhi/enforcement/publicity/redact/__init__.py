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

- ``spans``      what a finding is, how overlapping findings resolve, the output
- ``policy``     the rules and their legal basis, read from the rule files
- ``addresses``  what of an address stays and what is cut
- ``text``       ``redact_text``, ``redact_decision`` and ``mask_name``
"""

from fazhi.enforcement.publicity.redact.policy import (
    RULES_FILE,
    AddressRule,
    Basis,
    NameRule,
    PatternRule,
    Policy,
    RedactionPolicyError,
    load_policy,
)
from fazhi.enforcement.publicity.redact.spans import (
    Category,
    Party,
    PartyKind,
    Redacted,
    Replacement,
)
from fazhi.enforcement.publicity.redact.text import (
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

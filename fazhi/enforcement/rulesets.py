"""The enforcement rule data in force: shipped files plus the bureau's folders.

Every page and service reads enforcement rules through these functions, so each
file set sits once in the one rule-data cache (``fazhi.core.ruledata``), keyed by the
bureau's folders and read again when a file changes.
"""

from __future__ import annotations

from fazhi.core.rule_folders import module_rules
from fazhi.enforcement.cases import coercion, discretion, majority, recording, surcharge
from fazhi.enforcement.publicity import redact
from fazhi.enforcement.supervision import file_review

MODULE = "enforcement"


def benchmark() -> discretion.Benchmark:
    """The discretion benchmark (裁量基准)."""
    return module_rules(MODULE, discretion.load_benchmark)


def majority_rules() -> majority.MajorityRules:
    """The major-decision and hearing criteria."""
    return module_rules(MODULE, majority.load_majority_rules)


def execution_rules() -> coercion.ExecutionRules:
    """The challenge and court-application periods."""
    return module_rules(MODULE, coercion.load_execution_rules)


def checklist() -> file_review.Checklist:
    """The case-file review checklist (案卷评查标准)."""
    return module_rules(MODULE, file_review.load_checklist)


def recording_acts() -> tuple[recording.Act, ...]:
    """The acts that need a full-process record."""
    return module_rules(MODULE, recording.load_acts)


def redaction_policy() -> redact.Policy:
    """What publication hides, and on which basis."""
    return module_rules(MODULE, redact.load_policy)


def surcharge_rule() -> surcharge.SurchargeRule:
    """The late-payment surcharge rate and cap."""
    return module_rules(MODULE, surcharge.load_surcharge_rule)


def presets() -> list[tuple[str, str]]:
    """(rule set, item) for each enforcement value still standing only as a preset,
    for the 规则采用 page (registered in ``EnforcementConfig.ready``)."""
    from fazhi.core.ruledata import Standing

    found = []
    bench = benchmark()
    if bench.adopted is None and any(b.default for b in bench.bands):
        found.append(("行政处罚裁量基准", "罚款裁量档次（决定书只引用法律条款）"))
    rules = majority_rules()
    for title, criteria in (("重大执法决定法制审核", rules.major), ("听证", rules.hearing)):
        found += [(title, c.label) for c in criteria if c.standing == Standing.PRESET]
    if checklist().standing == Standing.PRESET:
        found.append(("案卷评查标准", checklist().name))
    return found

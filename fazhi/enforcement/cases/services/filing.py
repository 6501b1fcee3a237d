"""Filing: the officer opens a case and proposes to file it (立案呈批, the first
step of the ``enforcement.filing`` chain); the principal signs: 同意 approves it
(the 90-day case period starts), 不同意 with reasons is the decision not to file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import audit, dates, matters
from fazhi.core.approvals import approval_propose
from fazhi.core.instruments import instrument_number_next
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.enforcement.cases.services import signing
from fazhi.enforcement.cases.services.facts import (
    clock_start,
    end_clocks,
    reasoned,
)
from fazhi.enforcement.models import Case

FILING_PROPOSAL = "建议立案调查"


def _case_number(org, year: int) -> str:
    """The case number, from the bureau's ``enforcement.case`` series (no gaps)."""
    return instrument_number_next(org_unit=org, kind="enforcement.case", year=year)[1]


def case_file(
    *,
    actor,
    officers,
    violation_type: str,
    party_name: str,
    party_kind: str,
    facts_summary: str,
    **details,
) -> Case:
    """Open a case awaiting the principal's filing approval."""
    org = actor.org_unit
    require_role(actor, org, Role.ENFORCEMENT_OFFICER)
    for officer in officers:
        if not officer.has_role(Role.ENFORCEMENT_OFFICER) or (
            officer.org_unit_id != org.pk
        ):
            raise ValidationError({"officers": "承办人员须为本机关的执法人员"})
    if not facts_summary.strip():
        raise ValidationError({"facts_summary": "请填写案情摘要"})
    with transaction.atomic():
        case = Case.objects.create(
            org_unit=org,
            number=_case_number(org, dates.today().year),
            violation_type=violation_type,
            party_name=party_name,
            party_kind=party_kind,
            facts_summary=facts_summary,
            created_by=actor,
            **details,
        )
        case.officers.set(officers)
        audit.record(
            actor=actor,
            obj=case,
            action="enforcement.file",
            summary=f"立案呈批 {case.number}",
            after={"state": case.state},
        )
        approval_propose(matter=case, rule=signing.FILING, actor=actor,
                         proposal="file", proposal_label=FILING_PROPOSAL,
                         reasons=facts_summary)
        matters.opened(case, actor)
    return case


def case_approve_filing(*, case: Case, actor, reasons: str = "") -> Case:
    """Sign the filing (同意); the 90-day case clock starts from the approval date."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        signing.sign(case, signing.FILING, actor, agree=True, reasons=reasons,
                     filed_on=dates.today())
        clock = clock_start(case, "penalty.case", dates.today(), actor, "办案期限")
        Case.objects.filter(pk=case.pk).update(case_clock=clock)
        case.case_clock = clock
    return case


def case_reject_filing(*, case: Case, actor, reason: str) -> Case:
    """Sign the filing 不同意: the decision not to file (办法第十六条第二款), with
    the reasons on file; the officer is told why."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        signing.sign(case, signing.FILING, actor, agree=False,
                     reasons=reasoned(reason), refused={"end_reason": reason.strip()})
        end_clocks(case, actor)
    return case


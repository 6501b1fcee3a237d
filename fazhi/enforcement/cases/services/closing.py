"""The endings of a case (closed, terminated, transferred) and the extension of
its 90-day period.

Terminating the investigation and closing the case are each proposed by an
officer (提请终止调查, 提请结案) and signed by the principal (``signing``); the
transfer stays the principal's own act."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import dates
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.enforcement.cases import workflow
from fazhi.enforcement.cases.services import signing
from fazhi.enforcement.cases.services.facts import (
    advance,
    case_facts,
    end_clocks,
    reasoned,
)
from fazhi.enforcement.models import Case


def case_propose_closure(*, case: Case, actor, reason: str = "") -> Case:
    """An officer asks the principal to approve the closure (结案呈批)."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    signing.propose(case, signing.CLOSURE, actor, "propose_closure",
                    proposal="close", label="建议结案", reasons=reason)
    return case


def case_close(*, case: Case, actor, agree: bool = True, reasons: str = "") -> Case:
    """The principal signs the closure: 同意 closes the case, no clock of it runs
    on; 不同意 (with reasons) sends it back to where it was proposed from."""
    require_role(actor, case, Role.PRINCIPAL)
    if agree:
        _closure_ground(case)
    with transaction.atomic():
        signing.sign(case, signing.CLOSURE, actor, agree=agree, reasons=reasons,
                     closed_on=dates.today())
        if agree:
            end_clocks(case, actor)
    return case


def _closure_ground(case: Case) -> None:
    """The ground for closing still stands where the closure was proposed from."""
    step = case.steps.filter(action="propose_closure").order_by("-pk").first()
    if step is None:
        return
    error = workflow.CLOSURE_GROUND.failure(step.state_before, case_facts(case))
    if error is not None:
        raise ValidationError({"state": str(error)})


def case_propose_termination(*, case: Case, actor, reason: str) -> Case:
    """An officer asks the principal to end the investigation (办法第二十八条),
    with the grounds."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    signing.propose(case, signing.TERMINATION, actor, "propose_termination",
                    proposal="terminate", label="建议终止调查",
                    reasons=reasoned(reason))
    return case


def case_terminate(*, case: Case, actor, agree: bool = True,
                   reasons: str = "") -> Case:
    """The principal signs the termination: 同意 ends the investigation on the
    proposal's grounds; 不同意 (with reasons) sends the case back."""
    require_role(actor, case, Role.PRINCIPAL)
    grounds = signing.proposal_reasons(case, signing.TERMINATION)
    with transaction.atomic():
        signing.sign(case, signing.TERMINATION, actor, agree=agree, reasons=reasons,
                     end_reason=grounds)
        if agree:
            end_clocks(case, actor)
    return case


def case_transfer(*, case: Case, actor, to_agency: str, reason: str) -> Case:
    """Send the case to the competent body (办法第十一条、第十三条)."""
    if not to_agency.strip():
        raise ValidationError({"to_agency": "请填写移送机关"})
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        advance(case, "transfer", actor, approver=actor, note=reasoned(reason),
                end_reason=reason.strip(), transferred_to=to_agency.strip())
        signing.end_rounds(case)
        end_clocks(case, actor)
    return case


def case_extension_ask(*, case: Case, actor, days: int, reason: str):
    """An officer of the case asks the principal to extend the 90-day case period
    (办法第三十八条: complex cases, with the principal's approval)."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    if case.case_clock is None or not case.case_clock.is_open:
        raise ValidationError({"days": "案件未在办理期限内，不能延长"})
    return clocks.clock_extension_ask(clock=case.case_clock, actor=actor, days=days,
                                      reason=reasoned(reason))


def case_extension_decide(*, case: Case, actor, approve: bool):
    """The principal approves or refuses the pending extension of the case period."""
    require_role(actor, case, Role.PRINCIPAL)
    ext = case_extension_pending(case)
    if ext is None:
        raise ValidationError({"approve": "没有待审批的延长办案期限申请"})
    return clocks.clock_extension_decide(extension=ext, actor=actor, approve=approve)


def case_extension_pending(case: Case):
    """The extension of the case period waiting for the principal, or None."""
    if case.case_clock is None:
        return None
    return case.case_clock.extensions.filter(state="pending").first()


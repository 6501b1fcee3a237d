"""The endings of a case (closed, terminated, transferred) and the extension of
its 90-day period."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import dates
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.enforcement.cases.services.facts import (
    advance,
    end_clocks,
    reasoned,
)
from fazhi.enforcement.models import Case


def case_close(*, case: Case, actor) -> Case:
    """Close the case with the principal's approval; no clock of it runs on."""
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        advance(case, "close", actor, approver=actor, closed_on=dates.today())
        end_clocks(case, actor)
    return case


def _end(case: Case, action: str, actor, reason: str, **fields) -> Case:
    require_role(actor, case, Role.PRINCIPAL)
    with transaction.atomic():
        advance(case, action, actor, approver=actor, note=reasoned(reason),
                end_reason=reason.strip(), **fields)
        end_clocks(case, actor)
    return case


def case_terminate(*, case: Case, actor, reason: str) -> Case:
    """End the investigation with the principal's approval (办法第二十八条)."""
    return _end(case, "terminate", actor, reason)


def case_transfer(*, case: Case, actor, to_agency: str, reason: str) -> Case:
    """Send the case to the competent body (办法第十一条、第十三条)."""
    if not to_agency.strip():
        raise ValidationError({"to_agency": "请填写移送机关"})
    return _end(case, "transfer", actor, reason, transferred_to=to_agency.strip())


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


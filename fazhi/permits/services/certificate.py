"""After approval: the certificate, the fee, a later change and revocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from fazhi.core import dates
from fazhi.core.instruments import date_cn
from fazhi.core.matters import advance
from fazhi.core.numbers import yuan
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.deadlines import services as clocks
from fazhi.permits.models import (
    Application,
    ApplicationState,
)
from fazhi.permits.services import signing
from fazhi.permits.services.common import (
    err,
    issue_instrument,
)
from fazhi.permits.workflow import TABLE


def certificate_issue(*, application: Application, actor,
                      issued_on: dt.date) -> Application:
    """Number and generate the certificate; only after approval."""
    require_role(actor, application, Role.WINDOW_CLERK)
    dates.not_future(issued_on, field="issued_on", label="发证日期")
    if application.state != ApplicationState.APPROVED:
        raise err("state", "尚未作出准予许可决定，不能制发证书")
    if issued_on < application.decided_on:
        raise err("issued_on", "发证日期不能早于许可决定日期")
    with transaction.atomic():
        kind = application.kind
        instrument = issue_instrument(application, actor, "permits.certificate",
                                      series=(f"permits.cert.{kind.code}", kind.certificate_word),
                                      title=kind.name,
                                      decided_date=date_cn(application.decided_on),
                                      signers=signing.signers_printed(application))
        clocks.clock_stop(clock=application.certificate_clock, on=issued_on,
                          actor=actor)
        return advance(application, TABLE, "issue_certificate", actor,
                       summary=f"制发{kind.name} {instrument.doc_number}",
                       evidence=[instrument.evidence.sha256],
                       certificate_number=instrument.doc_number,
                       certificate_issued_on=issued_on, ended_on=issued_on,
                       due_date=None)


def fee_record(*, application: Application, actor, amount: Decimal,
               receipt_number: str, paid_on: dt.date) -> Application:
    """Record the fee paid: amount, receipt number, date."""
    require_role(actor, application, Role.WINDOW_CLERK)
    dates.not_future(paid_on, field="paid_on", label="缴费日期")
    if not application.kind.fee:
        raise err("amount", f"“{application.kind.name}”不收费")
    if amount is None or amount <= 0:
        raise err("amount", "收费金额须大于零")
    if not receipt_number.strip():
        raise err("receipt_number", "请填写收费票据号")
    with transaction.atomic():
        return advance(application, TABLE, "fee", actor,
                       summary=f"收费 {yuan(amount)} 元，票据 {receipt_number}",
                       fee_amount=amount, fee_receipt_number=receipt_number,
                       fee_paid_on=paid_on)


def permit_change(*, application: Application, actor, summary: str) -> Application:
    """Record a change of the issued permit (行政许可法第四十九条)."""
    require_role(actor, application, Role.WINDOW_CLERK)
    if not summary.strip():
        raise err("summary", "请写明变更内容")
    with transaction.atomic():
        return advance(application, TABLE, "change", actor,
                       summary=f"许可变更：{summary}")


def permit_revoke(*, application: Application, actor, reason: str,
                  revoked_on: dt.date) -> Application:
    """Withdraw the issued permit (行政许可法第八条第二款、第六十九条)."""
    require_role(actor, application, Role.PRINCIPAL)
    dates.not_future(revoked_on, field="revoked_on", label="撤回日期")
    if not reason.strip():
        raise err("reason", "撤回许可须说明理由和法律依据")
    with transaction.atomic():
        return advance(application, TABLE, "revoke", actor,
                       summary=f"撤回许可（{revoked_on}）：{reason}", reasons=reason)


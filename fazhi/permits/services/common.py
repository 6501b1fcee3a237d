"""The checks and the instrument helper the permit stages share."""

from __future__ import annotations

from fazhi.core.errors import field_error as err
from fazhi.core.instruments import date_cn, instrument_issue
from fazhi.deadlines.models import ClockPause
from fazhi.permits.models import Application

# What a clock's pause or extension record holds.
REASON_MAX = ClockPause._meta.get_field("reason").max_length


def reason_written(field: str, label: str, text: str) -> None:
    if not text.strip():
        raise err(field, f"请写明{label}")
    if len(text) > REASON_MAX:
        raise err(field, f"{label}不超过{REASON_MAX}字（现为{len(text)}字），详细材料可作为附件")


def issue_instrument(app: Application, actor, kind: str, series=None,
                     title: str = "", **extra):
    """Issue one of the application's instruments (refusal, completion notice,
    certificate) with the application's particulars filled in."""
    context = dict(
        applicant_name=app.applicant_name, application_number=app.number,
        permit_kind=app.kind.name, project_name=app.project_name,
        location=app.location, received_date=date_cn(app.received_on),
        basis=app.kind.basis, **extra)
    return instrument_issue(kind=kind, org_unit=app.org_unit, matter=app,
                            context=context, actor=actor, title=title,
                            series=series)


"""Every action on a permit application: one function each, one transaction each.

Each checks the actor's role in the application's own bureau, asks the state table,
checks the law, changes the application with an optimistic update, moves its
clocks, and writes the audit chain — all or nothing.

One module per stage: ``catalogue`` (the bureau's permit kinds), ``intake``
(registration, materials, acceptance, completion, refusal at intake, withdrawal),
``signing`` (the clerk's proposal and its sign-offs: 承办 → 审核 → 批准),
``decision`` (excluded time, extension, approval or refusal), ``certificate``
(certificate, fee, later change and revocation) and ``ratings`` (the applicant's
rating and complaint); ``common`` holds the checks they share. This package
gathers their actions, so callers write ``services.application_accept(...)``.
"""

from fazhi.permits.services.catalogue import (
    kind_save,
    kinds_sync,
)
from fazhi.permits.services.certificate import (
    certificate_issue,
    fee_record,
    permit_change,
    permit_revoke,
)
from fazhi.permits.services.decision import (
    application_approve,
    application_pause,
    application_refuse,
    application_resume,
    extension_decide,
    extension_request,
)
from fazhi.permits.services.intake import (
    application_accept,
    application_complete,
    application_refuse_intake,
    application_register,
    application_request_completion,
    application_withdraw,
    completion_deadline,
    material_provide,
    material_waive,
)
from fazhi.permits.services.ratings import (
    COMPLAINT,
    PUBLIC_RATER,
    complaint_answer,
    complaint_explain,
    complaint_may_explain,
    complaint_rounds,
    complaint_turn,
    rating_record,
    rating_scale,
)
from fazhi.permits.services.signing import (
    application_propose,
    application_sign,
)

__all__ = [
    "COMPLAINT",
    "PUBLIC_RATER",
    "application_accept",
    "application_approve",
    "application_complete",
    "application_pause",
    "application_propose",
    "application_refuse",
    "application_refuse_intake",
    "application_register",
    "application_request_completion",
    "application_resume",
    "application_sign",
    "application_withdraw",
    "certificate_issue",
    "complaint_answer",
    "complaint_explain",
    "complaint_may_explain",
    "complaint_rounds",
    "complaint_turn",
    "completion_deadline",
    "extension_decide",
    "extension_request",
    "fee_record",
    "kind_save",
    "kinds_sync",
    "material_provide",
    "material_waive",
    "permit_change",
    "permit_revoke",
    "rating_record",
    "rating_scale",
]

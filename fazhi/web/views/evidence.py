"""Evidence download: checked against its hash before a byte is sent."""

from __future__ import annotations

from fazhi.core.evidence import evidence_get
from fazhi.core.permissions import require_roles
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.ui.evidence import evidence_response


@require_roles(*BUSINESS_ROLES)
def evidence_download(request, pk: int):
    return evidence_response(evidence_get(actor=request.user, pk=pk))

"""Models of the core app: organisations, people, audit chain, evidence, notices."""

from fazhi.core.models.adoption import AdoptedStanding, RuleAdoption
from fazhi.core.models.approval import Approval, ApprovalState, Opinion, SignOff
from fazhi.core.models.audit import AuditEvent, AuditHead, AuditImmutable
from fazhi.core.models.evidence import Evidence, EvidenceKind
from fazhi.core.models.instrument import Instrument, InstrumentSequence
from fazhi.core.models.matter import Matter, PartyKind, number_unique_per_org
from fazhi.core.models.notify import (
    Delivery,
    DeliveryState,
    NoticeKind,
    Notification,
)
from fazhi.core.models.org import (
    Department,
    LoginFailure,
    OrgLevel,
    OrgUnit,
    User,
    UserRole,
)
from fazhi.core.models.standin import StandIn
from fazhi.core.models.token import ApiToken

__all__ = [
    "AdoptedStanding",
    "ApiToken",
    "Approval",
    "ApprovalState",
    "AuditEvent",
    "AuditHead",
    "AuditImmutable",
    "Delivery",
    "DeliveryState",
    "Department",
    "Evidence",
    "EvidenceKind",
    "Instrument",
    "InstrumentSequence",
    "LoginFailure",
    "Matter",
    "NoticeKind",
    "Notification",
    "Opinion",
    "OrgLevel",
    "OrgUnit",
    "PartyKind",
    "RuleAdoption",
    "SignOff",
    "StandIn",
    "User",
    "UserRole",
    "number_unique_per_org",
]

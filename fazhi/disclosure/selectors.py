"""Read queries for disclosure requests, scoped to the caller's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core.filters import narrow, search
from fazhi.core.models import AuditEvent, Evidence, Instrument
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.models import Clock, ClockExtension
from fazhi.deadlines.overdue import clock_badge, overdue_ids
from fazhi.disclosure.models import Consultation, DisclosureRequest

# Who may open the module at all; who may see the requester's identity number.
READ_ROLES = (
    Role.DISCLOSURE_OFFICER,
    Role.DISCLOSURE_HEAD,
    Role.PRINCIPAL,
    Role.SUPERVISOR,
    Role.LEGAL_AFFAIRS_OFFICER,
)
IDENTITY_ROLES = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_HEAD)


@dataclass(frozen=True)
class RequestFilters:
    state: str = ""
    channel: str = ""
    overdue: bool = False
    assignee: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""


def request_list(*, actor, filters: RequestFilters | None = None) -> QuerySet:
    """Requests of the caller's subtree, newest first, with their reply clocks."""
    f = filters or RequestFilters()
    qs = scoped(DisclosureRequest.objects.all(), actor).select_related(
        "reply_clock", "assignee", "org_unit"
    )
    if f.overdue:
        qs = qs.filter(pk__in=overdue_ids(DisclosureRequest, timezone.localdate(),
                                           actor=actor))
    qs = narrow(qs, state=f.state, channel=f.channel, assignee_id=f.assignee,
                received_on__gte=f.received_from, received_on__lte=f.received_to)
    qs = search(qs, f.q, "number", "requester_name", "content")
    return qs.order_by("-received_on", "-pk")


def request_get(*, actor, pk) -> DisclosureRequest:
    return get_scoped_or_404(
        DisclosureRequest.objects.select_related("reply_clock", "assignee", "org_unit"),
        actor,
        pk=pk,
    )


def consultation_get(*, actor, pk) -> Consultation:
    return get_scoped_or_404(
        Consultation.objects.select_related("request", "clock"),
        actor,
        "request__org_unit",
        pk=pk,
    )


def request_timeline(request: DisclosureRequest) -> QuerySet[AuditEvent]:
    """Every audit event about the request, its clocks and its consultations."""
    label = DisclosureRequest._meta.label
    consult_ids = [str(pk) for pk in request.consultations.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type=label, object_id=str(request.pk))
        | Q(object_type=Consultation._meta.label, object_id__in=consult_ids)
    ).order_by("seq")


def request_evidence(request: DisclosureRequest) -> QuerySet[Evidence]:
    """Files received or attached; generated instruments are listed on their own."""
    return Evidence.objects.filter(
        content_type__app_label="disclosure",
        content_type__model="disclosurerequest",
        object_id=str(request.pk),
    ).exclude(pk__in=request_instruments(request).values("evidence_id")).order_by(
        "uploaded_at")


def request_instruments(request: DisclosureRequest) -> QuerySet[Instrument]:
    return (
        Instrument.objects.filter(
            content_type__app_label="disclosure",
            content_type__model="disclosurerequest",
            object_id=str(request.pk),
        )
        .select_related("evidence")
        .order_by("created_at")
    )


def request_clocks(request: DisclosureRequest) -> list[Clock]:
    ids = [request.reply_clock_id,
           *request.consultations.values_list("clock_id", flat=True)]
    return list(
        Clock.objects.filter(pk__in=[i for i in ids if i])
        .prefetch_related("pauses", "extensions")
        .order_by("pk")
    )


def may_see_identity(actor) -> bool:
    return actor.has_role(*IDENTITY_ROLES)


def is_red(request: DisclosureRequest) -> bool:
    """Replied late, or overdue now (deadlines.overdue): the export marks it red."""
    clock = request.reply_clock
    return request.replied_late or bool(clock and clock_badge(clock).overdue)


def request_extensions(request: DisclosureRequest) -> QuerySet[ClockExtension]:
    """The reply clock's extension requests, oldest first."""
    if request.reply_clock_id is None:
        return ClockExtension.objects.none()
    return request.reply_clock.extensions.select_related("requested_by",
                                                         "decided_by")


def extension_get(*, actor, pk) -> tuple[ClockExtension, DisclosureRequest]:
    """An extension request of a reply clock in the caller's subtree, with its
    request; Http404 otherwise."""
    ext = get_scoped_or_404(
        ClockExtension.objects.filter(clock__content_type__app_label="disclosure",
                                      clock__content_type__model="disclosurerequest")
        .select_related("clock"), actor, "clock__org_unit", pk=pk)
    return ext, DisclosureRequest.objects.get(reply_clock=ext.clock_id)


def request_missing_items(request: DisclosureRequest) -> list[str]:
    """What the registered request lacks of the contents 条例第二十九条第二款 asks for
    (the starting lines of a correction notice; the officer adds the rest, such as
    a description of the information too vague to find it)."""
    missing = []
    if not request.requester_id_number.strip():
        missing.append("申请人的身份证明（政府信息公开条例第二十九条第二款第一项）")
    if not (request.requester_phone.strip() or request.requester_address.strip()):
        missing.append("申请人的联系方式：联系电话或通信地址（同上）")
    return missing

"""Leads and tips (线索 / 投诉举报): registration, check, outcome, answer; reads.

A lead is registered with a check clock (``enforcement.lead_check``); a tip whose
tipster can be answered also gets a reply clock (``enforcement.tip_reply``). The
lead is checked, then filed as a case, transferred or closed with reasons, each
an optimistic move out of RECEIVED written to the audit chain in the same
transaction. The tipster is answered separately, which stops the reply clock.

Tipster privacy: the identity is shown only to ``may_see_tipster`` (the lead's
own bureau: its enforcement officers, the lead's assignee and its principal).
Audit events, clock titles, attachment names, exports and the API never carry
the name or the phone; a search by the tipster's name is not offered either,
since it would tell a reader who tipped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from fazhi.core import audit, dates
from fazhi.core.errors import field_error as _err
from fazhi.core.evidence import evidence_store_files
from fazhi.core.filters import narrow, search
from fazhi.core.instruments import instrument_number_next
from fazhi.core.models import AuditEvent, Evidence, EvidenceKind, Instrument
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import Clock
from fazhi.deadlines.overdue import overdue_ids
from fazhi.enforcement.models import Case, Lead, LeadSource, LeadState

CHECK_RULE = "enforcement.lead_check"
REPLY_RULE = "enforcement.tip_reply"

# Who may open the lead pages at all (their subtree); who may see the tipster.
READ_ROLES = (
    Role.ENFORCEMENT_OFFICER,
    Role.LEGAL_REVIEWER,
    Role.PRINCIPAL,
    Role.SUPERVISOR,
)
TIPSTER_ROLES = (Role.ENFORCEMENT_OFFICER, Role.PRINCIPAL)
TIPSTER_MASK = "举报人信息已保护"
TIPSTER_FIELDS = ("tipster_name", "tipster_phone", "tipster_contact")

# How the tipster was answered (the model keeps the text; the audit the method).
ANSWER_METHODS = {
    "phone": "电话",
    "letter": "书面",
    "sms": "短信",
    "online": "网络平台",
    "in_person": "当面",
}

# The outcome of a check: each leaves RECEIVED for good (pure table).
OUTCOMES = {
    "file_case": LeadState.FILED,
    "transfer": LeadState.TRANSFERRED,
    "close": LeadState.CLOSED,
}
OUTCOME_LABELS = {"file_case": "立案", "transfer": "移送", "close": "不予立案"}


def lead_actions_open(lead: Lead) -> list[str]:
    """Return the actions the lead's state allows next (before any role check)."""
    if lead.state == LeadState.RECEIVED:
        return ["check"] if lead.checked_on is None else list(OUTCOMES)
    answerable = not lead.tipster_anonymous or _reachable(lead)
    return ["answer"] if lead.is_tip and lead.answered_on is None and answerable else []


def _date_in_range(field: str, label: str, day, earliest: dt.date | None) -> None:
    if day is None:
        raise _err(field, f"请填写{label}")
    dates.not_future(day, field=field, label=label)
    if earliest is not None and day < earliest:
        raise _err(field, f"{label}不能早于收到线索日期（{earliest}）")


# --- tipster privacy -----------------------------------------------------------------


def may_see_tipster(user, lead: Lead) -> bool:
    """Tell whether ``user`` may see who tipped: the lead's own bureau only.

    The assignee, the bureau's enforcement officers (who check and answer) and its
    principal (who answers for the bureau). Not its legal reviewers or supervisors,
    not another county, not the city or province above it.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.org_unit_id != lead.org_unit_id:
        return False
    return user.pk == lead.assignee_id or user.has_role(*TIPSTER_ROLES)


def tipster_shown(user, lead: Lead) -> dict:
    """Return the tipster as ``user`` may see it: the identity or the mask."""
    if not lead.is_tip:
        return {"shown": False, "name": "", "phone": "", "contact": "",
                "anonymous": False}
    if may_see_tipster(user, lead):
        return {"shown": True, "name": lead.tipster_name or "",
                "phone": lead.tipster_phone, "contact": lead.tipster_contact,
                "anonymous": lead.tipster_anonymous}
    return {"shown": False, "name": TIPSTER_MASK, "phone": "", "contact": "",
            "anonymous": lead.tipster_anonymous}


def _reachable(lead: Lead) -> bool:
    return bool(lead.tipster_phone.strip() or lead.tipster_contact.strip())


# --- registration --------------------------------------------------------------------


def _check_tipster(source, channel, name, phone, contact, anonymous) -> None:
    if source != LeadSource.TIP:
        if channel or name or phone or contact or anonymous:
            raise _err("source", "只有群众举报可以填写举报方式和举报人信息")
        return
    if not channel:
        raise _err("channel", "群众举报须选择举报方式")
    if anonymous and name.strip():
        raise _err("tipster_name", "匿名举报不登记举报人姓名")
    if not anonymous and not name.strip():
        raise _err("tipster_name", "实名举报须填写举报人姓名；不愿具名的请勾选匿名举报")
    if not anonymous and not (phone.strip() or contact.strip()):
        raise _err("tipster_phone", "实名举报须留有电话或其他联系方式，以便答复")


def _store(files: Iterable, lead: Lead, actor) -> list[str]:
    """Store attachments; a tip's are renamed so no file name carries identity."""
    files = list(files or ())
    for n, f in enumerate(files, start=1):
        if lead.is_tip:
            f.name = f"举报材料{n}{os.path.splitext(str(f.name or ''))[1][:10]}"
    return evidence_store_files(files, matter=lead, actor=actor, kind=EvidenceKind.OTHER,
                                description=f"{lead.get_source_display()}材料")


def _start_clocks(lead: Lead, actor) -> None:
    common = dict(matter=lead, start=lead.received_on, actor=actor,
                  assignee=lead.assignee, org_unit=lead.org_unit)
    lead.check_clock = clocks.clock_start(
        rule_id=CHECK_RULE, title=f"线索核查 {lead.number}", **common)
    if lead.is_tip and not lead.tipster_anonymous:
        lead.reply_clock = clocks.clock_start(
            rule_id=REPLY_RULE, title=f"举报答复 {lead.number}", **common)
    Lead.objects.filter(pk=lead.pk).update(
        check_clock=lead.check_clock, reply_clock=lead.reply_clock)


def lead_register(
    *,
    actor,
    source: str,
    received_on: dt.date,
    location: str,
    description: str,
    assignee,
    channel: str = "",
    suspect: str = "",
    violation_type: str = "",
    tipster_name: str = "",
    tipster_phone: str = "",
    tipster_contact: str = "",
    tipster_anonymous: bool = False,
    external_ref: str = "",
    attachments: Iterable = (),
) -> Lead:
    """Register a lead of the actor's bureau; its check (and reply) clock starts."""
    org = actor.org_unit
    require_role(actor, org, Role.ENFORCEMENT_OFFICER)
    if source not in LeadSource.values:
        raise _err("source", "请选择线索来源")
    if assignee is None or not (
        assignee.is_active and assignee.has_role(Role.ENFORCEMENT_OFFICER)
        and assignee.org_unit_id == org.pk
    ):
        raise _err("assignee", "核查人须为本机关的执法人员")
    _date_in_range("received_on", "收到日期", received_on, None)
    if not location.strip():
        raise _err("location", "请填写违法地点")
    if not description.strip():
        raise _err("description", "请填写线索内容")
    _check_tipster(source, channel, tipster_name, tipster_phone, tipster_contact,
                   tipster_anonymous)
    with transaction.atomic():
        _, number = instrument_number_next(
            org_unit=org, kind="enforcement.lead", year=received_on.year)
        lead = Lead.objects.create(
            org_unit=org, number=number, source=source, channel=channel,
            received_on=received_on, location=location.strip(),
            suspect=suspect.strip(), violation_type=violation_type,
            description=description.strip(), tipster_name=tipster_name.strip(),
            tipster_phone=tipster_phone.strip(),
            tipster_contact=tipster_contact.strip(),
            tipster_anonymous=tipster_anonymous, external_ref=external_ref.strip(),
            assignee=assignee, created_by=actor,
        )
        hashes = _store(attachments, lead, actor)
        audit.record(
            actor=actor, obj=lead, action="enforcement.lead_register",
            summary=f"登记线索 {number}（{lead.get_source_display()}），"
                    f"收到日期 {received_on}",
            # Identity stays out of the chain: only whether there is one.
            after={"source": source, "channel": channel, "received_on": received_on,
                   "assignee": assignee.pk, "anonymous": tipster_anonymous,
                   "tipster_recorded": bool(tipster_name.strip()),
                   "external_ref": external_ref.strip()},
            evidence=hashes,
        )
        _start_clocks(lead, actor)
    return lead


def lead_open_from_patch(
    *,
    actor,
    patch_ref: str,
    location: str,
    description: str,
    received_on: dt.date | None = None,
    assignee=None,
    suspect: str = "",
    violation_type: str = "",
) -> Lead:
    """Open a lead for a satellite patch (the monitoring module's entry point).

    The actor is the person who found the patch needs enforcement — an enforcement
    officer of the bureau whose lead it becomes (``actor.org_unit``); there is no
    system user, because the audit chain and the check clock name a person. The
    assignee defaults to the actor. Calling again with the same ``patch_ref``
    returns the lead already opened, so the monitoring module may retry safely.
    """
    if getattr(actor, "org_unit", None) is None:
        raise PermissionDenied("图斑转线索须由本机关的执法人员办理")
    require_role(actor, actor.org_unit, Role.ENFORCEMENT_OFFICER)
    if not patch_ref.strip():
        raise _err("external_ref", "请填写图斑编号")
    existing = Lead.objects.filter(
        org_unit=actor.org_unit, source=LeadSource.PATCH,
        external_ref=patch_ref.strip(),
    ).first()
    if existing is not None:
        return existing
    return lead_register(
        actor=actor, source=LeadSource.PATCH, received_on=received_on or dates.today(),
        location=location, description=description, assignee=assignee or actor,
        suspect=suspect, violation_type=violation_type, external_ref=patch_ref,
    )


# --- check and outcome ---------------------------------------------------------------


def lead_check(*, lead: Lead, actor, checked_on: dt.date, findings: str) -> Lead:
    """Record the check's date and findings; the outcome is a separate step."""
    require_role(actor, lead, Role.ENFORCEMENT_OFFICER)
    _date_in_range("checked_on", "核查日期", checked_on, lead.received_on)
    if not findings.strip():
        raise _err("findings", "请填写核查情况")
    with transaction.atomic():
        won = Lead.objects.filter(
            pk=lead.pk, state=LeadState.RECEIVED, checked_on__isnull=True
        ).update(checked_on=checked_on, check_findings=findings.strip())
        if not won:
            raise _err("state", "该线索已核查或已处理，请刷新页面")
        lead.checked_on, lead.check_findings = checked_on, findings.strip()
        audit.record(
            actor=actor, obj=lead, action="enforcement.lead_check",
            summary=f"核查线索（{checked_on}）",
            before={"checked_on": None}, after={"checked_on": checked_on},
        )
    return lead


def _conclude(lead: Lead, action: str, actor, summary: str, **fields) -> Lead:
    """Move the lead out of RECEIVED through ``action`` inside the caller's transaction.

    The check must have been recorded first; the check clock stops today.
    """
    new, label = OUTCOMES[action], OUTCOME_LABELS[action]
    if lead.state != LeadState.RECEIVED:
        raise _err("state", f"该线索{lead.get_state_display()}，不能再{label}")
    if lead.checked_on is None:
        raise _err("state", f"请先登记核查情况，再决定{label}")
    fields = {**fields, "state": new}
    if not Lead.objects.filter(pk=lead.pk, state=LeadState.RECEIVED).update(**fields):
        raise _err("state", "该线索刚被他人处理，请刷新页面后重试")
    for name, value in fields.items():
        setattr(lead, name, value)
    audit.record(
        actor=actor, obj=lead, action=f"enforcement.lead_{action}", summary=summary,
        before={"state": LeadState.RECEIVED},
        after={k: getattr(v, "pk", v) for k, v in fields.items()},
    )
    if lead.check_clock_id and lead.check_clock.is_open:
        clocks.clock_stop(clock=lead.check_clock, on=dates.today(), actor=actor)
    return lead


def lead_file_case(
    *,
    lead: Lead,
    actor,
    officers,
    party_name: str,
    party_kind: str,
    facts_summary: str,
    **details,
) -> Case:
    """File a case from the lead (awaiting the principal's approval); lead FILED."""
    from fazhi.enforcement.cases import services

    require_role(actor, lead, Role.ENFORCEMENT_OFFICER)
    details.setdefault("violation_type", lead.violation_type)
    details.setdefault("location", lead.location)
    if not details["violation_type"]:
        raise _err("violation_type", "请选择违法类型")
    with transaction.atomic():
        case = services.case_file(
            actor=actor, officers=officers, party_name=party_name,
            party_kind=party_kind, facts_summary=facts_summary, lead=lead, **details,
        )
        _conclude(lead, "file_case", actor, f"线索立案呈批，案件 {case.number}")
    return case


def lead_transfer(*, lead: Lead, actor, to_agency: str, reason: str) -> Lead:
    """Transfer the lead to the competent agency and issue the transfer letter."""
    require_role(actor, lead, Role.ENFORCEMENT_OFFICER)
    if not to_agency.strip():
        raise _err("to_agency", "请填写移送机关")
    if not reason.strip():
        raise _err("reason", "请填写移送理由")
    # documents.py renders instruments; imported here as it imports this module's app.
    from fazhi.enforcement.cases.documents import lead_transfer_letter_issue

    with transaction.atomic():
        _conclude(lead, "transfer", actor, f"移送{to_agency.strip()}",
                  transferred_to=to_agency.strip(), outcome_reason=reason.strip())
        lead_transfer_letter_issue(lead=lead, actor=actor,
                                   to_agency=to_agency.strip(), reason=reason.strip())
    return lead


def lead_close(*, lead: Lead, actor, reason: str) -> Lead:
    """Close the lead without filing a case, with the reasons (不予立案)."""
    require_role(actor, lead, Role.ENFORCEMENT_OFFICER)
    if not reason.strip():
        raise _err("reason", "不予立案须写明理由")
    with transaction.atomic():
        _conclude(lead, "close", actor, "不予立案", outcome_reason=reason.strip())
    return lead


def lead_answer(
    *, lead: Lead, actor, answered_on: dt.date, answer: str, method: str
) -> Lead:
    """Record the answer to the tipster; the reply clock stops on ``answered_on``."""
    require_role(actor, lead, Role.ENFORCEMENT_OFFICER)
    if not lead.is_tip:
        raise _err("state", "只有群众举报需要答复举报人")
    if lead.tipster_anonymous and not _reachable(lead):
        raise _err("state", "匿名举报未留联系方式，无法答复")
    if lead.state == LeadState.RECEIVED:
        raise _err("state", "请先完成核查处理（立案、移送或不予立案），再答复举报人")
    if method not in ANSWER_METHODS:
        raise _err("method", "请选择答复方式")
    _date_in_range("answered_on", "答复日期", answered_on, lead.received_on)
    if not answer.strip():
        raise _err("answer", "请填写答复内容")
    with transaction.atomic():
        won = Lead.objects.filter(pk=lead.pk, answered_on__isnull=True).update(
            answered_on=answered_on, answer=answer.strip())
        if not won:
            raise _err("state", "已答复过举报人，请刷新页面")
        lead.answered_on, lead.answer = answered_on, answer.strip()
        audit.record(
            actor=actor, obj=lead, action="enforcement.lead_answer",
            summary=f"以{ANSWER_METHODS[method]}方式答复举报人（{answered_on}）",
            before={"answered_on": None},
            after={"answered_on": answered_on, "method": method},
        )
        if lead.reply_clock_id and lead.reply_clock.is_open:
            clocks.clock_stop(clock=lead.reply_clock, on=answered_on, actor=actor)
    return lead


# --- selectors -----------------------------------------------------------------------


def lead_list(
    *, actor, state: str = "", source: str = "", overdue: bool = False, q: str = ""
) -> QuerySet[Lead]:
    """Leads of the caller's subtree, newest first; ``q`` never searches tipsters."""
    qs = scoped(Lead.objects.all(), actor).select_related(
        "org_unit", "assignee", "check_clock", "reply_clock")
    if overdue:
        qs = qs.filter(pk__in=overdue_ids(Lead, dates.today(), actor=actor))
    qs = search(narrow(qs, state=state, source=source), q,
                "number", "location", "suspect", "description")
    return qs.order_by("-received_on", "-pk")


def lead_get(*, actor, pk) -> Lead:
    """The lead, or Http404 when it is outside the caller's subtree."""
    return get_scoped_or_404(
        Lead.objects.select_related("org_unit", "assignee", "check_clock",
                                    "reply_clock"),
        actor, pk=pk,
    )


def lead_timeline(lead: Lead) -> QuerySet[AuditEvent]:
    """Every audit event about the lead and its clocks, oldest first."""
    return AuditEvent.objects.filter(
        object_type=Lead._meta.label, object_id=str(lead.pk)).order_by("seq")


def lead_clocks(lead: Lead) -> list[Clock]:
    ids = [i for i in (lead.check_clock_id, lead.reply_clock_id) if i]
    return list(Clock.objects.filter(pk__in=ids).prefetch_related(
        "pauses", "extensions").order_by("pk"))


def _of_lead(model, lead: Lead):
    return model.objects.filter(content_type__app_label="enforcement",
                                content_type__model="lead", object_id=str(lead.pk))


def lead_instruments(lead: Lead) -> QuerySet[Instrument]:
    return _of_lead(Instrument, lead).select_related("evidence").order_by("created_at")


def lead_attachments(lead: Lead) -> QuerySet[Evidence]:
    """Files registered with the lead; its instruments are listed on their own."""
    return _of_lead(Evidence, lead).exclude(
        pk__in=lead_instruments(lead).values("evidence_id")).order_by("uploaded_at")

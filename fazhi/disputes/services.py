"""Every action on a reconsideration or lawsuit: one function, one transaction.

Each checks the legal-affairs officer's role in the bureau, checks dates against
the law, starts or stops the clock, and writes the audit chain. The three rates
are counted by ``rates_for``, from the pure definitions in rates.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from fazhi.core import audit, dates, matter_kinds
from fazhi.core.errors import field_error as _err
from fazhi.core.evidence import evidence_store_files
from fazhi.core.models import EvidenceKind
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.rule_folders import module_rules
from fazhi.core.scope import scoped
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import ClockEnd
from fazhi.disputes import rates
from fazhi.disputes.models import (
    CourtHearing,
    Lawsuit,
    LitigationResult,
    Reconsideration,
    ReconsiderationOutcome,
)


def _link(matter) -> dict:
    """The generic link to the challenged matter, checked to be the bureau's own."""
    if matter is None:
        return {}
    return {"content_type": ContentType.objects.get_for_model(matter),
            "object_id": str(matter.pk)}


def _store(files, obj, actor, description: str) -> list[str]:
    """Keep the documents filed with a step in the evidence store; their hashes."""
    return evidence_store_files(files, matter=obj, actor=actor,
                                kind=EvidenceKind.DOCUMENT, description=description)


def _check_matter(actor, matter) -> None:
    if matter is not None and getattr(matter, "org_unit_id", None) != actor.org_unit_id:
        raise _err("challenged", "关联的行政行为须为本机关办理的事项")


# --- reconsideration ------------------------------------------------------------------


def reconsideration_register(
    *, actor, number: str, applicant_name: str, body: str, challenged_act: str,
    copy_received_on: dt.date, simplified: bool = False, challenged=None,
) -> Reconsideration:
    """Register a reconsideration against the bureau; the reply clock starts."""
    require_role(actor, actor.org_unit, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(copy_received_on, field="copy_received_on",
                     label="收到申请书副本日期")
    _check_matter(actor, challenged)
    for field, label, value in (("number", "复议案号", number),
                                ("applicant_name", "申请人", applicant_name),
                                ("body", "行政复议机关", body),
                                ("challenged_act", "被申请的行政行为", challenged_act)):
        if not value.strip():
            raise _err(field, f"请填写{label}")
    rule = "reconsideration.reply_simplified" if simplified else "reconsideration.reply"
    with transaction.atomic():
        item = Reconsideration.objects.create(
            org_unit=actor.org_unit, number=number, applicant_name=applicant_name,
            body=body, challenged_act=challenged_act, simplified=simplified,
            copy_received_on=copy_received_on, created_by=actor, **_link(challenged))
        item.reply_clock = clocks.clock_start(
            matter=item, rule_id=rule, start=copy_received_on, actor=actor,
            title=f"复议答复 {number}", assignee=actor)
        item.save(update_fields=["reply_clock"])
        audit.record(actor=actor, obj=item, action="disputes.reconsideration_register",
                     summary=f"收到行政复议申请书副本：{applicant_name}，{challenged_act}",
                     after={"number": number, "copy_received_on": copy_received_on})
    return item


def reconsideration_reply(*, item: Reconsideration, actor, replied_on: dt.date,
                          files=()) -> Reconsideration:
    """Record the written reply and evidence submitted; the reply clock stops."""
    require_role(actor, item, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(replied_on, field="replied_on", label="提交答复日期")
    if item.replied_on:
        raise _err("replied_on", "已登记答复")
    if replied_on < item.copy_received_on:
        raise _err("replied_on", "答复日期不能早于收到申请书副本日期")
    with transaction.atomic():
        if not Reconsideration.objects.filter(pk=item.pk, replied_on__isnull=True
                                              ).update(replied_on=replied_on):
            raise _err("replied_on", "该复议刚被他人处理，请刷新页面")
        clocks.clock_stop(clock=item.reply_clock, on=replied_on, actor=actor)
        item.reply_clock.refresh_from_db()
        late = replied_on > item.reply_clock.due_date
        hashes = _store(files, item, actor, "行政复议答复书及证据")
        audit.record(actor=actor, obj=item, action="disputes.reconsideration_reply",
                     evidence=hashes,
                     summary=f"提交书面答复及证据（{replied_on}）"
                             f"{'，已超过答复期限' if late else ''}")
    item.replied_on = replied_on
    return item


def reconsideration_conclude(*, item: Reconsideration, actor, outcome: str,
                             concluded_on: dt.date, summary: str = "",
                             files=()) -> Reconsideration:
    """Record the body's decision; a correcting one is marked on the matter."""
    require_role(actor, item, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(concluded_on, field="concluded_on", label="决定日期")
    if outcome not in ReconsiderationOutcome.values:
        raise _err("outcome", "请选择行政复议法规定的决定类型")
    if item.outcome:
        raise _err("outcome", "该复议已登记结果")
    if concluded_on < item.copy_received_on:
        raise _err("concluded_on", "决定日期不能早于收到申请书副本日期")
    with transaction.atomic():
        if not Reconsideration.objects.filter(pk=item.pk, outcome="").update(
                outcome=outcome, concluded_on=concluded_on, decision_summary=summary):
            raise _err("outcome", "该复议刚被他人处理，请刷新页面")
        item.outcome, item.concluded_on = outcome, concluded_on
        if item.reply_clock and item.reply_clock.is_open:
            # Ended before the reply (a withdrawal, say): no reply is owed any more.
            clocks.clock_stop(clock=item.reply_clock, on=concluded_on, actor=actor,
                              cancelled=True, ended_as=ClockEnd.CLOSED)
        label = ReconsiderationOutcome(outcome).label
        hashes = _store(files, item, actor, f"行政复议决定书（{label}）")
        audit.record(actor=actor, obj=item, evidence=hashes,
                     action="disputes.reconsideration_conclude",
                     summary=f"行政复议决定：{label}（{concluded_on}）",
                     after={"outcome": outcome, "corrected": item.corrected})
        if item.corrected and item.object_id:
            _mark(item.challenged, actor, f"经行政复议{label}（{item.body}，"
                  f"{item.number}）", concluded_on)
    return item


def _mark(matter, actor, note: str, on: dt.date) -> None:
    """Show the correction on the matter itself: through what its kind registered
    for a correction (an enforcement case is marked and a published decision
    withdrawn), else in its own audit trail."""
    kind = matter_kinds.kind_of(matter)
    if kind is not None and kind.corrected is not None:
        kind.corrected(matter, actor, note, on)
    else:
        audit.record(actor=actor, obj=matter, action="disputes.corrected",
                     summary=note)


def _after_complaint(suit: Lawsuit, field: str, label: str, day: dt.date) -> None:
    if day < suit.complaint_received_on:
        raise _err(field, f"{label}不能早于收到起诉状副本日期"
                          f"（{suit.complaint_received_on}）")


# --- litigation -----------------------------------------------------------------------


def lawsuit_register(
    *, actor, court: str, case_number: str, plaintiff: str, challenged_act: str,
    complaint_received_on: dt.date, instance: str = "first", previous=None,
    challenged=None,
) -> Lawsuit:
    """Register a lawsuit against the bureau; the 15-day defence clock starts."""
    require_role(actor, actor.org_unit, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(complaint_received_on, field="complaint_received_on",
                     label="收到起诉状副本日期")
    _check_matter(actor, challenged)
    for field, label, value in (("court", "人民法院", court),
                                ("case_number", "案号", case_number),
                                ("plaintiff", "原告", plaintiff),
                                ("challenged_act", "被诉行政行为", challenged_act)):
        if not value.strip():
            raise _err(field, f"请填写{label}")
    if instance != "first" and previous is None:
        raise _err("previous", "二审、再审须关联上一审级")
    if previous is not None and previous.org_unit_id != actor.org_unit_id:
        raise _err("previous", "上一审级须为本机关的诉讼")
    with transaction.atomic():
        if previous is not None and previous.appeal_clock and \
                previous.appeal_clock.is_open:
            # Appealed: the window did its work.
            clocks.clock_stop(clock=previous.appeal_clock, on=complaint_received_on,
                              actor=actor)
        suit = Lawsuit.objects.create(
            org_unit=actor.org_unit, court=court, case_number=case_number,
            plaintiff=plaintiff, challenged_act=challenged_act, instance=instance,
            previous=previous, complaint_received_on=complaint_received_on,
            created_by=actor, **_link(challenged))
        suit.defence_clock = clocks.clock_start(
            matter=suit, rule_id="litigation.defence", start=complaint_received_on,
            actor=actor, title=f"答辩 {case_number}", assignee=actor)
        suit.save(update_fields=["defence_clock"])
        audit.record(actor=actor, obj=suit, action="disputes.lawsuit_register",
                     summary=f"收到起诉状副本：{plaintiff}诉本机关，{challenged_act}")
    return suit


def lawsuit_defend(*, suit: Lawsuit, actor, submitted_on: dt.date,
                   files=()) -> Lawsuit:
    """Record the defence, evidence and basis submitted to the court."""
    require_role(actor, suit, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(submitted_on, field="submitted_on", label="提交答辩状日期")
    if suit.defence_submitted_on:
        raise _err("submitted_on", "已登记答辩")
    _after_complaint(suit, "submitted_on", "提交答辩状日期", submitted_on)
    with transaction.atomic():
        if not Lawsuit.objects.filter(pk=suit.pk, defence_submitted_on__isnull=True
                                      ).update(defence_submitted_on=submitted_on):
            raise _err("submitted_on", "该诉讼刚被他人处理，请刷新页面")
        clocks.clock_stop(clock=suit.defence_clock, on=submitted_on, actor=actor)
        hashes = _store(files, suit, actor, "答辩状及证据")
        audit.record(actor=actor, obj=suit, action="disputes.lawsuit_defend",
                     evidence=hashes,
                     summary=f"提交答辩状及证据（{submitted_on}）")
    suit.defence_submitted_on = submitted_on
    return suit


HEARING_AHEAD_DAYS = 365  # a summons names a day within months, never years


def hearing_record(*, suit: Lawsuit, actor, held_on: dt.date, attendees: str = "",
                   principal_appeared: bool = False, principal=None,
                   absence_reason: str = "") -> CourtHearing:
    """Enter a hearing: ahead of its day from the summons (who will appear may be
    noted), or on or after its day with who appeared; the principal's appearance,
    or why not, is then required. Recording the day of a hearing entered ahead
    completes that entry."""
    require_role(actor, suit, Role.LEGAL_AFFAIRS_OFFICER)
    dates.date_check(held_on, field="held_on", label="开庭日期",
                     future_days=HEARING_AHEAD_DAYS)
    _after_complaint(suit, "held_on", "开庭日期", held_on)
    if held_on > dates.today():
        return _hearing_schedule(suit, actor, held_on, attendees)
    if not attendees.strip():
        raise _err("attendees", "请填写出庭应诉人员")
    if principal_appeared:
        if principal is None or not principal.has_role(Role.PRINCIPAL) or \
                principal.org_unit_id != suit.org_unit_id:
            raise _err("principal", "出庭的负责人须为本机关负责人（法释〔2020〕3号第二条）")
    elif not absence_reason.strip():
        raise _err("absence_reason", "负责人未出庭的，须说明理由（行政诉讼法第三条第三款）")
    fields = dict(attendees=attendees, principal_appeared=principal_appeared,
                  principal=principal if principal_appeared else None,
                  absence_reason="" if principal_appeared else absence_reason)
    with transaction.atomic():
        hearing = suit.hearings.select_for_update().filter(
            held_on=held_on, principal_appeared__isnull=True).first()
        if hearing is None:
            hearing = CourtHearing.objects.create(lawsuit=suit, held_on=held_on,
                                                  **fields)
        else:
            CourtHearing.objects.filter(pk=hearing.pk).update(**fields)
            for name, value in fields.items():
                setattr(hearing, name, value)
        audit.record(actor=actor, obj=suit, action="disputes.hearing",
                     summary=f"开庭（{held_on}），"
                             f"负责人{'出庭' if principal_appeared else '未出庭'}")
    return hearing


def _hearing_schedule(suit: Lawsuit, actor, held_on: dt.date,
                      attendees: str) -> CourtHearing:
    if suit.hearings.filter(held_on=held_on).exists():
        raise _err("held_on", f"已登记{held_on}的开庭")
    with transaction.atomic():
        hearing = CourtHearing.objects.create(lawsuit=suit, held_on=held_on,
                                              attendees=attendees.strip())
        audit.record(actor=actor, obj=suit, action="disputes.hearing_schedule",
                     summary=f"定于{held_on}开庭"
                             + (f"，拟出庭：{attendees.strip()}" if attendees.strip()
                                else ""))
    return hearing


def lawsuit_conclude(*, suit: Lawsuit, actor, result: str, instrument: str,
                     served_on: dt.date, on_merits: bool, files=()) -> Lawsuit:
    """Record the judgment or ruling; the appeal window of a first instance starts."""
    require_role(actor, suit, Role.LEGAL_AFFAIRS_OFFICER)
    dates.not_future(served_on, field="served_on", label="裁判文书送达日期")
    if result not in LitigationResult.values:
        raise _err("result", "请选择裁判结果")
    if instrument not in ("judgment", "ruling"):
        raise _err("instrument", "请选择判决或裁定")
    if suit.result:
        raise _err("result", "该审级已登记结果")
    _after_complaint(suit, "served_on", "裁判文书送达日期", served_on)
    with transaction.atomic():
        fields = dict(result=result, instrument=instrument, concluded_on=served_on,
                      on_merits=on_merits)
        if suit.instance == "first":
            rule = ("litigation.appeal_judgment" if instrument == "judgment"
                    else "litigation.appeal_ruling")
            fields["appeal_clock"] = clocks.clock_start(
                matter=suit, rule_id=rule, start=served_on, actor=actor,
                title=f"上诉期 {suit.case_number}", assignee=actor)
        if not Lawsuit.objects.filter(pk=suit.pk, result="").update(**fields):
            raise _err("result", "该诉讼刚被他人处理，请刷新页面")
        for name, value in fields.items():
            setattr(suit, name, value)
        if suit.defence_clock and suit.defence_clock.is_open:
            clocks.clock_stop(clock=suit.defence_clock, on=served_on, actor=actor,
                              cancelled=True, ended_as=ClockEnd.CLOSED)
        label = LitigationResult(result).label
        hashes = _store(files, suit, actor, f"裁判文书（{label}）")
        audit.record(actor=actor, obj=suit, action="disputes.lawsuit_conclude",
                     evidence=hashes,
                     summary=f"{'判决' if instrument == 'judgment' else '裁定'}：{label}"
                             f"（送达 {served_on}）", after={"result": result})
        if suit.lost and suit.object_id:
            _mark(suit.challenged, actor, f"行政诉讼{label}（{suit.court}"
                  f"{suit.case_number}）", served_on)
    return suit


# --- the three rates ------------------------------------------------------------------


def rate_definitions() -> dict[str, rates.RateDef]:
    """The shipped definitions, replaced by the bureau's own by id."""
    return module_rules("disputes", rates.load_rates)


def _facts_all(actor) -> list[rates.MatterFacts]:
    """Every matter of the subtree (for a definition not bound to the period)."""
    out = [rates.MatterFacts(pk, "reconsideration", on, outcome) for pk, on, outcome
           in scoped(Reconsideration.objects.all(), actor).values_list(
               "pk", "concluded_on", "outcome")]
    heard = defaultdict(list)
    for suit, on, appeared in scoped(CourtHearing.objects.filter(
            principal_appeared__isnull=False), actor,
                                     "lawsuit__org_unit").values_list(
            "lawsuit_id", "held_on", "principal_appeared"):
        heard[suit].append(rates.Hearing(on, appeared))
    out += [rates.MatterFacts(pk, "litigation", on, result, merits,
                              tuple(heard.get(pk, ())))
            for pk, on, result, merits in scoped(Lawsuit.objects.all(), actor
                                                 ).values_list(
                "pk", "concluded_on", "result", "on_merits")]
    return out


def _facts_in(actor, period) -> list[rates.MatterFacts]:
    """Only the matters that can count in the period: concluded in it, or heard."""
    held = CourtHearing.objects.filter(held_on__range=period,
                                       principal_appeared__isnull=False)
    heard = defaultdict(list)
    for suit, on, appeared in scoped(held, actor, "lawsuit__org_unit").values_list(
            "lawsuit_id", "held_on", "principal_appeared").order_by("held_on", "pk"):
        heard[suit].append(rates.Hearing(on, appeared))
    out = [rates.MatterFacts(pk, "reconsideration", on, outcome)
           for pk, on, outcome in scoped(Reconsideration.objects.filter(
               concluded_on__range=period), actor).values_list(
               "pk", "concluded_on", "outcome")]
    out += [rates.MatterFacts(pk, "litigation", on, result, merits,
                              tuple(heard.get(pk, ())))
            for pk, on, result, merits in scoped(Lawsuit.objects.filter(
                Q(concluded_on__range=period) | Q(pk__in=held.values("lawsuit_id"))),
                actor).values_list("pk", "concluded_on", "result", "on_merits")]
    return out


def _bound_to_period(d: rates.RateDef) -> bool:
    c = d.denominator
    return c.concluded or c.hearing_held or c.principal_appeared


def rates_for(*, actor, period: tuple[dt.date, dt.date]) -> list[rates.RateResult]:
    """Every rate for the caller's subtree and the period, with the ids it counted.

    Reads, as plain tuples, only the matters concluded or heard in the period —
    every shipped denominator needs one of the two; a bureau's definition that does
    not makes it read every matter (the pure count is the same either way).
    """
    defs = list(rate_definitions().values())
    facts = (_facts_in(actor, period) if all(map(_bound_to_period, defs))
             else _facts_all(actor))
    return [rates.rate_compute(d, facts, period) for d in defs]

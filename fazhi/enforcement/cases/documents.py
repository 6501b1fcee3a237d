"""Enforcement instruments (文书): the twelve of a case and the lead transfer letter.

Each is numbered, rendered from its editable .docx template (see
``scripts/make_instrument_templates.py``), stored as evidence and audited by
``fazhi.core.instruments.instrument_issue``. Every check below runs before that call,
so a refusal uses no number, stores nothing and writes no audit event.

Who may issue what, and when (the actor must be active and of the case's own bureau):

| kind | 文书 | roles | the case must be |
|---|---|---|---|
| filing_approval | 立案审批表 | officer | in any state |
| stop_order | 责令停止违法行为通知书 | officer | pending or undecided |
| penalty_notice | 行政处罚告知书 | officer | undecided; proposal |
| hearing_notice | 行政处罚听证告知书 | officer | notified; hearing (1) |
| review_opinion | 法制审核意见书 | legal_reviewer | reviewed |
| decision | 行政处罚决定书 | principal, officer | decided; reviewed (2) |
| service_receipt | 送达回证 | officer | filed, or later |
| closure_approval | 结案审批表 | principal, officer | closable (3) |
| termination_approval | 终止调查审批表 | principal, officer | termination proposed (4) |
| discussion_record | 重大案件集体讨论记录 | principal, officer | discussion proposed (4) |
| demand_notice | 履行催告书 | officer | served or executing; overdue (5) |
| court_application | 强制执行申请书 | principal, officer | court may be asked (6) |

(1) the party has a hearing right (行政处罚法第六十三条) and the hearing is at least
7 working days ahead (第六十四条第二项). (2) a major decision passed legal review
by someone not on the case (第五十八条; ``workflow.require_major_review``). (3)
served, executing, court enforcement, terminated, transferred or closed, with a
ground for closing (``workflow.CLOSURE_GROUND``; 自然资源行政处罚办法第四十六条).
(4) an officer proposed it (a round of its chain exists): the form prints the
proposal and, once signed, the principal's opinion, name and date from the round.
(5) the decision's period to perform has passed and something is still owed
(``workflow.PERFORMANCE_OVERDUE``, ``SOMETHING_TO_ENFORCE``); it states what is
owed today — the fine unpaid, the surcharge counted to today (``surcharge.py``),
the other measures — and the days to perform from the rule data (行政强制法第三十五条、
第五十四条). (6) every guard of ``apply_court_enforcement`` holds (the challenge
windows closed, the demand's days passed, within the months after), or the
application was recorded; addressed to the court recorded, else the county's
people's court (行政强制法第五十五条).

Officers draft and serve; the reviewer signs only the opinion that is hers; the
decision and the closure form may be produced by the principal who decides or
approves, or by the officer who prepares them for signature.

No tipster identity ever reaches an instrument: contexts are built from case and
lead fields other than ``tipster_*``, and any tipster name, phone or contact that
appears inside free text (a case facts summary copied from a tip) is blanked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.core.approvals import approval_rounds
from fazhi.core.instruments import date_cn, instrument_issue
from fazhi.core.models import Evidence, EvidenceKind, Instrument, Opinion
from fazhi.core.money import money_in_words_and_figures
from fazhi.core.permissions import require_role
from fazhi.core.remedies import numeral
from fazhi.core.roles import Role
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import discretion, execution, majority, services, workflow
from fazhi.enforcement.cases.services import signing
from fazhi.enforcement.cases.services.facts import party_last_day
from fazhi.enforcement.cases.workflow import State as S
from fazhi.enforcement.models import Case, Lead, LeadState, PartyKind, ReviewResult

OFFICER, REVIEWER, PRINCIPAL = (
    Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.PRINCIPAL)
NONE = "—"
HIDDEN = "（举报人信息已隐去）"
_UNDECIDED = frozenset({
    S.FILED, S.NOTICE_SERVED, S.HEARING_REQUESTED, S.HEARING_HELD, S.LEGAL_REVIEW,
    S.REVIEW_RETURNED, S.REVIEW_PASSED, S.DISCUSSION_PENDING, S.COLLECTIVE_DISCUSSION,
    S.TERMINATION_PENDING,
})  # fmt: skip
_DECIDED = frozenset({S.DECIDED, S.SERVED, S.EXECUTING, S.COURT_ENFORCEMENT,
                      S.CLOSURE_PENDING, S.CLOSED})
_CLOSABLE = frozenset({
    S.SERVED, S.EXECUTING, S.COURT_ENFORCEMENT, S.TERMINATED, S.TRANSFERRED,
    S.CLOSURE_PENDING, S.CLOSED,
})  # fmt: skip
_LAND_OCCUPATION = {"illegal_occupation"}  # 土地管理法第六十八条第四项 applies


@dataclass(frozen=True)
class _Spec:
    roles: tuple[str, ...]
    states: frozenset[str]  # empty: any state
    not_now: str  # why the instrument makes no sense in another state


SPECS: dict[str, _Spec] = {
    "filing_approval": _Spec((OFFICER,), frozenset(), ""),
    "stop_order": _Spec(
        (OFFICER,), _UNDECIDED | {S.FILING_PENDING},
        "案件已作出决定、终止或办结，不能再制发责令停止违法行为通知书"),
    "penalty_notice": _Spec(
        (OFFICER,), _UNDECIDED,
        "行政处罚告知书须在立案后、作出决定前制发"),
    "hearing_notice": _Spec(
        (OFFICER,), frozenset({S.NOTICE_SERVED, S.HEARING_REQUESTED}),
        "听证告知书须在送达行政处罚告知书后、举行听证前制发"),
    "review_opinion": _Spec((REVIEWER,), frozenset(), ""),
    # The review is checked before the state (in _check_decision), so that a major
    # case without one is always refused with the reason that matters most.
    "decision": _Spec((PRINCIPAL, OFFICER), frozenset(), ""),
    "service_receipt": _Spec(
        (OFFICER,), frozenset(set(S) - {S.FILING_PENDING, S.FILING_REJECTED}),
        "案件尚未立案，没有可送达的文书"),
    "closure_approval": _Spec(
        (PRINCIPAL, OFFICER), _CLOSABLE,
        "案件尚未具备结案条件（须决定已送达、终止调查或已移送）"),
    "termination_approval": _Spec((PRINCIPAL, OFFICER), frozenset(), ""),
    "discussion_record": _Spec((PRINCIPAL, OFFICER), frozenset(), ""),
    "demand_notice": _Spec(
        (OFFICER,), frozenset({S.SERVED, S.EXECUTING}),
        "履行催告书须在决定书送达后、申请人民法院强制执行前制发"),
    "court_application": _Spec(
        (PRINCIPAL, OFFICER), frozenset({S.EXECUTING, S.COURT_ENFORCEMENT}),
        "强制执行申请书须在进入执行、催告期满后制发"),
}


# --- public ------------------------------------------------------------------------


def case_document_issue(*, case: Case, kind: str, actor, **extra) -> Instrument:
    """Check, then issue one of the instruments of ``case`` (table above).

    ``extra`` carries what the case does not store: ``hearing_at``,
    ``hearing_place``, ``hearing_chair`` (hearing_notice); ``document_title``,
    ``served_on``, ``method``, ``recipient``, ``service_place``, ``note``
    (service_receipt); ``payment_account``, ``measures_deadline`` (decision);
    ``violated_basis``, ``penalty_basis`` override the cited articles.
    """
    spec = SPECS.get(kind)
    if spec is None:
        raise ValidationError({"kind": f"未知的案件文书种类：{kind}"})
    require_role(actor, case, *spec.roles, what="制发此文书")
    check, build = _KINDS[kind]
    if spec.states and case.state not in spec.states:
        raise ValidationError({"state": spec.not_now})
    check(case, extra)
    context = _scrub({**_common(case, extra), **build(case, extra)}, case.lead)
    return instrument_issue(kind=f"enforcement.{kind}", org_unit=case.org_unit,
                            matter=case, context=context, actor=actor)


def lead_transfer_letter_issue(*, lead: Lead, actor, to_agency: str,
                               reason: str) -> Instrument:
    """Issue the 案件移送函 of a lead sent to ``to_agency``; never names the tipster."""
    require_role(actor, lead, OFFICER, what="制发此文书")
    to_agency, reason = to_agency.strip(), _sentence(reason)
    if not to_agency or not reason:
        raise ValidationError({"to_agency": "移送函须写明移送机关和移送理由"})
    if lead.state not in (LeadState.RECEIVED, LeadState.TRANSFERRED):
        raise ValidationError(
            {"state": f"该线索{lead.get_state_display()}，不能制发移送函"})
    if lead.state == LeadState.TRANSFERRED and lead.transferred_to not in (
        "", to_agency
    ):
        raise ValidationError(
            {"to_agency": f"该线索已移送{lead.transferred_to}，移送函须致该机关"})
    context = _scrub(_lead_context(lead, actor, to_agency, reason), lead)
    return instrument_issue(kind="enforcement.transfer_letter",
                            org_unit=lead.org_unit, matter=lead, context=context,
                            actor=actor)


# --- checks ------------------------------------------------------------------------


def _no_check(case: Case, extra: Mapping) -> None:
    return None


def _check_proposal(case: Case, extra: Mapping) -> None:
    if not (case.fine_proposed or case.other_measures.strip()):
        raise ValidationError(
            {"fine_proposed": "案件尚无拟处罚内容（拟罚款或其他处理措施），"
                              "不能制发告知书"})


def _check_hearing(case: Case, extra: Mapping) -> None:
    missing = [label for key, label in (("hearing_at", "听证时间"),
                                        ("hearing_place", "听证地点"))
               if not extra.get(key)]
    if missing:
        raise ValidationError({"hearing_at": f"请填写{'、'.join(missing)}"})
    if not isinstance(extra["hearing_at"], dt.date):
        raise ValidationError({"hearing_at": "听证时间须为日期或日期时间"})
    if not services.case_facts(case).hearing_right:
        raise ValidationError({"state": "拟作出的处罚不属于应当告知听证权利的情形"
                                        "（行政处罚法第六十三条）"})
    chair = extra.get("hearing_chair")
    if chair is not None and not isinstance(chair, str) and (
        case.officers.filter(pk=chair.pk).exists()
    ):
        raise ValidationError({"hearing_chair": "听证须由非本案调查人员主持"
                                                "（行政处罚法第六十四条第四项）"})
    _check_hearing_ahead(_day(extra["hearing_at"]))


def _check_hearing_ahead(day: dt.date) -> None:
    from fazhi.deadlines.calendars import calendar_from_db
    from fazhi.deadlines.registry import rules_registry

    rule = rules_registry()["penalty.hearing_notice"]  # 行政处罚法第六十四条第二项
    ahead = calendar_from_db(True).working_days_between(timezone.localdate(), day)
    if ahead < rule.length:
        raise ValidationError({"hearing_at": (
            f"听证时间距今只有{ahead}个工作日；须在举行听证的{rule.length}个工作日前"
            "通知当事人（行政处罚法第六十四条第二项）")})


def _check_review(case: Case, extra: Mapping) -> None:
    if _review(case) is None:
        raise ValidationError({"state": "本案尚无法制审核记录，不能制发法制审核意见书"})


def _check_decision(case: Case, extra: Mapping) -> None:
    try:
        workflow.require_major_review(services.case_facts(case))
    except workflow.WorkflowError as error:
        raise ValidationError({"state": str(error)}) from error
    if case.state not in _DECIDED or case.decided_on is None:
        raise ValidationError(
            {"state": "案件尚未作出行政处罚决定，不能制发行政处罚决定书"})


def _check_service(case: Case, extra: Mapping) -> None:
    labels = {"document_title": "送达文书名称及文号", "served_on": "送达时间",
              "method": "送达方式", "recipient": "受送达人"}
    missing = [label for key, label in labels.items() if not extra.get(key)]
    if missing:
        raise ValidationError({"served_on": f"送达回证须填写{'、'.join(missing)}"})
    if not isinstance(extra["served_on"], dt.date):
        raise ValidationError({"served_on": "送达时间须为日期或日期时间"})
    if _day(extra["served_on"]) > timezone.localdate():
        raise ValidationError({"served_on": "送达时间不能晚于今天"})


def _check_closure(case: Case, extra: Mapping) -> None:
    error = workflow.CLOSURE_GROUND.failure(S(case.state), services.case_facts(case))
    if error is not None:
        raise ValidationError({"state": str(error)})


# --- contexts ----------------------------------------------------------------------


def _common(case: Case, extra: Mapping) -> dict:
    violation = _violation(case.violation_type)
    violated, penalty = _basis(case, _version(case, violation))
    person = case.party_kind == PartyKind.PERSON
    return {
        "case_number": case.number, "party_name": case.party_name,
        "party_kind": case.get_party_kind_display(),
        "party_id_label": "公民身份号码" if person else "统一社会信用代码",
        "party_id_number": case.party_id_number or NONE,
        "party_address": case.party_address or NONE,
        "violation_label": violation.label if violation else case.violation_type,
        "location": case.location or NONE, "area_text": _area(case.area_m2),
        "land_class": case.land_class or NONE,
        "facts_summary": _sentence(case.facts_summary),
        "violated_basis": extra.get("violated_basis") or violated,
        "penalty_basis": extra.get("penalty_basis") or penalty,
        "officers": _officers(case), "contact": _contact(case.officers.first()),
        "filed_on": _date(case.filed_on),
        "proposed_items": _items(case.fine_proposed, case.other_measures),
    }


def _signed(case: Case, rule, agreed: str, refused: str = "") -> dict:
    """The principal's sign-off of the chain's newest round (who, when, opinion)
    as the approval form prints it; blank while it waits to be signed."""
    rounds = approval_rounds(case, rule)
    latest = rounds[-1] if rounds else None
    signoffs = list(latest.signoffs.all()) if latest else []
    last = signoffs[-1] if len(signoffs) > 1 else None
    if last is None or (last.opinion == Opinion.DISAGREE and not refused):
        return {"approval_opinion": "", "approver": "", "approved_on": ""}
    word = agreed if last.opinion == Opinion.AGREE else refused
    return {"approval_opinion": "".join(
                (word, f"{_sentence(last.reasons)}。" if last.reasons else "")),
            "approver": str(last.signed_by),
            "approved_on": date_cn(timezone.localdate(last.signed_at))}


def _filing_approval(case: Case, extra: Mapping) -> dict:
    rounds = approval_rounds(case, signing.FILING)
    lead = case.lead
    return {
        "case_source": (f"{lead.get_source_display()}（线索编号：{lead.number}）"
                        if lead else "执法人员发现"),
        "requested_on": date_cn(timezone.localdate(
            rounds[-1].created_at if rounds else case.created_at)),
        **_signed(case, signing.FILING, "同意立案。", "不同意立案，不予立案。"),
    }


def _stop_order(case: Case, extra: Mapping) -> dict:
    basis = "《中华人民共和国行政处罚法》第二十八条第一款"
    if case.violation_type in _LAND_OCCUPATION:
        basis += "、《中华人民共和国土地管理法》第六十八条第四项"
    return {"stop_basis": basis}


def _penalty_notice(case: Case, extra: Mapping) -> dict:
    return {"when_hearing_right": _when(services.case_facts(case).hearing_right)}


def _hearing_notice(case: Case, extra: Mapping) -> dict:
    notice = _latest(case, "penalty_notice")
    chair = extra.get("hearing_chair")
    requested = case.hearing_requested_on
    return {
        "notice_served_on": _date(case.notice_served_on),
        "notice_title": "《行政处罚告知书》" + (f"（{notice}）" if notice else ""),
        "hearing_request": (f"你（单位）于{date_cn(requested)}提出了听证要求。"
                            if requested else ""),
        "hearing_at": _moment(extra["hearing_at"]),
        "hearing_place": str(extra["hearing_place"]),
        "hearing_chair": str(chair) if chair else "本机关指定的非本案调查人员",
    }


def _review_opinion(case: Case, extra: Mapping) -> dict:
    review = _review(case)
    reason = case.departure_reason.strip()
    return {
        "submitted_on": date_cn(timezone.localdate(review.submitted_at)),
        "proposed_text": "；".join(_items(case.fine_proposed, case.other_measures)),
        "major_text": (f"是。{majority.printed(case.major_reasons)}".strip()
                       if case.is_major else "否"),
        "departure_text": f"拟处罚款偏离裁量基准，理由：{reason}" if reason else "无",
        "review_result": review.get_result_display(),
        "review_opinion": review.opinion,
        "reviewer": str(review.reviewer),
        "reviewed_on": date_cn(timezone.localdate(review.decided_at)),
    }


def _decision(case: Case, extra: Mapping) -> dict:
    fine = case.fine_decided or Decimal(0)
    deadline = (extra.get("measures_deadline")
                or f"收到本决定书之日起{services.payment_period(case)}内")
    if isinstance(deadline, dt.date):
        deadline = f"{date_cn(deadline)}前"
    account = extra.get("payment_account")
    return {
        "evidence": _evidence(case),
        "procedure": _procedure(case),
        "decided_items": _items(fine, case.other_measures) or ["不予行政处罚"],
        "when_fine": _when(fine > 0),
        "when_measures": _when(bool(case.other_measures.strip())),
        "payment_account": f"（收款账户：{account}）" if account else "",
        "measures_deadline": deadline,
        "litigation_clause": services.litigation_clause(case),
        "payment_period": services.payment_period(case),
        "surcharge_rate": _rate_words(rulesets.surcharge_rule().rate_per_day),
        "reconsideration_period":
            f"{numeral(rulesets.execution_rules().reconsideration_days)}日",
        "decided_on": _date(case.decided_on),
    }


def _service_receipt(case: Case, extra: Mapping) -> dict:
    return {
        "document_title": str(extra["document_title"]),
        "recipient": str(extra["recipient"]), "method": str(extra["method"]),
        "served_on": _moment(extra["served_on"]),
        "service_place": str(extra.get("service_place") or case.party_address or NONE),
        "note": str(extra.get("note") or NONE),
    }


def _closure_approval(case: Case, extra: Mapping) -> dict:
    return {
        "decision_text": _outcome(case),
        "decision_served_on": _date(case.decision_served_on),
        "execution_text": _execution(case),
        "closure_ground": _ground(case),
        **_signed(case, signing.CLOSURE, "同意结案。"),
    }


def _proposed(case: Case, rule) -> dict:
    """The officer's proposal of the chain's newest round: what, why, who, when."""
    rounds = approval_rounds(case, rule)
    first = rounds[-1].signoffs.all()[0]
    return {"proposal_text": "".join((f"{rounds[-1].proposal_label}。",
                                      f"{_sentence(first.reasons)}。"
                                      if first.reasons else "")),
            "proposer": str(first.signed_by),
            "requested_on": date_cn(timezone.localdate(first.signed_at))}


def _check_proposed(rule, what: str) -> Callable[[Case, Mapping], None]:
    def check(case: Case, extra: Mapping) -> None:
        if not approval_rounds(case, rule):
            raise ValidationError({"state": f"本案尚未{what}，不能制发此文书"})
    return check


def _termination_approval(case: Case, extra: Mapping) -> dict:
    return {**_proposed(case, signing.TERMINATION),
            **_signed(case, signing.TERMINATION, "同意终止调查。", "不同意终止调查。")}


def _discussion_record(case: Case, extra: Mapping) -> dict:
    review = _review(case)
    step = case.steps.filter(
        action__in=["hold_collective_discussion",
                    *workflow.RETURNS[S.DISCUSSION_PENDING].values()],
    ).order_by("-pk").first()
    return {
        **_proposed(case, signing.DISCUSSION),
        "proposed_text": "；".join(_items(case.fine_proposed, case.other_measures))
        or NONE,
        "review_text": (f"{review.get_result_display()}：{_sentence(review.opinion)}"
                        if review else "未经法制审核"),
        "minutes": _minutes(case, step.note if step else ""),
        **_signed(case, signing.DISCUSSION, "同意拟处理意见。", "不同意，退回承办人。"),
    }


def _minutes(case: Case, note: str) -> str:
    """The minutes of the discussion step's note (which ends with the principal's
    reasons, when given)."""
    rounds = approval_rounds(case, signing.DISCUSSION)
    last = list(rounds[-1].signoffs.all())[-1] if rounds else None
    reasons = last.reasons if last is not None and last.step else ""
    if reasons and note.endswith(reasons):
        note = note[:-len(reasons)]
    return _sentence(note)


# --- execution: the demand and the application to the court -----------------------


def _check_demand(case: Case, extra: Mapping) -> None:
    facts = services.case_facts(case)
    for guard in (workflow.PENALTY_DECIDED, workflow.SOMETHING_TO_ENFORCE,
                  workflow.PERFORMANCE_OVERDUE):
        if (error := guard.failure(S(case.state), facts)) is not None:
            raise ValidationError({"state": str(error)})


def _check_court(case: Case, extra: Mapping) -> None:
    if case.state == S.COURT_ENFORCEMENT:
        return
    try:
        workflow.check("apply_court_enforcement", case.state, PRINCIPAL,
                       services.case_facts(case))
    except workflow.WorkflowError as error:
        raise ValidationError({"state": str(error)}) from error


def _owed(case: Case) -> tuple[list[str], dict]:
    """What the party still owes today, as numbered duties, and the money lines
    (fine and surcharge counted to today; none once the fine is paid)."""
    today = timezone.localdate()
    unpaid = bool(case.fine_decided) and case.paid_on is None
    owed = execution.payment_surcharge(case, today) if unpaid else None
    surcharge = owed.amount_yuan if owed else Decimal(0)
    lines = [f"缴纳罚款{money_in_words_and_figures(case.fine_decided)}"] if unpaid else []
    if surcharge:
        lines.append(f"缴纳加处罚款{money_in_words_and_figures(surcharge)}"
                     f"（计至{date_cn(today)}）")
    if case.execution_completed_on is None:
        lines += [ln.strip() for ln in case.other_measures.splitlines() if ln.strip()]
    money = {}
    if unpaid:
        due = party_last_day(case.payment_clock)
        money = {"as_of": date_cn(today),
                 "total_money": money_in_words_and_figures(case.fine_decided + surcharge),
                 "surcharge_from": date_cn(due + dt.timedelta(days=1)),
                 "surcharge_rate": _rate_words(rulesets.surcharge_rule().rate_per_day)}
    duties = [f"（{_NUMERALS[i]}）{_sentence(t)}；" for i, t in enumerate(lines)]
    return duties, money


def _decision_title(case: Case) -> str:
    number = _latest(case, "decision")
    return "《行政处罚决定书》" + (f"（{number}）" if number else "")


def _demand_notice(case: Case, extra: Mapping) -> dict:
    duties, money = _owed(case)
    account = extra.get("payment_account")
    return {
        "decided_on": _date(case.decided_on), "decision_title": _decision_title(case),
        "decision_served_on": _date(case.decision_served_on),
        "decided_items": _items(case.fine_decided, case.other_measures),
        "demand_period": services.demand_period(), "duties": duties,
        "when_money": _when(bool(money)),
        "payment_account": f"（收款账户：{account}）" if account else "",
        **{"as_of": "", "total_money": "", "surcharge_from": "",
           "surcharge_rate": "", **money},
    }


def _court_application(case: Case, extra: Mapping) -> dict:
    duties, money = _owed(case)
    windows = services.execution_windows(case)
    demand = _latest(case, "demand_notice")
    return {
        "court": str(extra.get("court") or case.court_name
                     or f"{case.org_unit.division_name}人民法院"),
        "decision_title": _decision_title(case), "duties": duties,
        "decided_on": _date(case.decided_on),
        "decision_served_on": _date(case.decision_served_on),
        "remedy_text": _remedy_text(case),
        "demand_text": (
            f"本机关于{_date(case.demand_served_on)}向被申请人送达了《履行催告书》"
            + (f"（{demand}）" if demand else "")
            + f"，催告其自收到之日起{services.demand_period()}内履行。催告期限届满，"
            "被申请人仍未履行。"),
        "target_text": _target(case, money),
        "court_last_day": _date(windows.court_last_day if windows else None),
    }


def _remedy_text(case: Case) -> str:
    if case.remedy_started_on and case.remedy_ended_on:
        return (f"被申请人于{date_cn(case.remedy_started_on)}申请行政复议或者提起行政"
                f"诉讼，已于{date_cn(case.remedy_ended_on)}终结，被申请人仍未履行。")
    return "被申请人在法定期限内未申请行政复议，也未提起行政诉讼，又不履行上述决定。"


def _target(case: Case, money: dict) -> str:
    """What the court is asked to enforce (行政强制法第五十五条第四项)."""
    parts = [f"金钱给付{money['total_money']}（含加处罚款，计至{money['as_of']}）"
             ] if money else []
    if case.execution_completed_on is None and case.other_measures.strip():
        parts.append(f"{_sentence(case.other_measures.replace(chr(10), '；'))}，"
                     f"涉及的土地（房屋）位于{case.location or NONE}，面积"
                     f"{_area(case.area_m2)}")
    return "；".join(parts) + "。" if parts else NONE


_Check = Callable[[Case, Mapping], None]
_Build = Callable[[Case, Mapping], dict]
_KINDS: dict[str, tuple[_Check, _Build]] = {
    "filing_approval": (_no_check, _filing_approval),
    "stop_order": (_no_check, _stop_order),
    "penalty_notice": (_check_proposal, _penalty_notice),
    "hearing_notice": (_check_hearing, _hearing_notice),
    "review_opinion": (_check_review, _review_opinion),
    "decision": (_check_decision, _decision),
    "service_receipt": (_check_service, _service_receipt),
    "closure_approval": (_check_closure, _closure_approval),
    "termination_approval": (_check_proposed(signing.TERMINATION, "提请终止调查"),
                             _termination_approval),
    "discussion_record": (_check_proposed(signing.DISCUSSION, "提请集体讨论"),
                          _discussion_record),
    "demand_notice": (_check_demand, _demand_notice),
    "court_application": (_check_court, _court_application),
}


def _lead_context(lead: Lead, actor, to_agency: str, reason: str) -> dict:
    violation = _violation(lead.violation_type)
    findings = _sentence(lead.check_findings)
    return {
        "to_agency": to_agency, "reason": reason, "lead_number": lead.number,
        "received_on": date_cn(lead.received_on),
        "lead_source": lead.get_source_display(),
        "lead_description": _sentence(lead.description),
        "location": lead.location or NONE, "suspect": lead.suspect or "不详",
        "violation_label": (violation.label if violation
                            else lead.violation_type or "待认定"),
        "check_findings": [f"经核查：{findings}。"] if findings else [],
        "contact": _contact(actor),
    }


# --- pieces ------------------------------------------------------------------------


def _violation(code: str) -> discretion.Violation | None:
    return rulesets.benchmark().violations.get(code) if code else None


def _version(case: Case, violation: discretion.Violation | None
             ) -> discretion.Violation | None:
    """The version of the violation the act falls under: an act that ended before a
    later law took effect keeps the earlier law's articles (行政处罚法第三十七条)."""
    if violation is None:
        return None
    return discretion.applicable(services.discretion_facts(case),
                                 rulesets.benchmark())[0]


def _basis(case: Case, violation: discretion.Violation | None) -> tuple[str, str]:
    """Return (articles violated, articles punishing) for the case.

    The violation type's citations give the roles; the recommendation stored when
    the notice was served adds what it relied on besides (circumstances, the
    benchmark clause) to the punishing articles.
    """
    own = violation.cites if violation else ()
    # an earlier law's articles name its version: the same number means another
    # article in the law in force now
    then = bool(violation and violation.version_of)
    violated = _cites([c for role, c in own if role == "violated"], then)
    penalty = _cites([c for role, c in own if role != "violated"], then)
    shown = {str(c) for _, c in own}
    stored = (case.recommendation or {}).get("citations") or ()
    penalty += [c for c in stored if isinstance(c, str) and c not in shown]
    return "、".join(violated) or NONE, "、".join(penalty) or NONE


def _cites(cites: list[discretion.Citation], versioned: bool = False) -> list[str]:
    """Name each law once for its run of articles: 《某法》第七条、第九条 (with its
    version, 《某法》（2009年修正）第七条, when ``versioned``)."""
    parts, law = [], None
    for cite in cites:
        version = f"（{cite.version}）" if versioned else ""
        named = f"《{cite.law}》{version}{cite.article}"
        parts.append(cite.article if cite.law == law else named)
        law = cite.law
    return parts


def _items(fine: Decimal | None, measures: str) -> list[str]:
    """The penalty as numbered items: the fine in words and figures, as bureaus write
    it (罚款人民币壹万肆仟元整（¥14,000.00）), then each measure."""
    items = [f"罚款{money_in_words_and_figures(fine)}"] if fine else []
    items += [line.strip() for line in measures.splitlines() if line.strip()]
    return [f"（{_NUMERALS[i]}）{_sentence(t)}；" for i, t in enumerate(items)]


_NUMERALS = "一二三四五六七八九十"


def _rate_words(rate: Decimal) -> str:
    """A daily rate as a decision writes it: 0.03 → 百分之三."""
    percent = (rate * 100).normalize()
    return (f"百分之{numeral(int(percent))}" if percent == percent.to_integral()
            else f"{percent:f}%")


def _area(area_m2: Decimal | None) -> str:
    """Write an area in m² and 亩 (1 亩 = 10000/15 m²)."""
    if area_m2 is None:
        return NONE
    mu = discretion.area_mu(area_m2)
    return f"{area_m2.normalize():f}平方米（{f'合{mu}' if mu else '不足0.01'}亩）"


def _officers(case: Case) -> str:
    people = case.officers.order_by("pk")
    return "、".join(f"{u}（执法证号：{u.badge_number or NONE}）" for u in people)


def _contact(user) -> str:
    return f"{user} {user.phone}".strip() if user else NONE


def _date(day: dt.date | None) -> str:
    return date_cn(day) if day else NONE


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else (
            value.date())
    return value


def _moment(value: dt.date | dt.datetime | str) -> str:
    """Write a date, or a date and time as 2025年9月25日9时30分."""
    if isinstance(value, str):
        return value
    text = date_cn(_day(value))
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text += f"{local.hour}时{local.minute:02d}分" if local.minute else (
            f"{local.hour}时")
    return text


def _sentence(text: str) -> str:
    """Strip the closing full stop, since the template supplies its own."""
    return text.strip().rstrip("。；;.").strip()


def _when(condition: bool) -> list[str]:
    """A switch placeholder: keep its paragraph once, or drop it."""
    return [""] if condition else []


def _review(case: Case):
    return case.reviews.order_by("-decided_at", "-pk").first()


def _latest(case: Case, kind: str) -> str:
    """The doc number of the case's latest instrument of ``kind``, or ''."""
    found = Instrument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case.pk), kind=f"enforcement.{kind}",
    ).order_by("-created_at", "-pk").first()
    return found.doc_number if found else ""


def _evidence(case: Case) -> list[str]:
    stored = Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk),
    ).exclude(kind=EvidenceKind.DOCUMENT).order_by("uploaded_at", "pk")
    names = [_sentence(e.description or e.original_name) for e in stored]
    names = names or ["本案调查取证材料（见案卷）"]
    return [f"{i}. {name}；" for i, name in enumerate(names, 1)]


def _procedure(case: Case) -> list[str]:
    """What the party was told and heard, and who reviewed, in one line each."""
    lines = []
    if case.notice_served_on:
        number = _latest(case, "penalty_notice")
        lines.append(
            f"本机关于{date_cn(case.notice_served_on)}向当事人送达了《行政处罚告知书》"
            + (f"（{number}）" if number else "")
            + "，告知了拟作出行政处罚的内容及事实、理由、依据，以及当事人依法享有的"
            "陈述、申辩等权利。")
    if case.hearing_requested_on:
        held = case.steps.filter(action="hold_hearing").exists()
        lines.append(f"当事人于{date_cn(case.hearing_requested_on)}要求听证，"
                     + ("本机关依法举行了听证。" if held else "听证依法终止。"))
    if case.reviews.filter(result=ReviewResult.PASSED).exists():
        lines.append("本案已经本机关法制审核。")
    if case.steps.filter(action="hold_collective_discussion").exists():
        lines.append("本案经本机关负责人集体讨论决定。")
    return lines


def _ending(case: Case) -> str:
    """The state the case reached before its closure was proposed (or now)."""
    if case.state not in (S.CLOSURE_PENDING, S.CLOSED):
        return case.state
    step = case.steps.filter(action="propose_closure").order_by("-pk").first()
    return step.state_before if step else case.state


def _outcome(case: Case) -> str:
    state = _ending(case)
    if state == S.TERMINATED:
        return f"终止调查：{_sentence(case.end_reason) or NONE}"
    if state == S.TRANSFERRED:
        reason = _sentence(case.end_reason) or NONE
        return f"移送{case.transferred_to or NONE}：{reason}"
    number = _latest(case, "decision")
    items = _items(case.fine_decided or Decimal(0), case.other_measures)
    return (f"{number or '行政处罚决定'}（{_date(case.decided_on)}）："
            + ("".join(items) or "不予行政处罚"))


def _execution(case: Case) -> str:
    parts = []
    if case.paid_on:
        paid = case.amount_paid if case.amount_paid is not None else case.fine_decided
        parts.append(f"当事人已于{date_cn(case.paid_on)}缴纳罚款{money_in_words_and_figures(paid)}")
    elif case.payment_clock and not case.payment_clock.is_open:
        parts.append("罚款已缴纳")
    if case.court_applied_on:
        parts.append(f"已于{date_cn(case.court_applied_on)}申请"
                     f"{case.court_name or '人民法院'}强制执行")
    if case.execution_completed_on:
        parts.append(f"于{date_cn(case.execution_completed_on)}执行完毕")
    if case.execution_note.strip():
        parts.append(_sentence(case.execution_note))
    return "；".join(parts) or NONE


def _ground(case: Case) -> str:
    grounds = {
        S.TERMINATED: "经批准终止调查",
        S.TRANSFERRED: "案件已移送有管辖权的机关",
        S.COURT_ENFORCEMENT: "已申请人民法院强制执行",
    }
    if (state := _ending(case)) in grounds:
        return grounds[state]
    if not (case.fine_decided or case.other_measures.strip()):
        return "不予行政处罚决定已送达"
    return "行政处罚决定已执行完毕"


def _scrub(values: dict, lead: Lead | None) -> dict:
    """Blank every tipster name, phone or contact found inside the values."""
    secrets = _tipster_strings(lead)
    if not secrets:
        return values

    def clean(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, HIDDEN)
        return text

    return {k: [clean(v) for v in value] if isinstance(value, list) else clean(value)
            for k, value in values.items()}


def _tipster_strings(lead: Lead | None) -> list[str]:
    if lead is None:
        return []
    raw = [lead.tipster_name, lead.tipster_phone, lead.tipster_contact]
    digits = "".join(ch for ch in lead.tipster_phone if ch.isdigit())
    found = {s.strip() for s in [*raw, digits] if len(s.strip()) >= 2}
    return sorted(found, key=len, reverse=True)  # longest first: no partial leftovers

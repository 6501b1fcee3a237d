"""Enforcement publicity (执法公示): penalty decisions published, withdrawn, and the
bureau's published enforcement basics.

Services (``publication_*``) check the actor, write in one transaction and audit.
The public selectors take no actor: they return only what anyone may read, already
redacted by ``redact``; pages must show the ``*_shown`` fields and nothing else
of a publication (never its ``case`` or ``redactions``).

Law: decisions are published within 7 working days (国办发〔2018〕118号, rule
``penalty.publicity_publish``); a published decision later varied, revoked or found
illegal or void is withdrawn within 3 working days and the reason published
(行政处罚法第四十八条第二款, rule ``penalty.publicity_withdraw``).

A decision not to penalise (不予行政处罚) is not published: it imposes no penalty,
118号 speaks of penalty decisions, and publishing it would expose a party the
bureau did not sanction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from fazhi.core import audit, dates
from fazhi.core.instruments import instrument_list_for
from fazhi.core.models import OrgLevel, OrgUnit
from fazhi.core.numbers import doc_number_normalise, yuan
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.scope import scoped
from fazhi.deadlines import services as clocks
from fazhi.deadlines.overdue import by_due
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import discretion, workflow
from fazhi.enforcement.cases.coercion import numeral
from fazhi.enforcement.models import Case, CaseState, Publication
from fazhi.enforcement.publicity import redact

PUBLISHER_ROLES = (Role.ENFORCEMENT_OFFICER, Role.PRINCIPAL)
PUBLISH_RULE = "penalty.publicity_publish"
WITHDRAW_RULE = "penalty.publicity_withdraw"
DECISION_KIND = "enforcement.decision"
# States a case can be in once its decision is made (closed: only if decided_on).
DECIDED_STATES = (
    CaseState.DECIDED,
    CaseState.SERVED,
    CaseState.EXECUTING,
    CaseState.COURT_ENFORCEMENT,
    CaseState.CLOSED,
)
_PENALTY = Q(fine_decided__gt=0) | ~Q(other_measures="")
"""A decision that imposes something: a fine or another measure."""


# --- rule data, from the one cache ---------------------------------------------------

_policy = rulesets.redaction_policy
_benchmark = rulesets.benchmark


def publication_due_date(decided_on: dt.date) -> dt.date:
    """The last day to publish a decision made on ``decided_on`` (7 working days)."""
    return clocks.due_dates(PUBLISH_RULE, [decided_on])[0]


# --- building the published text ------------------------------------------------------


def is_penalty(case: Case) -> bool:
    """Tell whether the decision imposes a fine or another measure."""
    return bool(case.fine_decided and case.fine_decided > 0) or bool(
        case.other_measures.strip()
    )


def _parties(case: Case) -> list[redact.Party]:
    return [
        redact.Party(
            name=case.party_name,
            kind=case.party_kind,
            id_number=case.party_id_number,
            phone=case.party_phone,
            address=case.party_address,
        )
    ]


def _protected(case: Case) -> list[str]:
    """Tipsters' identities: never shown, even when the facts name them."""
    lead = case.lead
    if lead is None:
        return []
    found = (lead.tipster_name, lead.tipster_phone, lead.tipster_contact)
    return [value.strip() for value in found if value and value.strip()]


def _facts(case: Case) -> str:
    extras = [f"地点：{case.location}"] if case.location else []
    if case.area_m2:
        extras.append(f"面积：{case.area_m2}平方米")
    if case.land_class:
        land = discretion.LAND_CLASSES.get(case.land_class, case.land_class)
        extras.append(f"地类：{land}")
    tail = f"（{'，'.join(extras)}）" if extras else ""
    return case.facts_summary.strip() + tail


def _penalty(case: Case) -> str:
    parts = []
    if case.fine_decided and case.fine_decided > 0:
        parts.append(f"罚款人民币{yuan(case.fine_decided)}元")
    if case.other_measures.strip():
        parts.append(case.other_measures.strip())
    return "；".join(parts)


def _violation(case: Case) -> tuple[str, str]:
    """Return the violation's label and the articles breached and applied."""
    found = _benchmark().violations.get(case.violation_type)
    if found is None:
        return case.violation_type, ""
    breached = [str(c) for role, c in found.cites if role == "violated"]
    applied = [str(c) for role, c in found.cites if role != "violated"]
    basis = f"违反{'、'.join(breached)}；依据{'、'.join(applied)}"
    return found.label, basis


def _shown(case: Case) -> tuple[dict[str, str], list[dict]]:
    """Return the redacted fields and the record of what was hidden where.

    The texts come from ``redact_decision`` (a name labelled in one field is hidden
    in all); the record lists each field's own findings, without the originals.
    """
    fields = {
        "party": case.party_name,
        "facts": _facts(case),
        "penalty": _penalty(case),
    }
    args = dict(parties=_parties(case), protected_names=_protected(case))
    texts = redact.redact_decision(fields, policy=_policy(), **args)
    if case.party_kind == "person":
        texts["party"] = redact.mask_name(case.party_name, policy=_policy())
    record = [
        {
            "field": key,
            "category": r.category,
            "start": r.start,
            "end": r.end,
            "mask": r.mask,
        }
        for key, text in fields.items()
        for r in redact.redact_text(text, policy=_policy(), **args).replacements
    ]
    return texts, record


def _redact_for(case: Case, text: str) -> str:
    args = dict(parties=_parties(case), protected_names=_protected(case))
    return redact.redact_text(text, policy=_policy(), **args).text


def _decision_number(case: Case, actor) -> str:
    """The decision instrument's number; the case number until one is issued."""
    instrument = (
        instrument_list_for(actor=actor, matter=case).filter(kind=DECISION_KIND).last()
    )
    return instrument.doc_number if instrument else case.number


# --- services -------------------------------------------------------------------------


def publication_preview(*, case: Case, actor) -> dict[str, str]:
    """Return the texts publishing would show, for the officer to check first.

    The redactor finds only the names it is given or that stand after a label; a
    witness or neighbour named in the facts must be caught here by a person.
    """
    require_role(actor, case, *PUBLISHER_ROLES, what="办理执法公示")
    texts, _ = _shown(case)
    label, basis = _violation(case)
    return {**texts, "violation": label, "basis": basis}


def _check_publishable(case: Case, published_on: dt.date) -> None:
    if case.state not in DECIDED_STATES or case.decided_on is None:
        raise ValidationError({"case": "该案件尚未作出处罚决定，不能公示"})
    if not is_penalty(case):
        raise ValidationError({"case": "不予行政处罚的决定不在执法公示范围内"})
    if Publication.objects.filter(case=case).exists():
        raise ValidationError({"case": "该处罚决定已经公示"})
    if not case.decided_on <= published_on <= dates.today():
        raise ValidationError(
            {"published_on": "公示日期须在决定日期之后，且不能晚于今天"}
        )


def publication_publish(
    *, case: Case, actor, published_on: dt.date | None = None
) -> Publication:
    """Publish the case's penalty decision, redacted; flag it if past 7 working days."""
    require_role(actor, case, *PUBLISHER_ROLES, what="办理执法公示")
    published_on = published_on or dates.today()
    _check_publishable(case, published_on)
    due = publication_due_date(case.decided_on)
    texts, record = _shown(case)
    label, basis = _violation(case)
    with transaction.atomic():
        try:
            with transaction.atomic():
                publication = Publication.objects.create(
                    case=case,
                    org_unit=case.org_unit,
                    decision_number=_decision_number(case, actor),
                    party_shown=texts["party"],
                    violation_label=label,
                    facts_shown=texts["facts"],
                    penalty_shown=texts["penalty"],
                    basis_shown=basis,
                    decided_on=case.decided_on,
                    published_on=published_on,
                    published_late=published_on > due,
                    redactions=record,
                    published_by=actor,
                )
        except IntegrityError:
            raise ValidationError({"case": "该处罚决定刚被他人公示"}) from None
        late = "（逾期）" if publication.published_late else ""
        audit.record(
            actor=actor,
            obj=publication,
            action="publicity.publish",
            summary=f"公示行政处罚决定 {publication.decision_number}{late}",
            after={
                "case": case.pk,
                "published_on": published_on,
                "due": due,
                "late": publication.published_late,
                "redactions": len(record),
            },
        )
    return publication


def case_mark_corrected(*, case: Case, actor, note: str, on: dt.date) -> Case:
    """Mark a decision corrected by reconsideration or a court (the public service
    the disputes module calls); a published decision's withdrawal clock starts.

    The bureau's legal-affairs officer records the outcome, so this service
    accepts that role as well as the publishers'.
    """
    require_role(actor, case, Role.LEGAL_AFFAIRS_OFFICER, *PUBLISHER_ROLES,
                 what="登记纠错")
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(corrected_on=on, correction_note=note)
        case.corrected_on, case.correction_note = on, note
        audit.record(actor=actor, obj=case, action="enforcement.corrected",
                     summary=f"处罚决定被纠错（{on}）：{note}")
        published = Publication.objects.filter(
            case=case, withdrawal_due=False, withdrawn_on__isnull=True).exists()
        if published:
            _order_withdrawal(case, actor, note, on)
    return case


def publication_withdraw_order(
    *, case: Case, actor, ground: str, ordered_on: dt.date
) -> Publication:
    """Record that the published decision was varied or revoked (by reconsideration,
    litigation or the bureau); the 3-working-day withdrawal clock starts.

    ``ground`` is published with the withdrawal (Art. 48(2)), so it is redacted too.
    """
    require_role(actor, case, *PUBLISHER_ROLES, what="办理执法公示")
    return _order_withdrawal(case, actor, ground, ordered_on)


def _order_withdrawal(case: Case, actor, ground: str, ordered_on: dt.date
                      ) -> Publication:
    publication = Publication.objects.filter(case=case).first()
    if publication is None:
        raise ValidationError({"case": "该案件的处罚决定尚未公示，无需撤下"})
    if publication.withdrawal_due or publication.withdrawn_on:
        raise ValidationError({"case": "该公示已在撤下流程中或已撤下"})
    if not ground.strip():
        raise ValidationError(
            {"ground": "请写明决定被变更、撤销或确认违法、无效的事由"}
        )
    if not publication.decided_on <= ordered_on <= dates.today():
        raise ValidationError({"ordered_on": "日期须在原决定之后，且不能晚于今天"})
    shown = _redact_for(case, ground.strip())
    with transaction.atomic():
        clock = clocks.clock_start(
            matter=case,
            rule_id=WITHDRAW_RULE,
            start=ordered_on,
            actor=actor,
            title=f"撤下公示 {publication.decision_number}",
            org_unit=case.org_unit,
        )
        _update(
            publication,
            dict(withdrawal_due=False),
            withdraw_clock=clock,
            withdrawal_due=True,
            withdraw_ground=shown,
        )
        audit.record(
            actor=actor,
            obj=publication,
            action="publicity.withdraw_order",
            summary=f"原处罚决定已变更或撤销，应于{clock.due_date}前撤下公示：{ground}",
            before={"withdrawal_due": False},
            after={"withdrawal_due": True, "clock": clock.pk, "due": clock.due_date},
        )
    return publication


def publication_withdraw(
    *, publication: Publication, actor, withdrawn_on: dt.date
) -> Publication:
    """Take the publication down; the withdrawal clock stops on ``withdrawn_on``."""
    require_role(actor, publication, *PUBLISHER_ROLES, what="办理执法公示")
    publication.refresh_from_db()  # the order may have come through another object
    clock = publication.withdraw_clock
    if not publication.withdrawal_due or clock is None:
        raise ValidationError({"publication": "请先登记原决定被变更或撤销的事由"})
    if not clock.start_date <= withdrawn_on <= dates.today():
        raise ValidationError(
            {"withdrawn_on": "撤下日期须在登记日之后，且不能晚于今天"}
        )
    with transaction.atomic():
        _update(
            publication,
            dict(withdrawal_due=True),
            withdrawn_on=withdrawn_on,
            withdrawal_due=False,
        )
        clocks.clock_stop(clock=clock, on=withdrawn_on, actor=actor)
        audit.record(
            actor=actor,
            obj=publication,
            action="publicity.withdraw",
            summary=f"撤下公示 {publication.decision_number}（{withdrawn_on}）",
            before={"withdrawal_due": True},
            after={"withdrawn_on": withdrawn_on, "late": withdrawn_on > clock.due_date},
        )
    return publication


def _update(publication: Publication, expect: dict, **fields) -> None:
    """Change the row only if nobody else did first (two officers, one click each)."""
    rows = Publication.objects.filter(
        pk=publication.pk, withdrawn_on__isnull=True, **expect
    ).update(**fields)
    if not rows:
        raise ValidationError({"publication": "该公示刚被他人处理，请刷新后重试"})
    for name, value in fields.items():
        setattr(publication, name, value)


# --- public selectors (no actor: everything returned is public) -----------------------


def publicity_bureaus() -> QuerySet[OrgUnit]:
    """The county bureaus that publish their enforcement (谁执法谁公示)."""
    return OrgUnit.objects.filter(level=OrgLevel.COUNTY).order_by("division_code")


def publication_public_list(
    *, org_unit: OrgUnit | None = None, year: int | None = None, q: str = ""
) -> QuerySet[Publication]:
    """Published decisions not withdrawn, newest first; ``q`` searches shown text."""
    qs = Publication.objects.filter(withdrawn_on__isnull=True)
    if org_unit is not None:
        qs = qs.filter(org_unit=org_unit)
    if year:
        qs = qs.filter(published_on__year=year)
    for word in q.split()[:5]:
        word = doc_number_normalise(word, complete=False)
        qs = qs.filter(
            Q(decision_number__icontains=word)
            | Q(party_shown__icontains=word)
            | Q(violation_label__icontains=word)
            | Q(facts_shown__icontains=word)
        )
    return qs.select_related("org_unit")


def publication_public_years(org_unit: OrgUnit) -> list[int]:
    """Years in which the bureau published decisions, newest first."""
    days = publication_public_list(org_unit=org_unit).dates("published_on", "year")
    return sorted((d.year for d in days), reverse=True)


def publication_withdrawn_list(*, org_unit: OrgUnit) -> QuerySet[Publication]:
    """Withdrawn publications: only their number, date and published reason show."""
    return Publication.objects.filter(
        org_unit=org_unit, withdrawn_on__isnull=False
    ).order_by("-withdrawn_on", "-pk")


def publication_public_get(*, org_unit: OrgUnit, pk: int) -> Publication:
    """One publication of the bureau, withdrawn or not (the page tells which)."""
    try:
        return Publication.objects.select_related("org_unit").get(
            org_unit=org_unit, pk=pk
        )
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该公示信息") from None


# --- staff selector -------------------------------------------------------------------


@dataclass(frozen=True)
class Unpublished:
    """A penalty decision not yet published, with its last day to publish."""

    case: Case
    due: dt.date
    overdue: bool


@dataclass(frozen=True)
class PublicityDue:
    """The staff's publicity work: decisions to publish and takedowns pending."""

    unpublished: list[Unpublished]
    withdrawals: list[Publication]
    published: list[Publication]


def publication_due_list(*, actor, published_limit: int = 50) -> PublicityDue:
    """Decided cases awaiting publication and publications awaiting withdrawal,
    in the caller's subtree, soonest due first."""
    cases = list(
        scoped(
            Case.objects.filter(
                state__in=DECIDED_STATES,
                decided_on__isnull=False,
                publication__isnull=True,
            ).filter(_PENALTY),
            actor,
        )
        .select_related("org_unit")
        .order_by("decided_on", "pk")
    )
    dues = clocks.due_dates(PUBLISH_RULE, [c.decided_on for c in cases])
    today = dates.today()
    pubs = scoped(Publication.objects.all(), actor).select_related(
        "withdraw_clock", "org_unit", "case"
    )
    return PublicityDue(
        unpublished=[
            Unpublished(c, d, d < today) for c, d in zip(cases, dues, strict=True)
        ],
        withdrawals=list(
            pubs.filter(withdrawal_due=True).order_by(*by_due("withdraw_clock__due_date"))
        ),
        published=list(
            pubs.filter(withdrawal_due=False, withdrawn_on__isnull=True)[
                :published_limit
            ]
        ),
    )


# --- enforcement basics (事前公开) -------------------------------------------------


@dataclass(frozen=True)
class OfficerShown:
    """An officer as published: name and enforcement certificate number only."""

    name: str
    badge: str


@dataclass(frozen=True)
class BasisShown:
    """A violation type and the articles it breaches, punishes and fixes amounts by."""

    code: str
    label: str
    breached: tuple[str, ...]
    applied: tuple[str, ...]
    measures: tuple[str, ...]


@dataclass(frozen=True)
class StageShown:
    """A step of the ordinary procedure, who does it, who approves, on what basis."""

    label: str
    responsible: str
    approver: str
    basis: str


@dataclass(frozen=True)
class Basics:
    """Who may enforce, on what legal basis, by what procedure, and the remedies."""

    org_unit: OrgUnit
    officers: list[OfficerShown]
    bases: list[BasisShown]
    stages: list[StageShown]
    remedies: list[str]


# The articles each stage rests on (workflow.py's docstring and docs/domain-law.md).
STAGE_BASIS = {
    "filing": "自然资源行政处罚办法第十六条：经负责人批准立案",
    "investigation": "行政处罚法第四十二条：执法人员不少于两人，持执法证件",
    "notification": "行政处罚法第四十四条、第四十五条、第六十三条至第六十五条："
    "告知拟处罚内容及陈述、申辩、要求听证的权利",
    "legal_review": "行政处罚法第五十八条：重大执法决定须经法制审核",
    "decision": "行政处罚法第五十七条、第五十九条：负责人决定，"
    "情节复杂或重大的集体讨论",
    "service": "行政处罚法第六十一条：当场交付或七日内送达",
    "execution": "行政处罚法第六十六条至第七十三条；行政强制法第五十三条、第五十四条",
    "closure": "自然资源行政处罚办法第四十六条：经负责人批准结案",
}


def enforcement_basics(org_unit: OrgUnit) -> Basics:
    """Return the bureau's published enforcement basics (行政处罚法第三十九条)."""
    return Basics(
        org_unit=org_unit,
        officers=_officers(org_unit),
        bases=[_basis(v) for v in _benchmark().current().values()],
        stages=[_stage(s) for s in workflow.STAGES],
        remedies=_remedies(org_unit),
    )


def _officers(org_unit: OrgUnit) -> list[OfficerShown]:
    # Only the two public columns leave the database: no phone, no username.
    rows = (
        get_user_model()
        .objects.filter(
            org_unit=org_unit,
            is_active=True,
            role_grants__role=Role.ENFORCEMENT_OFFICER,
        )
        .exclude(badge_number="")
        .order_by("badge_number")
        .values_list("full_name", "badge_number")
        .distinct()
    )
    return [OfficerShown(name, badge) for name, badge in rows]


def _basis(violation: discretion.Violation) -> BasisShown:
    def cites(roles: Iterable[str]) -> tuple[str, ...]:
        return tuple(str(c) for role, c in violation.cites if role in roles)

    return BasisShown(
        code=violation.code,
        label=violation.label,
        breached=cites({"violated"}),
        applied=cites({"penalty", "amount"}),
        measures=tuple(f"{m.text}（{m.citation}）" for m in violation.measures),
    )


def _stage(stage: workflow.Stage) -> StageShown:
    return StageShown(
        label=stage.label,
        responsible=workflow.ROLE_LABELS[stage.responsible_role],
        approver=workflow.ROLE_LABELS[stage.approver_role],
        basis=STAGE_BASIS.get(stage.code, ""),
    )


def _remedies(org_unit: OrgUnit) -> list[str]:
    """The remedies as published: the general period to sue, then each measure's own
    period where a special law sets one (execution rules, as the decision says)."""
    rules = rulesets.execution_rules()
    months = numeral(rules.litigation_months)
    lines = [
        # 2023 Reconsideration Law Art. 24: the same-level government hears them.
        f"申请行政复议：自知道该行政行为之日起{numeral(rules.reconsideration_days)}"
        f"日内，向{org_unit.division_name}人民政府申请（行政复议法第二十条）",
        f"提起行政诉讼：自知道作出行政行为之日起{months}个月内，向有管辖权的人民法院起诉"
        "（行政诉讼法第四十六条）",
    ]
    lines += [f"其中对{p.label}决定不服的，自接到决定之日起{numeral(p.days)}日内"
              f"向人民法院起诉（《{p.law}》{p.article}）"
              for p in rules.by_measure.values() if p.law]
    return lines

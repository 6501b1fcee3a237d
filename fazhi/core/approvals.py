"""Sign-offs on a matter: propose, sign step by step, or send back — every module.

A module names its chain once (``ChainRule``: the app whose ``rules/approvals.toml``
holds it, and its code) and calls these services inside its own transaction, next
to the ``advance`` that moves the matter's state:

- ``approval_propose``: the person handling the matter proposes (承办意见); a
  round of the chain starts, with the chain's steps as the rules say today;
- ``approval_sign``: the next step's signer agrees (同意) or disagrees (不同意, with
  reasons): a disagreement ends the round and sends the matter back to the
  proposer, who reads the reasons on the matter's page and in a notification;
- ``approval_rounds`` / ``approval_latest``: what the page and the printed form
  show (who, when, opinion).

The rules hold on every path because they are here, not in a page: steps in
order, only the step's role, only a member of the matter's own bureau, nobody
signs their own proposal or a step after one they signed (``chains.judge``). A
second signer racing the first is refused by an optimistic update of the round
and the unique step; the audit event is written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from fazhi.core import audit, notices, ruledata
from fazhi.core.chains import Chain, Chains, ChainStep, Signed, judge, load_chains
from fazhi.core.matters import refusals
from fazhi.core.models import Approval, ApprovalState, Opinion, SignOff
from fazhi.core.permissions import require_role
from fazhi.core.rule_folders import module_rule_dirs
from fazhi.core.ruledata import RuleFileError

RACED = "该审批刚被他人处理，请刷新页面后重试"


def _turn(approval: Approval, matter, actor) -> tuple[int, ChainStep]:
    """The step of ``approval`` that ``actor`` may sign now, or raise why not: the
    chain's rules (``chains.judge``), then the bureau (an active member of the
    matter's own)."""
    steps = [ChainStep(**s) for s in approval.steps]
    signed = [Signed(s.step, s.signed_by_id, s.opinion != Opinion.DISAGREE,
                     s.acting_for_id)
              for s in approval.signoffs.all()]
    with refusals():
        # A stand-in signs as themselves and everyone they stand in for today.
        n = judge(steps, signed, {actor.pk, *actor.stands_in_for}, actor.roles)
    require_role(actor, matter, steps[n].role, what=f"签署“{steps[n].label}”")
    return n, steps[n]


def _acted_for(actor) -> int | None:
    """The person the check just passed let ``actor`` act for (a stand-in), if any."""
    acting = actor.acting_now
    return acting[0] if acting else None


@dataclass(frozen=True)
class ChainRule:
    """Where a module's chain is written: app label, chain code, and the loader
    (``chains.load_chains``, or the module's own that checks its chains further)."""

    module: str
    code: str
    loader: Callable[[tuple[Path, ...]], Chains] = field(default=load_chains)

    def chains(self) -> Chains:
        """Every chain of the module: shipped, then the bureau's override folders."""
        shipped = Path(apps.get_app_config(self.module).path) / "rules"
        return ruledata.cached(self.loader, [shipped, *module_rule_dirs(self.module)])

    def chain(self, variant: str = "") -> Chain:
        """The chain for ``variant`` (e.g. a permit kind's code), else the default."""
        return self.chains().get_for(self.code, variant)


# --- the chain a kind of matter's extensions follow -----------------------------------


def extension_rule(kind) -> ChainRule | None:
    """Where the chain of sign-offs of extension requests on ``kind``'s clocks is
    written (``MatterKind.extension_chain``), or None for a kind without one."""
    return ChainRule(kind.app_label, kind.extension_chain) if kind.extension_chain else None


def extension_chain(rule: ChainRule) -> Chain:
    """The chain as the rules say today: the asker (申请), then the one who decides.
    An extension is approved or refused in one decision, so its chain has two steps."""
    chain = rule.chain()
    if len(chain.steps) != 2:
        raise RuleFileError(
            f"{chain.path}：审批流程“{chain.code}”须为两步：申请、审批（现为"
            f"{len(chain.steps)}步）", path=chain.path, key=chain.code)
    return chain


def extension_role(kind) -> str:
    """The role that decides extension requests on ``kind``'s clocks: the deciding
    step of its chain in the rule data (a bureau changes it there), else the kind's
    ``extensions``; "" when nobody does."""
    rule = extension_rule(kind)
    return extension_chain(rule).steps[-1].role if rule else kind.extensions


# --- reading ------------------------------------------------------------------------


def _rounds(matter: models.Model, rule: ChainRule):
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(matter),
        object_id=str(matter.pk), chain=rule.code)


def approval_rounds(matter: models.Model, rule: ChainRule) -> list[Approval]:
    """Every round of the chain on ``matter``, oldest first, with its sign-offs
    (and signers) in step order."""
    return list(_rounds(matter, rule).order_by("round").prefetch_related(
        Prefetch("signoffs", SignOff.objects.select_related("signed_by", "acting_for"))))


def approval_latest(matter: models.Model, rule: ChainRule) -> Approval | None:
    """The newest round, or None before the first proposal."""
    return _rounds(matter, rule).order_by("-round").first()


def approval_turn(matter: models.Model, rule: ChainRule, actor) -> ChainStep | None:
    """The step ``actor`` may sign now on ``matter`` (so the page offers the form
    to whoever's turn it is and no one else), or None."""
    approval = approval_latest(matter, rule)
    if approval is None:
        return None
    try:
        return _turn(approval, matter, actor)[1]
    except (PermissionDenied, ValidationError):
        return None


def approval_complete(matter: models.Model, rule: ChainRule) -> Approval | None:
    """The newest round if every step agreed, else None."""
    latest = approval_latest(matter, rule)
    return latest if latest and latest.state == ApprovalState.APPROVED else None


# --- acting -------------------------------------------------------------------------


def approval_propose(
    *, matter: models.Model, rule: ChainRule, actor, proposal: str,
    proposal_label: str, reasons: str = "", variant: str = "", lapsed: bool = False,
) -> Approval:
    """Start a round: ``actor`` proposes ``proposal`` (the module's code, with the
    words staff read) with the reasons; the chain's next step waits.

    Allowed before the first round and after a round was sent back; after a
    complete round too when the module says what it approved has ``lapsed`` (a
    case sent back to investigation must be discussed again).
    """
    chain = rule.chain(variant)
    first = chain.proposer
    require_role(actor, matter, first.role, what=f"提出{first.label}意见")
    latest = approval_latest(matter, rule)
    again = (ApprovalState.RETURNED, *((ApprovalState.APPROVED,) if lapsed else ()))
    if latest is not None and latest.state not in again:
        raise ValidationError({"state": f"“{chain.label}”已{latest.get_state_display()}"
                                        "，不能重复提出"})
    with transaction.atomic():
        try:
            with transaction.atomic():
                approval = Approval.objects.create(
                    content_type=ContentType.objects.get_for_model(matter),
                    object_id=str(matter.pk), org_unit=matter.org_unit,
                    chain=rule.code, title=chain.label,
                    round=latest.round + 1 if latest else 1,
                    steps=[s.as_dict() for s in chain.steps],
                    basis=str(chain.basis)[:300], proposal=proposal,
                    proposal_label=proposal_label, created_at=timezone.now())
                SignOff.objects.create(approval=approval, step=0, label=first.label,
                                       role=first.role, opinion=Opinion.PROPOSE,
                                       reasons=reasons.strip(), signed_by=actor,
                                       acting_for_id=_acted_for(actor),
                                       signed_at=approval.created_at)
        except IntegrityError:
            raise ValidationError({"state": RACED}) from None
        audit.record(
            actor=actor, obj=matter, action="approval.propose",
            summary=f"{chain.label}：{first.label}意见 {proposal_label}"
                    f"{'：' + reasons.strip() if reasons.strip() else ''}"
                    f"（报{' → '.join(s.label for s in chain.signers)}）",
            after={"approval": approval.pk, "chain": chain.code,
                   "round": approval.round, "proposal": proposal})
    return approval


def approval_sign(
    *, matter: models.Model, rule: ChainRule, actor, agree: bool, reasons: str = "",
    tell_proposer: bool = True,
) -> SignOff:
    """Sign the step waiting: agree, or disagree with reasons (the round goes back
    to the proposer, who is told with the reasons — unless ``tell_proposer`` is
    False: the caller tells them in its own words). Returns the signature; its
    ``approval`` is the round as it now stands."""
    approval = approval_latest(matter, rule)
    if approval is None:
        raise ValidationError({"state": "尚未提出拟办意见，没有待签的审批"})
    n, step = _turn(approval, matter, actor)
    if not agree and not reasons.strip():
        raise ValidationError({"reasons": "不同意的，须写明理由，退回承办人"})
    last = n == len(approval.steps) - 1
    state = (ApprovalState.RETURNED if not agree
             else ApprovalState.APPROVED if last else ApprovalState.OPEN)
    with transaction.atomic():
        moved = Approval.objects.filter(
            pk=approval.pk, state=ApprovalState.OPEN, waiting_step=n).update(
            state=state, waiting_step=n + 1 if agree else n)
        if not moved:
            raise ValidationError({"state": RACED})
        try:
            with transaction.atomic():
                signoff = SignOff.objects.create(
                    approval=approval, step=n, label=step.label, role=step.role,
                    opinion=Opinion.AGREE if agree else Opinion.DISAGREE,
                    reasons=reasons.strip(), signed_by=actor,
                    acting_for_id=_acted_for(actor), signed_at=timezone.now())
        except IntegrityError:
            raise ValidationError({"state": RACED}) from None
        approval.refresh_from_db()
        word = "同意" if agree else "不同意"
        audit.record(
            actor=actor, obj=matter, action="approval.sign",
            summary=f"{approval.title}：{step.label}意见 {word}"
                    f"{'：' + reasons.strip() if reasons.strip() else ''}",
            after={"approval": approval.pk, "round": approval.round, "step": n,
                   "opinion": "agree" if agree else "disagree",
                   "state": approval.state})
        if not agree and tell_proposer:
            _tell_proposer(approval, matter, step.label, reasons.strip())
    return signoff


def approval_end(*, matter: models.Model, rule: ChainRule) -> None:
    """The matter ended another way (withdrawn, say): a round still waiting stops
    waiting. Called inside the service that ends the matter, which audits it."""
    _rounds(matter, rule).filter(state=ApprovalState.OPEN).update(
        state=ApprovalState.ENDED)


def _tell_proposer(approval: Approval, matter, label: str, reasons: str) -> None:
    """The proposer is told the round came back, with the reasons, once."""
    proposer = approval.signoffs.get(step=0).signed_by
    link = matter.get_absolute_url() if hasattr(matter, "get_absolute_url") else ""
    notices.decision_reached(
        proposer, event=f"approval:{approval.pk}:refused", link=link,
        org_unit=approval.org_unit,
        message=f"{approval.title}（{matter}）被退回：{label}不同意，理由：{reasons}")

"""The applicant's rating of the service (好差评) and the answer to a complaint."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core import audit, dates, notices
from fazhi.core.approvals import (
    ChainRule,
    approval_latest,
    approval_propose,
    approval_rounds,
    approval_sign,
    approval_turn,
)
from fazhi.core.models import ApprovalState
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.core.rule_folders import module_rules
from fazhi.deadlines import services as clocks
from fazhi.permits import kinds as kind_rules
from fazhi.permits.models import (
    Application,
    Rating,
    RatingChannel,
)
from fazhi.permits.services.common import (
    err,
)
from fazhi.permits.services.signing import load_approvals

PUBLIC_RATER = "申请人（网上评价）"
# A bad rating's verification (差评核实): the rated window explains, the role the
# rule data names verifies (permits/rules/approvals.toml).
COMPLAINT = ChainRule("permits", "permit.complaint", load_approvals)


def rating_scale() -> tuple[dict[int, str], int]:
    """The rating levels and the highest score that counts as bad (rule data)."""
    return module_rules("permits", kind_rules.load_rating_scale)


def rating_record(*, application: Application, score: int, comment: str,
                  channel: str, actor=None) -> Rating:
    """Record the applicant's rating; a bad one opens a complaint on its clock.

    At the window the clerk records it (``actor``); online the applicant rates
    through the application's private link, with no account.
    """
    if actor is not None:
        require_role(actor, application, Role.WINDOW_CLERK)
    levels, bad = rating_scale()
    if channel not in RatingChannel.values:
        raise err("channel", "评价渠道须为窗口评价器或网上评价")
    if score not in levels:
        raise err("score", f"评分须为{min(levels)}至{max(levels)}")
    if Rating.objects.filter(application=application).exists():
        raise err("score", "本次办理已评价，每件只能评价一次")
    today = dates.today()
    who = actor or PUBLIC_RATER
    with transaction.atomic():
        rating = Rating.objects.create(application=application, score=score,
                                       comment=comment, channel=channel, rated_on=today)
        if score <= bad:
            rating.complaint_clock = clocks.clock_start(
                matter=application, rule_id="permit.complaint_answer", start=today,
                actor=who, title=f"差评核实答复 {application.number}")
            rating.save(update_fields=["complaint_clock"])
            explains = COMPLAINT.chain().proposer
            people = ([application.clerk] if application.clerk_id else
                      notices.people_with_role(application.org_unit, explains.role))
            notices.notify(people, notices.work_notice(
                f"complaint:{rating.pk}:bad", f"差评{explains.label}", application),
                org_unit=application.org_unit)
        audit.record(actor=who, obj=application, action="permits.rating",
                     summary=f"评价：{levels[score]}（{score}分）",
                     after={"score": score, "channel": channel})
    return rating


def complaint_explain(*, rating: Rating, actor, explanation: str) -> Rating:
    """The rated window explains what happened (情况说明): the proposal of the chain
    ``permit.complaint``, which the verifying role (a supervisor as shipped) then
    checks. Again after a verification sent it back."""
    if rating.complaint_clock_id is None:
        raise err("explanation", "该评价不是差评，无需说明")
    if rating.answered_on:
        raise err("explanation", "该差评已核实答复")
    if not explanation.strip():
        raise err("explanation", "请写明差评所涉情况")
    application = rating.application
    step = COMPLAINT.chain().signers[0]
    with transaction.atomic():
        approval_propose(matter=application, rule=COMPLAINT, actor=actor,
                         proposal="explain", proposal_label="情况说明",
                         reasons=explanation)
        notices.notify(
            [p for p in notices.people_with_role(application.org_unit, step.role)
             if p.pk != actor.pk],
            notices.work_notice(f"complaint:{rating.pk}:explained:"
                                f"{approval_latest(application, COMPLAINT).round}",
                                f"差评{step.label}", application),
            org_unit=application.org_unit)
    return rating


def complaint_turn(rating: Rating | None, actor) -> bool:
    """Whether ``actor`` may verify the bad rating now: explained, waiting on their
    role, and not explained by them."""
    return bool(rating and rating.complaint_clock_id and not rating.answered_on
                and approval_turn(rating.application, COMPLAINT, actor))


def complaint_may_explain(rating: Rating | None, actor) -> bool:
    """Whether ``actor`` may explain the bad rating now (the chain's first role;
    nothing waiting on the verifier)."""
    if not (rating and rating.complaint_clock_id and not rating.answered_on):
        return False
    latest = approval_latest(rating.application, COMPLAINT)
    return (actor.has_role(COMPLAINT.chain().proposer.role)
            and (latest is None or latest.state == ApprovalState.RETURNED))


def complaint_rounds(application: Application):
    """The explanations and verifications of the application's bad rating."""
    return approval_rounds(application, COMPLAINT)


def complaint_answer(*, rating: Rating, actor, answer: str, answered_on: dt.date,
                     agree: bool = True) -> Rating:
    """The verifying role of the chain ``permit.complaint`` (a supervisor as
    shipped) checks the window's explanation: agrees, and answers the rater (what
    was checked, fixed and told; the clock stops); or disagrees with the reasons in
    ``answer``, and the explanation goes back to the window. Never the person who
    explained (``chains.judge``)."""
    dates.not_future(answered_on, field="answered_on", label="答复日期")
    if rating.complaint_clock_id is None:
        raise err("answer", "该评价不是差评，无需答复")
    if rating.answered_on:
        raise err("answer", "该差评已答复")
    if not answer.strip():
        raise err("answer", "请写明核实、整改和答复评价人的情况" if agree
                  else "请写明不同意的理由，退回被评价窗口")
    latest = approval_latest(rating.application, COMPLAINT)
    if latest is None or latest.state == ApprovalState.RETURNED:
        raise err("answer", "被评价窗口尚未作出情况说明，请其说明后再核实")
    with transaction.atomic():
        approval_sign(matter=rating.application, rule=COMPLAINT, actor=actor,
                      agree=agree, reasons=answer)
        if not agree:
            audit.record(actor=actor, obj=rating.application,
                         action="permits.complaint_return",
                         summary=f"差评核实不同意，退回被评价窗口：{answer.strip()}")
            return rating
        if not Rating.objects.filter(pk=rating.pk, answered_on__isnull=True).update(
                answered_on=answered_on, answer=answer, answered_by=actor):
            raise err("answer", "该差评刚被他人答复，请刷新页面")
        clocks.clock_stop(clock=rating.complaint_clock, on=answered_on, actor=actor)
        audit.record(actor=actor, obj=rating.application,
                     action="permits.complaint_answer", summary=f"差评答复：{answer}")
    rating.refresh_from_db()
    return rating

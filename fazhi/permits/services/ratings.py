"""The applicant's rating of the service (好差评) and the answer to a complaint."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core import audit, dates
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

PUBLIC_RATER = "申请人（网上评价）"


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
        audit.record(actor=who, obj=application, action="permits.rating",
                     summary=f"评价：{levels[score]}（{score}分）",
                     after={"score": score, "channel": channel})
    return rating


def complaint_answer(*, rating: Rating, actor, answer: str,
                     answered_on: dt.date) -> Rating:
    """A supervisor answers the bad rating: what was checked, fixed and told."""
    require_role(actor, rating.application, Role.SUPERVISOR)
    dates.not_future(answered_on, field="answered_on", label="答复日期")
    if rating.complaint_clock_id is None:
        raise err("answer", "该评价不是差评，无需答复")
    if rating.answered_on:
        raise err("answer", "该差评已答复")
    if not answer.strip():
        raise err("answer", "请写明核实、整改和答复评价人的情况")
    with transaction.atomic():
        if not Rating.objects.filter(pk=rating.pk, answered_on__isnull=True).update(
                answered_on=answered_on, answer=answer, answered_by=actor):
            raise err("answer", "该差评刚被他人答复，请刷新页面")
        clocks.clock_stop(clock=rating.complaint_clock, on=answered_on, actor=actor)
        audit.record(actor=actor, obj=rating.application,
                     action="permits.complaint_answer", summary=f"差评答复：{answer}")
    rating.refresh_from_db()
    return rating


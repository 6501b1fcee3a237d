"""One work item: what is to be done, on which matter, since and due when, where;
and the badge that says how it stands.

The shape every list of 我的待办 shows (``items``, ``oversight``), and what the
sources (``sources``) dress their first rows as.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from fazhi.core import matter_kinds
from fazhi.deadlines import duty
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import Clock, ClockState
from fazhi.deadlines.overdue import clock_badge, rule_duty

EXTENSION_TASK = "审批延期申请"
_YELLOW = Clock._meta.get_field("yellow_days").default


@dataclass(frozen=True)
class WorkItem:
    """One thing to be done: what, on which matter, since and due when, where."""

    module: str  # the app label of the matter's module: "enforcement"
    task: str  # what is to be done, in words: 法制审核
    number: str  # the matter's number ("" when the task names it)
    url: str  # the page where it is done
    due: dt.date | None
    badge: duty.Badge | None  # the clock's standing as of today (None: no date)
    key: tuple[str, str]  # the matter: its kind and primary key
    state: str = ""  # the matter's state, for an item its state makes
    since: dt.date | None = None
    who: str = ""  # whose it is, on a head's list of their people's items
    phone_url: str = ""  # the phone page of a field task ("" for other work)
    org_unit_id: int | None = None
    note: str = ""  # why it came back to the person (a sign-off's 不同意 and reasons)

    @property
    def title(self) -> str:
        return f"{self.task}：{self.number}" if self.number else self.task

    @property
    def module_label(self) -> str:
        return matter_kinds.module_label(self.module)

    @property
    def in_field(self) -> bool:
        return bool(self.phone_url)

    @property
    def overdue(self) -> bool:
        """The bureau's duty past due (the one meaning of 超期)."""
        return self.badge is not None and self.badge.overdue


def badge(due: dt.date | None, today: dt.date, *, rule_id: str = "",
          state: str = ClockState.RUNNING) -> duty.Badge | None:
    """The standing of a work item due on ``due``: its clock's badge (of the clock's
    rule, or the bureau's duty when it has none), None without a date."""
    if due is None:
        return None
    return duty.clock_badge(
        duty=rule_duty(rule_id) if rule_id else duty.BUREAU, state=state, due=due,
        today=today, calendar=calendar_from_db(True), yellow_days=_YELLOW)


def clock_item(clock: Clock, today: dt.date, who: str = "") -> WorkItem:
    """A clock as a work item: its title, from its start to its due date."""
    model = clock.content_type.model_class()
    kind = matter_kinds.kind_of(model) if model is not None else None
    direct = kind is not None and kind.url_name and not kind.owner
    url = (kind.url(clock.object_id) if direct
           else reverse("web:clock_detail", args=[clock.pk]))
    return WorkItem(
        module=clock.content_type.app_label, task=clock.title, number="", url=url,
        due=clock.due_date, key=(kind.kind if kind else "", clock.object_id),
        badge=clock_badge(clock, today),
        since=clock.start_date, who=who, org_unit_id=clock.org_unit_id)

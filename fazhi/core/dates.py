"""One rule for every date a person types: it must fall in a plausible window.

An office records what happened recently and schedules what happens soon. A date
in year 1 or 9999 is a slip of the keyboard, and an old one reaches the working-day
calendar, which knows only the years the State Council has published (a 500 before
this module). Every form and service that accepts a date asks ``date_check``; the
message says in Chinese what is allowed and why.

- ``past_days``: how far back is allowed (default: about ten years, so last year's
  matters can still be entered and old records corrected);
- ``future_days``: how far ahead (default 0: what is recorded has happened;
  a hearing or a deadline is scheduled and may lie ahead);
- ``not_before``: the date of the step this one follows (a notice is not served
  before the case was filed), with the words naming that step.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

PAST_DAYS = 3660  # about ten years
LATE_ENTRY_DAYS = 3  # a step dated further back is a late entry and needs a reason
FUTURE_DAYS_SCHEDULED = 730  # a scheduled date: up to two years ahead


def today() -> dt.date:
    """The bureau's today (the project's time zone)."""
    return timezone.localdate()


def local_day(moment: dt.datetime) -> dt.date:
    """The bureau's calendar day of ``moment``: 01:30 in Beijing is already the next
    day while UTC is still on the previous one."""
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def date_check(
    value: dt.date | None,
    *,
    field: str,
    label: str,
    past_days: int = PAST_DAYS,
    future_days: int = 0,
    not_before: dt.date | None = None,
    not_before_label: str = "",
) -> dt.date | None:
    """Return ``value`` or raise a ValidationError on ``field`` saying why.

    ``None`` passes (the caller decides whether the date is required).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = local_day(value)
    now = today()
    if future_days <= 0:
        not_future(value, field=field, label=label)
    latest = now + dt.timedelta(days=future_days)
    if value > latest:
        raise ValidationError({field: (
            f"{label}不能晚于{latest.isoformat()}（最多可预先登记"
            f"{future_days}日以内的日期），请核对年份")})
    earliest = now - dt.timedelta(days=past_days)
    if value < earliest:
        raise ValidationError({field: (
            f"{label}早于{earliest.isoformat()}，超出可登记的范围，请核对年份")})
    if not_before is not None and value < not_before:
        raise ValidationError({field: (
            f"{label}（{value.isoformat()}）不能早于{not_before_label}"
            f"（{not_before.isoformat()}）")})
    return value


def not_future(value: dt.date | None, *, field: str, label: str) -> None:
    """Raise a ValidationError on ``field`` when ``value`` (something that has
    happened) lies after today; ``None`` passes."""
    if isinstance(value, dt.datetime):
        value = local_day(value)
    if value is not None and value > today():
        raise ValidationError({field: f"{label}不能晚于今天（{today().isoformat()}）"})


def year_check(value: int, *, field: str = "year", label: str = "年度") -> int:
    """A statistical year: from ten years back to next year."""
    now = today().year
    lo, hi = now - PAST_DAYS // 366, now + 1
    if not lo <= value <= hi:
        raise ValidationError({field: f"{label}须在{lo}年至{hi}年之间，现为{value}"})
    return value


def late_entry(
    value: dt.date, reason: str, *, field: str, label: str,
    grace_days: int = LATE_ENTRY_DAYS,
) -> str:
    """Return the file note for a step dated more than ``grace_days`` ago, or "".

    Entering a step days after it happened is ordinary office life, but a date far
    back moves statutory windows; so it needs a written reason, which the case file
    keeps and the file review shows. Raise a ValidationError when it is missing.
    """
    back = (today() - value).days
    if back <= grace_days:
        return ""
    if not reason.strip():
        raise ValidationError({"late_reason": (
            f"{label}（{value.isoformat()}）距今已{back}日，属于补登；"
            f"超过{grace_days}日补登的，须写明补登理由，理由将记入案卷并在案卷评查时显示")})
    return f"补登：{label}{value.isoformat()}，{back}日后登记。理由：{reason.strip()}"

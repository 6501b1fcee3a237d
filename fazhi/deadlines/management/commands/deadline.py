"""``fazhi deadline RULE START``: show how a statutory due date is reached.

The last line of standard output is the due date alone (YYYY-MM-DD), so scripts can
take it with ``tail -n 1``. Bad input exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.dates import FUTURE_DAYS_SCHEDULED, date_check
from fazhi.deadlines.calendar import MissingHolidayData
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.engine import DeadlineError, DueResult, Pause, compute_due
from fazhi.deadlines.registry import rules_registry
from fazhi.deadlines.rules import Rule

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(BaseCommand):
    help = (
        "按法定期限规则计算截止日期，并逐步说明计算过程；"
        "最后一行只输出截止日期 YYYY-MM-DD。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", help="期限规则编号，例如 disclosure.reply")
        parser.add_argument("start", help="起算事件的日期 YYYY-MM-DD（当日不计入）")
        parser.add_argument(
            "--extend",
            default="0",
            metavar="N",
            help="经批准延长的天数（按规则的单位：工作日或日），不得超过规则上限",
        )
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="FROM:TO",
            help="暂停期间（含首尾两日），例如 2025-10-10:2025-10-15；可重复",
        )
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="对尚无节假日安排的年份按周末和元旦、劳动节、国庆节估算（结果标明为估算）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rule = _rule(options["rule"])
        start = _date(options["start"], "起算日")
        pauses = [_pause(text) for text in options["pause"]]
        extension = _extension(options["extend"])
        try:
            calendar = calendar_from_db(options["provisional"])
            result = compute_due(
                rule, start, calendar, pauses=pauses, extension=extension
            )
        except (DeadlineError, MissingHolidayData) as exc:
            raise CommandError(_one_line(str(exc)), returncode=2) from None
        self.stdout.write("\n".join(_report(rule, result)))


def _fail(message: str) -> CommandError:
    return CommandError(_one_line(message), returncode=2)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _rule(rule_id: str) -> Rule:
    rules = rules_registry()
    if rule_id in rules:
        return rules[rule_id]
    close = difflib.get_close_matches(rule_id, rules, n=5, cutoff=0.5)
    hint = "相近的规则：" if close else "可用的规则："
    raise _fail(f"未知的期限规则“{rule_id}”。{hint}{'、'.join(close or sorted(rules))}")


def _date(text: str, label: str) -> date:
    try:
        if _DATE.fullmatch(text):
            return _plausible(date.fromisoformat(text), label)
    except ValueError:
        pass
    raise _fail(f"{label}“{text}”不是有效日期，请写作 YYYY-MM-DD，例如 2025-10-09")


def _plausible(day: date, label: str) -> date:
    """Refuse year 1 or 9999: it overflowed the calendar's arithmetic (a traceback)."""
    try:
        date_check(day, field="day", label=label, future_days=FUTURE_DAYS_SCHEDULED)
    except ValidationError as exc:
        raise _fail("；".join(exc.messages)) from None
    return day


def _pause(text: str) -> Pause:
    parts = text.split(":")
    if len(parts) != 2:
        raise _fail(
            f"暂停期间“{text}”格式错误，请写作 FROM:TO，例如 2025-10-10:2025-10-15"
        )
    start, end = (_date(part, "暂停期间的日期") for part in parts)
    return Pause(start, end, "命令行指定的暂停")


def _extension(text: str) -> int:
    if not re.fullmatch(r"\d+", text):
        raise _fail(f"延长天数“{text}”必须是不小于0的整数")
    return int(text)


def _report(rule: Rule, result: DueResult) -> list[str]:
    lines = [f"期限规则：{rule.id} {rule.name}"]
    lines += [f"{n}. {step}" for n, step in enumerate(result.steps, 1)]
    if result.provisional:
        lines.append(
            "【估算 provisional】结果含尚无节假日安排年份的估算，不能作为正式截止日期。"
        )
    lines.append(result.due.isoformat())
    return lines

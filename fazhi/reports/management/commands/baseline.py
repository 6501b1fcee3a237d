"""``fazhi baseline extract FILE [--json]`` and ``fazhi baseline import FILE --org CODE
--year YYYY --user NAME [--yes]``: read a published annual report's figures and store
them as a baseline, the same way as the review page.

The file is UTF-8 or GB18030 (GBK) text; ``-`` reads standard input. ``extract --json``
prints exactly the figures found (the keys of ``fazhi.reports.extract.KEYS``);
without ``--json`` it also names the sentence of each, what was left out and why, and
each candidate figure not taken (an aim, a part, another year's) with its sentence.
``import`` shows the figures and what storing would change, asks, and stores them
whole or not at all; ``--yes`` answers yes, overwriting stored values that differ.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from fazhi.core.management.bureau import bureau_argument, bureau_named
from fazhi.core.models import User
from fazhi.reports import baseline as services
from fazhi.reports import extract

STATES = {"new": "新增", "same": "相同，不改", "changed": "将覆盖"}


class Command(BaseCommand):
    help = "年度报告基期数据：extract 识别报告文本中的数据；import 核对后存为基期数据"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("extract", help="识别报告文本中的数据")
        ex.add_argument("file", help="报告文本文件（UTF-8 或 GB18030），- 为标准输入")
        ex.add_argument("--json", action="store_true",
                        help="只输出识别到的数据（JSON）")
        im = sub.add_parser("import", help="识别并存为基期数据")
        im.add_argument("file", help="报告文本文件（UTF-8 或 GB18030），- 为标准输入")
        bureau_argument(im)
        im.add_argument("--year", type=int, help="基期年度（缺省取报告标题中的年度）")
        im.add_argument("--user", required=True,
                        help="录入人用户名（法务、负责人或督察人员）")
        im.add_argument("--source", default="",
                        help="数据来源（缺省取报告的文号和标题）")
        im.add_argument("--yes", action="store_true", help="不询问，直接存入（含覆盖）")

    def handle(self, *args, action: str, file: str, **o):
        result = extract.extract(_read(file))
        if action == "extract":
            if o["json"]:
                self.stdout.write(json.dumps(result.figures, ensure_ascii=False,
                                             indent=2))
            else:
                self._explain(result)
            return
        self._import(result, o)

    def _explain(self, result) -> None:
        for row in services.baseline_rows(result):
            if row.value is not None:
                value = services.shown(row.value)
                self.stdout.write(f"{row.label}：{value} {row.unit}")
                self.stdout.write(f"    原文：{row.sentence}")
        for key in ("organisation", "year", "document_number", "signed_on"):
            if key in result.figures:
                self.stdout.write(f"{services.key_label(key)}：{result.figures[key]}")
        for key, why in result.omitted.items():
            self.stdout.write(f"未填入 {services.key_label(key)}：{why}")
        for label, value, sentence, why in services.not_taken_rows(result):
            self.stdout.write(f"未采用 {label}{'：' + value if value else ''}（{why}）")
            self.stdout.write(f"    原文：{sentence}")

    def _import(self, result, o) -> None:
        actor = User.objects.filter(username=o["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有用户 {o['user']}")
        org = bureau_named(o["org"])
        year = o["year"] or result.figures.get("year")
        if not year:
            raise CommandError("报告中没有识别到年度，请用 --year 指定基期年度")
        if o["year"] and result.figures.get("year") not in (None, o["year"]):
            self.stderr.write(f"注意：报告年度为 {result.figures['year']} 年，"
                              f"将按 --year 存为 {year} 年")
        named = result.figures.get("organisation")
        if named and named != org.name:
            self.stderr.write(f"注意：报告署名为“{named}”，与 {org.name} 不一致")
        rows = [r for r in services.baseline_rows(result) if r.value is not None]
        if not rows:
            raise CommandError("报告中没有识别到可存入的数据")
        figures = {r.metric_id: r.value for r in rows}
        source = o["source"] or _source(result.figures, org, year)
        try:
            changes = services.baseline_changes(actor=actor, org_unit=org, year=year,
                                                figures=figures)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(_message(exc)) from None
        self.stdout.write(f"{org.name} {year} 年基期数据（来源：{source}）：")
        for c in changes:
            old = f"（原值 {c.old_shown}）" if c.state == "changed" else ""
            self.stdout.write(f"  {c.label}：{c.new_shown} "
                              f"{services.metric_unit(c.metric_id)} "
                              f"[{STATES[c.state]}]{old}")
        for key, why in result.omitted.items():
            self.stdout.write(f"  未填入 {key}：{why}")
        if not o["yes"] and input("核对无误，确认存入？[y/N] ").strip().lower() != "y":
            self.stdout.write("已放弃，没有存入任何数据")
            return
        notes = {r.metric_id: r.sentence for r in rows if r.sentence}
        try:
            changes = services.baseline_import(
                actor=actor, org_unit=org, year=year, figures=figures, source=source,
                notes=notes, overwrite=True)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(_message(exc)) from None
        stored = sum(1 for c in changes if c.state != "same")
        same = len(changes) - stored
        self.stdout.write(f"已存入 {stored} 项（与已存数值相同 {same} 项）")


def _read(file: str) -> str:
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from None
    try:
        return extract.decode(data)
    except extract.ExtractError as exc:
        raise CommandError(str(exc)) from None


def _source(figures: dict, org, year: int) -> str:
    title = f"《{figures.get('organisation') or org.name}{year}年法治政府建设年度报告》"
    number = figures.get("document_number")
    return f"{number}{title}" if number else title


def _message(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])

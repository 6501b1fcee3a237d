"""``fazhi work_items --check | --rebuild``: the work items' table (待办表) against
the matters.

``--check`` derives every waiting matter's rows afresh and compares them with the
table: exit status 1 and the differences listed when they differ, 0 when they
agree. ``--rebuild`` fills the table anew, a chunk of matters per transaction,
printing its progress; it is safe to run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.work import waiting


class Command(BaseCommand):
    help = "核对或重建待办表：--check 与各事项的状态、期限和承办人逐件比对，--rebuild 重新生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--check", action="store_true",
                          help="逐件核对，不一致时列出并以状态 1 退出")
        what.add_argument("--rebuild", action="store_true",
                          help="按事项重新生成待办表（可重复执行）")
        parser.add_argument("--limit", type=int, default=50, help="最多列出的不一致条数")

    def handle(self, *args: Any, check: bool, rebuild: bool, limit: int,
               **options: Any) -> None:
        if rebuild:
            total = waiting.rebuild(progress=self.stdout.write)
            self.stdout.write(f"待办表已重建：{total} 条")
            return
        found, lines = waiting.differences(limit)
        for line in lines:
            self.stdout.write(line)
        if found:
            raise CommandError(f"待办表与事项不一致：{found} 条", returncode=1)
        self.stdout.write("待办表与事项一致")

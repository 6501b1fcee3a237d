"""``fazhi sweep``: recolour clocks and notify now, or queue it for the worker."""

from django.core.management.base import BaseCommand

from fazhi.deadlines.sweep import clocks_sweep
from fazhi.deadlines.tasks import sweep_clocks


class Command(BaseCommand):
    help = "每日巡检：重新着色全部未办结期限并发出临期、超期通知（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="放入任务队列，由 fazhi db_worker 执行",
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = sweep_clocks.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}")
            return
        r = clocks_sweep()
        self.stdout.write(
            f"巡检完成：检查 {r.checked} 个期限，变色 {r.recoloured} 个，"
            f"新通知 {r.notified} 条，出错 {r.errors} 个"
        )
        if r.errors:
            raise SystemExit(1)

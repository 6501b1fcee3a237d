"""``fazhi evidence verify``: rehash every stored evidence file, name any that fail."""

import time

from django.core.management.base import BaseCommand

from fazhi.core.evidence.verify import evidence_verify_all


class Command(BaseCommand):
    help = "证据库：verify 重新计算每个已存证据文件的 SHA-256，列出不符或缺失的文件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="重新核验证据库中的每个文件")
        verify.add_argument("--every", type=int, default=100,
                            help="每核验多少个文件报告一次进度（默认 100）")

    def handle(self, *args, action: str, every: int, **options):
        started = time.perf_counter()
        report = evidence_verify_all(
            progress=lambda n, total: self.stderr.write(f"已核验 {n}/{total} 个文件…"),
            every=max(every, 1),
        )
        seconds = time.perf_counter() - started
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            self.stderr.write(f"已核验 {report.checked} 个文件，其中 "
                              f"{len(report.problems)} 个不符或缺失")
            raise SystemExit(1)
        self.stdout.write(f"已核验 {report.checked} 个文件，全部与哈希相符，"
                          f"用时 {seconds:.2f} 秒")

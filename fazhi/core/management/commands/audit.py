"""``fazhi audit verify`` and ``fazhi audit anchor``: check and anchor the audit chain."""

import time

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import audit
from fazhi.core.models import AuditHead


class Command(BaseCommand):
    help = "审计链：verify 重新计算整条链并与锚点比对；anchor 把当前链头写入锚点文件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新计算审计链，发现第一处断裂")
        sub.add_parser("anchor", help="把当前链头（序号与哈希）写入库外锚点文件")

    def handle(self, *args, action: str, **options):
        if action == "anchor":
            head = AuditHead.objects.filter(pk=1).first()
            if head is None or head.seq == 0:
                raise CommandError("审计链为空，无需锚定", returncode=1)
            audit.anchor_write(head.seq, head.hash)
            self.stdout.write(f"已锚定链头 #{head.seq} → {audit.anchor_path()}")
            return
        started = time.perf_counter()
        result = audit.verify(progress=lambda n: self.stderr.write(f"已核验 {n} 条…"))
        seconds = time.perf_counter() - started
        if not result.ok:
            self.stderr.write(f"审计链断裂：{result.message}（已核验 {result.checked} 条）")
            raise SystemExit(1)
        anchor = audit.anchor_read()
        note = f"，与锚点 #{anchor.seq} 一致" if anchor else "（尚无锚点）"
        self.stdout.write(f"审计链完好：已核验 {result.checked} 条事件{note}，"
                          f"用时 {seconds:.2f} 秒")

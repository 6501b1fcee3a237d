"""``fazhi audit verify`` and ``fazhi audit anchor``: check and anchor the chain."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.core import audit
from fazhi.core.models import AuditHead

REANCHOR = "audit.reanchor"


class Command(BaseCommand):
    help = "审计链：verify 重新计算整条链并与锚点比对；anchor 把当前链头写入锚点文件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新计算审计链，发现第一处断裂")
        anchor = sub.add_parser(
            "anchor", help="核验审计链后，把当前链头写入库外锚点文件")
        anchor.add_argument(
            "--missing", action="store_true",
            help="确认锚点文件已丢失，按当前链头重新锚定（此事记入审计链）")

    def handle(self, *args, action: str, **options):
        if action == "anchor":
            self.anchor(missing=options["missing"])
            return
        started = time.perf_counter()
        result = audit.verify(progress=lambda n: self.stderr.write(f"已核验 {n} 条…"))
        seconds = time.perf_counter() - started
        if not result.ok:
            self.stderr.write(
                f"审计链断裂：{result.message}（已核验 {result.checked} 条）")
            raise SystemExit(1)
        anchor = audit.anchor_read()
        note = f"，与锚点 #{anchor.seq} 一致" if anchor else "（尚无锚点）"
        self.stdout.write(f"审计链完好：已核验 {result.checked} 条事件{note}，"
                          f"用时 {seconds:.2f} 秒")

    def anchor(self, *, missing: bool) -> None:
        """Anchor the head of a chain that verifies; a lost anchor only on purpose."""
        head = AuditHead.objects.filter(pk=1).first()
        if head is None or head.seq == 0:
            raise CommandError("审计链为空，无需锚定", returncode=1)
        # Anchoring a broken chain would bless it; a lost anchor file would otherwise
        # be replaced silently, hiding the newest events deleted with it.
        result = audit.verify()
        if not result.ok and not result.anchor_missing:
            raise CommandError(f"审计链断裂，不能锚定：{result.message}", returncode=1)
        if result.anchor_missing:
            if not missing:
                raise CommandError(
                    f"{result.message}。确认锚点文件确已丢失（而非被人删除）的，可加 "
                    "--missing 按当前链头重新锚定，此事将记入审计链", returncode=1)
            head = self.record_reanchor(head)
        audit.anchor_write(head.seq, head.hash)
        self.stdout.write(f"已锚定链头 #{head.seq} → {audit.anchor_where()}")

    def record_reanchor(self, head: AuditHead) -> AuditHead:
        with transaction.atomic():
            event = audit.record(
                actor=None, obj=None, action=REANCHOR, object_type="core.AuditEvent",
                object_id=str(head.seq),
                summary=f"锚点文件缺失，经确认按链头 #{head.seq} 重新锚定")
        return AuditHead(seq=event.seq, hash=event.hash)

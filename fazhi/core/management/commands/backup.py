"""``fazhi backup DIR``: one consistent snapshot of the database and the evidence."""

from pathlib import Path

from django.core.management.base import BaseCommand

from fazhi.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库与证据库到空目录 DIR，附哈希清单 manifest.json"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="备份目录：新目录或空目录")

    def handle(self, *args, dir: str, **options):
        target = Path(dir).resolve()
        try:
            manifest = backup_create(target, progress=self.stderr.write)
        except BackupError as exc:
            self.stderr.write(f"备份失败：{exc}")
            raise SystemExit(1) from None
        megabytes = manifest["database"]["size"] / 2**20
        self.stdout.write(
            f"备份完成：{target}（数据库 {megabytes:.1f} MB，"
            f"证据文件 {len(manifest['evidence'])} 个，"
            f"审计链头 #{manifest['audit_head']['seq']}）"
        )

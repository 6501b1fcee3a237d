"""``fazhi restore DIR``: check a backup completely, then replace the data with it."""

from pathlib import Path

from django.core.management.base import BaseCommand

from fazhi.core.backup import BackupError, backup_check, backup_restore, fazhi_version

CONFIRM = "将覆盖当前数据库和证据库，输入 yes 继续："


class Command(BaseCommand):
    help = ("从 fazhi backup 生成的目录恢复数据库与证据库（先核验全部文件，再覆盖）；"
            "恢复前请停止 fazhi 服务与后台任务")

    def add_arguments(self, parser):
        parser.add_argument("dir", help="fazhi backup 生成的备份目录")
        parser.add_argument("--yes", "--noinput", "--no-input", action="store_false",
                            dest="interactive", help="不询问，直接恢复")

    def handle(self, *args, dir: str, interactive: bool, **options):
        source = Path(dir).resolve()
        try:
            manifest = backup_check(source, progress=self.stderr.write)
            self.stdout.write(
                f"备份完好：{manifest['created_at']} 生成，证据文件 "
                f"{len(manifest['evidence'])} 个，"
                f"审计链头 #{manifest['audit_head']['seq']}"
            )
            if interactive and input(CONFIRM).strip().lower() != "yes":
                self.stderr.write("已取消，未做任何改动")
                raise SystemExit(1)
            backup_restore(source, manifest=manifest, progress=self.stderr.write)
        except BackupError as exc:
            self.stderr.write(f"恢复失败：{exc}")
            raise SystemExit(1) from None
        self.stdout.write(f"恢复完成：{source}")
        if manifest["fazhi_version"] != fazhi_version():
            self.stdout.write(f"注意：备份由 fazhi {manifest['fazhi_version']} 生成，"
                              f"当前为 {fazhi_version()}，请运行 fazhi migrate")

"""``fazhi permits_kinds_sync``: load the shipped permit kinds the database lacks."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fazhi.permits.services import kinds_sync


class Command(BaseCommand):
    help = "载入随软件提供的许可事项（只新增缺少的，不覆盖本机关的修改）"

    def handle(self, *args, **options):
        try:
            added = kinds_sync()
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"新增许可事项 {added} 项"))

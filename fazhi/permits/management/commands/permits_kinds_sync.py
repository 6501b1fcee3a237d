"""``fazhi permits_kinds_sync``: give each county bureau its own copy of the
shipped permit kinds it lacks."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import OrgUnit
from fazhi.permits.services import kinds_sync


class Command(BaseCommand):
    help = ("为每个县级机关载入随软件提供的许可事项（各机关各一份，只新增缺少的，"
            "不覆盖机关自己的修改）")

    def add_arguments(self, parser):
        parser.add_argument(
            "--bureau", action="append", metavar="行政区划代码",
            help="只为这个机关载入（可重复；也可用于办理许可的市级机关）")

    def handle(self, *args, bureau=None, **options):
        units = None
        if bureau:
            units = list(OrgUnit.objects.filter(division_code__in=bureau))
            missing = sorted(set(bureau) - {u.division_code for u in units})
            if missing:
                raise CommandError(f"没有行政区划代码为 {'、'.join(missing)} 的机关")
        try:
            added = kinds_sync(org_units=units)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"新增许可事项 {added} 项"))

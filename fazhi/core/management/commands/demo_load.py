"""``fazhi demo_load``: load the demo organisations and users (safe to repeat)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from fazhi.core.demo import COUNTY_PREFIX, demo_load

DEMO_PASSWORD = "fazhi-demo-2026"


class Command(BaseCommand):
    help = ("载入演示数据：湖南省→湘潭市→湘潭县、湘乡市，每个县每个角色一名用户，"
            "市局负责人、省厅法务人员各一名（可重复执行）")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD,
                            help="演示用户的密码（仅对新建用户生效）")

    def handle(self, *args, password: str, **options):
        logins = demo_load(password)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(logins)} 个用户"))
        for dotted in settings.DEMO_LOADERS:
            loader = import_string(dotted)
            for prefix in COUNTY_PREFIX.values():
                added = loader(prefix=prefix[0])
                if added:
                    self.stdout.write(f"  {dotted}：{prefix[1]} 新增 {added} 条")
        self.stdout.write("登录方式：浏览器打开下方地址，用户名如下，密码均为 "
                          f"{password}")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.role:<12} {login.org}")

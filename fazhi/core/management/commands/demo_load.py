"""``fazhi demo_load``: load the demo organisations and users (safe to repeat)."""

from django.core.management.base import BaseCommand

from fazhi.core.demo import demo_load

DEMO_PASSWORD = "fazhi-demo-2026"


class Command(BaseCommand):
    help = "载入演示数据：湖南省→湘潭市→湘潭县、湘乡市，每个县每个角色一名用户（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD,
                            help="演示用户的密码（仅对新建用户生效）")

    def handle(self, *args, password: str, **options):
        logins = demo_load(password)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(logins)} 个用户"))
        self.stdout.write("登录方式：浏览器打开下方地址，用户名如下，密码均为 "
                          f"{password}")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.role:<12} {login.org}")

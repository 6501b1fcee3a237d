"""``fazhi province_data``: a province's worth of records for the benches."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from fazhi.province.build import Plan, province_load


class Command(BaseCommand):
    help = ("生成全省规模的压测数据：省—市—县机关、各县工作人员，以及一年的许可申请、"
            "执法案件、监测图斑、依申请公开、行政复议和诉讼事项及其期限和审计记录"
            "（按县成批写入，可重复执行：已生成的县跳过）")

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=14, help="市数（至多14）")
        parser.add_argument("--counties", type=int, default=122, help="县数")
        parser.add_argument("--matters", type=int, default=1_000_000,
                            help="事项总数，平均分到各县")
        parser.add_argument("--year", type=int, default=2026, help="事项收到的年份")
        parser.add_argument("--password", default="fazhi-province-2026",
                            help="生成用户的密码（仅对新建用户生效）")

    def handle(self, *args, cities, counties, matters, year, password, **options):
        if not 1 <= cities <= 14 or counties < cities:
            self.stderr.write("市数须为1至14，县数不少于市数")
            raise SystemExit(2)
        if year > timezone.localdate().year:
            self.stderr.write("年份不能晚于今年：事项的收到日期不能在将来")
            raise SystemExit(2)
        done = province_load(
            Plan(cities=cities, counties=counties, matters=matters, year=year,
                 password=password),
            progress=lambda line: self.stdout.write(line))
        rate = done["matters"] / max(done["seconds"], 1e-9)
        self.stdout.write(self.style.SUCCESS(
            f"完成：{done['counties']} 个县，其中 {done['skipped']} 个此前已生成；"
            f"本次写入 {done['matters']} 件，用时 {done['seconds']:.0f} 秒"
            f"（{rate:.0f} 件/秒）"))
        self.stdout.write("登录名形如 p<县代码>_officer1（执法）、p<县代码>_clerk1（窗口）、"
                          "p<县代码>_disclosure1（公开）、p<县代码>_principal1"
                          f"（局长），密码 {password}")

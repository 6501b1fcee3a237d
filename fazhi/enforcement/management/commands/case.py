"""``fazhi case``: list and show cases, and take an action as a named user.

For scripted work on an isolated network. Every action goes through the same
service as the page, with the same role, scope and legal-review checks: the CLI
is not a way around them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from fazhi.core.models import User
from fazhi.enforcement import selectors
from fazhi.enforcement.cases import views


class Command(BaseCommand):
    help = "行政执法案件：列出、查看，或以指定用户身份办理某一环节（与网页同样的校验）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        ls = sub.add_parser("list", help="列出用户可见的案件")
        ls.add_argument("--user", required=True, help="以该用户的权限范围查询")
        show = sub.add_parser("show", help="查看一个案件")
        show.add_argument("case_id", type=int)
        show.add_argument("--user", required=True)
        act = sub.add_parser("act", help="办理一个环节，字段与网页表单相同")
        act.add_argument("case_id", type=int)
        act.add_argument("action", help="如 decide、serve_decision、close")
        act.add_argument("--user", required=True)
        act.add_argument("--field", action="append", default=[], metavar="名=值",
                         help="表单字段，可重复，如 --field fine_decided=20000")

    def handle(self, *args, sub: str, user: str, **options):
        try:
            actor = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"没有启用的用户 {user}") from None
        if sub == "list":
            for case in selectors.case_list(actor=actor)[:200]:
                self.stdout.write(f"{case.pk}\t{case.number}\t{case.party_name}\t"
                                  f"{case.get_state_display()}")
            return
        case = self._case(actor, options["case_id"])
        if sub == "show":
            self.stdout.write(f"{case.number} {case.party_name} "
                              f"{case.get_state_display()}")
            return
        self._act(actor, case, options["action"], options["field"])

    def _case(self, actor, pk):
        try:
            return selectors.case_get(actor=actor, pk=pk)
        except Http404:
            raise CommandError(f"案件 {pk} 不存在或不在 {actor} 的权限范围内") from None

    def _act(self, actor, case, action, pairs):
        if action not in views.STEPS:
            raise CommandError(f"未知的环节：{action}；可用：{'、'.join(views.STEPS)}")
        data = dict(p.split("=", 1) for p in pairs if "=" in p)
        outcome = views.PAGES.take(action, case, actor, data)
        if not outcome.ok:
            raise CommandError("；".join(outcome.messages()))
        case.refresh_from_db()
        self.stdout.write(f"{views.STEPS[action].message(outcome.result)}："
                          f"{case.number} {case.get_state_display()}")

"""A module's steps on the command line (``fazhi case``, ``fazhi permit``): list
and show the matters a named user may see, and take a step as that user.

For scripted work on an isolated network. A step goes through ``StepPages.take``,
like the page and the API: the same form, service, role, scope and rules (a
sign-off's order and independence, a major decision's legal review), so the
command line is not a way around them. A refusal ends the command with the
refusal's words and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from fazhi.core.models import User
from fazhi.ui.steps import StepPages


class StepCommand(BaseCommand):
    """A module's command: set ``pages`` (the module's ``StepPages``), ``noun``
    (案件, 许可申请), ``example`` (step names for the help) and the two lines."""

    pages: StepPages
    noun = "事项"
    example = ""

    def matters(self, actor) -> Iterable:
        """The matters ``list`` shows, in the person's scope."""
        raise NotImplementedError

    def line(self, matter) -> str:
        """One matter as ``list`` and ``show`` write it (number, party, state)."""
        raise NotImplementedError

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        ls = sub.add_parser("list", help=f"列出用户可见的{self.noun}")
        ls.add_argument("--user", required=True, help="以该用户的权限范围查询")
        show = sub.add_parser("show", help=f"查看一个{self.noun}")
        show.add_argument("matter_id", type=int)
        show.add_argument("--user", required=True)
        act = sub.add_parser("act", help="办理一个环节，字段与网页表单相同")
        act.add_argument("matter_id", type=int)
        act.add_argument("action", help=f"如 {self.example}")
        act.add_argument("--user", required=True)
        act.add_argument("--field", action="append", default=[], metavar="名=值",
                         help="表单字段，可重复，如 --field reasons=材料齐全")

    def handle(self, *args, sub: str, user: str, **options):
        try:
            actor = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"没有启用的用户 {user}") from None
        if sub == "list":
            for matter in list(self.matters(actor))[:200]:
                self.stdout.write(f"{matter.pk}\t{self.line(matter)}")
            return
        matter = self._matter(actor, options["matter_id"])
        if sub == "show":
            self.stdout.write(self.line(matter))
            return
        self._act(actor, matter, options["action"], options["field"])

    def _matter(self, actor, pk):
        try:
            return self.pages.get(actor, pk)
        except Http404:
            raise CommandError(f"{self.noun} {pk} 不存在或不在 {actor} 的权限范围内"
                               ) from None

    def _act(self, actor, matter, action, pairs):
        steps = self.pages.steps
        if action not in steps:
            raise CommandError(f"未知的环节：{action}；可用：{'、'.join(steps)}")
        data = dict(p.split("=", 1) for p in pairs if "=" in p)
        outcome = self.pages.take(action, matter, actor, data)
        if not outcome.ok:
            raise CommandError("；".join(outcome.messages()))
        matter.refresh_from_db()
        self.stdout.write(f"{steps[action].message(outcome.result)}：{self.line(matter)}")

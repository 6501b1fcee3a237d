"""``fazhi case``: list and show cases, and take an action as a named user, through
the same service and checks as the page (``ui.step_command``)."""

from __future__ import annotations

from fazhi.enforcement import selectors
from fazhi.enforcement.cases import views
from fazhi.ui.step_command import StepCommand


class Command(StepCommand):
    help = "行政执法案件：列出、查看，或以指定用户身份办理某一环节（与网页同样的校验）"
    pages = views.PAGES
    noun = "案件"
    example = "decide、serve_decision、close"

    def matters(self, actor):
        return selectors.case_list(actor=actor)

    def line(self, case) -> str:
        return f"{case.number}\t{case.party_name}\t{case.get_state_display()}"

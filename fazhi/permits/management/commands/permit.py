"""``fazhi permit``: list and show permit applications, and take a step as a named
user — propose the decision (承办意见), sign it (审核, 批准), issue it — through
the same service and checks as the page (``ui.step_command``)."""

from __future__ import annotations

from fazhi.permits import selectors, views
from fazhi.ui.step_command import StepCommand


class Command(StepCommand):
    help = ("行政许可申请：列出、查看，或以指定用户身份办理某一环节（提出承办意见、审核、批准等，"
            "与网页同样的校验）")
    pages = views.PAGES
    noun = "许可申请"
    example = ("propose --field decision=approve --field reasons=材料齐全；"
               "sign --field agree=1 --field reasons=同意")

    def matters(self, actor):
        return selectors.application_list(actor=actor)

    def line(self, app) -> str:
        return (f"{app.number}\t{app.applicant_name}\t{app.project_name}\t"
                f"{app.get_state_display()}")

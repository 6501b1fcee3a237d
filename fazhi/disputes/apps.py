from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import MatterKind
from fazhi.ui.navigation import NavEntry


class DisputesConfig(matter_kinds.MatterAppConfig):
    name = "fazhi.disputes"
    verbose_name = "行政复议和行政诉讼"
    matters = (
        MatterKind("disputes.reconsideration", "行政复议", "复议诉讼",
                   "disputes:detail", ("reconsideration",)),
        MatterKind("disputes.lawsuit", "行政诉讼", "复议诉讼", "disputes:detail",
                   ("lawsuit",), number_field="case_number"),
    )

    def navigation(self) -> list[NavEntry]:
        from fazhi.disputes.views import READ_ROLES
        from fazhi.work.items import count_of

        return [NavEntry("复议诉讼", "disputes:list", READ_ROLES,
                         count=count_of(self.label)),
                NavEntry("三率", "disputes:rates", READ_ROLES)]

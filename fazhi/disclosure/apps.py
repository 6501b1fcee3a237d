from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import Assigned, MatterKind
from fazhi.core.role_names import DISCLOSURE_OFFICER
from fazhi.disclosure.workflow import TABLE
from fazhi.ui.navigation import NavEntry


class DisclosureConfig(matter_kinds.MatterAppConfig):
    name = "fazhi.disclosure"
    verbose_name = "依申请公开"
    matters = (
        MatterKind("disclosure.disclosurerequest", "政府信息公开申请", "依申请公开",
                   "disclosure:detail", challengeable=True, table=TABLE,
                   assigned=(Assigned(DISCLOSURE_OFFICER, "assignee"),),
                   extension_chain="disclosure.extension"),
        MatterKind("disclosure.consultation", "征求意见", "依申请公开",
                   number_field="", owner="request"),
    )

    def navigation(self) -> list[NavEntry]:
        from fazhi.disclosure.selectors import READ_ROLES
        from fazhi.work.items import count_of

        return [NavEntry("依申请公开", "disclosure:list", READ_ROLES,
                         count=count_of(self.label))]

from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import MatterKind
from fazhi.core.roles import Role
from fazhi.ui.navigation import NavEntry


class MonitoringConfig(matter_kinds.MatterAppConfig):
    name = "fazhi.monitoring"
    verbose_name = "卫片执法"
    matters = (MatterKind("monitoring.patch", "卫片图斑", "卫片执法",
                          "monitoring:patch_detail", number_field="code"),)

    def navigation(self) -> list[NavEntry]:
        from fazhi.monitoring.selectors import READ_ROLES

        return [NavEntry("卫片执法", "monitoring:batch_list", READ_ROLES),
                NavEntry("外业核查", "monitoring:field_tasks",
                         {Role.ENFORCEMENT_OFFICER})]

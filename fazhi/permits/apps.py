from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import Assigned, MatterKind
from fazhi.core.roles import Role
from fazhi.permits.workflow import TABLE
from fazhi.ui.navigation import NavEntry, Section


class PermitsConfig(matter_kinds.MatterAppConfig):
    name = "fazhi.permits"
    verbose_name = "审批窗口"
    # A bad rating's answer (差评核实答复) waits on the bureau's supervisors.
    matters = (MatterKind("permits.application", "许可申请", "行政许可",
                          "permits:detail", challengeable=True, table=TABLE,
                          assigned=(Assigned(Role.WINDOW_CLERK, "clerk"),),
                          clock_roles={"permit.complaint_answer": Role.SUPERVISOR},
                          extension_chain="permit.extension"),)

    def navigation(self) -> list[NavEntry]:
        from fazhi.permits.selectors import READ_ROLES
        from fazhi.work.items import count_of

        return [
            NavEntry("审批窗口", "permits:queue", READ_ROLES, count=count_of(self.label)),
            NavEntry("窗口统计", "permits:stats", READ_ROLES),
            NavEntry("差评核实", "permits:complaints", {Role.SUPERVISOR}),
            NavEntry("许可事项", "permits:kinds", {Role.SYSTEM_ADMIN}, Section.ADMIN),
        ]

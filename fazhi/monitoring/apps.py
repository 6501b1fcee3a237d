from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import Assigned, MatterKind
from fazhi.core.roles import Role
from fazhi.monitoring.workflow import ASSIGNED, CHECKED, PENDING, TABLE
from fazhi.ui.navigation import NavEntry


class MonitoringConfig(matter_kinds.MatterAppConfig):
    name = "fazhi.monitoring"
    verbose_name = "卫片执法"
    # A patch sent for a field check waits on the officer of its open check
    # (TaskState.OPEN), who owes it by the check's date and does it on the phone page.
    # Before it is sent and once the check is back it waits on the officer who took
    # the batch in (imported it): the one running the batch sends its patches out
    # and judges what comes back, by the batch's deadline for the checks.
    matters = (MatterKind(
        "monitoring.patch", "卫片图斑", "卫片执法", "monitoring:patch_detail",
        number_field="code", table=TABLE, assigned=(
            Assigned(Role.ENFORCEMENT_OFFICER, "assignee", via="tasks",
                     where={"state": "open"}, due="due_on",
                     phone_page="monitoring:field_task", states=frozenset({ASSIGNED})),
            Assigned(Role.ENFORCEMENT_OFFICER, "imported_by", via="batch",
                     due="check_due_on", states=frozenset({PENDING, CHECKED})))),)

    def navigation(self) -> list[NavEntry]:
        from fazhi.monitoring.selectors import READ_ROLES
        from fazhi.work.items import count_of

        return [NavEntry("卫片执法", "monitoring:batch_list", READ_ROLES,
                         count=count_of(self.label)),
                NavEntry("外业核查", "monitoring:field_tasks",
                         {Role.ENFORCEMENT_OFFICER})]

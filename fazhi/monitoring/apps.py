from django.apps import AppConfig

from fazhi.core.roles import Role
from fazhi.ui.navigation import NavEntry


class MonitoringConfig(AppConfig):
    name = "fazhi.monitoring"
    verbose_name = "卫片执法"

    def navigation(self) -> list[NavEntry]:
        from fazhi.monitoring.selectors import READ_ROLES

        return [NavEntry("卫片执法", "monitoring:batch_list", READ_ROLES),
                NavEntry("外业核查", "monitoring:field_tasks",
                         {Role.ENFORCEMENT_OFFICER})]

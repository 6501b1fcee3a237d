from django.apps import AppConfig

from fazhi.core.roles import BUSINESS_ROLES
from fazhi.ui.navigation import NavEntry, Section


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    verbose_name = "年度报告与指标"

    def navigation(self) -> list[NavEntry]:
        from fazhi.reports.services import READ_ROLES

        return [
            NavEntry("工作看板", "reports:dashboard", BUSINESS_ROLES, Section.OVERVIEW),
            NavEntry("统计指标", "reports:metric_list", BUSINESS_ROLES,
                     Section.OVERVIEW),
            NavEntry("年度报告", "reports:annual_list", READ_ROLES),
            NavEntry("基期数据", "reports:baseline_list", READ_ROLES),
        ]

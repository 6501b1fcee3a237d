from django.apps import AppConfig

from fazhi.ui.navigation import NavEntry


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def navigation(self) -> list[NavEntry]:
        from fazhi.enforcement import leads, publicity, selectors, supervision

        return [
            NavEntry("行政执法", "enforcement:case_list", selectors.READ_ROLES),
            NavEntry("违法线索", "enforcement:lead_list", leads.READ_ROLES),
            NavEntry("执法公示", "enforcement:publicity_due",
                     publicity.PUBLISHER_ROLES),
            NavEntry("执法监督", "enforcement:inaction_list", supervision.READ_ROLES),
            NavEntry("案卷评查", "enforcement:file_review_list",
                     supervision.READ_ROLES),
        ]

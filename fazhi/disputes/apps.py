from django.apps import AppConfig

from fazhi.ui.navigation import NavEntry


class DisputesConfig(AppConfig):
    name = "fazhi.disputes"
    verbose_name = "行政复议和行政诉讼"

    def navigation(self) -> list[NavEntry]:
        from fazhi.disputes.views import READ_ROLES

        return [NavEntry("复议诉讼", "disputes:list", READ_ROLES),
                NavEntry("三率", "disputes:rates", READ_ROLES)]

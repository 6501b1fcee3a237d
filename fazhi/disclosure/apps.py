from django.apps import AppConfig

from fazhi.ui.navigation import NavEntry


class DisclosureConfig(AppConfig):
    name = "fazhi.disclosure"
    label = "disclosure"
    verbose_name = "依申请公开"

    def navigation(self) -> list[NavEntry]:
        from fazhi.disclosure.selectors import READ_ROLES

        return [NavEntry("依申请公开", "disclosure:list", READ_ROLES)]

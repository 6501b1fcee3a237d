from django.apps import AppConfig

from fazhi.ui.navigation import NavEntry


class LearningConfig(AppConfig):
    name = "fazhi.learning"
    verbose_name = "学法普法"

    def navigation(self) -> list[NavEntry]:
        from fazhi.learning.selectors import READ_ROLES

        return [NavEntry("学法普法", "learning:index", READ_ROLES)]

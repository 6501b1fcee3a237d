from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from fazhi.core import auth  # noqa: F401  (connects the login-failure receivers)

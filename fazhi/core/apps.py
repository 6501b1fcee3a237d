from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django.core import checks

        from fazhi.core import auth  # noqa: F401  (connects the login-failure receivers)
        from fazhi.core.notices.checks import outbound_check

        checks.register(outbound_check)

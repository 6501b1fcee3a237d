from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "fazhi.permits"
    verbose_name = "审批窗口"

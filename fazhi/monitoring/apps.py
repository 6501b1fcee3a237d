from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "fazhi.monitoring"
    verbose_name = "卫片执法"

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    verbose_name = "年度报告与指标"

from django.apps import AppConfig


class ProvinceConfig(AppConfig):
    """Province-scale generated data for benches and trials (``fazhi province_data``).

    It sits with the shell, above the apps: it writes every module's records, which
    no app may do for another."""

    name = "fazhi.province"
    label = "province"
    verbose_name = "全省压测数据"

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "fazhi.learning"
    verbose_name = "学法普法"

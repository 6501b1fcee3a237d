from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "fazhi.work"
    label = "work"
    verbose_name = "待办"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from fazhi.core import matters
        from fazhi.work import waiting

        # Every change of a matter's state, clocks or people refreshes its rows of
        # 我的待办 in the same transaction (house style 4: called, not signalled).
        matters.watch(waiting.refresh_keys, waiting.refresh_person)
        post_migrate.connect(waiting.fill_after_migrate, sender=self)

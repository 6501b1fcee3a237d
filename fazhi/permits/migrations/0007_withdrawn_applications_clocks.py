"""A withdrawn application says so on its clocks: each reads 已撤回 (before, the
cancelled clocks kept their last colour)."""

from django.db import migrations


def say_how(apps, schema_editor):
    Application = apps.get_model("permits", "Application")
    Clock = apps.get_model("deadlines", "Clock")
    for app in Application.objects.filter(state="withdrawn").iterator():
        ids = [app.decision_clock_id, app.promised_clock_id, app.certificate_clock_id]
        clocks = Clock.objects.filter(pk__in=[i for i in ids if i])
        clocks.filter(state__in=("running", "paused")).update(
            state="cancelled", stopped_on=app.ended_on)
        clocks.filter(state="cancelled").update(ended_as="withdrawn")


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0003_clock_ended_as"),
        ("permits", "0006_delete_extension"),
    ]

    operations = [migrations.RunPython(say_how, migrations.RunPython.noop)]

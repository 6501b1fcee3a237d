"""A reply or defence clock cancelled because the matter was concluded first says so
(已办结) instead of keeping its last colour."""

from django.db import migrations


def say_how(apps, schema_editor):
    Clock = apps.get_model("deadlines", "Clock")
    for model, field in (("Reconsideration", "reply_clock_id"),
                         ("Lawsuit", "defence_clock_id")):
        ids = apps.get_model("disputes", model).objects.values_list(field, flat=True)
        Clock.objects.filter(pk__in=[i for i in ids if i], state="cancelled",
                             ended_as="").update(ended_as="closed")


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0003_clock_ended_as"),
        ("disputes", "0001_initial"),
    ]

    operations = [migrations.RunPython(say_how, migrations.RunPython.noop)]

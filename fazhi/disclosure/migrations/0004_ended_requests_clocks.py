"""A withdrawn or abandoned request says so on its clocks, and runs none.

Before: the reply clock of a withdrawn or deemed-abandoned request was cancelled
without saying why, so its badge kept the last colour (正常, 暂停); the
consultations of a withdrawn request kept running. Now each reads 已撤回 or 视为放弃.
"""

from django.db import migrations

HOW = {"withdrawn": "withdrawn", "abandoned": "abandoned"}


def say_how(apps, schema_editor):
    DisclosureRequest = apps.get_model("disclosure", "DisclosureRequest")
    Consultation = apps.get_model("disclosure", "Consultation")
    Clock = apps.get_model("deadlines", "Clock")
    ClockPause = apps.get_model("deadlines", "ClockPause")
    for request in DisclosureRequest.objects.filter(state__in=list(HOW)).iterator():
        on = request.closed_on
        ids = [request.reply_clock_id, *Consultation.objects.filter(
            request=request).values_list("clock_id", flat=True)]
        for clock in Clock.objects.filter(pk__in=[i for i in ids if i]):
            if clock.state in ("running", "paused"):
                ClockPause.objects.filter(clock=clock, end__isnull=True).update(
                    end=max(on or clock.start_date, clock.start_date))
                Clock.objects.filter(pk=clock.pk).update(
                    state="cancelled", stopped_on=on or clock.start_date)
            if clock.state != "stopped":
                Clock.objects.filter(pk=clock.pk).update(ended_as=HOW[request.state])


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0003_clock_ended_as"),
        ("disclosure", "0003_delete_extensionrequest"),
    ]

    operations = [migrations.RunPython(say_how, migrations.RunPython.noop)]

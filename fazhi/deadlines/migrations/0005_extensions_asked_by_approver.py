"""Every extension recorded so far was approved when written: asked and decided by
the approver, at that time. (Data apart from the schema changes around it: on
PostgreSQL a table with pending row changes cannot be altered in one transaction.)"""

from django.db import migrations


def asked_by_the_approver(apps, schema_editor):
    ClockExtension = apps.get_model("deadlines", "ClockExtension")
    for ext in ClockExtension.objects.filter(requested_by__isnull=True):
        ClockExtension.objects.filter(pk=ext.pk).update(
            requested_by_id=ext.decided_by_id, requested_at=ext.decided_at)


class Migration(migrations.Migration):

    dependencies = [("deadlines", "0004_clock_extension_requests")]

    operations = [migrations.RunPython(asked_by_the_approver, migrations.RunPython.noop)]

"""Key the audit chain: a digest version per event, and a seal over the old events.

Events written before this migration keep their unkeyed digest (scheme 1) and verify
with it; the keyed seal event appended here covers what that digest left out (each
old event's organisation and object name), so the old events cannot be moved to
another county or renamed either.
"""

from django.db import migrations, models


def seal_old_events(apps, schema_editor):
    from fazhi.core.audit import legacy_seal

    legacy_seal(apps.get_model("core", "AuditEvent"), apps.get_model("core", "AuditHead"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="摘要版本"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="anchored",
            field=models.BooleanField(default=False, verbose_name="已有锚点"),
        ),
        # Not undone when migrating back: the seal stays in the chain (events are
        # never deleted), and code from before the key reports its hash as wrong.
        migrations.RunPython(seal_old_events, migrations.RunPython.noop),
    ]

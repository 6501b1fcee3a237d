"""Clocks are found by matter with their state and due date, and by kind in order
of due date: 我的待办 asks both of every matter it lists and of each kind."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0006_extension_requester_required"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="clock",
            name="deadlines_c_content_edaacf_idx",
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(fields=["content_type", "object_id", "state", "due_date"],
                               name="deadlines_c_content_01e8e6_idx"),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(fields=["content_type", "state", "due_date"],
                               name="deadlines_c_content_9724a2_idx"),
        ),
    ]

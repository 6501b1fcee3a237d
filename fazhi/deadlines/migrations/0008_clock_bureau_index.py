"""A bureau's running clocks by due date: the heads' lists of their people's
overdue items read one bureau's late clocks, not every bureau's."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0007_clock_indexes_for_work_items"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(fields=["org_unit", "state", "due_date"],
                               name="deadlines_c_org_uni_c0aab3_idx"),
        ),
    ]

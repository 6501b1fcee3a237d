"""A bureau's cases by state: 我的待办 counts those waiting on a role."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0007_case_sign_offs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["org_unit", "state"], name="case_org_state"),
        ),
    ]

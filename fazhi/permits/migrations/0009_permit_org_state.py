"""A bureau's applications by state: 我的待办 counts those waiting on a role."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("permits", "0008_decision_sign_off_states"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["org_unit", "state"], name="permit_org_state"),
        ),
    ]

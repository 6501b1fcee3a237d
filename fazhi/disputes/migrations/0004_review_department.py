"""责任单位 becomes a choice of the bureau's departments (股室).

Reviews written before name their unit as free text; those whose text (spaces
removed) is a department of the same bureau are linked to it, so the class
review counts them together. The others keep their text and are counted by it.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_departments(apps, schema_editor):
    CaseReview = apps.get_model("disputes", "CaseReview")
    Department = apps.get_model("core", "Department")
    by_name = {(d.org_unit_id, "".join(d.name.split())): d.pk
               for d in Department.objects.all()}
    for review in CaseReview.objects.filter(department__isnull=True).iterator():
        key = (review.org_unit_id, "".join(review.responsible_unit.split()))
        if key in by_name:
            CaseReview.objects.filter(pk=review.pk).update(department_id=by_name[key])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_standins_and_acting_signoffs"),
        ("disputes", "0003_hearing_scheduled_ahead"),
    ]

    operations = [
        migrations.AddField(
            model_name="casereview",
            name="department",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="core.department", verbose_name="责任单位"),
        ),
        migrations.RunPython(link_departments, migrations.RunPython.noop),
    ]

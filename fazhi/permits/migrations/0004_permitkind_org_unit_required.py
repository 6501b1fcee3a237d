"""Every permit kind now has its bureau: require it, and keep codes and
certificate words unique within a bureau."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
        ('permits', '0003_permitkind_per_bureau'),
    ]

    operations = [
        migrations.AlterField(
            model_name='permitkind',
            name='org_unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.orgunit', verbose_name='机关'),
        ),
        migrations.AddConstraint(
            model_name='permitkind',
            constraint=models.UniqueConstraint(fields=('org_unit', 'code'), name='permit_kind_code_per_org'),
        ),
        migrations.AddConstraint(
            model_name='permitkind',
            constraint=models.UniqueConstraint(fields=('org_unit', 'certificate_word'), name='permit_kind_word_per_org'),
        ),
    ]

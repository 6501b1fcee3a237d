"""Give each permit kind a bureau (nullable until 0003 fills it in)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
        ('permits', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='permitkind',
            name='org_unit',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.orgunit', verbose_name='机关'),
        ),
        migrations.AlterField(
            model_name='permitkind',
            name='code',
            field=models.SlugField(max_length=40, verbose_name='编码'),
        ),
        migrations.AlterField(
            model_name='permitkind',
            name='certificate_word',
            field=models.CharField(max_length=10, verbose_name='证书文号代字'),
        ),
    ]

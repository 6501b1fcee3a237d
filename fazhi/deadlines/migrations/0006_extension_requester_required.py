"""An extension request always names who asked and when."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0005_extensions_asked_by_approver"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="clockextension", name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="申请人"),
        ),
        migrations.AlterField(
            model_name="clockextension", name="requested_at",
            field=models.DateTimeField(default=django.utils.timezone.now,
                                       verbose_name="申请时间"),
        ),
        migrations.AddField(
            model_name="clockextension", name="instrument",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="core.instrument"),
        ),
        migrations.AlterModelOptions(
            name="clockextension",
            options={"ordering": ["requested_at", "pk"], "verbose_name": "期限延长"},
        ),
    ]

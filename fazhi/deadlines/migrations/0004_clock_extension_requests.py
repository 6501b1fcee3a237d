"""An extension is asked by one person and decided by another (issue 14, item 4).

Every extension recorded so far was approved when it was written, by the person
then named as approver: it becomes an approved request, asked and decided by that
person at that time. The modules' own extension requests (permits, disclosure) move
here in their apps' next migrations.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_api_tokens_and_login_throttle"),
        ("deadlines", "0003_clock_ended_as"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("clockextension", "approved_by", "decided_by"),
        migrations.RenameField("clockextension", "approved_at", "decided_at"),
        migrations.AlterField(
            model_name="clockextension", name="decided_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="审批人"),
        ),
        migrations.AlterField(
            model_name="clockextension", name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="审批时间"),
        ),
        migrations.AlterField(
            model_name="clockextension", name="reason",
            field=models.TextField(verbose_name="理由"),
        ),
        # Rows so far were written on approval.
        migrations.AddField(
            model_name="clockextension", name="state",
            field=models.CharField(
                choices=[("pending", "待审批"), ("approved", "已批准"),
                         ("refused", "未批准")],
                db_index=True, default="approved", max_length=10,
                verbose_name="审批状态"),
        ),
        migrations.AlterField(
            model_name="clockextension", name="state",
            field=models.CharField(
                choices=[("pending", "待审批"), ("approved", "已批准"),
                         ("refused", "未批准")],
                db_index=True, default="pending", max_length=10,
                verbose_name="审批状态"),
        ),
        migrations.AddField(
            model_name="clockextension", name="requested_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="申请人"),
        ),
        migrations.AddField(
            model_name="clockextension", name="requested_at",
            field=models.DateTimeField(null=True, verbose_name="申请时间"),
        ),
    ]

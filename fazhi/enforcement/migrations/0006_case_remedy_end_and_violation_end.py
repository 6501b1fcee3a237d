"""Two dates a case lacked.

``remedy_ended_on``: the end of the party's reconsideration or suit. It was asked
for but never kept, so once a remedy ended the surcharge stayed stopped for good;
行政处罚法 Art. 73(3) leaves out only the days of the proceedings. The end written
in the case's log ("2025-10-09 至 2025-12-01") is copied over for remedies already
ended.

``violation_ended_on``: the day the act ended (违法行为终了之日), which decides
whether an earlier law governs it (行政处罚法 Art. 37). Left empty: only staff know.
"""

import datetime as dt
import re

from django.db import migrations, models

_SPAN = re.compile(r"(\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2})")


def remedy_ends(apps, schema_editor):
    Case = apps.get_model("enforcement", "Case")
    CaseStep = apps.get_model("enforcement", "CaseStep")
    ended = Case.objects.filter(remedy_started_on__isnull=False, remedy_pending=False,
                                remedy_ended_on__isnull=True)
    for case in ended.iterator():
        steps = CaseStep.objects.filter(case=case, action="remedy").order_by("-pk")
        for note in steps.values_list("note", flat=True):
            found = _SPAN.search(note)
            if found and found[1] == case.remedy_started_on.isoformat():
                Case.objects.filter(pk=case.pk).update(
                    remedy_ended_on=dt.date.fromisoformat(found[2]))
                break


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0005_case_clocks_end_and_execution_steps"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="remedy_ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="复议/诉讼终结日期"),
        ),
        migrations.AddField(
            model_name="case",
            name="violation_ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="违法行为终了日期"),
        ),
        migrations.RunPython(remedy_ends, migrations.RunPython.noop),
    ]

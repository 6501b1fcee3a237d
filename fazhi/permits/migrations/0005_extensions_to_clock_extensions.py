"""The extension of a decision period is the decision clock's own extension request
(deadlines.ClockExtension): every request moves there, with who asked, when, the
decision and who made it.

An approved request already has its ClockExtension (written when the clock moved):
that row takes the request's asker and date; a pending or refused one gets a new
row. Backwards, each request comes back from the decision clock's rows.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations

_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _at(day):
    """A date of the old model as the moment the new one stores (9:00 local)."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=_TZ) if day else None


def forward(apps, schema_editor):
    Extension = apps.get_model("permits", "Extension")
    ClockExtension = apps.get_model("deadlines", "ClockExtension")
    for ext in Extension.objects.select_related("application").order_by("pk"):
        clock_id = ext.application.decision_clock_id
        if clock_id is None:
            raise RuntimeError(
                f"许可申请 {ext.application.number} 的延期申请没有决定期限可挂靠")
        fields = dict(requested_by_id=ext.requested_by_id,
                      requested_at=_at(ext.requested_on), state=ext.state,
                      decided_by_id=ext.decided_by_id)
        moved = ClockExtension.objects.filter(
            clock_id=clock_id, days=ext.days, state="approved",
            decided_by_id=ext.decided_by_id).order_by("pk").first()
        if ext.state == "approved" and moved is not None:
            ClockExtension.objects.filter(pk=moved.pk).update(**fields)
        else:
            ClockExtension.objects.create(clock_id=clock_id, days=ext.days,
                                          reason=ext.reason,
                                          decided_at=_at(ext.decided_on), **fields)


def backward(apps, schema_editor):
    Application = apps.get_model("permits", "Application")
    Extension = apps.get_model("permits", "Extension")
    ClockExtension = apps.get_model("deadlines", "ClockExtension")
    for app in Application.objects.filter(decision_clock__isnull=False):
        rows = ClockExtension.objects.filter(clock_id=app.decision_clock_id)
        first = rows.order_by("requested_at", "pk").first()
        if first is None:
            continue
        Extension.objects.create(
            application=app, days=first.days, reason=first.reason,
            requested_by_id=first.requested_by_id,
            requested_on=first.requested_at.astimezone(_TZ).date(),
            state=first.state, decided_by_id=first.decided_by_id,
            decided_on=first.decided_at.astimezone(_TZ).date()
            if first.decided_at else None)
        rows.exclude(state="approved").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0006_extension_requester_required"),
        ("permits", "0004_permitkind_org_unit_required"),
    ]

    operations = [migrations.RunPython(forward, backward)]

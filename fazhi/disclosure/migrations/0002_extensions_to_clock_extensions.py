"""An extension request for a reply is the reply clock's own extension request
(deadlines.ClockExtension): every one moves there with who asked, when, the
decision, who made it and the notice sent.

An approved request already has its ClockExtension (written when the clock moved):
that row takes the request's asker, dates and notice; a pending or refused one gets
a new row. Backwards, each request comes back from the reply clock's rows.
"""

from django.db import migrations


def forward(apps, schema_editor):
    ExtensionRequest = apps.get_model("disclosure", "ExtensionRequest")
    ClockExtension = apps.get_model("deadlines", "ClockExtension")
    for ext in ExtensionRequest.objects.select_related("request").order_by("pk"):
        clock_id = ext.request.reply_clock_id
        if clock_id is None:
            raise RuntimeError(
                f"依申请公开 {ext.request.number} 的延期申请没有答复期限可挂靠")
        fields = dict(requested_by_id=ext.requested_by_id,
                      requested_at=ext.requested_at, state=ext.state,
                      decided_by_id=ext.decided_by_id,
                      instrument_id=ext.instrument_id)
        moved = ClockExtension.objects.filter(
            clock_id=clock_id, days=ext.days, state="approved",
            decided_by_id=ext.decided_by_id, instrument__isnull=True,
        ).order_by("pk").first()
        if ext.state == "approved" and moved is not None:
            ClockExtension.objects.filter(pk=moved.pk).update(
                reason=ext.reason, **fields)
        else:
            ClockExtension.objects.create(clock_id=clock_id, days=ext.days,
                                          reason=ext.reason,
                                          decided_at=ext.decided_at, **fields)


def backward(apps, schema_editor):
    DisclosureRequest = apps.get_model("disclosure", "DisclosureRequest")
    ExtensionRequest = apps.get_model("disclosure", "ExtensionRequest")
    ClockExtension = apps.get_model("deadlines", "ClockExtension")
    for request in DisclosureRequest.objects.filter(reply_clock__isnull=False):
        rows = ClockExtension.objects.filter(clock_id=request.reply_clock_id)
        for row in rows.order_by("requested_at", "pk"):
            back = ExtensionRequest.objects.create(
                request=request, days=row.days, reason=row.reason,
                requested_by_id=row.requested_by_id, state=row.state,
                decided_by_id=row.decided_by_id, decided_at=row.decided_at,
                instrument_id=row.instrument_id)
            # requested_at is stamped on creation: give it back its own moment.
            ExtensionRequest.objects.filter(pk=back.pk).update(
                requested_at=row.requested_at)
        rows.exclude(state="approved").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0006_extension_requester_required"),
        ("disclosure", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]

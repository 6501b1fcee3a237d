"""Split the shared permit kinds into one copy per bureau and repoint applications.

Until now one row served every county, so one bureau's change of a promised
limit reached another's applications. Each kind goes to the bureaus that had it:

- every bureau whose applications use it (they keep exactly what they had);
- a shipped kind also to every county bureau and every bureau with applications
  (each bureau's list looks as it did before, now its own);
- a kind a bureau added also to that bureau (the bureau of the staff member who
  added it, from the audit chain), or, when that cannot be found and nobody uses
  it, to every bureau that handles permits, as it was visible to all before.

The first of those bureaus (in tree order) keeps the original row, so its
applications need no change; each other bureau gets a copy, and its
applications are repointed to it. Only ORM queries: the same on SQLite and
PostgreSQL. A kind with no bureau to go to (no bureau exists) is removed: no
application can use it, and ``fazhi permits_kinds_sync`` loads the list again.
"""

from django.db import migrations


def _handling(OrgUnit, Application) -> set[int]:
    counties = OrgUnit.objects.filter(level="county").values_list("pk", flat=True)
    using = Application.objects.values_list("org_unit_id", flat=True).distinct()
    return set(counties) | set(using)


def _adder(AuditEvent, kind) -> set[int]:
    """The bureau of whoever added ``kind`` on the kind page, if recorded."""
    first = (AuditEvent.objects.filter(action="permits.kind_save",
                                       object_id=str(kind.pk),
                                       actor__org_unit__isnull=False)
             .order_by("seq").values_list("actor__org_unit_id", flat=True).first())
    return {first} if first else set()


def _owners(apps, kind, handling: set[int]) -> list[int]:
    Application = apps.get_model("permits", "Application")
    OrgUnit = apps.get_model("core", "OrgUnit")
    owners = set(Application.objects.filter(kind_id=kind.pk)
                 .values_list("org_unit_id", flat=True).distinct())
    if kind.added_by_bureau:
        owners |= _adder(apps.get_model("core", "AuditEvent"), kind)
    if not owners or not kind.added_by_bureau:
        owners |= handling
    return list(OrgUnit.objects.filter(pk__in=owners).order_by("path")
                .values_list("pk", flat=True))


def split(apps, schema_editor):
    PermitKind = apps.get_model("permits", "PermitKind")
    Application = apps.get_model("permits", "Application")
    handling = _handling(apps.get_model("core", "OrgUnit"), Application)
    for kind in list(PermitKind.objects.filter(org_unit__isnull=True).order_by("pk")):
        owners = _owners(apps, kind, handling)
        if not owners:
            kind.delete()
            continue
        original = kind.pk
        PermitKind.objects.filter(pk=original).update(org_unit_id=owners[0])
        for org in owners[1:]:
            kind.pk = None
            kind.org_unit_id = org
            kind.save(force_insert=True)
            Application.objects.filter(kind_id=original, org_unit_id=org).update(
                kind_id=kind.pk)


def merge(apps, schema_editor):
    """Undo: one row per code again (the lowest), applications repointed to it."""
    PermitKind = apps.get_model("permits", "PermitKind")
    Application = apps.get_model("permits", "Application")
    keep: dict[str, int] = {}
    for kind in PermitKind.objects.order_by("pk"):
        if kind.code not in keep:
            keep[kind.code] = kind.pk
            PermitKind.objects.filter(pk=kind.pk).update(org_unit=None)
            continue
        Application.objects.filter(kind_id=kind.pk).update(kind_id=keep[kind.code])
        kind.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
        ('permits', '0002_permitkind_org_unit'),
    ]

    operations = [migrations.RunPython(split, merge)]

"""The permits' own extension table, emptied into deadlines.ClockExtension."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("permits", "0005_extensions_to_clock_extensions")]

    operations = [migrations.DeleteModel(name="Extension")]

"""The disclosure's own extension table, emptied into deadlines.ClockExtension."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("disclosure", "0002_extensions_to_clock_extensions")]

    operations = [migrations.DeleteModel(name="ExtensionRequest")]

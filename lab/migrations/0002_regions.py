"""All French regions before and after the 2016 reform (INSEE codes)."""

from django.db import migrations

from lab.regions import ensure_regions


def create_regions(apps, schema_editor):
    ensure_regions(apps.get_model("lab", "Region"))


class Migration(migrations.Migration):
    dependencies = [("lab", "0001_initial")]

    operations = [migrations.RunPython(create_regions, migrations.RunPython.noop)]

from django.db import migrations

from partenariats.territories.reference import sync_reference


def load(apps, schema_editor):
    sync_reference(apps.get_model("territories", "AcademicRegion"), apps.get_model("territories", "Academy"))


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

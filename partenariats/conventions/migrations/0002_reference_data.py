import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def load(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    Audience = apps.get_model("conventions", "Audience")
    Programme = apps.get_model("conventions", "Programme")
    for position, (code, label) in enumerate(data["audiences"]):
        Audience.objects.update_or_create(code=code, defaults={"label": label, "position": position})
    for position, (code, label, month) in enumerate(data["programmes"]):
        Programme.objects.update_or_create(code=code, defaults={"label": label, "month": month, "position": position})


class Migration(migrations.Migration):
    dependencies = [("conventions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

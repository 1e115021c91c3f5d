from django.db import migrations

from vungcao.programs import shipped


def load(apps, schema_editor):
    shipped.capital_sources_load(apps.get_model("programs", "CapitalSource"))
    shipped.programmes_load(apps.get_model("programs", "Programme"), apps.get_model("programs", "Component"))


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

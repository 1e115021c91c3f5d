import django.db.models.deletion
from django.db import migrations, models


def province_of_path(path: str) -> str:
    """As ``geo.tree.province_of_path`` says it today: the era and the province's code."""
    era, province = path.split("/")[:2]
    return f"{era}/{province}/"

# Villages whose households one statement updates.
VILLAGES_AT_ONCE = 1000


def set_provinces(apps, schema_editor):
    """Each stored household's province, the one its village lies in: one update per province and
    thousand villages, whatever the number of households."""
    household = apps.get_model("registry", "Household")
    unit = apps.get_model("geo", "AdministrativeUnit")
    village_paths = dict(
        unit.objects.filter(pk__in=household.objects.values("village_id").distinct()).values_list("pk", "path")
    )
    provinces = dict(
        unit.objects.filter(
            path__in={province_of_path(path) for path in village_paths.values()}
        ).values_list("path", "pk")
    )
    villages_of: dict[int, list[int]] = {}
    for village, path in village_paths.items():
        villages_of.setdefault(provinces[province_of_path(path)], []).append(village)
    for province, villages in villages_of.items():
        for start in range(0, len(villages), VILLAGES_AT_ONCE):
            household.objects.filter(village_id__in=villages[start : start + VILLAGES_AT_ONCE]).update(
                province_id=province
            )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0003_unit_tree_revision"),
        ("registry", "0011_flow_rollups"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="province",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.administrativeunit",
                verbose_name="province",
            ),
        ),
        migrations.RunPython(set_provinces, migrations.RunPython.noop),
    ]

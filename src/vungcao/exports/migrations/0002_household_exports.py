"""The household exports of ``registry.HouseholdExport`` carried into the one export model (their ids,
users, filters, counts and errors), before the registry's model is removed. Their files are not: they
were sealed for the old model, and are at most a day old; a waiting or ready export becomes expired and
its user exports again."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def carry_household_exports(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    HouseholdExport = apps.get_model("registry", "HouseholdExport")
    Export = apps.get_model("exports", "Export")
    Export.objects.bulk_create(
        Export(
            id=old.id,
            user_id=old.user_id,
            kind="households",
            parameters=old.filters,
            status=old.status,
            row_count=old.row_count,
            content=b"",
            filename="",
            finished_at=old.finished_at,
            error=old.error,
            created_at=old.created_at,
            updated_at=old.updated_at,
        )
        for old in HouseholdExport.objects.all().iterator()
    )
    Export.objects.filter(status__in=["queued", "running", "ready"]).update(status="expired")


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("registry", "0006_review_event_recalled"),
    ]

    operations = [migrations.RunPython(carry_household_exports, migrations.RunPython.noop)]

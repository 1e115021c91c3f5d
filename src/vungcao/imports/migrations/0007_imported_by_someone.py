from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def to_the_system_actor(apps, schema_editor):
    """Batches imported from the command line had no user: they were the system's work, now recorded
    under the system actor (``accounts.services.system_actor``), made here as that function makes it."""
    ImportBatch = apps.get_model("imports", "ImportBatch")
    if not ImportBatch.objects.filter(user__isnull=True).exists():
        return
    User = apps.get_model("accounts", "User")
    actor, _created = User.objects.get_or_create(
        username="system",
        defaults={"role": "administrator", "is_active": False, "first_name": "Hệ thống", "password": "!"},
    )
    ImportBatch.objects.filter(user__isnull=True).update(user=actor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_apitoken_expires_at_required"),
        ("imports", "0006_status_age_index"),
    ]

    operations = [
        migrations.RunPython(to_the_system_actor, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="importbatch",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="import_batches",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
    ]

"""Tokens get a scope and an expiry. Tokens made before could change data and never expired: they stay
read-write (scripts using them keep working) and expire 90 days after this migration."""

import datetime

from django.db import migrations, models
from django.utils import timezone

EXISTING_TOKENS_LIFETIME = datetime.timedelta(days=90)


def expire_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + EXISTING_TOKENS_LIFETIME)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read_only", "Read only"), ("read_write", "Read and write")],
                default="read_write",
                help_text="A read-only token is refused any change (POST, PUT, PATCH, DELETE).",
                max_length=16,
                verbose_name="access",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read_only", "Read only"), ("read_write", "Read and write")],
                default="read_only",
                help_text="A read-only token is refused any change (POST, PUT, PATCH, DELETE).",
                max_length=16,
                verbose_name="access",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
    ]

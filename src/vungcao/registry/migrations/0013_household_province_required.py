import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Required and indexed once every household has its province (``0012``): a separate migration, since
    PostgreSQL does not alter a table in the transaction that updated its rows under a deferred foreign key."""

    dependencies = [("registry", "0012_household_province")]

    operations = [
        migrations.AlterField(
            model_name="household",
            name="province",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.administrativeunit",
                verbose_name="province",
            ),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["province", "code"], name="household_province_code"),
        ),
    ]

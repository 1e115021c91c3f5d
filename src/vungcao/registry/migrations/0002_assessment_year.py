"""Keep the cycle's year on each assessment: one status per household a year, filtered by index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_cycle_years(apps, schema_editor):  # type: ignore[no-untyped-def]
    Assessment = apps.get_model("registry", "Assessment")
    ReviewCycle = apps.get_model("registry", "ReviewCycle")
    Assessment.objects.update(year=Subquery(ReviewCycle.objects.filter(pk=OuterRef("cycle_id")).values("year")))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
        migrations.RunPython(copy_cycle_years, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessment",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year"),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(fields=("household", "year"), name="assessment_one_a_year"),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(fields=["year", "status", "household"], name="assessment_year_status"),
        ),
    ]

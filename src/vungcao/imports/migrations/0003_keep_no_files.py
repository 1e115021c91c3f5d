"""Uploaded files are no longer kept: each batch's file is emptied here (and its column removed by 0004),
the rows of a batch still waiting to be applied, kept in clear until now, are emptied and the batch
marked expired (its file must be uploaded again), and problems are kept to the first 1,000 by row with
their count. Emptying first, in its own migration, makes PostgreSQL drop the stored bytes (a dropped
column's data stays in the table's rows until they are rewritten); VACUUM then frees the space."""

from django.db import migrations, models

MAX_PROBLEMS = 1_000  # engine.tabular.MAX_PROBLEMS when this was written


def forward(apps, schema_editor):
    ImportBatch = apps.get_model("imports", "ImportBatch")
    ImportBatch.objects.update(content=b"")
    ImportBatch.objects.filter(status="ready").update(status="expired", rows=b"")
    ImportBatch.objects.exclude(rows=b"").update(rows=b"")
    for batch in ImportBatch.objects.only("pk", "problems").iterator(chunk_size=100):
        problems = batch.problems or []
        kept = sorted(problems, key=lambda problem: (problem["row"], problem["field"], problem["value"], problem["reason"]))[:MAX_PROBLEMS]
        ImportBatch.objects.filter(pk=batch.pk).update(problems=kept, problem_count=len(problems))


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0002_rows_read_at_preview'),
    ]

    operations = [
        migrations.AddField(
            model_name='importbatch',
            name='problem_count',
            field=models.PositiveIntegerField(default=0, verbose_name='problems found'),
        ),
        migrations.AlterField(
            model_name='importbatch',
            name='status',
            field=models.CharField(choices=[('ready', 'Ready to apply'), ('refused', 'Refused'), ('applied', 'Applied'), ('expired', 'Expired')], max_length=16, verbose_name='status'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]

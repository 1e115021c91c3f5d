"""Keep the rows read at preview, so that apply does not read the file again."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='importbatch',
            name='rows',
            field=models.BinaryField(blank=True, default=b'', verbose_name='rows read at preview'),
        ),
    ]

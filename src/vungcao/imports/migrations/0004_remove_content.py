"""The uploaded file is not kept (emptied by 0003)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0003_keep_no_files'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='importbatch',
            name='content',
        ),
    ]

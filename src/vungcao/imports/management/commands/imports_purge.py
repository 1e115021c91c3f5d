"""``vungcao imports_purge``: expire the previews left waiting longer than the retention and remove the
rows read from their files. Every preview also does it; run this daily (cron) so that nothing waits for
the next upload."""

from typing import Any

from django.core.management.base import BaseCommand

from vungcao.imports import services


class Command(BaseCommand):
    help = "Expire import previews older than the retention (24 hours) and remove the rows read from their files."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.import_batches_purge()
        self.stdout.write(
            f"{expired} previews older than {services.RETENTION_HOURS} hours expired; no rows of a file are kept"
        )

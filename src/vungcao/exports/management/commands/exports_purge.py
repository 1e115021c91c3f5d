"""``vungcao exports_purge``: expire the exports older than the retention and remove their files. Every
new export also does it; run this daily (cron) so that no file waits for the next export."""

from typing import Any

from django.core.management.base import BaseCommand

from vungcao.exports import services


class Command(BaseCommand):
    help = "Expire exports older than the retention (24 hours) and remove their files."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.exports_expire()
        self.stdout.write(f"{expired} exports older than {services.RETENTION_HOURS} hours expired")

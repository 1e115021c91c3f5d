"""``vungcao household_exports_purge``: expire the household exports older than the retention and remove
their files. Every new export also does it; run this daily (cron) so that no file waits for the next
export."""

from typing import Any

from django.core.management.base import BaseCommand

from vungcao.registry.services import exports


class Command(BaseCommand):
    help = "Expire household exports older than the retention (24 hours) and remove their files."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = exports.household_exports_expire()
        self.stdout.write(f"{expired} household exports older than {exports.RETENTION_HOURS} hours expired")

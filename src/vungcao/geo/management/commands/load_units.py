"""``vungcao load_units``: load or upgrade both eras of official units and the derived crosswalk."""

from typing import Any

from django.core.management.base import BaseCommand

from vungcao.geo.models import Era
from vungcao.geo.services import units


class Command(BaseCommand):
    help = "Load the official administrative units of both eras and derive the crosswalk; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        for era, records in (
            (Era.PRE2025, units.pre2025_unit_records()),
            (Era.CURRENT, units.current_unit_records()),
        ):
            result = units.units_load(era=era, records=records)
            self.stdout.write(
                f"units {era}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
            )
        result = units.crosswalk_derive()
        self.stdout.write(
            f"derived crosswalk: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        )

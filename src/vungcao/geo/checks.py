"""What a complete database holds of the administrative units (``vungcao database_check``)."""

from collections.abc import Iterator

from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import units


def official_units_present() -> Iterator[str]:
    """Every official unit of both eras is stored (villages are the deployment's and are not checked)."""
    for era, records in (
        (Era.PRE2025, units.pre2025_unit_records()),
        (Era.CURRENT, units.current_unit_records()),
    ):
        stored = set(AdministrativeUnit.objects.filter(era=era).values_list("code", flat=True))
        missing = sorted(record.code for record in records if record.code not in stored)
        if missing:
            yield (
                f"{len(missing)} official units of the era {era} are missing ({', '.join(missing[:10])}"
                f"{' …' if len(missing) > 10 else ''}): run vungcao load_units"
            )

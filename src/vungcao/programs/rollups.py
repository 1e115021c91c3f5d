"""Money's rollup (``common.rollups``): each unit's records summed by component, source, budget year and
kind, and counted (``models.MoneyTotal``).

A unit is the scope of a refresh: every write of money records sums the records of the units it touched
again, in its transaction (:func:`money_totals_refresh`): a record entered on the page or by the API
(``services.money``), a file applied (``services.money_import``), a record changed or deleted in the
administration, the demo. Whether an extension is superseded depends on the other extensions of its
allocation, which are records of the same unit, so a unit's recount settles it.
"""

from collections.abc import Iterable

from django.db.models import BooleanField, Count, ExpressionWrapper, QuerySet, Sum

from vungcao.common.rollups import Rollup, rollups_refresh
from vungcao.programs.models import MoneyRecord, MoneyTotal
from vungcao.programs.selectors.money import superseded


def _records() -> QuerySet[MoneyRecord]:
    return MoneyRecord.objects.annotate(
        superseded=ExpressionWrapper(superseded(), output_field=BooleanField())
    )


MONEY_TOTALS = Rollup(
    name="programs.money_totals",
    table=MoneyTotal,
    scope_field="unit",
    records=_records,
    record_scope="unit",
    keys={
        "component": "component",
        "source": "source",
        "year": "year",
        "kind": "kind",
        "to_year": "to_year",
        "superseded": "superseded",
    },
    measures={"amount_vnd": Sum("amount_vnd"), "records": Count("pk")},
)
MONEY_ROLLUPS = (MONEY_TOTALS,)


def money_totals_refresh(unit_ids: Iterable[int]) -> None:
    """Sum the money records of these units again (after writing them, in the same transaction)."""
    rollups_refresh((MONEY_ROLLUPS, unit_ids))

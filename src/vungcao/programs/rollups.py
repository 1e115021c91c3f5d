"""Money's rollups (``common.rollups``): each unit's records summed by component, source, budget year and
kind, and counted (``models.MoneyTotal``); those totals summed again by the province each unit lies in
(``models.MoneyProvinceTotal``), and each province's records by month of the document
(``models.MoneyProvinceMonth``), for the country's figures.

A unit is the scope of a refresh: every write of money records sums the records of the units it touched
again, then their provinces' totals, in its transaction (:func:`money_totals_refresh`): a record entered
on the page or by the API (``services.money``), a file applied (``services.money_import``), a record
changed or deleted in the administration, the demo. Whether an extension is superseded depends on the
other extensions of its allocation, which are records of the same unit, so a unit's recount settles it.
A unit moved into another province by the official list moves its totals there
(:func:`money_follows_units`).
"""

import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Sum, Value, When

from vungcao.common.rollups import Rollup, rollup_rebuild, rollups_refresh
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.programs.models import MoneyProvinceMonth, MoneyProvinceTotal, MoneyRecord, MoneyTotal
from vungcao.programs.selectors.money import DocumentMonth, superseded


def _records() -> QuerySet[MoneyRecord]:
    return MoneyRecord.objects.annotate(
        superseded=ExpressionWrapper(superseded(), output_field=BooleanField())
    )


KEYS = {
    "component": "component",
    "source": "source",
    "year": "year",
    "kind": "kind",
    "to_year": "to_year",
    "superseded": "superseded",
}

MONEY_TOTALS = Rollup(
    name="programs.money_totals",
    table=MoneyTotal,
    scope_field="unit",
    records=_records,
    record_scope="unit",
    keys=KEYS,
    measures={"amount_vnd": Sum("amount_vnd"), "records": Count("pk")},
)


@dataclass(frozen=True)
class ProvinceRollup(Rollup):
    """A rollup of rows kept per unit (``records``, whose ``unit`` is theirs) by the province each unit
    lies in: its scopes are provinces, and a province's rows are those of the units of its subtree,
    found by their paths (a unit does not name its province)."""

    def scoped(self, records: QuerySet[Any], scope_ids: Sequence[Any] | None) -> QuerySet[Any]:
        provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE).only("path")
        if scope_ids is not None:
            provinces = provinces.filter(pk__in=list(scope_ids))
        within = [(province.pk, tree.in_subtree(province, "unit")) for province in provinces]
        if scope_ids is not None:
            records = records.filter(
                functools.reduce(operator.or_, (condition for _pk, condition in within), Q(pk__in=[]))
            )
        province = Case(
            *(When(condition, then=Value(pk)) for pk, condition in within),
            output_field=models.BigIntegerField(),
        )
        annotated: QuerySet[Any] = records.annotate(**{self.record_scope: province})
        return annotated


MONEY_PROVINCE_TOTALS = ProvinceRollup(
    name="programs.money_province_totals",
    table=MoneyProvinceTotal,
    scope_field="province",
    records=MoneyTotal.objects.all,
    record_scope="province",
    keys=KEYS,
    measures={"amount_vnd": Sum("amount_vnd"), "records": Sum("records")},
)


def _records_by_month() -> QuerySet[MoneyRecord]:
    return _records().annotate(document_month=DocumentMonth("document_date"))


MONEY_PROVINCE_MONTHS = ProvinceRollup(
    name="programs.money_province_months",
    table=MoneyProvinceMonth,
    scope_field="province",
    records=_records_by_month,
    record_scope="province",
    keys={
        "is_budget": "source__is_budget",
        "year": "year",
        "kind": "kind",
        "superseded": "superseded",
        "document_month": "document_month",
    },
    measures={"amount_vnd": Sum("amount_vnd"), "records": Count("pk")},
)
PROVINCE_ROLLUPS = (MONEY_PROVINCE_TOTALS, MONEY_PROVINCE_MONTHS)
MONEY_ROLLUPS = (MONEY_TOTALS, *PROVINCE_ROLLUPS)
"""In the order they are counted: a province's totals are summed from its units'."""


def money_totals_refresh(unit_ids: Iterable[int]) -> None:
    """Sum the money records of these units again, then their provinces' totals and months (after writing
    the records, in the same transaction)."""
    units = list(AdministrativeUnit.objects.filter(pk__in=set(unit_ids)).only("path"))
    rollups_refresh(
        ((MONEY_TOTALS,), [unit.pk for unit in units]),
        (PROVINCE_ROLLUPS, set(tree.province_ids(units).values())),
    )


def money_follows_units(**_kwargs: object) -> None:
    """Receiver of ``geo.signals.units_moved``: a unit moved under another province takes its money
    totals there, so every province's totals are summed again (a move of the official list is rare)."""
    for rollup in PROVINCE_ROLLUPS:
        rollup_rebuild(rollup)

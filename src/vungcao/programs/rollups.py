"""Money's rollups (``common.rollups``): each unit's records summed by component, source, budget year and
kind, and counted (``models.MoneyTotal``); those totals summed again by the province each unit lies in
(``models.MoneyProvinceTotal``), and each province's records by month of the document
(``models.MoneyProvinceMonth``), for the country's figures; the totals and the months by province of the
units before 1 July 2025 carried across the crosswalk into the current era (``models.MoneyCarriedTotal``,
``models.MoneyCarriedMonth``), for every current unit's history.

A unit is the scope of a refresh: every write of money records sums the records of the units it touched
again, then their provinces' totals, and carries an old unit's again, in its transaction
(:func:`money_totals_refresh`): a record entered
on the page or by the API (``services.money``), a file applied (``services.money_import``), a record
changed or deleted in the administration, the demo. Whether an extension is superseded depends on the
other extensions of its allocation, which are records of the same unit, so a unit's recount settles it.
A unit moved into another province by the official list moves its totals there
(:func:`money_follows_units`); a change of the crosswalk carries the old units' money again
(:func:`money_follows_links`).
"""

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Sum, Value, When

from vungcao.common.bulk import insert_rows
from vungcao.common.rollups import Rollup, rollup_rebuild, rollups_refresh
from vungcao.engine.money import carry_amount
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.programs.models import (
    MoneyCarriedMonth,
    MoneyCarriedTotal,
    MoneyProvinceMonth,
    MoneyProvinceTotal,
    MoneyRecord,
    MoneyTotal,
)
from vungcao.programs.selectors.money import DocumentMonth, superseded


def records_marked(model: type[models.Model] = MoneyRecord) -> QuerySet[Any]:
    """The money records, each marked ``superseded`` or not: what the money rollups count (``model``: a
    migration's historical ``MoneyRecord``)."""
    marked: QuerySet[Any] = model._base_manager.annotate(
        superseded=ExpressionWrapper(superseded(model=model), output_field=BooleanField())
    )
    return marked


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
    records=records_marked,
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


def records_by_month(model: type[models.Model] = MoneyRecord) -> QuerySet[Any]:
    """:func:`records_marked`, each with its document's month."""
    dated: QuerySet[Any] = records_marked(model).annotate(document_month=DocumentMonth("document_date"))
    return dated


MONTH_KEYS = {
    "is_budget": "source__is_budget",
    "year": "year",
    "kind": "kind",
    "superseded": "superseded",
    "document_month": "document_month",
}

MONEY_PROVINCE_MONTHS = ProvinceRollup(
    name="programs.money_province_months",
    table=MoneyProvinceMonth,
    scope_field="province",
    records=records_by_month,
    record_scope="province",
    keys=MONTH_KEYS,
    measures={"amount_vnd": Sum("amount_vnd"), "records": Count("pk")},
)


@dataclass(frozen=True)
class CarriedRollup(Rollup):
    """Money of the units before 1 July 2025 carried across the crosswalk into the current era, by old
    unit: its ``records`` grouped by ``keys`` (as any rollup's), each row's sum (the measure
    ``amount_vnd``; the other measure counts records) multiplied by each share of the old unit's carrier's
    links (``links``: the most specific old unit linked that holds it) and rounded half-even to the dong,
    row by row, then kept under the link's new unit and its province (``into``: the table's fields for
    them, of ``unit`` and ``province``). Computed in Python, to be exact (SQLite multiplies decimals as
    doubles), and written in bulk (``common.bulk``)."""

    into: tuple[str, ...] = ("unit", "province")
    links: Callable[[], QuerySet[Any]] = CrosswalkLink.objects.all

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.scope_field, *self.into, *self.keys, *self.measures)

    def counted(
        self, scope_ids: Sequence[Any] | None = None, *, matching: Q | None = None
    ) -> list[tuple[Any, ...]]:
        if matching is not None:
            raise ValueError("a rollup of sums is recounted, never adjusted")
        units = self.scope_model._base_manager
        old_units = units.filter(era=Era.PRE2025)
        links = self.links().filter(old_unit__era=Era.PRE2025, new_unit__era=Era.CURRENT)
        if scope_ids is not None:
            old_units = old_units.filter(pk__in=list(scope_ids))
        paths = dict(old_units.values_list("pk", "path"))
        if scope_ids is not None:
            # A few old units' money (a write's): only the links of the units holding them can carry it.
            links = links.filter(
                old_unit__path__in={
                    ancestor for path in paths.values() for ancestor in tree.ancestor_paths(path)
                }
            )
        provinces = dict(units.filter(era=Era.CURRENT, level=Level.PROVINCE).values_list("path", "pk"))
        carriers: dict[str, list[tuple[tuple[int, ...], Decimal]]] = defaultdict(list)
        for old_path, new_id, new_path, share in links.values_list(
            "old_unit__path", "new_unit_id", "new_unit__path", "share"
        ):
            new_unit = {"unit": new_id, "province": provinces[tree.province_of_path(new_path)]}
            carriers[old_path].append((tuple(new_unit[name] for name in self.into), share))
        links_of: dict[int, list[tuple[tuple[int, ...], Decimal]]] = {}
        carried: dict[tuple[Any, ...], list[int]] = {}
        for old_id, *keys, amount, records in self.grouped(
            scope_ids, matching=Q(**{f"{self.record_scope}__era": Era.PRE2025})
        ):
            if old_id not in links_of:
                carrier = tree.carrier_path(paths[old_id], carriers)
                links_of[old_id] = carriers[carrier] if carrier else []
            for target, share in links_of[old_id]:
                # Two links of one row into one province add up there; the row's records count once.
                row = carried.setdefault((old_id, *target, *keys), [0, records])
                row[0] += carry_amount(amount, share)
        return [(*key, *measures) for key, measures in sorted(carried.items(), key=lambda item: item[0][0])]

    def insert_counted(self, scope_ids: Sequence[Any] | None) -> None:
        insert_rows(self.table, self.columns, self.counted(scope_ids))


MONEY_CARRIED_TOTALS = CarriedRollup(
    name="programs.money_carried_totals",
    table=MoneyCarriedTotal,
    scope_field="old_unit",
    records=MoneyTotal.objects.all,
    record_scope="unit",
    keys=KEYS,
    measures={"amount_vnd": Sum("amount_vnd"), "records": Sum("records")},
)
MONEY_CARRIED_MONTHS = CarriedRollup(
    name="programs.money_carried_months",
    table=MoneyCarriedMonth,
    scope_field="old_unit",
    records=records_by_month,
    record_scope="unit",
    keys=MONTH_KEYS,
    measures={"amount_vnd": Sum("amount_vnd"), "records": Count("pk")},
    into=("province",),
)
PROVINCE_ROLLUPS = (MONEY_PROVINCE_TOTALS, MONEY_PROVINCE_MONTHS)
CARRIED_ROLLUPS = (MONEY_CARRIED_TOTALS, MONEY_CARRIED_MONTHS)
MONEY_ROLLUPS = (MONEY_TOTALS, *PROVINCE_ROLLUPS, *CARRIED_ROLLUPS)
"""In the order they are counted: a province's totals are summed from its units', the money carried
across the crosswalk from the old units' totals and records."""


def money_totals_refresh(unit_ids: Iterable[int]) -> None:
    """Sum the money records of these units again, then their provinces' totals and months, and carry
    the totals of those of them before 1 July 2025 across the crosswalk again (after writing the records,
    in the same transaction)."""
    units = list(AdministrativeUnit.objects.filter(pk__in=set(unit_ids)).only("path", "era"))
    rollups_refresh(
        ((MONEY_TOTALS,), [unit.pk for unit in units]),
        (PROVINCE_ROLLUPS, set(tree.province_ids(units).values())),
        (CARRIED_ROLLUPS, [unit.pk for unit in units if unit.era == Era.PRE2025]),
    )


def money_follows_units(**_kwargs: object) -> None:
    """Receiver of ``geo.signals.units_moved``: a unit moved under another province takes its money
    totals there, and the money carried into it, so every province's totals and everything carried are
    summed again (a move of the official list is rare)."""
    for rollup in (*PROVINCE_ROLLUPS, *CARRIED_ROLLUPS):
        rollup_rebuild(rollup)


def money_follows_links(**_kwargs: object) -> None:
    """Receiver of ``geo.signals.history_links_changed``: the old units' money is carried across the
    crosswalk again, all of it (the crosswalk is imported or derived a few times in a programme), each
    old unit locked as a write of its money locks it."""
    old_units = MoneyTotal.objects.filter(unit__era=Era.PRE2025).values_list("unit_id", flat=True)
    rollups_refresh((CARRIED_ROLLUPS, old_units.distinct()))

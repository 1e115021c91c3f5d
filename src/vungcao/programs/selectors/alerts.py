"""What needs attention: low disbursement, plans extended more than once, late works, overdue hand-overs."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Max

from vungcao.accounts.models import User
from vungcao.engine.money import MoneyTotals
from vungcao.geo import tree
from vungcao.programs.models import RecordKind
from vungcao.programs.selectors.money import (
    MoneyScope,
    documents_counted,
    money_by_child_unit,
    money_by_component,
    money_rows,
)


@dataclass(frozen=True)
class LowDisbursement:
    key: object
    totals: MoneyTotals


def below_threshold(groups: dict[object, MoneyTotals], threshold: Fraction) -> list[LowDisbursement]:
    low = [
        LowDisbursement(key, totals)
        for key, totals in groups.items()
        if key is not None and totals.allocated > 0 and (totals.disbursement_rate or 0) < threshold
    ]
    return sorted(low, key=lambda item: (item.totals.disbursement_rate or 0, str(item.key)))


def low_disbursement_components(
    *, user: User, scope: MoneyScope, threshold: Fraction
) -> list[LowDisbursement]:
    return below_threshold(money_by_component(user=user, scope=scope), threshold)


def low_disbursement_units(*, user: User, scope: MoneyScope, threshold: Fraction) -> list[LowDisbursement]:
    return below_threshold(money_by_child_unit(user=user, scope=scope), threshold)


@dataclass(frozen=True)
class RepeatedExtension:
    unit_code: str
    unit_name: str
    component: str
    source: str
    year: int
    times: int
    last_to_year: int


def extended_more_than_once(*, user: User, scope: MoneyScope) -> list[RepeatedExtension]:
    """Allocations of a year extended by two or more decisions (e.g. 2023 capital into 2024, then 2025)."""
    fields = ("unit__code", "unit__name", "component__code", "source__code", "year")
    extensions = money_rows(user=user, scope=scope, fields=fields, latest_extensions_only=False)
    rows = (
        extensions.filter(tree.in_subtree(scope.unit, "unit"), kind=RecordKind.EXTENSION)
        .order_by()
        .values(*fields)
        .annotate(times=documents_counted(extensions), last=Max("to_year"))
        .filter(times__gte=2)
        .order_by("unit__code", "component__code", "year")
    )
    return [
        RepeatedExtension(
            row["unit__code"],
            row["unit__name"],
            row["component__code"],
            row["source__code"],
            row["year"],
            row["times"],
            row["last"],
        )
        for row in rows
    ]


def today() -> datetime.date:
    return datetime.date.today()

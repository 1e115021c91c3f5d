"""Money totals over a unit and everything under it, for a period and a component subtree.

Records of the unit's own era are summed with one prefix query on the unit's path. For a unit of the
current era, records kept under the units before 1 July 2025 are carried across the crosswalk: each
old unit's total of a component, source, budget year and kind is multiplied by the share of each of its
links into the subtree and rounded to the dong (amounts add; rates are recomputed from the sums by
``engine.money``). As of now, those carried totals are kept (``MoneyCarriedTotal``); as of a date, or
by month of the document, they are carried from the records at the same grain.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Aggregate,
    BigIntegerField,
    Count,
    Exists,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.engine import money
from vungcao.engine.money import AmountRow, MoneyTotals
from vungcao.geo import selectors as geo_selectors
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era
from vungcao.programs.models import (
    Component,
    MoneyCarriedMonth,
    MoneyCarriedTotal,
    MoneyProvinceMonth,
    MoneyProvinceTotal,
    MoneyRecord,
    MoneyTotal,
    Programme,
    RecordKind,
)


@dataclass(frozen=True)
class MoneyScope:
    """What a summary covers: a unit and its subtree, years, optionally a component subtree, a date and
    one programme (its components only)."""

    unit: AdministrativeUnit
    from_year: int
    to_year: int
    component: Component | None = None
    on_date: datetime.date | None = None
    programme: Programme | None = None

    @property
    def is_country(self) -> bool:
        return self.unit.pk is None

    @functools.cached_property
    def history_links(self) -> dict[str, list[tuple[str, Decimal]]]:
        """For each old unit linked into the scope's subtree (by its path), the new units (their paths) and
        shares it is carried into; empty for a unit of the era before 1 July 2025. Read once for every
        figure of the scope (the country's links are thousands)."""
        links: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        if self.unit.era == Era.CURRENT:
            for old_path, new_path, share in tree.linked_history(self.unit):
                links[old_path].append((new_path, share))
        return links

    @functools.cached_property
    def carriers(self) -> frozenset[str]:
        """The paths of the old units linked to the current era that lie under the old units linked into
        the scope's subtree: the most specific of them holding an old unit carries its money
        (:func:`vungcao.geo.tree.carrier_path`), wherever its links lead."""
        linked = CrosswalkLink.objects.filter(
            tree.in_subtrees(self.history_links, "old_unit"), new_unit__era=Era.CURRENT
        )
        return frozenset(linked.values_list("old_unit__path", flat=True))


def country(*, era: str) -> AdministrativeUnit:
    """The whole country in ``era``, as the root of that era's tree (never stored): its path is the era's
    prefix, so every unit of the era lies in its subtree and its children are the provinces."""
    if era not in Era.values:
        raise NotFoundError(f"era {era}")
    return AdministrativeUnit(
        era=era, code="", name=_("Whole country"), level="", path=f"{era}{tree.SEPARATOR}", depth=0
    )


def money_scope_get(
    *,
    user: User,
    era: str,
    unit_code: str,
    from_year: int,
    to_year: int,
    component_code: str | None = None,
    on_date: datetime.date | None = None,
    programme_code: str | None = None,
) -> MoneyScope:
    """The scope of a summary; NotFoundError for a unit the user may not open. Without a unit code, a
    national user's scope is the whole country (anyone else's is refused: no unit)."""
    if not unit_code and access.is_national(user):
        unit = country(era=era)
    else:
        unit = geo_selectors.unit_get(user=user, era=era, code=unit_code)
    if from_year > to_year:
        raise ApplicationError(_("from_year must not be after to_year."))
    component = None
    if component_code:
        component = Component.objects.filter(code=component_code).first()
        if component is None:
            raise ApplicationError(_("No programme component with this code; see /api/v1/programmes."))
    programme = None
    if programme_code:
        programme = Programme.objects.filter(code=programme_code).first()
        if programme is None:
            raise NotFoundError(f"programme {programme_code}")
    return MoneyScope(unit, from_year, to_year, component, on_date, programme)


def money_records(
    *, user: User, scope: MoneyScope, latest_extensions_only: bool = True
) -> QuerySet[MoneyRecord]:
    """Records the user may see in the years, component and date of the scope (any unit).

    With ``latest_extensions_only``, an extension superseded by a later extension of the same
    allocation (extended again, into a later year) is left out, so extended money is counted once.
    """
    records = _in_scope(MoneyRecord.objects.all(), user=user, scope=scope)
    if scope.on_date is not None:
        records = records.filter(document_date__lte=scope.on_date)
    if latest_extensions_only:
        records = records.exclude(superseded(on_date=scope.on_date))
    return records


def money_totals(
    *, user: User, scope: MoneyScope, latest_extensions_only: bool = True
) -> QuerySet[MoneyTotal]:
    """The records' totals (``MoneyTotal``) the user may see in the years and component of the scope (any
    unit), as ``money_records`` without a date: the same money in a unit's rows instead of its documents.
    With ``latest_extensions_only``, the totals of superseded extensions are left out."""
    assert scope.on_date is None, "totals are kept as of now; a date reads the records"
    totals = _in_scope(MoneyTotal.objects.all(), user=user, scope=scope)
    return totals.filter(superseded=False) if latest_extensions_only else totals


def money_rows(
    *, user: User, scope: MoneyScope, fields: tuple[str, ...], latest_extensions_only: bool = True
) -> QuerySet[Any]:
    """What the sums of the scope grouped by ``fields`` are read from: the totals, when the scope has no
    date and no field is a document's; the records otherwise (by month of the document, as of a date).
    Either gives ``amount_vnd`` to sum and :func:`documents_counted` to count the records behind it."""
    if scope.on_date is None and not any(field.split("__")[0] in DOCUMENT_FIELDS for field in fields):
        return money_totals(user=user, scope=scope, latest_extensions_only=latest_extensions_only)
    return money_records(user=user, scope=scope, latest_extensions_only=latest_extensions_only)


class DocumentMonth(Func):
    """A date's year and month as one whole number (202403 for any day of March 2024), in SQL: what the
    money by month is grouped by, one native expression on either database."""

    arity = 1
    output_field = IntegerField()
    # Standard SQL (PostgreSQL's); SQLite has no EXTRACT, but a native strftime.
    template = (
        "CAST(EXTRACT(YEAR FROM %(expressions)s) * 100 + EXTRACT(MONTH FROM %(expressions)s) AS INTEGER)"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%Y%%%%m', %(expressions)s) AS INTEGER)", **extra
        )


DOCUMENT_FIELDS = frozenset({"document_date", "document_month", "document_no", "work"})
"""What a record holds that its totals do not keep (they keep its unit, component, source and years)."""


def documents_counted(rows: QuerySet[Any]) -> Aggregate:
    """The number of records behind grouped rows of :func:`money_rows`."""
    return Sum("records") if rows.model is MoneyTotal else Count("pk")


def _in_scope(
    rows: QuerySet[Any], *, user: User, scope: MoneyScope, unit_field: str = "unit"
) -> QuerySet[Any]:
    """Records or totals the user may see in the years, component and programme of the scope."""
    rows = access.restrict_by_unit(rows, user, unit_field).filter(
        year__gte=scope.from_year, year__lte=scope.to_year
    )
    if scope.component is not None:
        rows = rows.filter(component__path__startswith=scope.component.path)
    if scope.programme is not None:
        rows = rows.filter(component__programme=scope.programme)
    return rows


def superseded(*, on_date: datetime.date | None = None, model: type[Model] = MoneyRecord) -> Q:
    """A record that is an extension of an allocation extended again, into a later year, by a decision
    recorded (dated by ``on_date``, when given): what the totals leave out, so that extended money is
    counted once. ``model`` is the records' (a migration's historical ``MoneyRecord``)."""
    later = model._base_manager.filter(
        kind=RecordKind.EXTENSION,
        unit=OuterRef("unit"),
        component=OuterRef("component"),
        source=OuterRef("source"),
        year=OuterRef("year"),
        to_year__gt=OuterRef("to_year"),
    )
    if on_date is not None:
        later = later.filter(document_date__lte=on_date)
    return Q(kind=RecordKind.EXTENSION) & Q(Exists(later))


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/")


Row = dict[str, Any]
KeyOf = Callable[[Row, str], object]


BUDGET = "source__is_budget"
"""Whether a row's money is the state budget's, as a row of :func:`_sum_rows` names it."""


def _sum_rows(rows: QuerySet[Any], fields: tuple[str, ...], budget: str = BUDGET) -> list[Row]:
    """``rows`` summed by ``fields``, kind and whether the money is the state budget's (read from
    ``budget``, named :data:`BUDGET` in the rows returned)."""
    if "document_month" in fields and rows.model is MoneyRecord:
        rows = rows.annotate(document_month=DocumentMonth("document_date"))
    # The sums fit in 64 bits (``services.money_balance.ledger_errors``): whole numbers, not decimals.
    amount = Cast(Sum("amount_vnd"), output_field=BigIntegerField())
    summed = list(rows.order_by().values(*fields, "kind", budget).annotate(amount=amount))
    if budget != BUDGET:
        for row in summed:
            row[BUDGET] = row.pop(budget)
    return summed


TOTAL_GRAIN = ("component", "source", "year", "to_year")
"""What a money total keeps of its records besides their unit and kind: the grain at which old-era money
is carried across the crosswalk, whether from the kept totals or from the records."""


def _carried_old_rows(
    scope: MoneyScope, records: QuerySet[Any], fields: tuple[str, ...]
) -> list[tuple[Row, str, Decimal]]:
    """Rows of records kept under old units linked into the subtree (``MoneyScope.history_links``), with
    each link's new unit and share: one row per old unit and total (:data:`TOTAL_GRAIN`), or by document,
    per old unit and budget year (the grain of the kept months, ``MoneyCarriedMonth``)."""
    links = scope.history_links
    if not links:
        return []
    by_document = any(field.split("__")[0] in DOCUMENT_FIELDS for field in fields)
    carried = []
    carriers: dict[str, list[tuple[str, Decimal]]] = {}
    old_units = AdministrativeUnit.objects.filter(tree.in_subtrees(links))
    grain = ("year",) if by_document else TOTAL_GRAIN
    for row in _sum_rows(records.filter(unit__in=old_units), (*fields, "unit__path", *grain)):
        unit_path = row["unit__path"]
        if unit_path not in carriers:
            carrier = tree.carrier_path(unit_path, scope.carriers)
            carriers[unit_path] = links.get(carrier, []) if carrier else []
        for new_path, share in carriers[unit_path]:
            carried.append((row, new_path, share))
    return carried


MONTH_FIELDS = ("document_month",)


def _months_kept(scope: MoneyScope, fields: tuple[str, ...]) -> bool:
    """Whether the money of the scope grouped by ``fields`` is the provinces' months as kept: the
    country's money by month as of now, of any component and programme."""
    return (
        scope.is_country
        and fields == MONTH_FIELDS
        and scope.on_date is None
        and not (scope.component or scope.programme)
    )


def _own_rows(
    *, user: User, scope: MoneyScope, records: QuerySet[Any], fields: tuple[str, ...], by_unit: bool
) -> tuple[QuerySet[Any], str, str]:
    """What the scope's own era's money is summed from, the path of the unit each row is kept under and
    whether its money is the budget's. The country's, when it is not read unit by unit: its provinces'
    totals (``MoneyProvinceTotal``) when it is read from totals; its provinces' months
    (``MoneyProvinceMonth``) when they are kept. Else ``records`` (records or totals) in the unit's
    subtree."""
    if scope.is_country and not by_unit:
        provinces: QuerySet[Any] | None = None
        if records.model is MoneyTotal:
            provinces = MoneyProvinceTotal.objects.all()
        elif _months_kept(scope, fields):
            provinces = MoneyProvinceMonth.objects.all()
        if provinces is not None:
            rows = provinces.filter(province__era=scope.unit.era, superseded=False)
            budget = BUDGET if provinces.model is MoneyProvinceTotal else "is_budget"
            return _in_scope(rows, user=user, scope=scope, unit_field="province"), "province__path", budget
    subtree = AdministrativeUnit.objects.filter(tree.in_subtree(scope.unit))
    return records.filter(unit__in=subtree), "unit__path", BUDGET


def _carried_kept(
    *, user: User, scope: MoneyScope, records: QuerySet[Any], fields: tuple[str, ...], by_unit: bool
) -> tuple[QuerySet[Any], str, str] | None:
    """The old-era money carried into the scope (of the current era) as it is kept, the path of the unit
    each row is carried into and whether its money is the budget's: the carried totals
    (``MoneyCarriedTotal``; for the country, unless it is read unit by unit, by province) when the totals
    answer; the months carried into the provinces (``MoneyCarriedMonth``) when the country's months are
    kept. None when it is carried from the records (none is carried into a scope of the old era)."""
    if scope.unit.era != Era.CURRENT:
        return None
    if records.model is MoneyTotal:
        rows = _in_scope(MoneyCarriedTotal.objects.filter(superseded=False), user=user, scope=scope)
        if scope.is_country:
            return rows, "unit__path" if by_unit else "province__path", BUDGET
        subtree = AdministrativeUnit.objects.filter(tree.in_subtree(scope.unit))
        return rows.filter(unit__in=subtree), "unit__path", BUDGET
    if not by_unit and _months_kept(scope, fields):
        months = MoneyCarriedMonth.objects.filter(superseded=False)
        return _in_scope(months, user=user, scope=scope, unit_field="province"), "province__path", "is_budget"
    return None


def money_totals_by(
    *,
    user: User,
    scope: MoneyScope,
    fields: tuple[str, ...],
    key_of: KeyOf,
    by_unit: bool = False,
    by_child: bool = False,
) -> dict[object, MoneyTotals]:
    """Totals grouped by ``key_of(row, unit_path)`` over the scope, old-era money carried by share (as
    kept, when the totals answer; from the records otherwise).

    The database groups the records by ``fields`` and, with ``by_unit``, by their unit's path; with
    ``by_child``, by the path of a unit holding the unit directly under the scope's, or of that unit
    itself (for the country, its provinces' totals are read: the path is the province's); with neither,
    ``key_of`` is given the scope's path for the money of the scope's own era (a record's unit is then
    not read, and a province's tens of thousands of records come back as a few rows)."""
    unit = scope.unit
    records = money_rows(user=user, scope=scope, fields=fields)
    grouped: dict[object, list[AmountRow]] = defaultdict(list)
    per_unit = by_unit or by_child

    def add(rows: QuerySet[Any], path_field: str, budget: str = BUDGET) -> None:
        for row in _sum_rows(rows, (*fields, path_field) if per_unit else fields, budget):
            grouped[key_of(row, row[path_field] if per_unit else unit.path)].append(
                AmountRow(row["kind"], row[BUDGET], row["amount"])
            )

    add(*_own_rows(user=user, scope=scope, records=records, fields=fields, by_unit=by_unit))
    kept = _carried_kept(user=user, scope=scope, records=records, fields=fields, by_unit=by_unit)
    if kept is not None:
        add(*kept)
    else:
        for row, new_path, share in _carried_old_rows(scope, records, fields):
            grouped[key_of(row, new_path)].append(
                AmountRow(row["kind"], row[BUDGET], money.carry_amount(row["amount"], share))
            )
    return {key: money.totals_from_rows(rows) for key, rows in grouped.items()}


def money_summary(*, user: User, scope: MoneyScope) -> MoneyTotals:
    """Planned, allocated, disbursed, extended, budget and non-budget over the unit and everything under it."""
    groups = money_totals_by(user=user, scope=scope, fields=(), key_of=lambda _row, _path: None)
    return groups.get(None, MoneyTotals())


def money_by_source(*, user: User, scope: MoneyScope) -> dict[object, MoneyTotals]:
    return money_totals_by(
        user=user, scope=scope, fields=("source__code",), key_of=lambda row, _path: row["source__code"]
    )


def money_by_month(*, user: User, scope: MoneyScope) -> dict[object, MoneyTotals]:
    """Totals by month of the document date (allocation against disbursement over the year)."""
    return money_totals_by(
        user=user,
        scope=scope,
        fields=MONTH_FIELDS,
        key_of=lambda row, _path: divmod(row["document_month"], 100),
    )


def _component_of(scope: MoneyScope) -> Callable[[Row], object]:
    """The key of a row's money by component: the component directly under the scope's component (or
    the project) that holds the row's component; the scope's component for money recorded at it."""
    depth = len(_segments(scope.component.path)) if scope.component else 0
    own = scope.component.code if scope.component else None

    def component_of(row: Row) -> object:
        segments = _segments(row["component__path"])
        return segments[depth] if len(segments) > depth else own

    return component_of


def money_by_component(*, user: User, scope: MoneyScope) -> dict[object, MoneyTotals]:
    """Totals by the components directly under the scope's component (or by project)."""
    component_of = _component_of(scope)
    return money_totals_by(
        user=user, scope=scope, fields=("component__path",), key_of=lambda row, _path: component_of(row)
    )


def money_by_component_and_by_source(
    *, user: User, scope: MoneyScope
) -> tuple[dict[object, MoneyTotals], dict[object, MoneyTotals]]:
    """:func:`money_by_component`'s and :func:`money_by_source`'s totals from one grouping by both (the
    money dashboard shows them side by side): amounts add, so each is the sum of the other's parts."""
    component_of = _component_of(scope)
    pairs = money_totals_by(
        user=user,
        scope=scope,
        fields=("component__path", "source__code"),
        key_of=lambda row, _path: (component_of(row), row["source__code"]),
    )
    by_component: dict[object, MoneyTotals] = {}
    by_source: dict[object, MoneyTotals] = {}
    for key, totals in pairs.items():
        component, source = cast(tuple[object, object], key)
        by_component[component] = by_component.get(component, MoneyTotals()) + totals
        by_source[source] = by_source.get(source, MoneyTotals()) + totals
    return by_component, by_source


def money_by_component_and_source(
    *, user: User, scope: MoneyScope, levels: int = 2
) -> dict[object, MoneyTotals]:
    """Totals by the first ``levels`` components of each record's path (its project, its sub-project) and
    capital source: keys ``(("1719-DA4", "1719-DA4-TDA1"), "central_investment")``; money recorded at a
    project itself has the project alone, money of a content under a sub-project counts in the
    sub-project. The programme implementation report's table (one query, as ``money_by_component``)."""

    def key_of(row: Row, _path: str) -> object:
        return tuple(_segments(row["component__path"])[:levels]), row["source__code"]

    return money_totals_by(user=user, scope=scope, fields=("component__path", "source__code"), key_of=key_of)


def money_by_child_unit(*, user: User, scope: MoneyScope) -> dict[object, MoneyTotals]:
    """Totals by the units directly under the scope's unit; ``None`` holds money kept at the unit itself."""
    depth = len(_segments(scope.unit.path))

    def key_of(_row: Row, path: str) -> object:
        segments = _segments(path)
        return segments[depth] if len(segments) > depth else None

    return money_totals_by(user=user, scope=scope, fields=(), key_of=key_of, by_child=True)

"""Money records one by one, as a user may see them, each with what its allocation has left.

An allocation is identified by its origin (unit, component, source, budget year). A record's row carries
the origin's allocated and disbursed sums, so a page can say, on the allocation and on each of its
disbursements, that the disbursements go past it (``engine.money.overdrawn_by``).
"""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine import money
from vungcao.geo import selectors as geo_selectors
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.programs.models import CapitalSource, Component, MoneyRecord, RecordKind, Work

Origin = tuple[int, int, int, int]
"""(unit id, component id, source id, budget year) of an allocation."""

ALERT_WITHOUT_ALLOCATION = gettext_lazy(
    "Disbursed with no allocation recorded for this unit, component, source and year: check the records."
)
ALERT_OVERDRAWN = gettext_lazy(
    "Disbursed {excess} dong more than allocated for this unit, component, source and year: "
    "check the records."
)
UNIT_CHOICES_SHOWN = 20


@dataclass(frozen=True)
class Balance:
    """Allocated and disbursed of one origin, as recorded."""

    allocated: int = 0
    disbursed: int = 0

    @property
    def unspent(self) -> int:
        return self.allocated - self.disbursed

    def changed(self, kind: str, change: int) -> "Balance":
        """This balance after an allocation or a disbursement changes by ``change`` dong."""
        if kind == RecordKind.ALLOCATION:
            return Balance(self.allocated + change, self.disbursed)
        if kind == RecordKind.DISBURSEMENT:
            return Balance(self.allocated, self.disbursed + change)
        return self

    @property
    def alert(self) -> str | None:
        """What a page says while the disbursements go past the allocation (stored only from non-budget
        sources, or recorded before the rule); None otherwise."""
        excess = money.overdrawn_by(allocated=self.allocated, disbursed=self.disbursed)
        if excess == 0:
            return None
        if self.allocated == 0:
            return str(ALERT_WITHOUT_ALLOCATION)
        return str(ALERT_OVERDRAWN).format(excess=money.format_vnd(excess))


def origins_condition(origins: set[Origin]) -> Q:
    condition = Q(pk__in=[])
    for unit_id, component_id, source_id, year in origins:
        condition |= Q(unit_id=unit_id, component_id=component_id, source_id=source_id, year=year)
    return condition


def balances(origins: set[Origin]) -> dict[Origin, Balance]:
    """Allocated and disbursed of each (unit, component, source, year), as recorded now."""
    found: dict[Origin, Balance] = dict.fromkeys(origins, Balance())
    if not origins:
        return found
    rows = (
        MoneyRecord.objects.filter(
            origins_condition(origins), kind__in=[RecordKind.ALLOCATION, RecordKind.DISBURSEMENT]
        )
        .order_by()
        .values_list("unit_id", "component_id", "source_id", "year", "kind")
        .annotate(total=Sum("amount_vnd"))
    )
    for unit_id, component_id, source_id, year, kind, total in rows:
        origin = (unit_id, component_id, source_id, year)
        found[origin] = found[origin].changed(kind, total)
    return found


def _origin_total(kind: str) -> Coalesce:
    same_origin = MoneyRecord.objects.filter(
        kind=kind,
        unit=OuterRef("unit"),
        component=OuterRef("component"),
        source=OuterRef("source"),
        year=OuterRef("year"),
    )
    total = same_origin.order_by().values("year").annotate(total=Sum("amount_vnd")).values("total")[:1]
    return Coalesce(Subquery(total), Value(0))


@dataclass(frozen=True)
class RecordFilter:
    """What the list of records is narrowed to; every part optional."""

    year: int | None = None
    kind: str | None = None
    unit: AdministrativeUnit | None = None
    component: Component | None = None
    source: CapitalSource | None = None
    overdrawn_only: bool = False


def money_record_list(*, user: User, filters: RecordFilter) -> QuerySet[MoneyRecord]:
    """Records the user may see, newest document first, each annotated with its origin's
    ``origin_allocated`` and ``origin_disbursed``; ``overdrawn_only`` keeps the allocations and
    disbursements of origins whose disbursements go past the allocation."""
    records = access.restrict_by_unit(MoneyRecord.objects.all(), user, "unit")
    if filters.year is not None:
        records = records.filter(year=filters.year)
    if filters.kind:
        records = records.filter(kind=filters.kind)
    if filters.unit is not None:
        records = records.filter(tree.in_subtree(filters.unit, "unit"))
    if filters.component is not None:
        records = records.filter(component__path__startswith=filters.component.path)
    if filters.source is not None:
        records = records.filter(source=filters.source)
    records = records.annotate(
        origin_allocated=_origin_total(RecordKind.ALLOCATION),
        origin_disbursed=_origin_total(RecordKind.DISBURSEMENT),
    )
    if filters.overdrawn_only:
        records = records.filter(
            kind__in=[RecordKind.ALLOCATION, RecordKind.DISBURSEMENT],
            origin_disbursed__gt=F("origin_allocated"),
        )
    return records.select_related("unit__parent__parent", "component", "source", "work").order_by(
        "-document_date", "-pk"
    )


def record_alert(record: MoneyRecord) -> str | None:
    """The alert of an allocation or disbursement row of :func:`money_record_list`."""
    if record.kind not in (RecordKind.ALLOCATION, RecordKind.DISBURSEMENT):
        return None
    allocated = getattr(record, "origin_allocated", None)
    disbursed = getattr(record, "origin_disbursed", None)
    if allocated is None or disbursed is None:
        balance = balances({origin_of(record)})[origin_of(record)]
    else:
        balance = Balance(allocated, disbursed)
    return balance.alert


def origin_of(record: MoneyRecord) -> Origin:
    return (record.unit_id, record.component_id, record.source_id, record.year)


def money_unit_choices(
    *, user: User, search: str, limit: int = UNIT_CHOICES_SHOWN
) -> list[AdministrativeUnit]:
    """Provinces and communes (current era) the user may open, by official code or name (with or without
    diacritics), each with its parent loaded for its full path."""
    if not search.strip():
        return []
    units = geo_selectors.unit_list(user=user, era=Era.CURRENT, search=search, include_closed=False)
    units = units.filter(level__in=[Level.PROVINCE, Level.COMMUNE]).select_related("parent")
    return list(units.order_by("depth", "name_folded")[:limit])


def money_unit_get(*, user: User, text: str) -> AdministrativeUnit | None:
    """The unit of the current era with this official code that the user may open, else the only unit
    matching ``text`` by name; None when there is none or several."""
    exact = geo_selectors.unit_list(user=user, era=Era.CURRENT).filter(code=text.strip()).first()
    if exact is not None:
        return exact
    found = money_unit_choices(user=user, search=text, limit=2)
    return found[0] if len(found) == 1 else None


def work_choices(
    *, user: User, unit: AdministrativeUnit | None, component: Component | None
) -> QuerySet[Work]:
    """Works a disbursement may pay for: those the user may see in ``unit`` (and under it) and of
    ``component`` (and under it)."""
    works = access.restrict_by_unit(Work.objects.all(), user, "unit")
    if unit is not None:
        works = works.filter(tree.in_subtree(unit, "unit"))
    if component is not None:
        works = works.filter(component__path__startswith=component.path)
    return works.select_related("unit", "component").order_by("unit__path", "name")

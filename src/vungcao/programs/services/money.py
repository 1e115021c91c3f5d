"""Money records: every field checked at once, then written; the same checks serve the API and imports."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.bounds import FIRST_DATE, LAST_DATE, column_length
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.engine import money
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services.attributes import parse_date
from vungcao.programs.models import CapitalSource, Component, MoneyRecord, RecordKind

FIELDS = (
    "kind",
    "year",
    "era",
    "unit_code",
    "component",
    "source",
    "amount_vnd",
    "document_no",
    "document_date",
)
FIRST_YEAR, LAST_YEAR = 2000, 2100

NOT_ALLOWED = gettext_lazy("You may not record money.")
REFUSED = gettext_lazy("The money record was refused: nothing was written.")
REQUIRED = gettext_lazy("This field is required.")
UNKNOWN_KIND = gettext_lazy("Unknown kind; use plan, allocation, disbursement or extension.")
BAD_YEAR = gettext_lazy("A year between 2000 and 2100 is required.")
UNKNOWN_ERA = gettext_lazy("Unknown era; use current or pre2025.")
UNKNOWN_UNIT = gettext_lazy("No unit with this code that you may record money for.")
UNKNOWN_COMPONENT = gettext_lazy("No programme component with this code; see /api/v1/programmes.")
RETIRED_COMPONENT = gettext_lazy("This component was retired; record money against its successor.")
UNKNOWN_SOURCE = gettext_lazy("No capital source with this code; see /api/v1/capital-sources.")
BAD_DATE = gettext_lazy("Not a date; write it as 2024-03-01 or 01/03/2024.")
TO_YEAR_ONLY_FOR_EXTENSIONS = gettext_lazy("Only an extension has a year to extend into.")
TO_YEAR_NOT_LATER = gettext_lazy("An extension carries money into a later year: to_year must be after year.")
EXCEEDS_UNSPENT = gettext_lazy(
    "Only {unspent} dong of this allocation is unspent; {amount} cannot be extended."
)
DUPLICATE = gettext_lazy(
    "A record of this kind with this document already exists for this unit, component, source and year."
)
AMOUNT_REASONS = {
    money.AMOUNT_EMPTY: gettext_lazy("The amount is empty."),
    money.AMOUNT_NOT_A_NUMBER: gettext_lazy(
        "Not an amount in dong; write it as 1500000000, 1.500.000.000, or with a unit as 1,5 tỷ or 250 triệu."
    ),
    money.AMOUNT_AMBIGUOUS_SEPARATOR: gettext_lazy(
        "Ambiguous: in Vietnamese a comma is a decimal mark and a dot separates thousands; "
        "write whole dong as 1.500.000.000 or use a unit as 1,5 tỷ."
    ),
    money.AMOUNT_NOT_WHOLE_DONG: gettext_lazy("This is not a whole number of dong."),
    money.AMOUNT_NEGATIVE: gettext_lazy("An amount cannot be negative."),
    money.AMOUNT_UNITS_OUT_OF_ORDER: gettext_lazy(
        "Write the units from the largest down, each once: 1 tỷ 250 triệu."
    ),
    money.AMOUNT_TOO_LARGE: gettext_lazy(
        "More than 1.000.000.000.000.000 dong (a million tỷ), the most one record may hold; check the amount."
    ),
}
TOO_LONG = gettext_lazy("At most {length} characters.")
NUL_CHARACTER = gettext_lazy("This text holds a NUL character, which cannot be stored.")
DATE_OUT_OF_RANGE = gettext_lazy("A date between 01/01/1900 and 31/12/2100 is required.")
LEDGER_FULL = gettext_lazy(
    "With this amount the {kind} records of the whole country would hold more than "
    "1.000.000.000.000.000.000 dong together; check the amounts."
)


class MoneyRecordRefused(ApplicationError):
    """Every bad field of a record, by name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(str(REFUSED), extra={"errors": dict(errors)})
        self.errors = dict(errors)


@dataclass
class Lookups:
    """Units, components and sources by code, read once per request or file."""

    user: User
    units: dict[tuple[str, str], AdministrativeUnit | None] = field(default_factory=dict)
    components: dict[str, Component] = field(default_factory=dict)
    sources: dict[str, CapitalSource] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.components = {c.code: c for c in Component.objects.all()}
        self.sources = {s.code: s for s in CapitalSource.objects.all()}

    def preload_units(self, keys: set[tuple[str, str]]) -> None:
        for era in {era for era, _code in keys}:
            codes = [code for key_era, code in keys if key_era == era]
            for unit in AdministrativeUnit.objects.filter(era=era, code__in=codes):
                self.units[(era, unit.code)] = unit

    def unit(self, era: str, code: str) -> AdministrativeUnit | None:
        if (era, code) not in self.units:
            self.preload_units({(era, code)})
        unit = self.units.get((era, code))
        if unit is None or not access.can_record_money(self.user, unit):
            return None
        return unit


@dataclass(frozen=True)
class CheckedRecord:
    kind: str
    year: int
    to_year: int | None
    unit: AdministrativeUnit
    component: Component
    source: CapitalSource
    amount_vnd: int
    document_no: str
    document_date: datetime.date

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.year,
            self.to_year,
            self.unit.pk,
            self.component.pk,
            self.source.pk,
            self.document_no,
        )

    @property
    def origin(self) -> tuple[int, int, int, int]:
        return (self.unit.pk, self.component.pk, self.source.pk, self.year)


def _text(values: Mapping[str, object], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _year(text: str) -> int | None:
    try:
        year = int(text)
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def money_record_check(
    values: Mapping[str, object], lookups: Lookups
) -> tuple[CheckedRecord | None, dict[str, str]]:
    """Check every field of one record; return it cleaned, or every problem by field name."""
    errors: dict[str, str] = {}
    for name in FIELDS:
        if not _text(values, name) and name != "era":
            errors[name] = str(REQUIRED)
    kind, era = _text(values, "kind"), _text(values, "era") or Era.CURRENT
    if kind and kind not in RecordKind.values:
        errors["kind"] = str(UNKNOWN_KIND)
    year = _year(_text(values, "year"))
    if year is None and "year" not in errors:
        errors["year"] = str(BAD_YEAR)
    to_year_text = _text(values, "to_year")
    to_year = _year(to_year_text) if to_year_text else None
    if kind == RecordKind.EXTENSION:
        if to_year is None:
            errors["to_year"] = str(BAD_YEAR if to_year_text else REQUIRED)
        elif year is not None and to_year <= year:
            errors["to_year"] = str(TO_YEAR_NOT_LATER)
    elif to_year_text and "kind" not in errors:
        errors["to_year"] = str(TO_YEAR_ONLY_FOR_EXTENSIONS)
    unit = None
    if era not in Era.values:
        errors["era"] = str(UNKNOWN_ERA)
    elif "unit_code" not in errors:
        unit = lookups.unit(era, _text(values, "unit_code"))
        if unit is None:
            errors["unit_code"] = str(UNKNOWN_UNIT)
    component = lookups.components.get(_text(values, "component"))
    if component is None and "component" not in errors:
        errors["component"] = str(UNKNOWN_COMPONENT)
    elif component is not None and not component.is_active:
        errors["component"] = str(RETIRED_COMPONENT)
    source = lookups.sources.get(_text(values, "source"))
    if source is None and "source" not in errors:
        errors["source"] = str(UNKNOWN_SOURCE)
    amount = None
    try:
        amount = money.parse_amount(values.get("amount_vnd"))
    except money.AmountError as error:
        errors.setdefault("amount_vnd", str(AMOUNT_REASONS[error.reason]))
    document_date = None
    if "document_date" not in errors:
        try:
            document_date = parse_date(_text(values, "document_date"))
        except ValueError:
            errors["document_date"] = str(BAD_DATE)
    if document_date is not None and not FIRST_DATE <= document_date <= LAST_DATE:
        errors["document_date"] = str(DATE_OUT_OF_RANGE)
    for name in FIELDS:
        if "\x00" in _text(values, name):
            errors[name] = str(NUL_CHARACTER)
    document_no_length = column_length(MoneyRecord, "document_no")
    if len(_text(values, "document_no")) > document_no_length:
        errors["document_no"] = str(TOO_LONG).format(length=document_no_length)
    if errors:
        return None, errors
    assert unit is not None
    assert component is not None
    assert source is not None
    assert year is not None
    assert amount is not None
    assert document_date is not None
    return (
        CheckedRecord(
            kind=kind,
            year=year,
            to_year=to_year if kind == RecordKind.EXTENSION else None,
            unit=unit,
            component=component,
            source=source,
            amount_vnd=amount,
            document_no=_text(values, "document_no"),
            document_date=document_date,
        ),
        {},
    )


def _origins_condition(origins: set[tuple[int, int, int, int]]) -> Q:
    condition = Q(pk__in=[])
    for unit_id, component_id, source_id, year in origins:
        condition |= Q(unit_id=unit_id, component_id=component_id, source_id=source_id, year=year)
    return condition


def origins_lock(origins: set[tuple[int, int, int, int]]) -> None:
    """Lock the allocations of these (unit, component, source, year) until the end of the transaction,
    in primary-key order: every write to an allocation's money takes the lock first, so two extensions
    (or an extension and a disbursement) decided on what it has left run one after the other, the second
    seeing the first. Outside a transaction (an import's preview) nothing is locked."""
    if origins:
        allocations = MoneyRecord.objects.filter(_origins_condition(origins), kind=RecordKind.ALLOCATION)
        database.rows_lock(MoneyRecord, allocations.values_list("pk", flat=True))


def unspent_balances(origins: set[tuple[int, int, int, int]]) -> dict[tuple[int, int, int, int], int]:
    """Allocated minus disbursed of each (unit, component, source, year), as recorded now."""
    if not origins:
        return {}
    rows = (
        MoneyRecord.objects.filter(
            _origins_condition(origins), kind__in=[RecordKind.ALLOCATION, RecordKind.DISBURSEMENT]
        )
        .values_list("unit_id", "component_id", "source_id", "year", "kind")
        .annotate(total=Sum("amount_vnd"))
    )
    balances = dict.fromkeys(origins, 0)
    for unit_id, component_id, source_id, year, kind, total in rows:
        sign = 1 if kind == RecordKind.ALLOCATION else -1
        balances[(unit_id, component_id, source_id, year)] += sign * total
    return balances


def extension_error(record: CheckedRecord, unspent: int) -> str | None:
    if record.kind != RecordKind.EXTENSION or record.amount_vnd <= unspent:
        return None
    return str(EXCEEDS_UNSPENT).format(
        unspent=money.format_vnd(max(unspent, 0)), amount=money.format_vnd(record.amount_vnd)
    )


def ledger_errors(added: Mapping[str, int]) -> dict[str, str]:
    """Refusals of ``added`` dong by kind that would take a kind's records past ``money.MAX_LEDGER_VND``
    nationwide, so that no SUM the dashboards ask of the database can overflow 64 bits."""
    kinds = [kind for kind, amount in added.items() if amount > 0]
    if not kinds:
        return {}
    recorded = dict(
        MoneyRecord.objects.filter(kind__in=kinds)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("amount_vnd"))
        .values_list("kind", "total")
    )
    labels = dict(RecordKind.choices)
    return {
        kind: str(LEDGER_FULL).format(kind=labels[kind])
        for kind in kinds
        if recorded.get(kind, 0) + added[kind] > money.MAX_LEDGER_VND
    }


def existing_record(record: CheckedRecord) -> MoneyRecord | None:
    return MoneyRecord.objects.filter(
        kind=record.kind,
        year=record.year,
        to_year=record.to_year,
        unit=record.unit,
        component=record.component,
        source=record.source,
        document_no=record.document_no,
    ).first()


def new_record(record: CheckedRecord) -> MoneyRecord:
    return MoneyRecord(
        kind=record.kind,
        year=record.year,
        to_year=record.to_year,
        unit=record.unit,
        component=record.component,
        source=record.source,
        amount_vnd=record.amount_vnd,
        document_no=record.document_no,
        document_date=record.document_date,
    )


@transaction.atomic
def money_record_create(*, user: User, values: Mapping[str, object]) -> MoneyRecord:
    """Record one plan, allocation, disbursement or extension; raise MoneyRecordRefused naming every bad field."""
    if not access.can_import_money(user):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    record, errors = money_record_check(values, Lookups(user))
    if record is not None:
        origins_lock({record.origin})
        if existing_record(record) is not None:
            errors["document_no"] = str(DUPLICATE)
        problem = extension_error(record, unspent_balances({record.origin}).get(record.origin, 0))
        if problem:
            errors["amount_vnd"] = problem
        ledger = ledger_errors({record.kind: record.amount_vnd})
        if ledger:
            errors["amount_vnd"] = ledger[record.kind]
    if errors or record is None:
        raise MoneyRecordRefused(errors)
    created = new_record(record)
    try:
        created.save()
    except IntegrityError as error:  # the same document recorded by someone else a moment ago
        raise MoneyRecordRefused({"document_no": str(DUPLICATE)}) from error
    return created

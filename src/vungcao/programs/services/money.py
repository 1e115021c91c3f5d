"""Money records: every field checked at once, then written; the same checks serve the API and imports."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import FIRST_DATE, LAST_DATE, NUL_CHARACTER, TOO_LONG, column_length
from vungcao.common.choices import model_choice_set
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine import money
from vungcao.engine.choices import ChoiceError, ChoiceSet
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services.attributes import parse_date
from vungcao.programs.models import CapitalSource, Component, MoneyRecord, RecordKind, Work
from vungcao.programs.rollups import money_totals_refresh
from vungcao.programs.selectors.money_records import balances
from vungcao.programs.services.money_balance import EXCEEDS_UNSPENT as EXCEEDS_UNSPENT
from vungcao.programs.services.money_balance import LEDGER_FULL as LEDGER_FULL
from vungcao.programs.services.money_balance import (
    disbursement_error,
    extension_error,
    ledger_errors,
    origins_lock,
)
from vungcao.programs.services.refusals import EntryRefused

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
UNKNOWN_KIND = gettext_lazy("Unknown kind; use one of: {kinds}.")
BAD_YEAR = gettext_lazy("A year between 2000 and 2100 is required.")
UNKNOWN_ERA = gettext_lazy("Unknown era; use current or pre2025.")
UNKNOWN_UNIT = gettext_lazy("No unit with this code that you may record money for.")
UNKNOWN_COMPONENT = gettext_lazy("No programme component with this code; see /api/v1/programmes.")
RETIRED_COMPONENT = gettext_lazy("This component was retired; record money against its successor.")
UNKNOWN_SOURCE = gettext_lazy("No capital source with this code; see /api/v1/capital-sources.")
BAD_DATE = gettext_lazy("Not a date; write it as 2024-03-01 or 01/03/2024.")
TO_YEAR_ONLY_FOR_EXTENSIONS = gettext_lazy("Only an extension has a year to extend into.")
TO_YEAR_NOT_LATER = gettext_lazy("An extension carries money into a later year: to_year must be after year.")
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
DATE_OUT_OF_RANGE = gettext_lazy("A date between 01/01/1900 and 31/12/2100 is required.")


WORKS_MATCHED_BY_NAME = 2000  # far more works than one commune's component has
UNKNOWN_WORK = gettext_lazy("No work or project of this unit and component that you may see.")
WORK_ONLY_FOR_DISBURSEMENTS = gettext_lazy("Only a disbursement names the work or project it pays for.")


class MoneyRecordRefused(EntryRefused):
    """Every bad field of a record, by name; the entry page shows each under its field."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(errors)
        self.message = str(REFUSED)
        self.args = (self.message,)


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

    def work(self, value: object, unit: AdministrativeUnit, component: Component) -> Work | None:
        """A work the user may see, in ``unit`` or under it, of ``component`` or under it, by its id (the
        page's list, the API) or by its name (a file; refused when two works there share it); None
        otherwise."""
        if isinstance(value, Work):
            value = value.pk
        works = access.restrict_by_unit(Work.objects.all(), self.user, "unit").filter(
            tree.in_subtree(unit, "unit"), component__path__startswith=component.path
        )
        text = str(value).strip()
        found = list(works.filter(pk=int(text))[:1]) if text.isdigit() and len(text) < 19 else []
        if not found:
            # Compared in Python: SQLite folds the case of ASCII letters only ("ĐƯỜNG" ≠ "Đường").
            found = [
                work for work in works[:WORKS_MATCHED_BY_NAME] if work.name.casefold() == text.casefold()
            ]
        return found[0] if len(found) == 1 else None


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
    work: Work | None = None

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


@cache
def record_kinds() -> ChoiceSet:
    """Plan, allocation, disbursement, extension: read by code or by label in either language."""
    return model_choice_set(RecordKind)


def unknown_kind() -> str:
    """The refusal of a kind that is none of them, listing them as the reader calls them."""
    return str(UNKNOWN_KIND).format(kinds=", ".join(record_kinds().labels(reader_language())))


def money_record_check(
    values: Mapping[str, object], lookups: Lookups
) -> tuple[CheckedRecord | None, dict[str, str]]:
    """Check every field of one record; return it cleaned, or every problem by field name."""
    errors: dict[str, str] = {}
    for name in FIELDS:
        if not _text(values, name) and name != "era":
            errors[name] = str(REQUIRED)
    kind, era = _text(values, "kind"), _text(values, "era") or Era.CURRENT
    if kind:
        try:
            kind = record_kinds().resolve(kind)
        except ChoiceError:
            errors["kind"] = unknown_kind()
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
    work = None
    if _text(values, "work"):
        if kind and kind != RecordKind.DISBURSEMENT:
            errors["work"] = str(WORK_ONLY_FOR_DISBURSEMENTS)
        elif unit is not None and component is not None:
            work = lookups.work(values.get("work"), unit, component)
            if work is None:
                errors["work"] = str(UNKNOWN_WORK)
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
            work=work,
        ),
        {},
    )


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
        work=record.work,
    )


@transaction.atomic
def money_record_create(*, user: User, values: Mapping[str, object]) -> MoneyRecord:
    """Record one plan, allocation, disbursement or extension; raise MoneyRecordRefused naming every bad field.

    A disbursement past its allocation is refused or stored by ``engine.money.disbursement_overrun``;
    one stored past it shows ``money_balance.overdrawn_alert`` wherever it appears."""
    if not access.can_import_money(user):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    record, errors = money_record_check(values, Lookups(user))
    if record is not None:
        origins_lock({record.origin})
        if existing_record(record) is not None:
            errors["document_no"] = str(DUPLICATE)
        before = balances({record.origin})[record.origin]
        problem = extension_error(kind=record.kind, amount=record.amount_vnd, unspent=before.unspent)
        if record.kind == RecordKind.DISBURSEMENT:
            problem = disbursement_error(
                year=record.year, amount=record.amount_vnd, before=before, is_budget=record.source.is_budget
            )
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
    money_totals_refresh([record.unit.pk])
    return created

"""Writes of the indicators app: values entered (corrected, removed) here; targets in :mod:`.targets`, plans
in :mod:`.plans`, a province's own indicators in :mod:`.definitions`, groups of units in :mod:`.groups`,
reporting periods in :mod:`.reporting_periods`.

Each write checks every field at once and refuses with all the problems by field name
(:class:`IndicatorEntryRefused`: a page shows each under its field, the API answers 422), nothing
written. Who may write is ``accounts.access``'s to say.
"""

from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import column_length, text_problem
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.indicators.catalogue import Catalogue, shipped_catalogue
from vungcao.engine.indicators.definitions import Indicator, IndicatorKind
from vungcao.engine.numbers import NumberError, parse_integer, parse_number
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.indicators.models import FIRST_YEAR, LAST_YEAR, VALUE_DECIMALS, IndicatorValue
from vungcao.indicators.models import Indicator as ProvinceIndicator
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.values import resolver_for, unit_ref
from vungcao.indicators.services.revisions import changed_value, indicator_values_changed
from vungcao.programs.services.money import BAD_YEAR, REQUIRED, UNKNOWN_ERA
from vungcao.programs.services.refusals import EntryRefused

LARGEST_VALUE = 10**18
NOT_ALLOWED = gettext_lazy("You may not enter indicator values.")
UNKNOWN_INDICATOR = gettext_lazy("No indicator with this code; see /api/v1/indicators.")
UNKNOWN_UNIT = gettext_lazy("No unit with this code that you may enter values for.")
HAS_RECORDS = gettext_lazy(
    "This unit has records for this year: the indicator is computed from them and cannot be entered."
)


class IndicatorEntryRefused(EntryRefused):
    """Every bad field of an entry, by name."""


def _text(values: Mapping[str, object], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _number_error(error: NumberError) -> str:
    return error.reason.in_language(reader_language())


def _year(values: Mapping[str, object], name: str, errors: dict[str, str]) -> int | None:
    if not _text(values, name):
        errors[name] = str(REQUIRED)
        return None
    try:
        year = parse_integer(values.get(name), maximum=LAST_YEAR)
    except NumberError:
        year = None
    if year is None or year < FIRST_YEAR:
        errors[name] = str(BAD_YEAR)
        return None
    return year


def _value(
    values: Mapping[str, object],
    errors: dict[str, str],
    name: str = "value",
    *,
    required: bool = True,
    whole: bool = False,
    negative: bool = True,
    decimals: int = VALUE_DECIMALS,
    maximum: int = LARGEST_VALUE,
) -> Decimal | None:
    """The number of field ``name`` as officials write it (1.500,5); by default a value an indicator may
    hold, required."""
    if not _text(values, name):
        if required:
            errors[name] = str(REQUIRED)
        return None
    try:
        return parse_number(
            values.get(name),
            whole=whole,
            negative=negative,
            decimals=decimals,
            maximum=maximum,
            language=reader_language(),
        )
    except NumberError as error:
        errors[name] = _number_error(error)
        return None


def _unit(values: Mapping[str, object], errors: dict[str, str]) -> tuple[str, str] | None:
    """The era and code asked, or None (the problem noted)."""
    era = _text(values, "era") or Era.CURRENT
    if era not in Era.values:
        errors["era"] = str(UNKNOWN_ERA)
        return None
    code = _text(values, "unit_code")
    if not code:
        errors["unit_code"] = str(REQUIRED)
        return None
    return era, code


def _lookup(era: str, code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(era=era, code=code).first()


def _check_text(
    values: Mapping[str, object], name: str, length: int, errors: dict[str, str], *, one_line: bool = False
) -> str:
    text = _text(values, name)
    problem = text_problem(text, length, one_line=one_line)
    if problem is not None:
        errors[name] = problem
    return text


def _province(
    user: User,
    values: Mapping[str, object],
    name: str,
    may: Callable[[User, AdministrativeUnit], bool],
    unknown: str,
    errors: dict[str, str],
) -> AdministrativeUnit | None:
    """The province named by ``values[name]``, or the user's own; refused (the same way whether it
    exists or not) when the user ``may`` not define there."""
    code = _text(values, name)
    if not code:
        province = access.scope_province(user)
        if province is None:
            errors[name] = str(REQUIRED)
        elif not may(user, province):
            errors[name] = unknown
            return None
        return province
    province = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code=code).first()
    if province is None or not may(user, province):
        errors[name] = unknown
        return None
    return province


# Values ------------------------------------------------------------------------------------------------


def _enterable(catalogue: Catalogue, code: str, errors: dict[str, str]) -> Indicator | None:
    """The indicator of ``code`` if values may be entered for it; None with the problem noted else."""
    indicator = catalogue.get(code) if code in catalogue else None
    if not code:
        errors["indicator"] = str(REQUIRED)
    elif indicator is None:
        errors["indicator"] = str(UNKNOWN_INDICATOR)
    elif not indicator.accepts_entries:
        problem = indicator.entry_problem(Decimal(0))
        assert problem is not None
        errors["indicator"] = problem.in_language(reader_language())
        return None
    return indicator


def indicator_held(code: str) -> bool:
    """Whether the indicator ``code`` is still defined, a province's own one's row locked until the
    transaction ends: its removal locks the row first and then counts what uses it, so a value or target
    written meanwhile is either counted there or refused here as unknown, never left without its
    indicator. A shipped indicator is always defined."""
    if code in shipped_catalogue():
        return True
    held = ProvinceIndicator.objects.select_for_update().filter(code=code).values_list("pk", flat=True)
    return held.first() is not None


def _entry(
    user: User,
    catalogue: Catalogue,
    entry: tuple[Indicator | None, AdministrativeUnit | None, int | None],
    values: Mapping[str, object],
    errors: dict[str, str],
    *,
    records_field: str,
) -> tuple[Decimal | None, str]:
    """The ``value`` and ``note`` asked for an ``entry`` (indicator, unit, year: None where refused), each
    checked: the number as officials write it, within the indicator's bounds; the note, one column long; and
    for an indicator computed from records, that the unit has none that year (refused under
    ``records_field`` else)."""
    indicator, unit, year = entry
    value = _value(values, errors)
    if value is not None and indicator is not None:
        problem = indicator.entry_problem(value)
        if problem is not None:
            errors["value"] = problem.in_language(reader_language())
    note = _check_text(values, "note", column_length(IndicatorValue, "note"), errors)
    if not errors and indicator is not None and indicator.kind is IndicatorKind.COMPUTED:
        assert unit is not None
        assert year is not None
        _resolver, found = resolver_for(
            user=user, catalogue=catalogue, codes=[indicator.code], years=[year], units=[unit]
        )
        if found.has_records(indicator.code, unit_ref(unit), year):
            errors[records_field] = str(HAS_RECORDS)
    return value, note


@transaction.atomic
def indicator_value_enter(*, user: User, values: Mapping[str, object]) -> IndicatorValue:
    """Store the value of an indicator for a unit and year, or update the one stored (who entered it
    last and when is kept); :class:`IndicatorEntryRefused` naming every bad field otherwise."""
    stored = indicator_value_write(user=user, values=values)
    indicator_values_changed(changed=[changed_value(stored)])
    return stored


@transaction.atomic
def indicator_value_write(*, user: User, values: Mapping[str, object]) -> IndicatorValue:
    """:func:`indicator_value_enter` without giving the indicator's values a new revision: for a caller
    writing many values, which gives each of their indicators one (``revisions.indicator_values_changed``)
    once all are written, in the same transaction."""
    if not access.can_enter_indicator_values_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    errors: dict[str, str] = {}
    catalogue = catalogue_for(user=user)
    code = _text(values, "indicator")
    indicator = _enterable(catalogue, code, errors)
    if indicator is not None and not indicator_held(code):
        errors["indicator"], indicator = str(UNKNOWN_INDICATOR), None
    asked = _unit(values, errors)
    unit = _lookup(*asked) if asked else None
    if asked and (unit is None or not access.can_enter_indicator_values(user, unit)):
        errors["unit_code"] = str(UNKNOWN_UNIT)
    year = _year(values, "year", errors)
    value, note = _entry(user, catalogue, (indicator, unit, year), values, errors, records_field="year")
    if errors:
        raise IndicatorEntryRefused(errors)
    assert unit is not None
    assert year is not None
    assert value is not None
    stored, _created = IndicatorValue.objects.update_or_create(
        indicator=code,
        unit=unit,
        year=year,
        defaults={"value": value, "note": note, "entered_by": user},
    )
    return stored


def _changed_value(user: User, value_id: int) -> IndicatorValue:
    """The entered value ``value_id``, its row locked, if the user may see its unit (:class:`NotFoundError`
    else, whether it exists or not) and enter its values (:class:`PermissionDeniedError` else)."""
    entries = access.restrict_by_unit(IndicatorValue.objects.select_related("unit"), user, "unit")
    stored = entries.select_for_update(of=("self",)).filter(pk=value_id).first()
    if stored is None:
        raise NotFoundError(f"indicator value {value_id}")
    if not access.can_enter_indicator_values(user, stored.unit):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    return stored


@transaction.atomic
def indicator_value_update(*, user: User, value_id: int, values: Mapping[str, object]) -> IndicatorValue:
    """Correct an entered value: its ``value`` and ``note`` (both given; an empty note clears it), checked as
    when it was entered (its indicator, unit and year stay); the corrector becomes who entered it last."""
    stored = _changed_value(user, value_id)
    errors: dict[str, str] = {}
    catalogue = catalogue_for(user=user)
    indicator = _enterable(catalogue, stored.indicator, errors)
    entry = (indicator, stored.unit, stored.year)
    value, note = _entry(user, catalogue, entry, values, errors, records_field="value")
    if errors:
        raise IndicatorEntryRefused(errors)
    assert value is not None
    stored.value, stored.note, stored.entered_by = value, note, user
    stored.save(update_fields=["value", "note", "entered_by", "updated_at"])
    indicator_values_changed(changed=[changed_value(stored)])
    return stored


@transaction.atomic
def indicator_value_delete(*, user: User, value_id: int) -> None:
    """Remove an entered value: the figures it made are made without it (from records where there are)."""
    stored = _changed_value(user, value_id)
    changed = changed_value(stored)
    stored.delete()
    indicator_values_changed(changed=[changed])

"""Writes of the indicators app: values entered and targets here; a province's own indicators and groups
of units in :mod:`.definitions`, reporting periods in :mod:`.reporting_periods`.

Each write checks every field at once and refuses with all the problems by field name
(:class:`IndicatorEntryRefused`: a page shows each under its field, the API answers 422), nothing
written. Who may write is ``accounts.access``'s to say.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import column_length
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.indicators.definitions import IndicatorKind
from vungcao.engine.indicators.targets import TargetKind
from vungcao.engine.numbers import NumberError, parse_integer, parse_number
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import (
    FIRST_YEAR,
    LAST_YEAR,
    VALUE_DECIMALS,
    IndicatorValue,
    Objective,
    Target,
    UnitGroup,
)
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.values import resolver_for, unit_ref
from vungcao.programs.services.money import BAD_YEAR, NUL_CHARACTER, REQUIRED, TOO_LONG, UNKNOWN_ERA
from vungcao.programs.services.refusals import EntryRefused

LARGEST_VALUE = 10**18
NOT_ALLOWED = gettext_lazy("You may not enter indicator values.")
NOT_ALLOWED_TARGETS = gettext_lazy("You may not set targets.")
UNKNOWN_INDICATOR = gettext_lazy("No indicator with this code; see /api/v1/indicators.")
UNKNOWN_UNIT = gettext_lazy("No unit with this code that you may enter values for.")
UNKNOWN_TARGET_UNIT = gettext_lazy("No unit with this code that you may set targets for.")
UNKNOWN_GROUP = gettext_lazy("No group of units with this id that you may set targets for.")
UNIT_OR_GROUP = gettext_lazy("Give a unit_code or a group, not both.")
HAS_RECORDS = gettext_lazy(
    "This unit has records for this year: the indicator is computed from them and cannot be entered."
)
UNKNOWN_KIND = gettext_lazy("Unknown kind; use at_most, at_least or annual_change.")
TARGET_YEAR_NOT_AFTER_BASELINE = gettext_lazy("The target year must come after the baseline year.")
ZERO_ANNUAL_CHANGE = gettext_lazy("An annual change target must be a change: not 0.")
UNKNOWN_OBJECTIVE = gettext_lazy("No objective with this id in a plan of this unit.")
TARGET_OUTSIDE_PLAN = gettext_lazy(
    "The objective's plan runs from {first} to {last}: the target year must fall within it."
)
CONTROL_CHARACTER = gettext_lazy("This text holds an invisible control character (code {code}); delete it.")


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


def control_character(text: str, *, one_line: bool = False) -> str | None:
    """The first invisible control character of ``text`` (tab and line breaks allowed but in
    ``one_line`` text: a name, a code), or None."""
    allowed = "" if one_line else "\t\n\r"
    return next(
        (
            character
            for character in text
            if unicodedata.category(character) == "Cc" and character not in allowed
        ),
        None,
    )


def _check_text(
    values: Mapping[str, object], name: str, length: int, errors: dict[str, str], *, one_line: bool = False
) -> str:
    text = _text(values, name)
    control = control_character(text, one_line=one_line)
    if len(text) > length:
        errors[name] = str(TOO_LONG).format(length=length)
    elif "\x00" in text:
        errors[name] = str(NUL_CHARACTER)
    elif control is not None:
        errors[name] = str(CONTROL_CHARACTER).format(code=ord(control))
    return text


# Values ------------------------------------------------------------------------------------------------


@transaction.atomic
def indicator_value_enter(*, user: User, values: Mapping[str, object]) -> IndicatorValue:
    """Store the value of an indicator for a unit and year, or update the one stored (who entered it
    last and when is kept); :class:`IndicatorEntryRefused` naming every bad field otherwise."""
    if not access.can_enter_indicator_values_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    errors: dict[str, str] = {}
    catalogue = catalogue_for(user=user)
    code = _text(values, "indicator")
    indicator = catalogue.get(code) if code in catalogue else None
    if not code:
        errors["indicator"] = str(REQUIRED)
    elif indicator is None:
        errors["indicator"] = str(UNKNOWN_INDICATOR)
    elif not indicator.accepts_entries:
        problem = indicator.entry_problem(Decimal(0))
        assert problem is not None
        errors["indicator"] = problem.in_language(reader_language())
    asked = _unit(values, errors)
    unit = _lookup(*asked) if asked else None
    if asked and (unit is None or not access.can_enter_indicator_values(user, unit)):
        errors["unit_code"] = str(UNKNOWN_UNIT)
    year = _year(values, "year", errors)
    value = _value(values, errors)
    if value is not None and indicator is not None and "indicator" not in errors:
        problem = indicator.entry_problem(value)
        if problem is not None:
            errors["value"] = problem.in_language(reader_language())
    note = _check_text(values, "note", column_length(IndicatorValue, "note"), errors)
    if not errors and indicator is not None and indicator.kind is IndicatorKind.COMPUTED:
        assert unit is not None
        assert year is not None
        _resolver, found = resolver_for(
            user=user, catalogue=catalogue, codes=[code], years=[year], units=[unit]
        )
        if found.has_records(code, unit_ref(unit), year):
            errors["year"] = str(HAS_RECORDS)
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


# Targets -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TargetPlace:
    unit: AdministrativeUnit | None
    group: UnitGroup | None


def _target_place(user: User, values: Mapping[str, object], errors: dict[str, str]) -> _TargetPlace | None:
    group_id = _text(values, "group")
    if group_id:
        if _text(values, "unit_code"):
            errors["group"] = str(UNIT_OR_GROUP)
            return None
        group = (
            UnitGroup.objects.filter(pk=int(group_id)).select_related("owner").first()
            if group_id.isdigit() and len(group_id) < 19
            else None
        )
        if group is None or not access.can_set_targets(user, group.owner):
            errors["group"] = str(UNKNOWN_GROUP)
            return None
        return _TargetPlace(None, group)
    asked = _unit(values, errors)
    unit = _lookup(*asked) if asked else None
    if asked and (unit is None or not access.can_set_targets(user, unit)):
        errors["unit_code"] = str(UNKNOWN_TARGET_UNIT)
        return None
    return _TargetPlace(unit, None) if unit is not None else None


@transaction.atomic
def target_create(*, user: User, values: Mapping[str, object]) -> Target:
    """A target for an indicator of a unit (or group): ``kind`` at_most / at_least a ``value`` by
    ``target_year``, or an annual_change of ``value`` a year from ``baseline_year``."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_TARGETS))
    errors: dict[str, str] = {}
    catalogue = catalogue_for(user=user)
    code = _text(values, "indicator")
    if code not in catalogue:
        errors["indicator"] = str(UNKNOWN_INDICATOR if code else REQUIRED)
    place = _target_place(user, values, errors)
    baseline_year = _year(values, "baseline_year", errors)
    target_year = _year(values, "target_year", errors)
    kind = _text(values, "kind")
    if kind not in {member.value for member in TargetKind}:
        errors["kind"] = str(UNKNOWN_KIND if kind else REQUIRED)
    value = _value(values, errors)
    if baseline_year is not None and target_year is not None and target_year <= baseline_year:
        errors["target_year"] = str(TARGET_YEAR_NOT_AFTER_BASELINE)
    if kind == TargetKind.ANNUAL_CHANGE and value == 0:
        errors["value"] = str(ZERO_ANNUAL_CHANGE)
    objective = None
    objective_id = _text(values, "objective")
    if objective_id and place is not None:
        objective = (
            Objective.objects.select_related("plan")
            .filter(
                pk=int(objective_id) if objective_id.isdigit() and len(objective_id) < 19 else 0,
                plan__unit=place.unit or (place.group.owner if place.group else None),
            )
            .first()
        )
        if objective is None:
            errors["objective"] = str(UNKNOWN_OBJECTIVE)
        elif (
            target_year is not None and not objective.plan.from_year <= target_year <= objective.plan.to_year
        ):
            plan = objective.plan
            outside = str(TARGET_OUTSIDE_PLAN).format(first=plan.from_year, last=plan.to_year)
            errors.setdefault("target_year", outside)
    if errors or place is None:
        raise IndicatorEntryRefused(errors)
    assert baseline_year is not None
    assert target_year is not None
    assert value is not None
    era = place.unit.era if place.unit is not None else place.group.era  # type: ignore[union-attr]
    return Target.objects.create(
        indicator=code,
        era=era,
        unit=place.unit,
        group=place.group,
        baseline_year=baseline_year,
        target_year=target_year,
        kind=kind,
        value=value,
        objective=objective,
        created_by=user,
    )

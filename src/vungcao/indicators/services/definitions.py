"""A province's own indicators (chỉ tiêu của tỉnh), defined by the officials who set the province's
targets; named groups of units in :mod:`.groups`.

An own indicator is checked field by field like every indicator write (:class:`IndicatorEntryRefused`
names every bad field, nothing written), and by the catalogue's rules against the catalogue of its
province — the shipped indicators and the province's own — so its formula reads only indicators every
reader of it sees; its code is unique among every province's, as values name it by code alone.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import column_length
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.indicators import catalogue as engine_catalogue
from vungcao.engine.indicators.reasons import DUPLICATE_CODE, problem
from vungcao.engine.text import format_number
from vungcao.indicators.models import OWN_KINDS, Indicator, IndicatorValue, ReportingPeriod, Target
from vungcao.indicators.selectors.catalogue import indicator_definition, province_catalogue
from vungcao.indicators.services import (
    IndicatorEntryRefused,
    _check_text,
    _province,
    _text,
    _value,
)
from vungcao.programs.services.money import REQUIRED

NOT_ALLOWED_INDICATORS = gettext_lazy("You may not define indicators for this province.")
UNKNOWN_PROVINCE = gettext_lazy("No province with this code that you may define indicators for.")
NOT_OWN_KIND = gettext_lazy("A province's own indicator is entered or derived.")
IN_USE_VALUES = gettext_lazy("values entered: {count}")
IN_USE_TARGETS = gettext_lazy("targets: {count}")
IN_USE_PERIODS = gettext_lazy("reporting periods: {count}")
IN_USE_FORMULAS = gettext_lazy("the formula of {names}")
KIND_IN_USE = gettext_lazy("Its kind cannot change while it is in use ({uses}).")
FORMULA_IN_USE = gettext_lazy("Its formula cannot change while it is in use ({uses}).")
INDICATOR_IN_USE = gettext_lazy("It is in use ({uses}): an indicator can be removed once nothing uses it.")
VALUES_BELOW = gettext_lazy("Values entered lie below it: {count}, the smallest {value}.")
VALUES_ABOVE = gettext_lazy("Values entered lie above it: {count}, the largest {value}.")

DESCRIPTION_LENGTH = 4000
LARGEST_SCALE = 10**6
"""A ratio's multiplier: 100 for per cent, 1,000 for per mille, 100,000 for a rate per 100,000 people."""
SCALE_DECIMALS = 6
REQUIRED_FIELDS = ("name_vi", "name_en", "unit", "kind", "aggregation", "source")
CHOICE_FIELDS = ("unit", "kind", "aggregation", "direction")
ONE_LINE_FIELDS = ("name_vi", "name_en", "source")
# The catalogue's keys a province's own indicator keeps under another name: its source is one text.
SAME_FIELD = {"source_vi": "source", "source_en": "source"}


# A province's own indicators ----------------------------------------------------------------------------


def _formula(values: Mapping[str, object], errors: dict[str, str]) -> object:
    """The formula as the catalogue writes it: its empty parts left out, its scale read as a number
    (officials write 100 or 0,5); anything but a table is left for the catalogue's rules to name."""
    formula = values.get("formula")
    if not isinstance(formula, Mapping):
        return formula or None
    parts = {key: value for key, value in formula.items() if value not in (None, "")}
    scale = _value(
        parts, errors, "scale", required=False, negative=False, decimals=SCALE_DECIMALS, maximum=LARGEST_SCALE
    )
    if "scale" in errors:
        errors["formula.scale"] = errors.pop("scale")
        del parts["scale"]  # the rest of the formula is still checked
    elif scale is not None:
        # Stored as JSON: a whole number as an integer, any other as its shortest float (six decimals at
        # most, read back exactly).
        parts["scale"] = int(scale) if scale == scale.to_integral_value() else float(scale)
    return parts


def _catalogue_errors(row: Indicator, errors: dict[str, str], *, changed: bool = False) -> None:
    """The catalogue's problems of ``row`` among its province's indicators (the stored one it changes aside,
    when ``changed``), each under the field it is about (a field already refused here keeps its refusal).
    The rules of an indicator as a whole (a derived one is recomputed …) are checked once its values can
    be read."""
    definition, problems = indicator_definition(row)
    if definition is None:  # the catalogue's rules need the indicator read; its code is checked alone
        problems += engine_catalogue.code_problems(row.code)
    elif row.owner_id is not None:
        catalogue = province_catalogue(row.owner, excluding=row.pk if changed else None)
        problems += engine_catalogue.additional_indicator_problems(definition, catalogue=catalogue)
    language = reader_language()
    found: dict[str, list[str]] = {}
    for one in problems:
        name = SAME_FIELD.get(one.about, one.about) or "indicator"
        found.setdefault(name, []).append(one.reason.in_language(language))
    for name, reasons in found.items():
        errors.setdefault(name, "\n".join(dict.fromkeys(reasons)))


def _duplicate_code(code: str) -> str:
    return problem(DUPLICATE_CODE, code).reason.in_language(reader_language())


def _definition(values: Mapping[str, object], errors: dict[str, str]) -> dict[str, object]:
    """Every field of a province's own indicator but its code and province, as asked, each checked alone
    (the numbers read as officials write them, ``minimum`` 1.500,5, the formula's ``scale`` too)."""
    texts = {
        name: _check_text(values, name, column_length(Indicator, name), errors, one_line=True)
        for name in ONE_LINE_FIELDS
    }
    texts.update(
        (name, _check_text(values, name, DESCRIPTION_LENGTH, errors))
        for name in ("description_vi", "description_en")
    )
    texts.update((name, _text(values, name)) for name in CHOICE_FIELDS)
    for name in REQUIRED_FIELDS:
        if not texts[name]:
            errors.setdefault(name, str(REQUIRED))
    if texts["kind"] and texts["kind"] not in OWN_KINDS:
        errors["kind"] = str(NOT_OWN_KIND)
    decimals = _value(
        values,
        errors,
        "decimals",
        required=False,
        whole=True,
        negative=False,
        maximum=engine_catalogue.MOST_DECIMALS,
    )
    return {
        **texts,
        "decimals": None if decimals is None else int(decimals),
        **{name: _value(values, errors, name, required=False) for name in ("minimum", "maximum")},
        "formula": _formula(values, errors),
    }


@transaction.atomic
def indicator_create(*, user: User, values: Mapping[str, object]) -> Indicator:
    """A province's own indicator, entered or derived, of the province ``province_code`` (the user's own
    when none is given), checked by the catalogue's rules against the province's catalogue: a code used
    once among every province's, a formula reading known indicators, never itself."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_INDICATORS))
    errors: dict[str, str] = {}
    province = _province(
        user, values, "province_code", access.can_define_indicators, str(UNKNOWN_PROVINCE), errors
    )
    code = _check_text(values, "code", column_length(Indicator, "code"), errors, one_line=True)
    if not code:
        errors.setdefault("code", str(REQUIRED))
    row = Indicator(owner=province, created_by=user, code=code, **_definition(values, errors))
    _catalogue_errors(row, errors)
    if "code" not in errors and Indicator.objects.filter(code=row.code).exists():
        errors["code"] = _duplicate_code(row.code)  # another province's: named as any code in use
    if errors:
        raise IndicatorEntryRefused(errors)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:  # the same code stored at the same moment
        raise IndicatorEntryRefused({"code": _duplicate_code(row.code)}) from error
    return row


def _changed_indicator(user: User, code: str) -> Indicator:
    """The province's own indicator ``code``, its row locked, if the user may read it
    (:class:`NotFoundError` else, whether it exists or not) and define its province's (else
    :class:`PermissionDeniedError`)."""
    rows = access.restrict_indicators(Indicator.objects.select_related("owner"), user)
    row = rows.select_for_update(of=("self",)).filter(code=code).first()
    if row is None:
        raise NotFoundError(f"province indicator {code}")
    if not access.can_define_indicators(user, row.owner):
        raise PermissionDeniedError(str(NOT_ALLOWED_INDICATORS))
    return row


def _uses(row: Indicator, *, formulas: bool) -> str:
    """What uses an indicator, in words (empty when nothing does): the values entered for it, targets and
    reporting periods of it, and (with ``formulas``) the other indicators of its province reading it."""
    counts = (
        (IN_USE_VALUES, IndicatorValue.objects.filter(indicator=row.code).count()),
        (IN_USE_TARGETS, Target.objects.filter(indicator=row.code).count()),
        (IN_USE_PERIODS, ReportingPeriod.objects.filter(indicator=row.code).count()),
    )
    uses = [str(words).format(count=count) for words, count in counts if count]
    others = Indicator.objects.filter(owner=row.owner_id).exclude(pk=row.pk) if formulas else []
    readers = [
        f"{reader.name.in_language(reader_language())} ({reader.code})"
        for reader, _problems in map(indicator_definition, others)
        if reader is not None and row.code in reader.references
    ]
    if readers:
        uses.append(str(IN_USE_FORMULAS).format(names=", ".join(readers)))
    return "; ".join(uses)


def _values_outside(row: Indicator, errors: dict[str, str]) -> None:
    """Note under ``minimum`` and ``maximum`` the values entered for ``row`` outside its bounds."""
    entered = IndicatorValue.objects.filter(indicator=row.code)
    language = reader_language()
    for name, bound, outside, furthest, message in (
        ("minimum", row.minimum, "value__lt", Min("value"), VALUES_BELOW),
        ("maximum", row.maximum, "value__gt", Max("value"), VALUES_ABOVE),
    ):
        if bound is None or name in errors:
            continue
        found = entered.filter(**{outside: bound}).aggregate(count=Count("pk"), value=furthest)
        if found["count"]:
            value = format_number(found["value"], language)
            errors[name] = str(message).format(count=found["count"], value=value)


@transaction.atomic
def indicator_update(*, user: User, code: str, values: Mapping[str, object]) -> Indicator:
    """Change a province's own indicator: every field but its code and province given, checked as when it
    was defined, against its province's catalogue with it changed (so no formula comes to read itself).
    Its kind and formula stay while values, targets or reporting periods use it, and its bounds hold the
    values entered for it."""
    row = _changed_indicator(user, code)
    before, _problems = indicator_definition(row)
    errors: dict[str, str] = {}
    for name, value in _definition(values, errors).items():
        setattr(row, name, value)
    _catalogue_errors(row, errors, changed=True)
    after, _problems = indicator_definition(row)
    if before is not None and after is not None and (uses := _uses(row, formulas=False)):
        if after.kind != before.kind:
            errors.setdefault("kind", str(KIND_IN_USE).format(uses=uses))
        if after.formula != before.formula:
            errors.setdefault("formula", str(FORMULA_IN_USE).format(uses=uses))
    _values_outside(row, errors)
    if errors:
        raise IndicatorEntryRefused(errors)
    row.save()
    return row


@transaction.atomic
def indicator_delete(*, user: User, code: str) -> None:
    """Remove a province's own indicator that nothing uses: no value entered for it, no target or reporting
    period of it, no other indicator's formula reading it (each named in the refusal)."""
    row = _changed_indicator(user, code)
    uses = _uses(row, formulas=True)
    if uses:
        raise IndicatorEntryRefused({"indicator": str(INDICATOR_IN_USE).format(uses=uses)})
    row.delete()

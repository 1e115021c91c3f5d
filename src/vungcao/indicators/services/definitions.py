"""A province's own indicators (chỉ tiêu của tỉnh), defined by the officials who set the province's
targets; named groups of units in :mod:`.groups`.

An own indicator is checked field by field like every indicator write (:class:`IndicatorEntryRefused`
names every bad field, nothing written), and by the catalogue's rules against the catalogue of its
province — the shipped indicators and the province's own — so its formula reads only indicators every
reader of it sees; its code is unique among every province's, as values name it by code alone.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import column_length
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.indicators import catalogue as engine_catalogue
from vungcao.engine.indicators.reasons import DUPLICATE_CODE, problem
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import OWN_KINDS, Indicator
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

DESCRIPTION_LENGTH = 4000
LARGEST_SCALE = 10**6
"""A ratio's multiplier: 100 for per cent, 1,000 for per mille, 100,000 for a rate per 100,000 people."""
SCALE_DECIMALS = 6
REQUIRED_FIELDS = ("code", "name_vi", "name_en", "unit", "kind", "aggregation", "source")
CHOICE_FIELDS = ("unit", "kind", "aggregation", "direction")
ONE_LINE_FIELDS = ("code", "name_vi", "name_en", "source")
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


def _catalogue_errors(row: Indicator, province: AdministrativeUnit | None, errors: dict[str, str]) -> None:
    """The catalogue's problems of ``row``, each under the field it is about (a field already refused here
    keeps its refusal). The rules of an indicator as a whole (a derived one is recomputed …) are checked
    once its values can be read."""
    definition, problems = indicator_definition(row)
    if definition is None:  # the catalogue's rules need the indicator read; its code is checked alone
        problems += engine_catalogue.code_problems(row.code)
    elif province is not None:
        problems += engine_catalogue.additional_indicator_problems(
            definition, catalogue=province_catalogue(province)
        )
    language = reader_language()
    found: dict[str, list[str]] = {}
    for one in problems:
        name = SAME_FIELD.get(one.about, one.about) or "indicator"
        found.setdefault(name, []).append(one.reason.in_language(language))
    for name, reasons in found.items():
        errors.setdefault(name, "\n".join(dict.fromkeys(reasons)))


def _duplicate_code(code: str) -> str:
    return problem(DUPLICATE_CODE, code).reason.in_language(reader_language())


@transaction.atomic
def indicator_create(*, user: User, values: Mapping[str, object]) -> Indicator:
    """A province's own indicator, entered or derived, of the province ``province_code`` (the user's own
    when none is given), checked by the catalogue's rules against the province's catalogue: a code used
    once among every province's, a formula reading known indicators, never itself. The numbers are read
    as officials write them (``minimum`` 1.500,5), the formula's ``scale`` too."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_INDICATORS))
    errors: dict[str, str] = {}
    province = _province(
        user, values, "province_code", access.can_define_programme, str(UNKNOWN_PROVINCE), errors
    )
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
    bounds = {name: _value(values, errors, name, required=False) for name in ("minimum", "maximum")}
    row = Indicator(
        owner=province,
        created_by=user,
        **texts,
        decimals=None if decimals is None else int(decimals),
        **bounds,
        formula=_formula(values, errors),
    )
    _catalogue_errors(row, province, errors)
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

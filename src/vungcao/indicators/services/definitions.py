"""A province's own indicators (chỉ tiêu của tỉnh) and named groups of units (nhóm đơn vị), defined by
the officials who set the province's targets.

Both are checked field by field like every indicator write (:class:`IndicatorEntryRefused` names every
bad field, nothing written). An own indicator is checked by the catalogue's rules against the catalogue
of its province — the shipped indicators and the province's own — so its formula reads only indicators
every reader of it sees; its code is unique among every province's, as values name it by code alone. A
group's members are units of its era under its province or in the province's history, none inside
another (a commune counted with its district would be counted twice).
"""

from collections.abc import Callable, Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import column_length
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.indicators import catalogue as engine_catalogue
from vungcao.engine.indicators.reasons import DUPLICATE_CODE, problem
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.indicators.models import OWN_KINDS, Indicator, UnitGroup
from vungcao.indicators.selectors.catalogue import indicator_definition, province_catalogue
from vungcao.indicators.selectors.groups import units_under
from vungcao.indicators.services import (
    CONTROL_CHARACTER,
    IndicatorEntryRefused,
    _check_text,
    _text,
    _value,
    control_character,
)
from vungcao.programs.services.money import REQUIRED, UNKNOWN_ERA

NOT_ALLOWED_INDICATORS = gettext_lazy("You may not define indicators for this province.")
NOT_ALLOWED_GROUPS = gettext_lazy("You may not define groups of units.")
UNKNOWN_PROVINCE = gettext_lazy("No province with this code that you may define indicators for.")
UNKNOWN_OWNER = gettext_lazy("No province with this code that you may keep groups of units for.")
NOT_OWN_KIND = gettext_lazy("A province's own indicator is entered or derived.")
MEMBERS_REQUIRED = gettext_lazy("A group needs at least one member unit under its owner.")
UNKNOWN_MEMBERS = gettext_lazy("No unit of this era under the owner with these codes: {codes}.")
TOO_MANY_MEMBERS = gettext_lazy("At most {most} members.")
MEMBERS_OVERLAP = gettext_lazy("{inner} lies within {outer}: its figures would be counted twice.")
DUPLICATE_GROUP = gettext_lazy("This unit already has a group with this name.")

DESCRIPTION_LENGTH = 4000
LARGEST_SCALE = 10**6
"""A ratio's multiplier: 100 for per cent, 1,000 for per mille, 100,000 for a rate per 100,000 people."""
SCALE_DECIMALS = 6
MOST_MEMBERS = 5000
"""More than the communes of any province before 2025 (a few hundred), far below what a request holds."""
NAMED_CODES = 10
REQUIRED_FIELDS = ("code", "name_vi", "name_en", "unit", "kind", "aggregation", "source")
CHOICE_FIELDS = ("unit", "kind", "aggregation", "direction")
ONE_LINE_FIELDS = ("code", "name_vi", "name_en", "source")
# The catalogue's keys a province's own indicator keeps under another name: its source is one text.
SAME_FIELD = {"source_vi": "source", "source_en": "source"}


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


# Groups of units -------------------------------------------------------------------------------------------


def _member_codes(values: Mapping[str, object], errors: dict[str, str]) -> list[str]:
    """The codes asked, once each in their order: a list, or a text of codes between spaces, commas or
    line breaks."""
    asked = values.get("member_codes")
    if isinstance(asked, str):
        asked = asked.replace(",", " ").replace(";", " ").split()
    given = [str(code).strip() for code in asked] if isinstance(asked, Iterable) else []
    codes = list(dict.fromkeys(code for code in given if code))
    control = next((found for code in codes if (found := control_character(code, one_line=True))), None)
    if not codes:
        errors["member_codes"] = str(MEMBERS_REQUIRED)
    elif len(codes) > MOST_MEMBERS:
        errors["member_codes"] = str(TOO_MANY_MEMBERS).format(most=MOST_MEMBERS)
    elif control is not None:
        errors["member_codes"] = str(CONTROL_CHARACTER).format(code=ord(control))
    return codes


def _overlaps(members: Iterable[AdministrativeUnit]) -> list[str]:
    """Each member lying within another member, said with both names."""
    members = sorted(members, key=lambda unit: unit.path)
    outer = set(tree.outermost(unit.path for unit in members))
    return [
        str(MEMBERS_OVERLAP).format(inner=inner.name, outer=container.name)
        for inner in members
        if inner.path not in outer
        for container in members
        if container.path in outer and tree.within(inner, container)
    ]


def _members(
    user: User, owner: AdministrativeUnit, era: str, codes: list[str], errors: dict[str, str]
) -> list[AdministrativeUnit]:
    """The units of ``codes`` of ``era`` under ``owner`` (or in its history) that the user may open."""
    members = list(access.restrict_units(units_under(owner, era).filter(code__in=codes), user))
    missing = [code for code in codes if code not in {unit.code for unit in members}]
    if missing:
        named = ", ".join(missing[:NAMED_CODES]) + (" …" if len(missing) > NAMED_CODES else "")
        errors["member_codes"] = str(UNKNOWN_MEMBERS).format(codes=named)
    elif overlaps := _overlaps(members):
        errors["member_codes"] = "\n".join(overlaps)
    return members


@transaction.atomic
def unit_group_create(*, user: User, values: Mapping[str, object]) -> UnitGroup:
    """A named group of units of ``era`` (current or pre2025) kept by the province ``owner_code`` (the
    user's own when none is given), its members given by ``member_codes``: units of the era under the
    province or in its history, none inside another."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_GROUPS))
    errors: dict[str, str] = {}
    name = _check_text(values, "name", column_length(UnitGroup, "name"), errors, one_line=True)
    if not name:
        errors.setdefault("name", str(REQUIRED))
    era = _text(values, "era") or Era.CURRENT
    if era not in Era.values:
        errors["era"] = str(UNKNOWN_ERA)
    owner = _province(user, values, "owner_code", access.can_set_targets, str(UNKNOWN_OWNER), errors)
    if (
        owner is not None
        and "name" not in errors
        and UnitGroup.objects.filter(owner=owner, name=name).exists()
    ):
        errors["name"] = str(DUPLICATE_GROUP)
    codes = _member_codes(values, errors)
    members = (
        _members(user, owner, era, codes, errors)
        if owner is not None and not {"era", "member_codes"} & errors.keys()
        else []
    )
    if errors:
        raise IndicatorEntryRefused(errors)
    assert owner is not None
    try:
        with transaction.atomic():
            group = UnitGroup.objects.create(owner=owner, name=name, era=era, created_by=user)
    except IntegrityError as error:  # the same name given at the same moment
        raise IndicatorEntryRefused({"name": str(DUPLICATE_GROUP)}) from error
    group.members.set(members)
    return group

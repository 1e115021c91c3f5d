"""Named groups of units (nhóm đơn vị) of a province, made, changed and removed by the officials who set
the province's targets.

Each write is checked field by field like every indicator write (:class:`IndicatorEntryRefused` names every
bad field, nothing written). A group's members are units of its era under its province or in the
province's history, none inside another (a commune counted with its district would be counted twice). A
change or a removal locks the group's row first; a group for which targets are set is not removed.
"""

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import CONTROL_CHARACTER, column_length, control_character
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import Target, UnitGroup
from vungcao.indicators.selectors.groups import units_under
from vungcao.indicators.services import IndicatorEntryRefused, _check_text, _province, _text
from vungcao.programs.services.money import REQUIRED, UNKNOWN_ERA

NOT_ALLOWED_GROUPS = gettext_lazy("You may not define groups of units.")
UNKNOWN_OWNER = gettext_lazy("No province with this code that you may keep groups of units for.")
MEMBERS_REQUIRED = gettext_lazy("A group needs at least one member unit under its owner.")
UNKNOWN_MEMBERS = gettext_lazy("No unit of this era under the owner with these codes: {codes}.")
TOO_MANY_MEMBERS = gettext_lazy("At most {most} members.")
MEMBERS_OVERLAP = gettext_lazy("{inner} lies within {outer}: its figures would be counted twice.")
DUPLICATE_GROUP = gettext_lazy("This unit already has a group with this name.")
GROUP_HOLDS_TARGETS = gettext_lazy(
    "Targets are set for this group ({count}): remove them, or set them for another unit or group, first."
)

MOST_MEMBERS = 5000
"""More than the communes of any province before 2025 (a few hundred), far below what a request holds."""
NAMED_CODES = 10


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


def _name_and_members(
    user: User,
    values: Mapping[str, object],
    place: tuple[AdministrativeUnit | None, str],
    errors: dict[str, str],
    *,
    changed: UnitGroup | None = None,
) -> tuple[str, list[AdministrativeUnit]]:
    """The name and members asked for a group of ``place`` (its owner, None where refused, and era; the
    ``changed`` group aside), each checked: a name the owner's other groups do not have, members under the
    owner none inside another."""
    owner, era = place
    name = _check_text(values, "name", column_length(UnitGroup, "name"), errors, one_line=True)
    if not name:
        errors.setdefault("name", str(REQUIRED))
    others = UnitGroup.objects.filter(owner=owner, name=name)
    if changed is not None:
        others = others.exclude(pk=changed.pk)
    if owner is not None and "name" not in errors and others.exists():
        errors["name"] = str(DUPLICATE_GROUP)
    codes = _member_codes(values, errors)
    members = (
        _members(user, owner, era, codes, errors)
        if owner is not None and not {"era", "member_codes"} & errors.keys()
        else []
    )
    return name, members


def _save_group(group: UnitGroup, members: list[AdministrativeUnit]) -> UnitGroup:
    """Store ``group`` with ``members``, refused when its owner has a group of the same name — one stored
    meanwhile by another official too (the unique constraint)."""
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as error:
        raise IndicatorEntryRefused({"name": str(DUPLICATE_GROUP)}) from error
    group.members.set(members)
    return group


@transaction.atomic
def unit_group_create(*, user: User, values: Mapping[str, object]) -> UnitGroup:
    """A named group of units of ``era`` (current or pre2025) kept by the province ``owner_code`` (the
    user's own when none is given), its members given by ``member_codes``: units of the era under the
    province or in its history, none inside another."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_GROUPS))
    errors: dict[str, str] = {}
    era = _text(values, "era") or Era.CURRENT
    if era not in Era.values:
        errors["era"] = str(UNKNOWN_ERA)
    owner = _province(user, values, "owner_code", access.can_set_targets, str(UNKNOWN_OWNER), errors)
    name, members = _name_and_members(user, values, (owner, era), errors)
    if errors:
        raise IndicatorEntryRefused(errors)
    assert owner is not None
    return _save_group(UnitGroup(owner=owner, name=name, era=era, created_by=user), members)


def _changed_group(user: User, group_id: int) -> UnitGroup:
    """The group ``group_id``, its row locked, if the user may see it (:class:`NotFoundError` else, whether it
    exists or not) and keep its owner's groups (:class:`PermissionDeniedError` else)."""
    groups = access.restrict_unit_groups(UnitGroup.objects.select_related("owner"), user)
    group = groups.select_for_update(of=("self",)).filter(pk=group_id).first()
    if group is None:
        raise NotFoundError(f"group of units {group_id}")
    if not access.can_set_targets(user, group.owner):
        raise PermissionDeniedError(str(NOT_ALLOWED_GROUPS))
    return group


@transaction.atomic
def unit_group_update(*, user: User, group_id: int, values: Mapping[str, object]) -> UnitGroup:
    """Rename a group and change its members (``name`` and ``member_codes``, both given), checked as when it
    was made; its owner and era stay, and its targets, which its new members' figures now measure."""
    group = _changed_group(user, group_id)
    errors: dict[str, str] = {}
    name, members = _name_and_members(user, values, (group.owner, group.era), errors, changed=group)
    if errors:
        raise IndicatorEntryRefused(errors)
    group.name = name
    return _save_group(group, members)


@transaction.atomic
def unit_group_delete(*, user: User, group_id: int) -> None:
    """Remove a group for which no target is set (its targets are removed, or set for another unit or group,
    first)."""
    group = _changed_group(user, group_id)
    targets = Target.objects.filter(group=group).count()
    if targets:
        raise IndicatorEntryRefused({"group": str(GROUP_HOLDS_TARGETS).format(count=targets)})
    group.delete()

"""Reads of administrative units; every function takes the user and goes through accounts.access."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.text import fold
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level, UnitAttribute


def unit_list(
    *,
    user: User,
    era: str | None = None,
    level: str | None = None,
    parent_code: str | None = None,
    search: str | None = None,
    include_closed: bool = True,
) -> QuerySet[AdministrativeUnit]:
    """Units the user may open, filtered; ``search`` matches names with or without diacritics, or a code."""
    units = access.restrict_units(AdministrativeUnit.objects.all(), user)
    if era:
        units = units.filter(era=era)
    if level:
        units = units.filter(level=level)
    if parent_code:
        parents = AdministrativeUnit.objects.filter(code=parent_code)
        if era:
            parents = parents.filter(era=era)
        units = units.filter(parent__in=parents)
    if search and search.strip():
        words = fold(search).split()
        condition = Q(code=search.strip())
        name_condition = Q()
        for word in words:
            name_condition &= Q(name_folded__contains=word)
        units = units.filter(condition | name_condition)
    if not include_closed:
        units = units.filter(valid_to__isnull=True)
    return units.select_related("parent").order_by("era", "path")


def unit_get(*, user: User, era: str, code: str) -> AdministrativeUnit:
    """One unit the user may open, or NotFoundError (also when it exists out of scope)."""
    unit = unit_list(user=user, era=era).filter(code=code).first()
    if unit is None:
        raise NotFoundError(f"unit {era}/{code}")
    return unit


@dataclass(frozen=True)
class Breadcrumb:
    unit: AdministrativeUnit
    openable: bool


def unit_ancestors(*, user: User, unit: AdministrativeUnit) -> list[Breadcrumb]:
    """The way from the province down to the unit's parent, in one query; each says if the user may open it."""
    codes = unit.ancestor_codes
    ancestors = {a.code: a for a in AdministrativeUnit.objects.filter(era=unit.era, code__in=codes)}
    openable = set(unit_list(user=user, era=unit.era).filter(code__in=codes).values_list("code", flat=True))
    return [Breadcrumb(ancestors[code], code in openable) for code in codes if code in ancestors]


def unit_children(*, user: User, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return (
        access.restrict_units(unit.children.all(), user)
        .annotate(children_count=Count("children"))
        .order_by("valid_to", "name_folded")
    )


def unit_descendant_count(*, unit: AdministrativeUnit, level: str | None = None) -> int:
    """Descendants of a unit the caller may already open: one prefix query on the path."""
    units = AdministrativeUnit.objects.filter(tree.in_subtree(unit)).exclude(pk=unit.pk)
    if level:
        units = units.filter(level=level)
    return units.count()


def unit_predecessors(*, user: User, unit: AdministrativeUnit) -> QuerySet[CrosswalkLink]:
    """Old units that became (part of) this unit."""
    return access.restrict_crosswalk(
        CrosswalkLink.objects.filter(new_unit=unit).select_related("old_unit", "old_unit__parent"), user
    ).filter(old_unit__in=access.restrict_units(AdministrativeUnit.objects.all(), user))


def unit_successors(*, user: User, unit: AdministrativeUnit) -> QuerySet[CrosswalkLink]:
    """New units this unit became (part of)."""
    return access.restrict_crosswalk(
        CrosswalkLink.objects.filter(old_unit=unit).select_related("new_unit", "new_unit__parent"), user
    )


def unit_attributes(*, unit: AdministrativeUnit) -> QuerySet[UnitAttribute]:
    return unit.attributes.order_by("kind", "-valid_from")


def crosswalk_list(*, user: User, era: str = Era.PRE2025, code: str | None = None) -> QuerySet[CrosswalkLink]:
    """Links from the units of ``era`` (the old side for pre2025, the new side for current) named ``code``."""
    links = access.restrict_crosswalk(
        CrosswalkLink.objects.select_related("old_unit", "new_unit").order_by(
            "old_unit__path", "new_unit__path"
        ),
        user,
    )
    if code:
        side = "old_unit" if era == Era.PRE2025 else "new_unit"
        links = links.filter(**{f"{side}__era": era, f"{side}__code": code})
    return links


@dataclass(frozen=True)
class LevelCount:
    era: str
    level: str
    total: int

    @property
    def era_label(self) -> str:
        return str(Era(self.era).label)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


def level_counts(*, user: User) -> list[LevelCount]:
    """How many units of each era and level the user may open, current era first, top level first."""
    rows = unit_list(user=user).order_by().values_list("era", "level").annotate(total=Count("pk"))
    order = {Era.CURRENT: 0, Era.PRE2025: 1}
    depth = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2, Level.VILLAGE: 3}
    counts = [LevelCount(era, level, total) for era, level, total in rows]
    return sorted(counts, key=lambda count: (order[Era(count.era)], depth[Level(count.level)]))

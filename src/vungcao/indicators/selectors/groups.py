"""Named groups of units (nhóm đơn vị) a user may see, and the units a group of a province may hold."""

from django.db.models import Count, Prefetch, Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.indicators.models import UnitGroup

# The units a page offers as members: a province's communes (and its districts before 2025). Villages may
# be members too, given by code through the API: a province has thousands, too many to tick.
OFFERED_LEVELS = (Level.DISTRICT, Level.COMMUNE)


def units_under(owner: AdministrativeUnit, era: str) -> QuerySet[AdministrativeUnit]:
    """The units of ``era`` a group kept by ``owner`` may hold: under it, or in its history (the units
    before 1 July 2025 that became part of it)."""
    return AdministrativeUnit.objects.filter(
        tree.in_subtree(owner) | tree.in_subtrees(tree.history_paths(owner)), era=era
    ).exclude(pk=owner.pk)


def member_choices(
    *, user: User, owner: AdministrativeUnit, era: str, group: UnitGroup | None = None
) -> list[AdministrativeUnit]:
    """The districts and communes of ``era`` a group of ``owner`` may hold that the user may open, and the
    members ``group`` holds already (villages given through the API among them), in the tree's order (a
    district, then its communes), their parents fetched with them."""
    offered = Q(level__in=OFFERED_LEVELS)
    if group is not None:
        offered |= Q(pk__in=group.members.values("pk"))
    units = units_under(owner, era).filter(offered).select_related("parent")
    return list(access.restrict_units(units, user).order_by("path"))


def unit_group_list(*, user: User) -> QuerySet[UnitGroup]:
    """The groups the user may see, by province and name, with their members (in the tree's order) and
    the number of their targets."""
    groups = UnitGroup.objects.select_related("owner").annotate(target_count=Count("targets"))
    members = Prefetch("members", queryset=AdministrativeUnit.objects.order_by("path"))
    return access.restrict_unit_groups(groups, user).prefetch_related(members).order_by("owner__code", "name")


def unit_group_get(*, user: User, group_id: int) -> UnitGroup:
    """A group the user may see; :class:`NotFoundError` for any other id, whether it exists or not."""
    group = unit_group_list(user=user).filter(pk=group_id).first()
    if group is None:
        raise NotFoundError(f"group of units {group_id}")
    return group


def groups_for_targets(*, user: User) -> list[UnitGroup]:
    """The groups the user may set targets for: those of the provinces the user may see, for one who sets
    targets."""
    return list(unit_group_list(user=user)) if access.can_set_targets_somewhere(user) else []

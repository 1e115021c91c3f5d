"""The administrative tree, as paths: the one place that knows how a unit's path is written.

Every unit stores its materialised path (``current/22/06970/06970-001/``: the era, then the codes from
the province down), so "this unit and everything under it" is one indexed prefix condition. Code that
narrows rows to a unit's subtree asks this module; what a *user* may see is decided by
``accounts.access``, which builds its conditions from these helpers too. A test fails on a unit-path
filter written anywhere else (``tests/accounts/test_scope_in_one_place.py``).
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era

SEPARATOR = "/"


def _lookup(through: str) -> str:
    return f"{through}__path__startswith" if through else "path__startswith"


def in_subtree(unit: AdministrativeUnit, through: str = "") -> Q:
    """Rows whose unit (reached through ``through``, e.g. ``"village"``; the unit itself when empty) is
    ``unit`` or lies under it."""
    return Q(**{_lookup(through): unit.path})


def in_subtrees(paths: Iterable[str], through: str = "") -> Q:
    """Rows whose unit lies under any of ``paths`` (no row when there is none)."""
    condition = Q(pk__in=[])
    for path in outermost(paths):
        condition |= Q(**{_lookup(through): path})
    return condition


def outermost(paths: Iterable[str]) -> list[str]:
    """The paths not lying under another path of the list, sorted: the same subtrees, fewer conditions."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def within(inner: AdministrativeUnit, outer: AdministrativeUnit) -> bool:
    """Whether ``inner`` is ``outer`` or lies under it."""
    return inner.path.startswith(outer.path)


def province_path(unit: AdministrativeUnit) -> str:
    """The path of the province ``unit`` lies in (its own when it is one)."""
    era, province = unit.path.split(SEPARATOR)[:2]
    return f"{era}{SEPARATOR}{province}{SEPARATOR}"


def parent_path(path: str) -> str:
    """The path one level up (empty above a province's era)."""
    trimmed = path.rstrip(SEPARATOR)
    return trimmed[: trimmed.rfind(SEPARATOR) + 1]


def linked_history(unit: AdministrativeUnit) -> list[tuple[str, str, Decimal]]:
    """(old unit's path, new unit's path, share) of every crosswalk link from a unit of the era before
    1 July 2025 into ``unit``'s subtree: where the history of the subtree is kept."""
    return list(
        CrosswalkLink.objects.filter(new_unit__path__startswith=unit.path, old_unit__era=Era.PRE2025)
        .values_list("old_unit__path", "new_unit__path", "share")
        .order_by("old_unit__path", "new_unit__path")
    )


def history_paths(unit: AdministrativeUnit) -> list[str]:
    """The outermost old units linked into ``unit``'s subtree."""
    return outermost(old_path for old_path, _new_path, _share in linked_history(unit))

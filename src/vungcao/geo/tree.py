"""The administrative tree, as paths: the one place that knows how a unit's path is written.

Every unit stores its materialised path (``current/22/06970/06970-001/``: the era, then the codes from
the province down), so "this unit and everything under it" is one indexed prefix condition. Code that
narrows rows to a unit's subtree asks this module; what a *user* may see is decided by
``accounts.access``, which builds its conditions from these helpers too. A test fails on a unit-path
filter written anywhere else (``tests/accounts/test_scope_in_one_place.py``).

The prefix condition is a range of the index on ``path`` (:class:`InSubtree`), never ``LIKE``: SQLite's
``LIKE`` ignores case, so it cannot be answered from the (case-sensitive) index and every search of a
subtree read the whole table it filtered, a million assessments for a province's figures.
"""

from bisect import bisect_left
from collections.abc import Container, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q
from django.db.models.sql.compiler import SQLCompiler

from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era

SEPARATOR = "/"


class InSubtree(Lookup[str]):
    """``path__subtree=<a unit's path>``: the path is that unit's or lies under it.

    A path lies under ``current/08/`` exactly when it sorts, character by character, from ``current/08/``
    up to (not including) ``current/080``, the prefix with its last character (the separator) replaced by
    the next one. The comparison must be binary, not the database's collation, which may order
    ``/`` and digits otherwise (or ignore punctuation): SQLite compares text as bytes unless told
    otherwise, and PostgreSQL's ``~>=~`` and ``~<~`` compare character by character whatever the
    collation; both are answered from the index on ``path`` (on PostgreSQL its ``varchar_pattern_ops``
    index). A path always ends with the separator, so ``current/08/`` never matches ``current/080/``.
    """

    lookup_name = "subtree"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        return self._range(compiler, connection, ">=", "<")

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        return self._range(compiler, connection, "~>=~", "~<~")

    def _range(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, at_least: str, below: str
    ) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        low, high = subtree_bounds(self.rhs)
        return f"({lhs} {at_least} %s AND {lhs} {below} %s)", (*lhs_params, low, *lhs_params, high)


def subtree_bounds(path: str) -> tuple[str, str]:
    """The range of the paths in the subtree of the unit at ``path``: from ``path`` (included) to the
    prefix after it (excluded)."""
    if not isinstance(path, str) or not path.endswith(SEPARATOR):
        raise ValueError(f"a unit's path ending with {SEPARATOR!r} is needed, not {path!r}")
    return path, path[:-1] + chr(ord(SEPARATOR) + 1)


AdministrativeUnit._meta.get_field("path").register_lookup(InSubtree)


def _lookup(through: str) -> str:
    return f"{through}__path__subtree" if through else "path__subtree"


def in_subtree(unit: AdministrativeUnit, through: str = "") -> Q:
    """Rows whose unit (reached through ``through``, e.g. ``"village"``; the unit itself when empty) is
    ``unit`` or lies under it."""
    return Q(**{_lookup(through): unit.path})


def under_own(through: str, unit_field: str) -> Q:
    """Rows whose unit (reached through ``through``) lies under the unit the same row names in
    ``unit_field``: a comparison of two paths in each row, not a range of the index (to check rows)."""
    return Q(**{f"{_lookup(through).removesuffix('__subtree')}__startswith": F(f"{unit_field}__path")})


def in_subtrees(paths: Iterable[str], through: str = "") -> Q:
    """Rows whose unit lies under any of ``paths`` (no row when there is none)."""
    condition = Q(pk__in=[])
    for path in outermost(paths):
        condition |= Q(**{_lookup(through): path})
    return condition


def subtree_slices(sorted_paths: Sequence[str], paths: Iterable[str]) -> list[slice]:
    """The slices of ``sorted_paths`` (in code point order) holding the subtrees of ``paths``, in order:
    the same range as :class:`InSubtree`'s, found by bisection."""
    slices = []
    for path in outermost(paths):
        low, high = subtree_bounds(path)
        slices.append(slice(bisect_left(sorted_paths, low), bisect_left(sorted_paths, high)))
    return slices


def common_subtrees(paths: Iterable[str], others: Iterable[str]) -> list[str]:
    """The subtrees lying under both a path of ``paths`` and one of ``others``: of each path lying under
    the other, the inner one."""
    first, second = outermost(paths), outermost(others)
    return outermost(
        [path for path in first if any(path.startswith(other) for other in second)]
        + [other for other in second if any(other.startswith(path) for path in first)]
    )


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
    return province_of_path(unit.path)


def province_of_path(path: str) -> str:
    """The path of the province the unit at ``path`` lies in (its own when it is one)."""
    era, province = path.split(SEPARATOR)[:2]
    return f"{era}{SEPARATOR}{province}{SEPARATOR}"


def province_ids(units: Iterable[AdministrativeUnit]) -> dict[int, int]:
    """The primary key of the province each of ``units`` lies in (its own era's), by the unit's: one query
    whatever their number."""
    wanted = {unit.pk: province_of_path(unit.path) for unit in units}
    by_path = unit_ids(wanted.values())
    return {pk: by_path[path] for pk, path in wanted.items()}


def unit_ids(paths: Iterable[str]) -> dict[str, int]:
    """The primary keys of the units at ``paths`` (those that exist), by path."""
    return dict(AdministrativeUnit.objects.filter(path__in=set(paths)).values_list("path", "pk"))


def parent_path(path: str) -> str:
    """The path one level up (empty above a province's era)."""
    trimmed = path.rstrip(SEPARATOR)
    return trimmed[: trimmed.rfind(SEPARATOR) + 1]


def ancestor_paths(path: str) -> list[str]:
    """``path`` and the path of every unit above it, from the unit up."""
    paths = []
    while path:
        paths.append(path)
        path = parent_path(path)
    return paths


def carrier_path(path: str, linked: Container[str]) -> str | None:
    """The path of the most specific unit among ``linked`` holding the unit at ``path`` (itself, or the
    nearest above it): the old unit whose crosswalk links carry its records across; None when none is."""
    return next((ancestor for ancestor in ancestor_paths(path) if ancestor in linked), None)


def linked_history(unit: AdministrativeUnit) -> list[tuple[str, str, Decimal]]:
    """(old unit's path, new unit's path, share) of every crosswalk link from a unit of the era before
    1 July 2025 into ``unit``'s subtree: where the history of the subtree is kept."""
    return list(
        CrosswalkLink.objects.filter(in_subtree(unit, "new_unit"), old_unit__era=Era.PRE2025)
        .values_list("old_unit__path", "new_unit__path", "share")
        .order_by("old_unit__path", "new_unit__path")
    )


def with_history(unit: AdministrativeUnit) -> list[str]:
    """The paths of ``unit`` and of the old units linked into its subtree: the subtrees holding its units
    and their history."""
    return [unit.path, *history_paths(unit)]


def history_paths(unit: AdministrativeUnit) -> list[str]:
    """The outermost old units linked into ``unit``'s subtree."""
    return outermost(old_path for old_path, _new_path, _share in linked_history(unit))

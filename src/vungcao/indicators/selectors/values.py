"""What the indicator engine reads, over the database: values, the tree of units and the crosswalk.

For the units a page asks about, everything the resolver may visit is loaded at once into dicts — the
units' subtrees, the subtrees of the other era's units linked to them by the crosswalk, the links, the
entered values and the records of the indicators asked (their formulas' parts included) — so a pivot
of 34 provinces over ten years makes a fixed number of queries, never one per unit.

A unit's datum of a computed indicator is the total of the records of its whole subtree (the engine
takes it as the unit's own, so it is never added again from the children), or None where no record
exists for that unit and year: then a value entered for history (``entered_fallback``) and the
crosswalk apply. Where both exist, records win. Entered values are referred to as ``value:<id>``,
records as ``records:<indicator>``.

A named group of units is a unit of the tree (code ``group:<id>``) whose children are its members.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import AnnualChange, IndicatorKind, Origin
from vungcao.engine.indicators.figures import Datum, Exact, UnitRef, exact, exact_decimal
from vungcao.engine.indicators.resolution import Resolver, collector_paused
from vungcao.engine.indicators.sources import MemoryCrosswalk, MemoryTree
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era
from vungcao.indicators.models import IndicatorValue, UnitGroup
from vungcao.indicators.selectors.records import RecordTables
from vungcao.programs.selectors.money import country

GROUP_PREFIX = "group:"
Loaded = dict[str, tuple[UnitRef, str, str]]
"""path → (unit, name, level) of every unit a resolver may visit."""


def unit_ref(unit: AdministrativeUnit) -> UnitRef:
    return UnitRef(unit.era, unit.code)


def group_ref(group: UnitGroup) -> UnitRef:
    return UnitRef(group.era, f"{GROUP_PREFIX}{group.pk}")


def needed(catalogue: Catalogue, codes: Iterable[str], years: Iterable[int]) -> dict[str, set[int]]:
    """The base (entered or computed) indicators, and their years, that the figures of ``codes`` in
    ``years`` read: the parts of formulas, and the year before for an annual change."""
    wanted: dict[str, set[int]] = defaultdict(set)
    pending = [(code, year) for code in codes if code in catalogue for year in years]
    seen: set[tuple[str, int]] = set()
    while pending:
        code, year = pending.pop()
        if (code, year) in seen:
            continue
        seen.add((code, year))
        formula = catalogue.get(code).formula
        if isinstance(formula, AnnualChange):
            pending += [(formula.of, year), (formula.of, year - 1)]
        elif formula is not None:
            pending += [(reference, year) for reference in formula.references]
        else:
            wanted[code].add(year)
    return wanted


class DatabaseValues:
    """:class:`~vungcao.engine.indicators.sources.Values` over records rolled up and entered values, held
    in one dict (records replacing entries of the same unit and year), so each datum is one lookup."""

    def __init__(
        self,
        records: dict[tuple[str, UnitRef, int], Decimal],
        entered: dict[tuple[str, UnitRef, int], Datum],
    ) -> None:
        self._data = entered
        self._data.update(
            (key, Datum(value, Origin.RECORDS, f"records:{key[0]}")) for key, value in records.items()
        )
        self._recorded = records.keys()

    def datum(self, indicator: str, unit: UnitRef, year: int) -> Datum | None:
        return self._data.get((indicator, unit, year))

    def has_records(self, indicator: str, unit: UnitRef, year: int) -> bool:
        return (indicator, unit, year) in self._recorded


class DatabaseInventory:
    """:class:`~vungcao.engine.indicators.resolution.Inventory` over the loaded values and units, so the
    resolver never tries the communes of an indicator and year held only by provinces."""

    def __init__(
        self, keys: Iterable[tuple[str, UnitRef, int]], parents: Mapping[UnitRef, Sequence[UnitRef]]
    ) -> None:
        self._holders: defaultdict[tuple[str, int], list[UnitRef]] = defaultdict(list)
        for code, unit, year in keys:
            self._holders[(code, year)].append(unit)
        self._parents = parents

    def holders(self, indicator: str, year: int) -> Sequence[UnitRef]:
        return self._holders.get((indicator, year), ())

    def parents(self, unit: UnitRef) -> Sequence[UnitRef]:
        return self._parents.get(unit, ())


def _roots(units: Sequence[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """The outermost units whose subtrees hold what ``units`` may need: their own, and the other era's
    units the crosswalk links them to (a current unit's history, or what a former unit became)."""
    paths = {unit.path for unit in units}
    for unit in units:
        if unit.pk is None:  # the whole country: the other era's too
            paths.add(country(era=Era.PRE2025 if unit.era == Era.CURRENT else Era.CURRENT).path)
        elif unit.era == Era.CURRENT:
            paths.update(tree.history_paths(unit))
        else:
            links = CrosswalkLink.objects.filter(tree.in_subtree(unit, "old_unit"))
            paths.update(links.values_list("new_unit__path", flat=True))
    kept = tree.outermost(paths)
    countries = {root.path: root for root in (country(era=era) for era in Era.values)}
    stored = {unit.path: unit for unit in AdministrativeUnit.objects.filter(path__in=kept)}
    return [countries.get(path) or stored[path] for path in kept]


def _loaded(user: User, roots: Sequence[AdministrativeUnit]) -> Loaded:
    units = access.restrict_units(
        AdministrativeUnit.objects.filter(tree.in_subtrees(root.path for root in roots)), user
    )
    loaded = {
        path: (UnitRef(era, code), name, level)
        for path, era, code, name, level in units.values_list("path", "era", "code", "name", "level")
    }
    for root in roots:
        if root.pk is None:
            loaded[root.path] = (unit_ref(root), str(root.name), "")
    return loaded


def _tree(loaded: Loaded, groups: Sequence[UnitGroup]) -> tuple[MemoryTree, dict[UnitRef, list[UnitRef]]]:
    """The tree of the loaded units (and groups), and each unit's parents (the groups it is in too)."""
    children: defaultdict[UnitRef, list[UnitRef]] = defaultdict(list)
    parents: defaultdict[UnitRef, list[UnitRef]] = defaultdict(list)
    for path, (unit, _name, _level) in sorted(loaded.items()):
        parent = loaded.get(tree.parent_path(path))
        if parent is not None:
            children[parent[0]].append(unit)
            parents[unit].append(parent[0])
    names = {unit: name for unit, name, _level in loaded.values()}
    for group in groups:
        children[group_ref(group)] = [unit_ref(member) for member in group.members.all()]
        names[group_ref(group)] = group.name
        for member in children[group_ref(group)]:
            parents[member].append(group_ref(group))
    return MemoryTree(children, names), parents


def _crosswalk(roots: Sequence[AdministrativeUnit]) -> MemoryCrosswalk:
    paths = [root.path for root in roots]
    links = CrosswalkLink.objects.filter(
        tree.in_subtrees(paths, "new_unit") | tree.in_subtrees(paths, "old_unit")
    ).values_list("old_unit__era", "old_unit__code", "new_unit__era", "new_unit__code", "share")
    return MemoryCrosswalk(
        (UnitRef(old_era, old_code), UnitRef(new_era, new_code), share)
        for old_era, old_code, new_era, new_code, share in links
    )


def _entered(
    user: User, roots: Sequence[AdministrativeUnit], wanted: dict[str, set[int]]
) -> dict[tuple[str, UnitRef, int], Datum]:
    years = set().union(*wanted.values()) if wanted else set()
    rows = (
        access.restrict_by_unit(
            IndicatorValue.objects.filter(
                tree.in_subtrees((root.path for root in roots), "unit"),
                indicator__in=list(wanted),
                year__in=years,
            ),
            user,
            "unit",
        )
        .order_by()
        .values_list("pk", "indicator", "unit__era", "unit__code", "year", "value")
    )
    return {
        (code, UnitRef(era, unit_code), year): Datum(value, Origin.ENTERED, f"value:{pk}")
        for pk, code, era, unit_code, year, value in rows
    }


def _records(
    user: User,
    catalogue: Catalogue,
    roots: Sequence[AdministrativeUnit],
    loaded: Loaded,
    wanted: dict[str, set[int]],
) -> dict[tuple[str, UnitRef, int], Decimal]:
    """Each computed indicator's records, each added to its unit and every unit above it, exactly (the
    sums are the same whatever order the database returned the records in), then rounded once to the
    engine's precision."""
    computed = [code for code in wanted if catalogue.get(code).kind is IndicatorKind.COMPUTED]
    if not computed:
        return {}
    years = sorted(set().union(*(wanted[code] for code in computed)))
    tables = RecordTables(
        user=user, roots=roots, years=years, levels={path: level for path, (_u, _n, level) in loaded.items()}
    )
    rolled: defaultdict[tuple[str, UnitRef, int], Exact] = defaultdict(int)
    for code in computed:
        table = tables.table(catalogue.get(code))
        for (path, year), value in (table or {}).items():
            while path in loaded:
                rolled[(code, loaded[path][0], year)] += exact(value)
                path = tree.parent_path(path)
    return {key: exact_decimal(value) for key, value in rolled.items()}


def resolver_for(
    *,
    user: User,
    catalogue: Catalogue,
    codes: Iterable[str],
    years: Iterable[int],
    units: Sequence[AdministrativeUnit] = (),
    groups: Sequence[UnitGroup] = (),
) -> tuple[Resolver, DatabaseValues]:
    """A resolver over everything the figures of ``codes`` in ``years`` for ``units`` (and the groups'
    members) may read, loaded in bulk; and its values, to ask whether a unit and year has records."""
    members = [member for group in groups for member in group.members.all()]
    roots = _roots([*units, *members])
    with collector_paused():  # tens of thousands of units and values, none of them garbage
        loaded = _loaded(user, roots)
        wanted = needed(catalogue, codes, years)
        records = _records(user, catalogue, roots, loaded, wanted)
        entered = _entered(user, roots, wanted)
        inventory_keys = [*records, *entered]
        values = DatabaseValues(records, entered)
        units_tree, parents = _tree(loaded, groups)
    resolver = Resolver(
        catalogue=catalogue,
        values=values,
        tree=units_tree,
        crosswalk=_crosswalk(roots),
        inventory=DatabaseInventory(inventory_keys, parents),
    )
    return resolver, values

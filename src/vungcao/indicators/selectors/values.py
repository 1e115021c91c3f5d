"""What the indicator engine reads, over the database: values, the tree of units and the crosswalk.

For the units a page asks about, everything the resolver may visit is loaded at once into dicts — the
units' subtrees, the subtrees of the other era's units linked to them by the crosswalk, the links, the
entered values and the records of the indicators asked (their formulas' parts included) — so a pivot
of 34 provinces over ten years makes a fixed number of queries, never one per unit. The units and links
come from the process's copy of the tree (``geo.selectors_tree``), and the tree and crosswalk a resolver
walks are made once per revision of the units and set of subtrees (:func:`_places_of`).

A unit's datum of a computed indicator is the total of the records of its whole subtree (the engine
takes it as the unit's own, so it is never added again from the children), or None where no record
exists for that unit and year: then a value entered for history (``entered_fallback``) and the
crosswalk apply. Where both exist, records win. The annual review's records stand as a unit's datum
only where its review of the year is whole (``RecordTables.review_whole``): while some of a province's
communes are not approved, its official total, entered, stands, or else the sum of its communes says
which have none — a partial count is never shown as the province's. Entered values are referred to as
``value:<id>``, records as ``records:<indicator>``.

A named group of units is a unit of the tree (code ``group:<id>``) whose children are its members.
"""

from collections import ChainMap, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache, reduce
from itertools import compress
from operator import ne, or_
from typing import Any, NamedTuple

from django.db.models import OuterRef, Q, QuerySet, Subquery

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.database import stored_rows, stored_value_reader
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import AnnualChange, IndicatorKind, Origin
from vungcao.engine.indicators.figures import Datum, Exact, Figure, UnitRef, exact, exact_decimal
from vungcao.engine.indicators.resolution import Resolver, collector_paused, with_ancestors
from vungcao.engine.indicators.sources import MemoryCrosswalk, MemoryTree
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.geo.selectors_tree import TreeUnit, UnitTree, unit_tree
from vungcao.indicators.models import (
    IndicatorValue,
    IndicatorValueChange,
    IndicatorValueRevision,
    UnitGroup,
)
from vungcao.indicators.selectors.records import REVIEW_RECORDS, RecordTables
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


Entries = dict[tuple[str, UnitRef, int], tuple[int, object]]
"""(indicator, unit, year) → (the entered value's id, its value as stored: ``common.database.stored_rows``)."""


Rolled = dict[tuple[str, UnitRef, int], Decimal]
"""(indicator, unit, year) → the records of the unit's subtree, added (``_records``)."""


class Records(NamedTuple):
    """The computed indicators' records of a reading: as the database returned them
    (``RecordTables.fetched``), and added to each unit and the units above it."""

    fetched: tuple[object, ...]
    rolled: Rolled


NO_RECORDS = Records((), {})


class DatabaseValues:
    """:class:`~vungcao.engine.indicators.sources.Values` over records rolled up and entered values
    (records win over an entry of the same unit and year). An entered value is converted, and its datum
    made, when the resolver reads it: a national pivot reads a third of the 100,000 values it loads."""

    def __init__(
        self,
        records: Records,
        entered: Entries,
        rows: list["Row"] | None = None,
        revisions: "Revisions | None" = None,
    ) -> None:
        """``entered`` made of ``rows`` (as ``_entered`` reads them, at ``revisions``)."""
        self.records = records
        self._records = records.rolled
        self._entered = self.entered = entered
        self.rows = rows or []
        self.revisions = revisions or {}
        self._recorded = records.rolled.keys()
        self._read = stored_value_reader(IndicatorValue, "value")
        self._converted: dict[tuple[type, object], Decimal] = {}

    def datum(self, indicator: str, unit: UnitRef, year: int) -> Datum | None:
        key = (indicator, unit, year)
        recorded = self._records.get(key)
        if recorded is not None:
            return Datum(recorded, Origin.RECORDS, f"records:{indicator}")
        entry = self._entered.get(key)
        if entry is None:
            return None
        return Datum(self._value(entry[1]), Origin.ENTERED, f"value:{entry[0]}")

    def _value(self, stored: object) -> Decimal:
        """The stored value converted as the ORM converts it; a number SQLite returned (an int or a float)
        converted once for all the values equal to it and of its type (the conversion depends on nothing
        else): the values of a national pivot are mostly a few counts repeated."""
        if type(stored) not in (int, float):
            return self._read(stored)  # type: ignore[no-any-return]
        key = (type(stored), stored)
        converted = self._converted.get(key)
        if converted is None:
            converted = self._converted[key] = self._read(stored)
        return converted

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


class Places(NamedTuple):
    """The units a resolver may visit (of the roots' subtrees, those the user may see; the whole country
    where it is a root), the tree they make, each unit's parents, and the crosswalk links touching the
    roots' subtrees (whoever asks). Made once per revision of the units and set of subtrees, and shared:
    never changed once made."""

    loaded: Loaded
    refs: dict[int, UnitRef]
    """Each loaded unit's reference, by id."""
    units: dict[str, TreeUnit]
    """The loaded units of the tree, by path (the whole country's roots are not units)."""
    lineage: dict[str, tuple[UnitRef, ...]]
    """By path, the loaded unit and the loaded units above it, up to the first not loaded."""
    children: dict[UnitRef, list[UnitRef]]
    parents: dict[UnitRef, list[UnitRef]]
    carried_into: dict[str, frozenset[str]]
    """By former province's path, the current communes (their paths) the crosswalk carries part of it into."""
    names: dict[UnitRef, str]
    """The loaded units' names (the whole country's, translated for each reader, are not kept here)."""
    crosswalk: MemoryCrosswalk
    revision: tuple[str, tuple[str, ...], tuple[str, ...]] | None
    """What the places are made of: the tree's revision, the roots' paths and the visible subtrees' paths
    (None for a tree without a revision)."""


def _places(user: User, roots: Sequence[AdministrativeUnit]) -> Places:
    units = unit_tree()
    paths = tuple(root.path for root in roots)
    countries = tuple((root.path, unit_ref(root)) for root in roots if root.pk is None)
    make = _places_of if units.revision is None else _kept_places
    return make(units, paths, tuple(access.restrict_subtrees(paths, user)), countries)


def _places_of(
    units: UnitTree,
    roots: tuple[str, ...],
    visible: tuple[str, ...],
    countries: tuple[tuple[str, UnitRef], ...],
) -> Places:
    """The places under ``roots`` (of them, ``visible`` is what the user may see; ``countries`` are the
    whole country's roots, with their references)."""
    seen = units.subtrees(visible)
    loaded: Loaded = {unit.path: (UnitRef(unit.era, unit.code), unit.name, unit.level) for unit in seen}
    for path, ref in countries:
        loaded[path] = (ref, "", "")
    children: defaultdict[UnitRef, list[UnitRef]] = defaultdict(list)
    parents: defaultdict[UnitRef, list[UnitRef]] = defaultdict(list)
    lineage: dict[str, tuple[UnitRef, ...]] = {}
    for path, (unit, _name, _level) in sorted(loaded.items()):  # a parent before its children
        parent_path = tree.parent_path(path)
        parent = loaded.get(parent_path)
        lineage[path] = (unit, *lineage.get(parent_path, ()))
        if parent is not None:
            children[parent[0]].append(unit)
            parents[unit].append(parent[0])
    links = units.links_touching(units.subtrees(roots))
    carried_into: defaultdict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.old.era == Era.PRE2025 and link.new.era == Era.CURRENT and link.new.level == Level.COMMUNE:
            carried_into[tree.province_of_path(link.old.path)].add(link.new.path)
    return Places(
        loaded,
        {unit.pk: loaded[unit.path][0] for unit in seen},
        {unit.path: unit for unit in seen},
        lineage,
        dict(children),
        dict(parents),
        {province: frozenset(communes) for province, communes in carried_into.items()},
        {unit: name for unit, name, _level in loaded.values()},
        MemoryCrosswalk(
            (UnitRef(link.old.era, link.old.code), UnitRef(link.new.era, link.new.code), link.share)
            for link in links
        ),
        None if units.revision is None else (units.revision, roots, visible),
    )


_kept_places = lru_cache(maxsize=32)(_places_of)


def _tree(
    places: Places, roots: Sequence[AdministrativeUnit], groups: Sequence[UnitGroup]
) -> tuple[MemoryTree, Mapping[UnitRef, Sequence[UnitRef]]]:
    """The tree of the places (the whole country named in the reader's language) with the groups, and
    each unit's parents (the groups it is in too)."""
    children: Mapping[UnitRef, Sequence[UnitRef]] = places.children
    parents: Mapping[UnitRef, Sequence[UnitRef]] = places.parents
    named = {unit_ref(root): str(root.name) for root in roots if root.pk is None}
    if groups:
        children, parents = dict(children), dict(parents)
        for group in groups:
            members = [unit_ref(member) for member in group.members.all()]
            children[group_ref(group)] = members
            named[group_ref(group)] = group.name
            for member in members:
                parents[member] = [*parents.get(member, ()), group_ref(group)]
    return MemoryTree(children, ChainMap(named, places.names)), parents


Row = tuple[Any, ...]
"""An entered value as the database returns it: (id, indicator, unit id, year, value)."""
ENTERED_COLUMNS = ("pk", "indicator", "unit_id", "year", "value")


def _entered(user: User, roots: Sequence[AdministrativeUnit], wanted: dict[str, set[int]]) -> list[Row]:
    """The values entered for the units under ``roots`` that ``user`` may see, as the database returns
    them (:data:`Row`)."""
    rows = _entered_values(user, roots, wanted).order_by().values_list(*ENTERED_COLUMNS)
    return stored_rows(rows)


def _entered_values(
    user: User, roots: Sequence[AdministrativeUnit], wanted: dict[str, set[int]]
) -> QuerySet[IndicatorValue]:
    """The values entered for the units under ``roots`` that ``user`` may see."""
    years = set().union(*wanted.values()) if wanted else set()
    values = IndicatorValue.objects.filter(indicator__in=list(wanted), year__in=years)
    paths = {root.path for root in roots}
    if not paths >= {country(era=era).path for era in Era.values}:
        # Units first: a province's few hundred units find their values by the unit index, where a path
        # condition on each value's unit read every value of the indicators asked (100,000 for one entered
        # by former commune) to keep a few thousand. Both whole eras hold every unit: no condition.
        values = values.filter(unit__in=AdministrativeUnit.objects.filter(tree.in_subtrees(paths)))
    return access.restrict_by_unit(values, user, "unit")


Revisions = dict[str, tuple[int, str]]
"""Each indicator's revision (``IndicatorValueRevision``: the number and token of its last write) its values
were read at."""


def entered_revisions(reading: "Reading") -> Revisions:
    """The revisions of the values of the indicators ``reading`` reads, read before their values: those
    read next are at least as recent (an indicator without a revision is missing)."""
    stored = IndicatorValueRevision.objects.filter(indicator__in=sorted(reading.wanted))
    return {
        code: (number, token) for code, number, token in stored.values_list("indicator", "number", "token")
    }


class Changed(NamedTuple):
    """The entered values written since an earlier reading: those it read that are gone or changed, those
    there are now, and the revisions they are at."""

    removed: set[Row]
    added: set[Row]
    revisions: Revisions


def _changed_since(
    user: User, reading: "Reading", earlier: "Earlier", revisions: Revisions
) -> Changed | None:
    """The values written since ``earlier`` read them, from the log of the writes
    (``IndicatorValueChange``) and the values of the units and years they changed, read in one statement
    (one snapshot of the database: a write's log and values are read together, or neither); None when the
    log cannot tell (an indicator without a revision; a write not logged, or no longer; a revision
    ``earlier`` read inside a transaction that was rolled back), and every value must be read."""
    held = earlier.revisions
    if not reading.wanted or held.keys() != reading.wanted.keys() or revisions.keys() != held.keys():
        return None
    stale = {code: held[code] for code in sorted(held) if revisions[code] != held[code]}
    if not stale:
        return Changed(set(), set(), held)
    now = _entered_values(user, reading.roots, reading.wanted).filter(
        indicator=OuterRef("indicator"), unit_id=OuterRef("unit_id"), year=OuterRef("year")
    )
    logged_after = IndicatorValueRevision.objects.filter(indicator=OuterRef("indicator"))
    log = IndicatorValueChange.objects.filter(
        reduce(or_, (Q(indicator=code, number__gte=number) for code, (number, _token) in stale.items()))
    ).annotate(
        value_pk=Subquery(now.values("pk")[:1]),
        value=Subquery(now.values("value")[:1]),
        logged_after=Subquery(logged_after.values("logged_after")[:1]),
    )
    found = stored_rows(
        log.order_by().values_list(
            "indicator", "number", "token", "unit_id", "year", "value_pk", "value", "logged_after"
        )
    )
    read = dict(held)
    for code, (number, token) in stale.items():
        logged = [row for row in found if row[0] == code]
        if not any(row[1:3] == (number, token) for row in logged):
            return None  # the write ``earlier`` read is not in the log (or was never committed)
        if any(row[7] is None or row[7] > number for row in logged):
            return None  # a write since is not in the log
        read[code] = max(row[1:3] for row in logged)
    refs = reading.places.refs
    removed, added = set(), set()
    for code, number, _token, unit, year, value_pk, value, _after in found:
        if number > stale[code][0] and unit in refs:
            before = earlier.entered.get((code, refs[unit], year))
            if before is not None:
                removed.add((before[0], code, unit, year, before[1]))
            if value_pk is not None:
                added.add((value_pk, code, unit, year, value))
    return Changed(removed - added, added - removed, read)


def _entries(rows: Iterable[tuple[Any, ...]], refs: Mapping[int, UnitRef]) -> Entries:
    """The entered values of the units of ``refs`` (a value of a unit the tree does not hold yet, written
    since it was read, is not reached)."""
    return {(code, refs[unit], year): (pk, value) for pk, code, unit, year, value in rows if unit in refs}


def _records(
    user: User, catalogue: Catalogue, reading: "Reading", earlier: "Earlier | None" = None
) -> Records:
    """Each computed indicator's records, each added to its unit and every unit above it, exactly (the
    sums are the same whatever order the database returned the records in), then rounded once to the
    engine's precision; those ``earlier`` added where the records read now are the same."""
    roots, places, _groups, wanted = reading
    computed = [code for code in wanted if catalogue.get(code).kind is IndicatorKind.COMPUTED]
    if not computed:
        return NO_RECORDS
    years = sorted(set().union(*(wanted[code] for code in computed)))
    indicators = [catalogue.get(code) for code in computed]
    tables = RecordTables(
        user=user,
        roots=roots,
        years=years,
        units=places.units,
        carried_into=places.carried_into,
        indicators=indicators,
    )
    fetched = tables.fetched()
    if earlier is not None and earlier.records.fetched == fetched:
        return earlier.records
    rolled: defaultdict[tuple[str, UnitRef, int], Exact] = defaultdict(int)
    for indicator in indicators:
        table = tables.table(indicator)
        record = indicator.record or ""
        for (path, year), value in (table or {}).items():
            lineage = places.lineage.get(path, ())
            if record in REVIEW_RECORDS:
                lineage = _whole_reach(tables, path, lineage, year, record)
            for unit in lineage:
                rolled[(indicator.code, unit, year)] += exact(value)
    return Records(fetched, {key: exact_decimal(value) for key, value in rolled.items()})


def _whole_reach(
    tables: RecordTables, path: str, lineage: tuple[UnitRef, ...], year: int, record: str
) -> tuple[UnitRef, ...]:
    """Of a review record's unit and the units above it (``lineage``, from the unit up), those whose
    review of the year is whole (:meth:`RecordTables.review_whole`): a unit above one not whole is not
    whole either."""
    paths = [path]
    while len(paths) < len(lineage):
        paths.append(tree.parent_path(paths[-1]))
    reach = 0
    while reach < len(lineage) and tables.review_whole(paths[reach], year, record):
        reach += 1
    return lineage[:reach]


class Reading(NamedTuple):
    """What a resolver of one request reads, before any value is: the roots of the units asked (and of
    the groups' members), the places under them the user may see, the groups, and the base indicators
    and years the figures read (:func:`needed`)."""

    roots: list[AdministrativeUnit]
    places: Places
    groups: tuple[UnitGroup, ...]
    wanted: dict[str, set[int]]


def reading_for(
    *,
    user: User,
    catalogue: Catalogue,
    codes: Iterable[str],
    years: Iterable[int],
    units: Sequence[AdministrativeUnit] = (),
    groups: Sequence[UnitGroup] = (),
) -> Reading:
    """What the figures of ``codes`` in ``years`` for ``units`` (and the groups' members) read, as ``user``
    may see it."""
    members = [member for group in groups for member in group.members.all()]
    roots = _roots([*units, *members])
    with collector_paused():  # tens of thousands of units, none of them garbage
        places = _places(user, roots)
    return Reading(roots, places, tuple(groups), needed(catalogue, codes, years))


class Earlier(NamedTuple):
    """What an earlier resolver of the same reading (the same places, indicators, years and reader, no
    group) read and found, and the figures it made: a later one takes the figures of the units whose
    values and records did not change since (see :func:`_after`), so that after a value is corrected it
    makes again the figures from that unit up and what the crosswalk carries it into; and, where nothing
    changed, the values and records as it arranged them."""

    records: Records
    rows: list[Row]
    revisions: Revisions
    """The revisions of the values ``rows`` holds (at least)."""
    entered: Entries
    inventory: DatabaseInventory
    made: dict[tuple[str, UnitRef, bool], dict[int, Figure]]
    reaches: dict[frozenset[UnitRef], tuple[frozenset[UnitRef], frozenset[UnitRef]]]


def reading_resolver(
    *,
    user: User,
    catalogue: Catalogue,
    reading: Reading,
    earlier: Earlier | None = None,
    revisions: Revisions | None = None,
) -> tuple[Resolver, DatabaseValues]:
    """A resolver over everything ``reading`` says may be read, loaded in bulk (taking what ``earlier``
    made of the values that stay the same: only the values written since it read them are read, where
    the log of the writes tells which, from the ``revisions`` read first); and its values, to ask whether
    a unit and year has records."""
    roots, places, groups, wanted = reading
    earlier = None if groups else earlier
    revisions = {} if revisions is None else revisions
    with collector_paused():  # tens of thousands of values, none of them garbage
        records = _records(user, catalogue, reading, earlier)
        changed = None if earlier is None else _changed_since(user, reading, earlier, revisions)
        if changed is None:
            rows = _entered(user, roots, wanted)
        units_tree, parents = _tree(places, roots, groups)
        if earlier is None:
            entered = _entries(rows, places.refs)
            values = DatabaseValues(records, entered, rows, revisions)
            inventory = DatabaseInventory([*records.rolled, *entered], parents)
            known = None
        else:
            if changed is None:
                rows, removed, added = _differences(earlier.rows, rows)
                changed = Changed(removed, added, revisions)
            else:
                taken = {row[0] for row in changed.removed}
                kept = [row for row in earlier.rows if row[0] not in taken] if taken else earlier.rows
                rows = [*kept, *sorted(changed.added)] if changed.added else kept
            values, inventory, known = _after(places, earlier, records, rows, changed)
    resolver = Resolver(
        catalogue=catalogue,
        values=values,
        tree=units_tree,
        crosswalk=places.crosswalk,
        inventory=inventory,
        known=known,
        reaches=None if earlier is None else dict(earlier.reaches),
    )
    return resolver, values


def _after(
    places: Places, earlier: Earlier, records: Records, rows: list[Row], changed: Changed
) -> tuple[DatabaseValues, DatabaseInventory, dict[tuple[str, UnitRef, bool], dict[int, Figure]]]:
    """The ``records`` and entered values ``rows`` (of the places ``earlier`` read, no group; ``changed``
    since), their inventory, and the figures ``earlier`` made of the units whose values and records did
    not change: a value written, corrected or removed (or a unit's records changed) changes the figures
    within its era of its unit and every unit above it, and the figures across the crosswalk of those and
    of the units above the other era's units linked to them (``engine.indicators.resolution``). Records
    are rolled up already: a changed record changes the rolled records of every unit above it."""
    removed, added, revisions = changed
    recorded = records is earlier.records or records.rolled == earlier.records.rolled
    if not removed and not added and recorded:
        values = DatabaseValues(records, earlier.entered, rows, revisions)
        return values, earlier.inventory, earlier.made
    entered = dict(earlier.entered)
    for _pk, code, unit, year, _value in removed:
        if unit in places.refs:
            del entered[(code, places.refs[unit], year)]
    entered.update(_entries(added, places.refs))
    written = [
        places.refs[unit] for _pk, _code, unit, _year, _value in removed | added if unit in places.refs
    ]
    before, now = earlier.records.rolled, records.rolled
    written += [key[1] for key in before.keys() | now.keys() if before.get(key) != now.get(key)]
    within = with_ancestors(earlier.inventory, written, set())
    crosswalk = places.crosswalk
    linked = (
        partner
        for unit in within
        for partner, _share in (*crosswalk.predecessors(unit), *crosswalk.successors(unit))
    )
    across = with_ancestors(earlier.inventory, linked, set(within))
    known = {key: made for key, made in earlier.made.items() if key[1] not in (across if key[2] else within)}
    # values and records corrected, none came or went
    held = {row[1:4] for row in removed} == {row[1:4] for row in added} and before.keys() == now.keys()
    inventory = earlier.inventory if held else DatabaseInventory([*now, *entered], places.parents)
    return DatabaseValues(records, entered, rows, revisions), inventory, known


def _differences(before: list[Row], after: list[Row]) -> tuple[list[Row], set[Row], set[Row]]:
    """``after``, its rows equal to one of ``before`` taken from ``before``; the rows of ``before`` not in
    ``after``, and those of ``after`` not in ``before``. The database returns one query's rows in the same
    order while they stay the same: they are compared position by position (in C, a few milliseconds for
    100,000), and as sets only where rows came or went. Rows kept from ``before`` are not new to Python's
    garbage collector, which would otherwise go over 100,000 new rows once after the request."""
    if len(before) != len(after):
        removed, added = set(before), set(after)
        return after, removed - added, added - removed
    moved = list(compress(range(len(after)), map(ne, before, after)))
    if not moved:
        return before, set(), set()
    kept = list(before)
    for index in moved:
        kept[index] = after[index]
    removed, added = {before[index] for index in moved}, {after[index] for index in moved}
    return kept, removed - added, added - removed


def earlier_of(resolver: Resolver, values: DatabaseValues) -> Earlier:
    """What a later resolver of the same reading may take of ``resolver`` (over ``values``)."""
    assert isinstance(resolver.inventory, DatabaseInventory)
    return Earlier(
        values.records,
        values.rows,
        values.revisions,
        values.entered,
        resolver.inventory,
        resolver.made(),
        resolver.reaches(),
    )


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
    reading = reading_for(
        user=user, catalogue=catalogue, codes=codes, years=years, units=units, groups=groups
    )
    return reading_resolver(user=user, catalogue=catalogue, reading=reading)

"""Resolving an indicator for a unit and year: the aggregation rules, over the tree and the crosswalk.

The rules are the product; each is tested.

**Counts and amounts** (aggregation ``sum``):

1. the unit's own datum, when there is one (a value entered for a province wins over its communes');
2. else, when the unit has children in its era, the sum of their figures in that era — if every child
   has one. When some have none the unit has none either, and the reason says how many and which (the
   first :data:`NAMED_AT_MOST`) are missing: a partial sum is never shown as a total;
3. else, across the 2025 crosswalk at the unit itself: a current unit is the sum, share × figure, of the
   pre-2025 units it was made of (each resolved in its own era by rules 1–2, and the same partial rule);
   a pre-2025 unit takes a current unit's figure only when it went whole (share 1) into a current unit
   made of it alone — the unit was renamed or re-coded. A new unit's figure is never split back into the
   old units it was made of: the reason says so. Crossing at the highest unit first keeps a province's
   history whole: the shipped crosswalk links each new commune only to the former commune whose code it
   kept (the official crosswalk, imported, links them all), while every former province is linked;
4. else the sum of the children's figures, each crossing the crosswalk by rule 3 itself (a new province
   whose communes have history but whose former provinces do not, as a whole).

A figure on the far side of the crosswalk never crosses back (that would return to the units just
tried). **Values that cannot be combined** (``none``) are the unit's own datum, or that of the unit it
was renamed from or to; where a figure would need combining (the unit has parts or was split or merged)
it has none, with the reason. **Derived** indicators (``recompute``) are evaluated on the figures of
their parts for the same unit and year — a province's rate is its summed numerator over its summed
denominator, never an average of rates; a missing part gives the part's reason, a zero denominator its
own; an annual change reads the year before.

A :class:`Resolver` holds the inputs and remembers every figure it has made, so a pivot of 34 provinces
× 10 years resolves each commune once per indicator and year. It resolves a unit for all the years asked
at once: the unit's data, children, crosswalk links and parts are looked up once and each is resolved for
the years that need it (a national pivot of an indicator entered by former commune made its 65,000
figures one call each); each figure is the one a resolution of its year alone makes. It pauses Python's
cyclic garbage collector while it resolves: a national pivot makes some 300,000 small objects, none of
them garbage, and a collector that runs again and again over a growing memory made it five times slower
(``benchmarks/indicator_engine.py``); reference counting still frees what it should.

Figures made **within an era** (a unit from its own datum and its children's figures in its era, never
across the crosswalk) depend on the data of the unit's subtree alone; figures made **across** it, on the
data of the unit's subtree and of the subtrees of the other era's units the crosswalk links to any unit
of it. A resolver may be handed the figures an earlier resolver made (:meth:`Resolver.made`) over the
same tree, crosswalk and catalogue, for the units none of whose data changed since (``known``): it takes
them instead of making them again, and makes only the rest — after one value is corrected, the path from
its unit up and what the crosswalk carries it into, not the other 100,000 figures of a national pivot.
The figures are the ones a fresh resolver makes (tested).

A resolver given an :class:`Inventory` (where the data are) does not look where there are none: for an
indicator and year it first marks every unit that holds a datum, the units above them, the units the
crosswalk links those to and the units above these; a summed figure of an unmarked unit can only be "no
data" (none of its parts, nor any unit across the crosswalk, has any), so it is made at once instead of
after trying each commune and each former commune (``benchmarks/indicators.py``). The figures are the same
with or without an inventory.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import reduce
from itertools import chain
from typing import Protocol

from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import (
    Aggregation,
    AnnualChange,
    Difference,
    Formula,
    Indicator,
    IndicatorKind,
    Ratio,
    Total,
)
from vungcao.engine.indicators.figures import (
    ARITHMETIC,
    CURRENT,
    ONE,
    Contribution,
    Figure,
    UnitRef,
)
from vungcao.engine.indicators.sources import Crosswalk, Tree, Values
from vungcao.engine.text import Label

NAMED_AT_MOST = 5
UNKNOWN_INDICATOR = "There is no indicator {code!r} in the catalogue."

NO_DATA = Label("Không có số liệu của {unit} năm {year}.", "No data for {unit} in {year}.")
MISSING_PARTS = Label(
    "Thiếu số liệu của {missing}/{total} đơn vị thuộc {unit}: {units}.",
    "No data for {missing} of the {total} units under {unit}: {units}.",
)
MISSING_PREDECESSORS = Label(
    "Thiếu số liệu của {missing}/{total} đơn vị cũ hợp thành {unit}: {units}.",
    "No data for {missing} of the {total} former units that make up {unit}: {units}.",
)
CANNOT_SPLIT = Label(
    "Số liệu năm {year} chỉ có theo đơn vị mới ({units}); không thể tách số liệu của đơn vị mới về {unit}.",
    "The data for {year} exist only under the new units ({units}); a new unit's figure cannot be split "
    "back into {unit}.",
)
CANNOT_COMBINE = Label(
    "Chỉ tiêu được nhập cho từng đơn vị, không kèm các thành phần; không thể tổng hợp cho {unit}.",
    "Entered for each unit without its parts; cannot be combined for {unit}.",
)
ZERO_DENOMINATOR = Label(
    "{denominator} của {unit} năm {year} bằng 0; không tính được tỷ lệ.",
    "{denominator} is 0 for {unit} in {year}; the ratio cannot be computed.",
)
PART_MISSING = Label("{part}: {reason}", "{part}: {reason}")
MORE_UNITS = Label("{units} và {more} đơn vị khác", "{units} and {more} more")


class Inventory(Protocol):
    """Where the data are: what lets a resolver skip the units without any (see the module's docstring)."""

    def holders(self, indicator: str, year: int) -> Iterable[UnitRef]:
        """Every unit with its own datum of ``indicator`` in ``year``."""

    def parents(self, unit: UnitRef) -> Iterable[UnitRef]:
        """The units ``unit`` is directly under: its parent, and the groups it is a member of."""


class UnknownIndicator(LookupError):
    """A code the resolver's catalogue does not hold."""


class Resolver:
    """Figures of one catalogue over one set of inputs, each made once (see the module's rules).

    Keep one resolver per request: it remembers every figure, and the inputs do not change under it."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        values: Values,
        tree: Tree,
        crosswalk: Crosswalk,
        inventory: Inventory | None = None,
        known: Mapping[tuple[str, UnitRef, bool], Mapping[int, Figure]] | None = None,
        reaches: MutableMapping[frozenset[UnitRef], tuple[frozenset[UnitRef], frozenset[UnitRef]]]
        | None = None,
    ) -> None:
        """``known``: figures an earlier resolver over the same tree, crosswalk and catalogue made
        (:meth:`made`) of units whose data are the same now (see the module's docstring). ``reaches``: where
        the resolver keeps the reach of each set of holders, shared with other resolvers over the same
        tree, crosswalk and inventory's parents (its own otherwise)."""
        self.catalogue = catalogue
        self.values = values
        self.tree = tree
        self.crosswalk = crosswalk
        self.inventory = inventory
        self._reached: dict[str, dict[int, frozenset[UnitRef]]] = {}
        # By set of holders, (the holders and the units above them, where a sum within an era may have a
        # value; those and the units across the crosswalk from them and above these: the reach).
        self._reach_of = {} if reaches is None else reaches
        # The within-era part of the reach, by indicator and year (each year compares its holders once).
        self._within: dict[tuple[str, int], frozenset[UnitRef]] = {}
        self._holders: dict[tuple[str, int], frozenset[UnitRef]] = {}
        # Figures made, by (indicator, unit, whether crossing) then year; a unit's own, by (indicator, unit).
        self._figures: dict[tuple[str, UnitRef, bool], dict[int, Figure]] = {
            key: dict(made) for key, made in (known or {}).items()
        }
        self._own_figures: dict[tuple[str, UnitRef], dict[int, Figure | None]] = {}
        self._rules = {indicator.code: self._rule(indicator) for indicator in catalogue}

    def figure(self, *, indicator: str, unit: UnitRef, year: int) -> Figure:
        """The figure of ``indicator`` for ``unit`` in ``year``; :class:`UnknownIndicator` for an unknown
        code."""
        return self.pivot(indicator=indicator, units=[unit], years=[year])[unit, year]

    def series(self, *, indicator: str, unit: UnitRef, years: Iterable[int]) -> dict[int, Figure]:
        """The figures of ``indicator`` for ``unit`` in each of ``years``."""
        return {
            year: figure
            for (_unit, year), figure in self.pivot(indicator=indicator, units=[unit], years=years).items()
        }

    def made(self) -> dict[tuple[str, UnitRef, bool], dict[int, Figure]]:
        """The figures this resolver made, by (indicator, unit, whether across the crosswalk) then year:
        what a later resolver may be handed as ``known`` for the units whose data stay the same."""
        return {key: dict(figures) for key, figures in self._figures.items()}

    def reaches(self) -> dict[frozenset[UnitRef], tuple[frozenset[UnitRef], frozenset[UnitRef]]]:
        """The reach of each set of holders this resolver used: what a later resolver over the same tree,
        crosswalk and inventory's parents may be handed as ``reaches``."""
        return {holders: self._reach_of[holders] for holders in set(self._holders.values())}

    def pivot(
        self, *, indicator: str, units: Iterable[UnitRef], years: Iterable[int]
    ) -> dict[tuple[UnitRef, int], Figure]:
        """The figures of ``indicator`` for each of ``units`` in each of ``years`` (a page's table)."""
        if indicator not in self.catalogue:
            raise UnknownIndicator(UNKNOWN_INDICATOR.format(code=indicator))
        years = list(dict.fromkeys(years))
        with collector_paused():
            table: dict[tuple[UnitRef, int], Figure] = {}
            for unit in units:
                figures = self._resolve(indicator, unit, years, True)
                table.update(((unit, year), figures[year]) for year in years)
            return table

    # The rules: each makes a unit's figures for a list of distinct years, as a dict by year --------------

    def _resolve(
        self, code: str, unit: UnitRef, years: Sequence[int], crossing: bool
    ) -> Mapping[int, Figure]:
        """The unit's figures of ``years`` (and of any other year already made), made once."""
        made = self._figures.get((code, unit, crossing))
        if made is None:
            made = self._figures[(code, unit, crossing)] = {}
        missing = [year for year in years if year not in made]
        if missing:
            made.update(self._rules[code](self, code, unit, missing, crossing))
        return made

    @staticmethod
    def _rule(
        indicator: Indicator,
    ) -> Callable[[Resolver, str, UnitRef, Sequence[int], bool], dict[int, Figure]]:
        """The rule that makes the indicator's figures (a function, not a bound method: the resolver
        holds no cycle, so it is freed as soon as a request lets go of it)."""
        if indicator.kind is IndicatorKind.DERIVED:
            return Resolver._derived
        return Resolver._uncombined if indicator.aggregation is Aggregation.NONE else Resolver._summed

    def _own(self, code: str, unit: UnitRef, years: Sequence[int]) -> Mapping[int, Figure | None]:
        """The figures of the unit's own data in ``years`` (None where it has none), each datum read once
        whichever side of the crosswalk asks."""
        made = self._own_figures.get((code, unit))
        if made is None:
            made = self._own_figures[(code, unit)] = {}
        for year in years:
            if year not in made:
                holders = self._holders.get((code, year))  # known once the year's reach is
                datum = (
                    None
                    if holders is not None and unit not in holders
                    else self.values.datum(code, unit, year)
                )
                if datum is None:
                    made[year] = None
                else:
                    contribution = Contribution(
                        code, unit, year, datum.value, ONE, datum.origin, datum.reference
                    )
                    made[year] = Figure(code, unit, year, datum.value, None, (contribution,))
        return made

    def _own_into(
        self, figures: dict[int, Figure], code: str, unit: UnitRef, years: Sequence[int]
    ) -> list[int]:
        """Put the unit's own figures of ``years`` in ``figures`` (rule 1); the years it has none."""
        own = self._own(code, unit, years)
        pending = []
        for year in years:
            figure = own[year]
            if figure is None:
                pending.append(year)
            else:
                figures[year] = figure
        return pending

    def _summed(self, code: str, unit: UnitRef, years: Sequence[int], crossing: bool) -> dict[int, Figure]:
        figures: dict[int, Figure] = {}
        reaches = None if self.inventory is None else self._reaches(code, years)
        if reaches is not None:
            for year in years:
                if unit not in reaches[year]:
                    figures[year] = self._none(code, unit, year, NO_DATA)
            years = [year for year in years if year not in figures]
        pending = self._own_into(figures, code, unit, years)
        if not pending:
            return figures
        children = self.tree.children(unit)
        tried = [
            year
            for year in pending
            if children and (reaches is None or not reaches[year].isdisjoint(children))
        ]
        # The years some child may have a figure within the era (a datum held under it).
        tried_within = [
            year for year in tried if reaches is None or not self._within[(code, year)].isdisjoint(children)
        ]
        if not crossing:
            figures.update(self._children_total(code, unit, children, tried_within, crossing=False))
        else:
            # In its own era first; then across the crosswalk at this unit (a current province's history
            # is its former provinces', whole, even where the crosswalk links only some of its communes);
            # then its children each across.
            within = self._children_total(code, unit, children, tried_within, crossing=False)
            figures.update((year, figure) for year, figure in within.items() if figure.value is not None)
            across = self._across(code, unit, [year for year in pending if year not in figures])
            figures.update((year, figure) for year, figure in across.items() if figure.value is not None)
            rest = [year for year in tried if year not in figures]
            figures.update(self._children_total(code, unit, children, rest, crossing=True))
            figures.update((year, figure) for year, figure in across.items() if year not in figures)
        for year in pending:
            if year not in figures:
                figures[year] = self._none(code, unit, year, NO_DATA)
        return figures

    def _children_total(
        self, code: str, unit: UnitRef, children: Sequence[UnitRef], years: Sequence[int], *, crossing: bool
    ) -> dict[int, Figure]:
        """The sum of the children's figures in each of ``years`` where any child has one (rule 2), or the
        reason some are missing."""
        totals: dict[int, Figure] = {}
        if not years:
            return totals
        parts = [(child, self._resolve(code, child, years, crossing)) for child in children]
        for year in years:
            total = self._total(
                code, unit, year, [(child, ONE, made[year]) for child, made in parts], MISSING_PARTS
            )
            if total is not None:
                totals[year] = total
        return totals

    def _across(self, code: str, unit: UnitRef, years: Sequence[int]) -> dict[int, Figure]:
        """The figures carried across the crosswalk (rule 3), or a reason why they cannot be, for the
        years of ``years`` where the other era has data."""
        crossed: dict[int, Figure] = {}
        if not years:
            return crossed
        if unit.era == CURRENT:
            parts = [
                (old, share, self._resolve(code, old, years, False))
                for old, share in self.crosswalk.predecessors(unit)
            ]
            for year in years if parts else ():
                total = self._total(
                    code,
                    unit,
                    year,
                    [(old, share, made[year]) for old, share, made in parts],
                    MISSING_PREDECESSORS,
                )
                if total is not None:
                    crossed[year] = total
            return crossed
        renamed = self._renamed(unit)
        if renamed is not None:
            made = self._resolve(code, renamed, years, False)
            return {year: self._as(unit, made[year]) for year in years if made[year].value is not None}
        successors = [
            (new, self._resolve(code, new, years, False)) for new, _share in self.crosswalk.successors(unit)
        ]
        for year in years:
            with_data = [new for new, made in successors if made[year].value is not None]
            if with_data:
                crossed[year] = self._none(code, unit, year, CANNOT_SPLIT, units=self._names(with_data))
        return crossed

    def _uncombined(
        self, code: str, unit: UnitRef, years: Sequence[int], crossing: bool
    ) -> dict[int, Figure]:
        figures: dict[int, Figure] = {}
        pending = self._own_into(figures, code, unit, years)
        if not pending:
            return figures
        renamed = self._renamed(unit) if crossing else None
        if renamed is not None:
            made = self._resolve(code, renamed, pending, False)
            figures.update(
                (year, self._as(unit, made[year])) for year in pending if made[year].value is not None
            )
        linked = self.crosswalk.predecessors(unit) or self.crosswalk.successors(unit)
        combined = self.tree.children(unit) or (crossing and linked and renamed is None)
        reason = CANNOT_COMBINE if combined else NO_DATA
        for year in pending:
            if year not in figures:
                figures[year] = self._none(code, unit, year, reason)
        return figures

    def _derived(self, code: str, unit: UnitRef, years: Sequence[int], crossing: bool) -> dict[int, Figure]:
        formula = self.catalogue.get(code).formula
        assert formula is not None  # the catalogue guarantees a derived indicator's formula
        if isinstance(formula, AnnualChange):
            with_year_before = list(dict.fromkeys([*years, *(year - 1 for year in years)]))
            made = self._resolve(formula.of, unit, with_year_before, crossing)
            parts = {year: [made[year], made[year - 1]] for year in years}
        else:
            references = {
                reference: self._resolve(reference, unit, years, crossing) for reference in formula.references
            }
            parts = {
                year: [references[reference][year] for reference in formula.references] for year in years
            }
        return {year: self._derived_figure(code, unit, year, formula, parts[year]) for year in years}

    def _derived_figure(
        self, code: str, unit: UnitRef, year: int, formula: Formula, figures: list[Figure]
    ) -> Figure:
        """The figure of a derived indicator made of the figures of its parts in their order."""
        missing = next((figure for figure in figures if figure.value is None), None)
        if missing is not None:
            part = self.catalogue.get(missing.indicator).name
            return Figure.explained(
                code, unit, year, lambda: PART_MISSING.format(part=part, reason=missing.reason)
            )
        values = [figure.value for figure in figures if figure.value is not None]
        contributions = tuple(chain.from_iterable(figure.contributions for figure in figures))
        if isinstance(formula, Ratio):
            numerator, denominator = values
            if denominator == 0:
                denominator_name = self.catalogue.get(formula.denominator).name
                return self._none(code, unit, year, ZERO_DENOMINATOR, denominator=denominator_name)
            value = ARITHMETIC.divide(ARITHMETIC.multiply(numerator, formula.scale), denominator)
        elif isinstance(formula, Total):
            value = reduce(ARITHMETIC.add, values, Decimal(0))
        else:  # a difference, or an annual change (this year minus the year before)
            assert isinstance(formula, Difference | AnnualChange)
            value = ARITHMETIC.subtract(values[0], values[1])
        return Figure(code, unit, year, value, None, contributions)

    # Helpers -----------------------------------------------------------------------------------------

    def _reaches(self, code: str, years: Sequence[int]) -> Mapping[int, frozenset[UnitRef]]:
        """By year (of ``years`` at least), the units whose summed figure of ``code`` may have a value:
        the holders of a datum and the units above them, the units the crosswalk links any of those to,
        and the units above these (a unit outside has no datum, no part with one and nothing across the
        crosswalk). Made once for each set of holders: most indicators and years of a pivot share
        theirs."""
        reached = self._reached.get(code)
        if reached is None:
            reached = self._reached[code] = {}
        for year in years:
            if year not in reached:
                reached[year] = self._reach(code, year)
        return reached

    def _reach(self, code: str, year: int) -> frozenset[UnitRef]:
        assert self.inventory is not None
        holders = self._holders[(code, year)] = frozenset(self.inventory.holders(code, year))
        known = self._reach_of.get(holders)
        if known is None:
            above = with_ancestors(self.inventory, holders, set())
            within = frozenset(above)
            linked = [
                partner
                for unit in above
                for partner, _share in chain(
                    self.crosswalk.predecessors(unit), self.crosswalk.successors(unit)
                )
            ]
            known = self._reach_of[holders] = (
                within,
                frozenset(with_ancestors(self.inventory, linked, above)),
            )
        self._within[(code, year)], reached = known
        return reached

    def _total(
        self,
        code: str,
        unit: UnitRef,
        year: int,
        parts: Sequence[tuple[UnitRef, Decimal, Figure]],
        partial: Label,
    ) -> Figure | None:
        """Σ share × figure of ``parts``; a figure with the ``partial`` reason when some are missing;
        None when all are."""
        value = Decimal(0)
        contributions: list[Contribution] = []
        missing: list[UnitRef] = []
        for part, share, figure in parts:
            if figure.value is None:
                missing.append(part)
            elif missing:
                continue  # the total is lost: the parts are only counted
            elif share == ONE:
                value = ARITHMETIC.add(value, figure.value)
                contributions += figure.contributions
            else:
                value = ARITHMETIC.add(value, ARITHMETIC.multiply(share, figure.value))
                contributions += (_shared(contribution, share) for contribution in figure.contributions)
        if not missing:
            return Figure(code, unit, year, value, None, tuple(contributions))
        if len(missing) == len(parts):
            return None
        return self._none(
            code, unit, year, partial, missing=len(missing), total=len(parts), units=self._names(missing)
        )

    def _renamed(self, unit: UnitRef) -> UnitRef | None:
        """The unit of the other era that ``unit`` is, renamed or re-coded: linked one to one, whole."""
        links = self.crosswalk.predecessors(unit) if unit.era == CURRENT else self.crosswalk.successors(unit)
        if len(links) != 1 or links[0][1] != ONE:
            return None
        other = links[0][0]
        back = self.crosswalk.successors(other) if unit.era == CURRENT else self.crosswalk.predecessors(other)
        return other if [(linked, share) for linked, share in back] == [(unit, ONE)] else None

    @staticmethod
    def _as(unit: UnitRef, figure: Figure) -> Figure:
        return Figure(figure.indicator, unit, figure.year, figure.value, figure.reason, figure.contributions)

    def _name(self, unit: UnitRef) -> str:
        return self.tree.name(unit) or unit.code

    def _names(self, units: Sequence[UnitRef]) -> Label:
        named = ", ".join(self._name(unit) for unit in units[:NAMED_AT_MOST])
        more = len(units) - NAMED_AT_MOST
        if more <= 0:
            return Label(named, named)
        return MORE_UNITS.format(units=named, more=more)

    def _none(self, code: str, unit: UnitRef, year: int, template: Label, **values: object) -> Figure:
        """A figure without a value, its reason ``template`` naming the unit and year (and ``values``, a
        bilingual value in its language) in both languages, written when first read. The reason reads
        the tree, never the resolver: a resolver and its figures hold no cycle, and are freed when the
        request lets go of them."""
        name = self.tree.name
        return Figure.explained(
            code, unit, year, lambda: template.format(unit=name(unit) or unit.code, year=year, **values)
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, unless it already is (see the module's docstring)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def with_ancestors(inventory: Inventory, units: Iterable[UnitRef], found: set[UnitRef]) -> set[UnitRef]:
    """``found`` with ``units`` and every unit above them added."""
    pending = list(units)
    while pending:
        unit = pending.pop()
        if unit not in found:
            found.add(unit)
            pending.extend(inventory.parents(unit))
    return found


def _shared(contribution: Contribution, share: Decimal) -> Contribution:
    return Contribution(
        contribution.indicator,
        contribution.unit,
        contribution.year,
        contribution.value,
        ARITHMETIC.multiply(contribution.share, share),
        contribution.origin,
        contribution.reference,
    )

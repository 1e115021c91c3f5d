"""A resolver told where the data are (an :class:`Inventory`) skips the units without any, and gives the
same figures as one that tries every unit."""

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from tests.engine.indicators.catalogues import small_catalogue
from tests.engine.indicators.places import CROSSWALK, NAMES, P02, P08, A, B, C, D, X, Y, Z
from vungcao.engine.indicators.definitions import Origin
from vungcao.engine.indicators.figures import CURRENT, Datum, UnitRef
from vungcao.engine.indicators.resolution import Resolver, with_ancestors
from vungcao.engine.indicators.sources import MemoryTree, MemoryValues

VILLAGE = UnitRef(CURRENT, "1000101")
GROUP = UnitRef(CURRENT, "group:1")
CHILDREN = {P02: [A, B, C, D], P08: [X, Y, Z], X: [VILLAGE], GROUP: [X, Z]}
TREE = MemoryTree(CHILDREN, NAMES)
UNITS = [P02, A, B, C, D, P08, X, Y, Z, VILLAGE, GROUP]
YEARS = [2019, 2020]


class Inventory:
    def __init__(self, data: Iterable[tuple[str, UnitRef, int]]) -> None:
        self._holders: defaultdict[tuple[str, int], list[UnitRef]] = defaultdict(list)
        for code, unit, year in data:
            self._holders[(code, year)].append(unit)
        self._parents: defaultdict[UnitRef, list[UnitRef]] = defaultdict(list)
        for parent, children in CHILDREN.items():
            for child in children:
                self._parents[child].append(parent)

    def holders(self, indicator: str, year: int) -> Sequence[UnitRef]:
        return self._holders[(indicator, year)]

    def parents(self, unit: UnitRef) -> Sequence[UnitRef]:
        return self._parents[unit]


def both(data: dict[tuple[str, UnitRef, int], Datum]) -> tuple[Resolver, Resolver]:
    """A resolver that tries every unit, and one told where ``data`` are."""
    catalogue = small_catalogue()
    values = MemoryValues(data)
    return (
        Resolver(catalogue=catalogue, values=values, tree=TREE, crosswalk=CROSSWALK),
        Resolver(
            catalogue=catalogue, values=values, tree=TREE, crosswalk=CROSSWALK, inventory=Inventory(data)
        ),
    )


def random_data(rng: random.Random) -> dict[tuple[str, UnitRef, int], Datum]:
    """Each base indicator's datum for some units and years: none, a few or most of them."""
    base = [indicator.code for indicator in small_catalogue() if indicator.formula is None]
    density = rng.choice([0.05, 0.2, 0.5, 0.9])
    return {
        (code, unit, year): Datum(Decimal(rng.randrange(0, 50)), Origin.ENTERED, f"entry-{unit.code}")
        for code in base
        for unit in UNITS
        if unit != GROUP
        for year in YEARS
        if rng.random() < density
    }


def test_told_where_the_data_are_a_resolver_gives_every_figure_unchanged() -> None:
    rng = random.Random(11)
    for _ in range(300):
        data = random_data(rng)
        everywhere, told = both(data)

        for indicator in small_catalogue():
            expected = everywhere.pivot(indicator=indicator.code, units=UNITS, years=YEARS)
            found = told.pivot(indicator=indicator.code, units=UNITS, years=YEARS)

            assert found == expected, (indicator.code, data)


def test_data_held_only_by_a_former_province_are_read_without_trying_the_communes() -> None:
    data = {
        ("households", P02, 2020): Datum(Decimal(1000), Origin.ENTERED),
        ("households", A, 2019): Datum(Decimal(10), Origin.ENTERED),
    }
    reads: list[UnitRef] = []

    class Counting(MemoryValues):
        def datum(self, indicator: str, unit: UnitRef, year: int) -> Datum | None:
            reads.append(unit)
            return super().datum(indicator, unit, year)

    told = Resolver(
        catalogue=small_catalogue(),
        values=Counting(data),
        tree=TREE,
        crosswalk=CROSSWALK,
        inventory=Inventory(data),
    )

    figure = told.figure(indicator="households", unit=P08, year=2020)

    assert figure.value == Decimal(1000)
    assert reads == [P02]  # nor the new province, which the inventory says holds no datum


def test_the_years_resolved_together_give_the_figures_each_year_gives_alone() -> None:
    """A resolver makes a unit's figures for all the years asked at once; each is the figure a fresh
    resolver makes for that year alone (an annual change reads the year before too), with or without
    an inventory, whatever the data."""
    rng = random.Random(29)
    for _ in range(150):
        data = random_data(rng)
        for together, alone in zip(both(data), both(data), strict=True):
            for indicator in small_catalogue():
                table = together.pivot(indicator=indicator.code, units=UNITS, years=YEARS)
                for (unit, year), figure in table.items():
                    fresh = Resolver(
                        catalogue=alone.catalogue,
                        values=alone.values,
                        tree=alone.tree,
                        crosswalk=alone.crosswalk,
                        inventory=alone.inventory,
                    )
                    assert figure == fresh.figure(indicator=indicator.code, unit=unit, year=year), (
                        indicator.code,
                        unit,
                        year,
                        data,
                    )


BASE = [indicator.code for indicator in small_catalogue() if indicator.formula is None]
KEYS = [(code, unit, year) for code in BASE for unit in UNITS if unit != GROUP for year in YEARS]
CURRENT_UNITS = [unit for unit in UNITS if unit.era == CURRENT and unit != GROUP]


def changed(
    data: dict[tuple[str, UnitRef, int], Datum], rng: random.Random
) -> dict[tuple[str, UnitRef, int], Datum]:
    """``data`` with one to three data corrected, removed or added."""
    again = dict(data)
    for key in rng.sample(KEYS, rng.randrange(1, 4)):
        if key in again and rng.random() < 0.4:
            del again[key]
        else:
            again[key] = Datum(Decimal(rng.randrange(0, 50)), Origin.ENTERED, f"again-{key[1].code}")
    return again


class CountedValues(MemoryValues):
    """Values that note each datum read."""

    def __init__(self, data: dict[tuple[str, UnitRef, int], Datum]) -> None:
        super().__init__(data)
        self.read: list[tuple[str, UnitRef, int]] = []

    def datum(self, indicator: str, unit: UnitRef, year: int) -> Datum | None:
        self.read.append((indicator, unit, year))
        return super().datum(indicator, unit, year)


def over(data: dict[tuple[str, UnitRef, int], Datum], **more: object) -> Resolver:
    values = more.pop("values", None) or MemoryValues(data)
    return Resolver(
        catalogue=small_catalogue(),
        values=values,  # type: ignore[arg-type]
        tree=TREE,
        crosswalk=CROSSWALK,
        inventory=Inventory(data),
        **more,  # type: ignore[arg-type]
    )


def test_figures_made_earlier_are_taken_where_the_data_they_read_are_the_same() -> None:
    """Given the figures an earlier resolver made, a resolver over changed data handed those that read no
    changed datum — within its era, of a unit none of whose subtree's data changed; across the crosswalk,
    of a unit above neither a changed datum nor a unit linked to a unit above one — makes every figure a
    fresh resolver makes; asked for the current units, it reads a unit's datum only in a year it makes
    again."""
    rng = random.Random(41)
    for _ in range(300):
        before = random_data(rng)
        after = changed(before, rng)
        earlier = over(before)
        for indicator in small_catalogue():
            earlier.pivot(indicator=indicator.code, units=UNITS, years=YEARS)
        within = with_ancestors(
            Inventory({}), [key[1] for key, _datum in before.items() ^ after.items()], set()
        )
        linked = [
            partner
            for unit in within
            for partner, _share in (*CROSSWALK.predecessors(unit), *CROSSWALK.successors(unit))
        ]
        across = with_ancestors(Inventory({}), linked, set(within))
        known = {
            key: made for key, made in earlier.made().items() if key[1] not in (across if key[2] else within)
        }
        later, fresh = over(after, known=known), over(after)
        counted = CountedValues(after)
        current = over(after, known=known, values=counted)

        for indicator in small_catalogue():
            expected = fresh.pivot(indicator=indicator.code, units=UNITS, years=YEARS)
            found = later.pivot(indicator=indicator.code, units=UNITS, years=YEARS)
            assert found == expected, (indicator.code, before, after)
            current.pivot(indicator=indicator.code, units=CURRENT_UNITS, years=YEARS)
        for code, unit, year in counted.read:
            made = [known.get((code, unit, crossing), {}) for crossing in (False, True)]
            assert unit in across or any(year not in figures for figures in made)

"""What the resolver reads: data, the administrative tree and the crosswalk, as three small protocols.

The Django side loads what a page needs into memory (a province's units, its links, the values of the
indicators asked for) and hands it over through these protocols; the ``Memory*`` classes implement them
over plain dicts, for the Django side to fill and for tests and benchmarks. A named group of units
("Programme 135 communes") is a unit whose children are its members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from vungcao.engine.indicators.figures import Datum, UnitRef


class Values(Protocol):
    def datum(self, indicator: str, unit: UnitRef, year: int) -> Datum | None:
        """The unit's own datum of a base indicator in a year, or None (never a sum of its parts)."""


class Tree(Protocol):
    def children(self, unit: UnitRef) -> Sequence[UnitRef]:
        """The units directly under ``unit`` in its era (none for a commune)."""

    def name(self, unit: UnitRef) -> str | None:
        """How a reason names the unit (its code when None)."""


class Crosswalk(Protocol):
    def predecessors(self, unit: UnitRef) -> Sequence[tuple[UnitRef, Decimal]]:
        """The pre-2025 units a current unit was made of, each with the share of it that went in."""

    def successors(self, unit: UnitRef) -> Sequence[tuple[UnitRef, Decimal]]:
        """The current units a pre-2025 unit went into, each with the share of it that went there."""


class MemoryValues:
    """:class:`Values` over a dict keyed by ``(indicator, unit, year)``."""

    def __init__(self, data: Mapping[tuple[str, UnitRef, int], Datum]) -> None:
        self._data = data

    def datum(self, indicator: str, unit: UnitRef, year: int) -> Datum | None:
        return self._data.get((indicator, unit, year))


class MemoryTree:
    """:class:`Tree` over a dict of each unit's children and, optionally, names."""

    def __init__(
        self, children: Mapping[UnitRef, Sequence[UnitRef]], names: Mapping[UnitRef, str] | None = None
    ) -> None:
        self._children = children
        self._names = names or {}

    def children(self, unit: UnitRef) -> Sequence[UnitRef]:
        return self._children.get(unit, ())

    def name(self, unit: UnitRef) -> str | None:
        return self._names.get(unit)


class MemoryCrosswalk:
    """:class:`Crosswalk` over links ``(old unit, new unit, share of the old unit)``."""

    def __init__(self, links: Iterable[tuple[UnitRef, UnitRef, Decimal]]) -> None:
        self._predecessors: defaultdict[UnitRef, list[tuple[UnitRef, Decimal]]] = defaultdict(list)
        self._successors: defaultdict[UnitRef, list[tuple[UnitRef, Decimal]]] = defaultdict(list)
        for old, new, share in links:
            self._predecessors[new].append((old, share))
            self._successors[old].append((new, share))

    def predecessors(self, unit: UnitRef) -> Sequence[tuple[UnitRef, Decimal]]:
        return self._predecessors.get(unit, ())

    def successors(self, unit: UnitRef) -> Sequence[tuple[UnitRef, Decimal]]:
        return self._successors.get(unit, ())

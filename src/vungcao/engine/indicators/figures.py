"""A figure of an indicator for one unit and year, with where it came from, and how it is shown.

A :class:`Figure` keeps its value exact (a :class:`~decimal.Decimal` computed with :data:`ARITHMETIC`'s
50 significant digits, so that sums and shares of any real count are exact and a ratio is exact to far
more places than anyone shows); it is rounded only for display, half up to the indicator's decimals
(:func:`shown_value`). A figure without a value carries the reason, in both languages.

Its ``contributions`` are the data it was made of: for each, the indicator, unit, year, value and origin
(entered by an official, or computed from records, with the caller's reference to the record set or the
entry) and the share of it that counts (1, or the product of the crosswalk shares it was carried
across). A rate's contributions are those of its numerator and its denominator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from vungcao.engine.indicators.definitions import Indicator, Origin
from vungcao.engine.text import Label

PRE2025 = "pre2025"
CURRENT = "current"
ERAS = (PRE2025, CURRENT)
"""The two eras of administrative units: before and from 1 July 2025 (``geo.models.Era``'s values)."""

ARITHMETIC = Context(prec=50)
ONE = Decimal(1)


@dataclass(frozen=True, order=True, slots=True)
class UnitRef:
    """An administrative unit of an era, by its official code."""

    era: str
    code: str


@dataclass(frozen=True, slots=True)
class Datum:
    """A unit's own value of a base (entered or computed) indicator in a year, as the caller found it:
    ``reference`` says which entry or records (the caller's identifier; shown in provenance)."""

    value: Decimal
    origin: Origin
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """One datum a figure was made of, and the ``share`` of it that counts."""

    indicator: str
    unit: UnitRef
    year: int
    value: Decimal
    share: Decimal
    origin: Origin
    reference: str | None

    @property
    def amount(self) -> Decimal:
        """What this datum adds to a sum: its value times its share."""
        return ARITHMETIC.multiply(self.value, self.share)


@dataclass(frozen=True, slots=True)
class Figure:
    """An indicator's value for a unit and year, or None with the ``reason``; and its provenance."""

    indicator: str
    unit: UnitRef
    year: int
    value: Decimal | None
    reason: Label | None = None
    contributions: tuple[Contribution, ...] = ()


@dataclass(frozen=True)
class ProvenanceSummary:
    """What a figure was made of, counted: distinct units, their eras, the years, and how many data
    were entered by officials and how many computed from records."""

    units: int
    eras: tuple[str, ...]
    years: tuple[int, ...]
    entered: int
    records: int


def summarise_provenance(contributions: Iterable[Contribution]) -> ProvenanceSummary:
    """The counts of :class:`ProvenanceSummary` in one pass over a figure's contributions."""
    units: set[UnitRef] = set()
    years: set[int] = set()
    entered = records = 0
    for contribution in contributions:
        units.add(contribution.unit)
        years.add(contribution.year)
        if contribution.origin is Origin.ENTERED:
            entered += 1
        else:
            records += 1
    eras = tuple(era for era in ERAS if any(unit.era == era for unit in units))
    return ProvenanceSummary(len(units), eras, tuple(sorted(years)), entered, records)


def rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places, as officials round: 22.285 → 22.29."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=ARITHMETIC)


def shown_value(figure: Figure, *, indicator: Indicator) -> Decimal | None:
    """The figure's value as shown: rounded to the indicator's decimals (None stays None)."""
    return None if figure.value is None else rounded(figure.value, indicator.shown_decimals)

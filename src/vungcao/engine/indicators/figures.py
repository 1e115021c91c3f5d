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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import NamedTuple

from vungcao.engine.indicators.definitions import Indicator, Origin
from vungcao.engine.text import Label

PRE2025 = "pre2025"
CURRENT = "current"
ERAS = (PRE2025, CURRENT)
"""The two eras of administrative units: before and from 1 July 2025 (``geo.models.Era``'s values)."""

ARITHMETIC = Context(prec=50)
ONE = Decimal(1)

Exact = int | Fraction
"""A number kept exact while records are added up (a count, or a sum of censored scores or of shares of
counts): such a sum is the same whatever order the rows come in, where Decimals added in a context of
limited precision may differ in their last digit (a database returns grouped rows in its own order)."""


def exact(value: int | Decimal | Fraction) -> Exact:
    """``value`` as an exact number: a whole number stays one (added fastest), anything else a Fraction."""
    return value if isinstance(value, int) else Fraction(value)


def exact_decimal(value: Exact) -> Decimal:
    """An exact sum as a figure's value: a whole number exactly, a fraction to :data:`ARITHMETIC`'s 50
    digits, rounded once, at the end."""
    if isinstance(value, int) or value.denominator == 1:
        return Decimal(int(value))
    return ARITHMETIC.divide(Decimal(value.numerator), Decimal(value.denominator))


class UnitRef(NamedTuple):
    """An administrative unit of an era, by its official code (a named tuple: hashed in C, as the
    resolver's memory hashes it hundreds of thousands of times for a national pivot)."""

    era: str
    code: str


class Datum(NamedTuple):
    """A unit's own value of a base (entered or computed) indicator in a year, as the caller found it:
    ``reference`` says which entry or records (the caller's identifier; shown in provenance). (Named
    tuples, like :class:`Contribution`, are made three times faster than frozen dataclasses: a national
    pivot makes tens of thousands of each.)"""

    value: Decimal
    origin: Origin
    reference: str | None = None


class Contribution(NamedTuple):
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


class Figure:
    """An indicator's value for a unit and year, or None with the ``reason``; and its provenance.

    A figure without a value may be made with :meth:`explained`, its reason written only when first
    read: a national pivot makes hundreds of thousands of figures whose parts have none (old communes
    without data when the history was entered by province), and only the figures shown need a reason.
    """

    __slots__ = ("_explain", "_reason", "contributions", "indicator", "unit", "value", "year")

    def __init__(
        self,
        indicator: str,
        unit: UnitRef,
        year: int,
        value: Decimal | None,
        reason: Label | None = None,
        contributions: tuple[Contribution, ...] = (),
    ) -> None:
        self.indicator = indicator
        self.unit = unit
        self.year = year
        self.value = value
        self.contributions = contributions
        self._reason = reason
        self._explain: Callable[[], Label] | None = None

    @classmethod
    def explained(cls, indicator: str, unit: UnitRef, year: int, explain: Callable[[], Label]) -> Figure:
        """A figure without a value whose reason ``explain`` writes when it is first read."""
        figure = cls(indicator, unit, year, None)
        figure._explain = explain
        return figure

    @property
    def reason(self) -> Label | None:
        if self._explain is not None:
            self._reason = self._explain()
            self._explain = None
        return self._reason

    def _fields(self) -> tuple[object, ...]:
        return (self.indicator, self.unit, self.year, self.value, self.reason, self.contributions)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Figure) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "Figure({})".format(", ".join(map(repr, self._fields())))


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

"""What an indicator (chỉ tiêu) is: its unit of measure, kind, way of aggregating and formula.

An indicator is **entered** (a value per unit and year typed, sent or imported), **computed** from the
system's own records (a named computation the Django side runs: approved reviews, money, works) or
**derived** by a formula over other indicators of the same unit and year. How it aggregates decides what
a figure for a province or for a unit of the other era is:

* ``sum``: counts and amounts add up the administrative tree and across the 2025 crosswalk, by share;
* ``recompute``: a derived rate or ratio is recomputed from its aggregated parts, never averaged;
* ``none``: a value entered for each unit without its parts (a rate typed without its counts) is shown
  for its own unit only, and refused with the reason wherever it would have to be combined.

Every choice here is a small :class:`~enum.StrEnum` whose members carry a bilingual ``label``; the Django
side builds its field choices from them, so the allowed values are declared once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

from vungcao.engine.text import Label

NOT_ENTERABLE = Label("Chỉ tiêu {code} được tính, không nhập.", "Indicator {code} is computed, not entered.")
BELOW_MINIMUM = Label("Nhỏ hơn mức tối thiểu {minimum}.", "Below the minimum of {minimum}.")
ABOVE_MAXIMUM = Label("Lớn hơn mức tối đa {maximum}.", "Above the maximum of {maximum}.")


class MeasureUnit(StrEnum):
    """The unit of measure (đơn vị tính) an indicator's values are in."""

    HOUSEHOLDS = "households"
    PEOPLE = "people"
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"
    VND = "vnd"
    VND_PER_PERSON_MONTH = "vnd_per_person_month"
    KM = "km"
    HA = "ha"
    COMMUNES = "communes"
    VILLAGES = "villages"
    SCHOOLS = "schools"
    CLASSROOMS = "classrooms"
    WORKS = "works"
    RATIO = "ratio"
    INDEX = "index"

    @property
    def label(self) -> Label:
        return MEASURE_UNIT_LABELS[self]


MEASURE_UNIT_LABELS = {
    MeasureUnit.HOUSEHOLDS: Label("hộ", "households"),
    MeasureUnit.PEOPLE: Label("người", "people"),
    MeasureUnit.PERCENT: Label("%", "%"),
    MeasureUnit.PERCENTAGE_POINTS: Label("điểm phần trăm", "percentage points"),
    MeasureUnit.VND: Label("đồng", "VND"),
    MeasureUnit.VND_PER_PERSON_MONTH: Label("đồng/người/tháng", "VND per person per month"),
    MeasureUnit.KM: Label("km", "km"),
    MeasureUnit.HA: Label("ha", "ha"),
    MeasureUnit.COMMUNES: Label("xã", "communes"),
    MeasureUnit.VILLAGES: Label("thôn", "villages"),
    MeasureUnit.SCHOOLS: Label("trường", "schools"),
    MeasureUnit.CLASSROOMS: Label("phòng học", "classrooms"),
    MeasureUnit.WORKS: Label("công trình", "works"),
    MeasureUnit.RATIO: Label("lần", "times"),
    MeasureUnit.INDEX: Label("chỉ số", "index"),
}

# Rates are shown with two decimals unless an indicator says otherwise; counts and amounts with none.
DEFAULT_DECIMALS = {
    MeasureUnit.PERCENT: 2,
    MeasureUnit.PERCENTAGE_POINTS: 2,
    MeasureUnit.RATIO: 2,
    MeasureUnit.INDEX: 2,
}


class IndicatorKind(StrEnum):
    """Where an indicator's values come from."""

    ENTERED = "entered"
    COMPUTED = "computed"
    DERIVED = "derived"

    @property
    def label(self) -> Label:
        return KIND_LABELS[self]


KIND_LABELS = {
    IndicatorKind.ENTERED: Label("nhập theo đơn vị", "entered per unit"),
    IndicatorKind.COMPUTED: Label("tính từ dữ liệu của hệ thống", "computed from the system's records"),
    IndicatorKind.DERIVED: Label("tính theo công thức", "derived by a formula"),
}


class Aggregation(StrEnum):
    """How an indicator's values combine over units (see the module's docstring)."""

    SUM = "sum"
    RECOMPUTE = "recompute"
    NONE = "none"

    @property
    def label(self) -> Label:
        return AGGREGATION_LABELS[self]


AGGREGATION_LABELS = {
    Aggregation.SUM: Label("cộng dồn theo đơn vị", "added up over units"),
    Aggregation.RECOMPUTE: Label("tính lại từ các thành phần", "recomputed from its parts"),
    Aggregation.NONE: Label("không tổng hợp được", "cannot be combined"),
}


class Direction(StrEnum):
    """Which way an indicator improves, for trends and targets on display."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"

    @property
    def label(self) -> Label:
        return DIRECTION_LABELS[self]


DIRECTION_LABELS = {
    Direction.LOWER_IS_BETTER: Label("càng thấp càng tốt", "lower is better"),
    Direction.HIGHER_IS_BETTER: Label("càng cao càng tốt", "higher is better"),
}


class Origin(StrEnum):
    """Where one datum came from: typed by an official, or computed from the system's records."""

    ENTERED = "entered"
    RECORDS = "records"


# Formulas of derived indicators -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """``numerator ÷ denominator × scale`` (a rate in per cent has ``scale`` 100)."""

    numerator: str
    denominator: str
    scale: Decimal = Decimal(1)

    @property
    def references(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)


@dataclass(frozen=True)
class Total:
    """The sum of ``terms`` (the op ``sum`` of a catalogue)."""

    terms: tuple[str, ...]

    @property
    def references(self) -> tuple[str, ...]:
        return self.terms


@dataclass(frozen=True)
class Difference:
    """``minuend − subtrahend``."""

    minuend: str
    subtrahend: str

    @property
    def references(self) -> tuple[str, ...]:
        return (self.minuend, self.subtrahend)


@dataclass(frozen=True)
class AnnualChange:
    """The value of ``of`` in a year minus its value in the year before, at the same unit (the annual
    reduction of the poverty rate is the annual change of the poverty rate)."""

    of: str

    @property
    def references(self) -> tuple[str, ...]:
        return (self.of,)


Formula: TypeAlias = Ratio | Total | Difference | AnnualChange
FORMULA_OPS: Mapping[str, type[Formula]] = {
    "ratio": Ratio,
    "sum": Total,
    "difference": Difference,
    "annual_change": AnnualChange,
}
FORMULA_OP_LABELS: Mapping[str, Label] = {
    "ratio": Label("Tỷ lệ: tử số ÷ mẫu số × hệ số", "Ratio: numerator ÷ denominator × multiplier"),
    "sum": Label("Tổng các chỉ tiêu", "Sum of indicators"),
    "difference": Label("Hiệu của hai chỉ tiêu", "Difference of two indicators"),
    "annual_change": Label("Thay đổi so với năm trước", "Change from the year before"),
}
"""Each op in words, for a reader choosing one."""


@dataclass(frozen=True)
class Indicator:
    """One indicator of a catalogue, as the catalogue file or a province's own row declares it.

    ``minimum`` and ``maximum`` bound entered values (inclusive). A computed indicator names the
    computation the Django side runs (``record``, with its ``record_filter`` parameters); with
    ``entered_fallback`` it also accepts entered values for a unit and year that has no records
    (history from before the system). A derived indicator has exactly one ``formula``.
    """

    code: str
    name: Label
    unit: MeasureUnit
    kind: IndicatorKind
    aggregation: Aggregation
    source: Label
    decimals: int | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    direction: Direction | None = None
    description: Label | None = None
    record: str | None = None
    record_filter: Mapping[str, str] = field(default_factory=dict)
    entered_fallback: bool = False
    formula: Formula | None = None

    @property
    def shown_decimals(self) -> int:
        """The decimal places a value is shown with: the indicator's own, else its unit's default."""
        return self.decimals if self.decimals is not None else DEFAULT_DECIMALS.get(self.unit, 0)

    @property
    def accepts_entries(self) -> bool:
        """Whether an official may enter a value: entered indicators, and computed ones with
        ``entered_fallback`` (for a unit and year without records; the Django side checks which)."""
        return self.kind is IndicatorKind.ENTERED or (
            self.kind is IndicatorKind.COMPUTED and self.entered_fallback
        )

    @property
    def references(self) -> tuple[str, ...]:
        """The codes of the indicators this one's formula reads (none unless derived)."""
        return self.formula.references if self.formula is not None else ()

    def entry_problem(self, value: Decimal) -> Label | None:
        """Why ``value`` cannot be entered for this indicator (it is not entered, or out of its bounds),
        or None when it can."""
        if not self.accepts_entries:
            return NOT_ENTERABLE.format(code=self.code)
        if self.minimum is not None and value < self.minimum:
            return BELOW_MINIMUM.format(minimum=self.minimum)
        if self.maximum is not None and value > self.maximum:
            return ABOVE_MAXIMUM.format(maximum=self.maximum)
        return None

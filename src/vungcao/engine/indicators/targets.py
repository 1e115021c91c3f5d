"""Targets (mục tiêu) and progress towards them, as programme reports state them.

A target says, for an indicator of a unit, either a **level** to reach by ``target_year`` (``at_most``:
"the poverty rate at most 10%"; ``at_least``: "100% of communes with a hardened road") or an **average
annual change** over ``baseline_year``–``target_year`` (``annual_change``: "the poverty rate falls by
3 percentage points a year", ``value = -3``). :func:`progress` reads the indicator's series:

* ``baseline_value`` is the value of the baseline year. Without it, or without a value in a later year,
  progress has no data (``no_data``; the baseline value is still given when known, nothing else).
* ``latest_year``/``latest_value``: the last year after the baseline, up to ``current_year``, with a
  value — past the target year too, so the page shows where the unit stands now.
  ``average_annual_change`` = (latest − baseline) ÷ (latest year − baseline year).
* A level L is reached in a year whose value is ≤ L (at most) or ≥ L (at least); an annual change c
  when the change since the baseline has gone at least c × (target year − baseline year) in c's
  direction (the required total). ``achieved_year`` is the first year after the baseline it was reached;
  ``years_ahead`` = target year − achieved year: positive ahead of schedule, negative behind (reached
  after the target year), None if never reached.
* ``status``: ``achieved`` when reached in or before the target year — and it stays achieved if a later
  value slips back (the target was met when it was due, as reports count it; ``slipped`` says the latest
  value no longer meets it, and ``share_achieved`` shows where the latest value stands). Otherwise
  ``behind`` once the target year has a value or is past; before then ``on_track`` when the latest value
  is at or better than the straight line from the baseline to L at the target year (level), or the
  average annual change so far is at least as good as c (annual change); else ``behind``.
* ``share_achieved`` = (latest − baseline) ÷ (L − baseline), or ÷ the required total; None when the
  level equals the baseline.

A target is written in words as reports state it (:func:`target_in_words`): "không quá 10%", "ít nhất
100 xã", "giảm 3 điểm %/năm" (a rate changes by percentage points).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from vungcao.engine.indicators.definitions import MeasureUnit
from vungcao.engine.indicators.figures import ARITHMETIC
from vungcao.engine.text import Label, format_number

TARGET_YEAR_NOT_AFTER_BASELINE = "The target year must come after the baseline year."
ZERO_ANNUAL_CHANGE = "An annual change target must be a change: not 0."


class TargetKind(StrEnum):
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    ANNUAL_CHANGE = "annual_change"

    @property
    def label(self) -> Label:
        return TARGET_KIND_LABELS[self]


TARGET_KIND_LABELS = {
    TargetKind.AT_MOST: Label("không quá", "at most"),
    TargetKind.AT_LEAST: Label("ít nhất", "at least"),
    TargetKind.ANNUAL_CHANGE: Label("thay đổi bình quân mỗi năm", "average change per year"),
}


# A target in words: a level, or a change a year by its direction; {value} is the figure and its unit.
LEVEL_WORDS = {
    TargetKind.AT_MOST: Label("không quá {value}", "at most {value}"),
    TargetKind.AT_LEAST: Label("ít nhất {value}", "at least {value}"),
}
FALLING_WORDS = Label("giảm {value}/năm", "down {value} a year")
RISING_WORDS = Label("tăng {value}/năm", "up {value} a year")
POINTS = Label("điểm %", "percentage points")  # what a rate changes by


def target_in_words(kind: TargetKind, value: Decimal, unit: MeasureUnit | None, language: str) -> str:
    """``kind`` and ``value`` of a target on an indicator in ``unit`` as reports write them, in
    ``language``: "không quá 10%", "ít nhất 100 xã", "giảm 3 điểm %/năm" (None: an indicator no longer
    known, its figure alone)."""
    changing = kind is TargetKind.ANNUAL_CHANGE
    number = format_number(abs(value) if changing else value, language)
    if unit is MeasureUnit.PERCENT:
        quantity = f"{number} {POINTS.in_language(language)}" if changing else f"{number}%"
    else:
        quantity = number if unit is None else f"{number} {unit.label.in_language(language)}"
    words = (FALLING_WORDS if value < 0 else RISING_WORDS) if changing else LEVEL_WORDS[kind]
    return words.format(value=quantity).in_language(language)


class ProgressStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"

    @property
    def label(self) -> Label:
        return PROGRESS_STATUS_LABELS[self]


PROGRESS_STATUS_LABELS = {
    ProgressStatus.ACHIEVED: Label("đã đạt", "achieved"),
    ProgressStatus.ON_TRACK: Label("đúng tiến độ", "on track"),
    ProgressStatus.BEHIND: Label("chậm tiến độ", "behind"),
    ProgressStatus.NO_DATA: Label("chưa có số liệu", "no data"),
}


class TargetError(ValueError):
    """A target that cannot be measured; the message is one of the module's constants."""


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    baseline_year: int
    target_year: int
    value: Decimal

    def __post_init__(self) -> None:
        if self.target_year <= self.baseline_year:
            raise TargetError(TARGET_YEAR_NOT_AFTER_BASELINE)
        if self.kind is TargetKind.ANNUAL_CHANGE and self.value == 0:
            raise TargetError(ZERO_ANNUAL_CHANGE)

    @property
    def falling(self) -> bool:
        """Whether the target is reached by going down (at most a level, or a negative change)."""
        return self.kind is TargetKind.AT_MOST or (self.kind is TargetKind.ANNUAL_CHANGE and self.value < 0)


@dataclass(frozen=True)
class Progress:
    status: ProgressStatus
    baseline_value: Decimal | None = None
    latest_year: int | None = None
    latest_value: Decimal | None = None
    average_annual_change: Decimal | None = None
    share_achieved: Decimal | None = None
    achieved_year: int | None = None
    years_ahead: int | None = None
    slipped: bool = False


def progress(target: Target, series: Mapping[int, Decimal | None], *, current_year: int) -> Progress:
    """Progress towards ``target`` of the indicator's ``series`` (value by year, None where it has no
    figure) as of ``current_year``, by the rules of the module."""
    baseline = series.get(target.baseline_year)
    later = sorted(
        (year, value)
        for year, value in series.items()
        if target.baseline_year < year <= current_year and value is not None
    )
    if baseline is None or not later:
        return Progress(ProgressStatus.NO_DATA, baseline_value=baseline)
    latest_year, latest_value = later[-1]
    average = ARITHMETIC.divide(latest_value - baseline, latest_year - target.baseline_year)
    if target.kind is TargetKind.ANNUAL_CHANGE:
        goal = baseline + ARITHMETIC.multiply(target.value, target.target_year - target.baseline_year)
    else:
        goal = target.value

    def reached(value: Decimal) -> bool:
        return value <= goal if target.falling else value >= goal

    achieved_year = next((year for year, value in later if reached(value)), None)
    share = None if goal == baseline else ARITHMETIC.divide(latest_value - baseline, goal - baseline)
    if achieved_year is not None and achieved_year <= target.target_year:
        status = ProgressStatus.ACHIEVED
    elif latest_year >= target.target_year or current_year > target.target_year:
        status = ProgressStatus.BEHIND
    else:
        status = (
            ProgressStatus.ON_TRACK
            if _on_track(target, baseline, goal, latest_year, latest_value, average)
            else ProgressStatus.BEHIND
        )
    return Progress(
        status=status,
        baseline_value=baseline,
        latest_year=latest_year,
        latest_value=latest_value,
        average_annual_change=average,
        share_achieved=share,
        achieved_year=achieved_year,
        years_ahead=None if achieved_year is None else target.target_year - achieved_year,
        slipped=status is ProgressStatus.ACHIEVED and not reached(latest_value),
    )


def _on_track(
    target: Target,
    baseline: Decimal,
    goal: Decimal,
    latest_year: int,
    latest_value: Decimal,
    average: Decimal,
) -> bool:
    if target.kind is TargetKind.ANNUAL_CHANGE:
        return average <= target.value if target.falling else average >= target.value
    elapsed = latest_year - target.baseline_year
    span = target.target_year - target.baseline_year
    expected = baseline + ARITHMETIC.divide(ARITHMETIC.multiply(goal - baseline, elapsed), span)
    return latest_value <= expected if target.falling else latest_value >= expected
